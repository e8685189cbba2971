package postgres

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgtype"

	"newsdigest/digest"
)

const subCols = `id, platform, chat_id, thread_id, guild_id, time_of_day, time_zone, max_stories, keywords,
	send_empty, active, failure, cutoff, next_run, created_at, created_by, no_images, post_mode, languages, locale, own_sources`

func scanSub(r pgx.Row) (digest.Subscription, error) {
	var (
		sub                      digest.Subscription
		platform                 string
		cutoff, nextRun, created pgtype.Timestamptz
	)
	err := r.Scan(&sub.ID, &platform, &sub.ChatID, &sub.ThreadID, &sub.GuildID, &sub.Time, &sub.TimeZone, &sub.MaxStories,
		&sub.Keywords, &sub.SendEmpty, &sub.Active, &sub.Failure, &cutoff, &nextRun, &created, &sub.CreatedBy, &sub.NoImages, &sub.PostMode, &sub.Languages, &sub.Locale, &sub.OwnSources)
	if err != nil {
		return digest.Subscription{}, err
	}
	sub.Platform = digest.Platform(platform)
	sub.Keywords = nilIfEmpty(sub.Keywords)
	sub.Languages = nilIfEmpty(sub.Languages)
	sub.Cutoff, sub.NextRun, sub.CreatedAt = fromTS(cutoff), fromTS(nextRun), fromTS(created)
	return sub, nil
}

// SaveSubscription inserts or updates a subscription by (Platform, ChatID,
// ThreadID); CreatedAt is set on insert when zero and kept on update.
func (s *Store) SaveSubscription(ctx context.Context, sub digest.Subscription) (digest.Subscription, error) {
	if sub.CreatedAt.IsZero() {
		sub.CreatedAt = s.now()
	}
	out, err := scanSub(s.pool.QueryRow(ctx, `INSERT INTO subscriptions (platform, chat_id, thread_id, guild_id, time_of_day,
		time_zone, max_stories, keywords, send_empty, active, failure, cutoff, next_run, created_at, created_by, no_images, post_mode, languages, locale, own_sources)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20)
		ON CONFLICT (platform, chat_id, thread_id) DO UPDATE SET guild_id = excluded.guild_id,
			time_of_day = excluded.time_of_day, time_zone = excluded.time_zone, max_stories = excluded.max_stories,
			keywords = excluded.keywords, send_empty = excluded.send_empty, active = excluded.active,
			failure = excluded.failure, cutoff = excluded.cutoff, next_run = excluded.next_run,
			no_images = excluded.no_images, post_mode = excluded.post_mode, own_sources = excluded.own_sources,
			languages = excluded.languages, locale = excluded.locale,
			created_by = CASE WHEN subscriptions.created_by = '' THEN excluded.created_by ELSE subscriptions.created_by END
		RETURNING `+subCols,
		string(sub.Platform), sub.ChatID, sub.ThreadID, sub.GuildID, sub.Time, sub.TimeZone, sub.MaxStories, nonNil(sub.Keywords),
		sub.SendEmpty, sub.Active, sub.Failure, ts(sub.Cutoff), ts(sub.NextRun), ts(sub.CreatedAt), sub.CreatedBy, sub.NoImages, string(sub.PostMode),
		nonNil(sub.Languages), sub.Locale, sub.OwnSources))
	if err != nil {
		return digest.Subscription{}, fmt.Errorf("postgres: save subscription %s/%s: %w", sub.Platform, sub.ChatID, err)
	}
	return out, nil
}

// Subscription returns one subscription, or an error wrapping digest.ErrNotFound.
func (s *Store) Subscription(ctx context.Context, p digest.Platform, chatID, threadID string) (digest.Subscription, error) {
	sub, err := scanSub(s.pool.QueryRow(ctx, `SELECT `+subCols+` FROM subscriptions WHERE platform = $1 AND chat_id = $2 AND thread_id = $3`,
		string(p), chatID, threadID))
	if errors.Is(err, pgx.ErrNoRows) {
		err = digest.ErrNotFound
	}
	if err != nil {
		return digest.Subscription{}, fmt.Errorf("postgres: subscription %s/%s/%s: %w", p, chatID, threadID, err)
	}
	return sub, nil
}

// SubscriptionByID returns one subscription, or an error wrapping digest.ErrNotFound.
func (s *Store) SubscriptionByID(ctx context.Context, id int64) (digest.Subscription, error) {
	sub, err := scanSub(s.pool.QueryRow(ctx, `SELECT `+subCols+` FROM subscriptions WHERE id = $1`, id))
	if errors.Is(err, pgx.ErrNoRows) {
		err = digest.ErrNotFound
	}
	if err != nil {
		return digest.Subscription{}, fmt.Errorf("postgres: subscription %d: %w", id, err)
	}
	return sub, nil
}

// Subscriptions lists the subscriptions of one platform ("" for all) by ID.
func (s *Store) Subscriptions(ctx context.Context, p digest.Platform) ([]digest.Subscription, error) {
	rows, err := s.pool.Query(ctx, `SELECT `+subCols+` FROM subscriptions WHERE $1 = '' OR platform = $1 ORDER BY id`, string(p))
	if err != nil {
		return nil, fmt.Errorf("postgres: list subscriptions of %q: %w", p, err)
	}
	defer rows.Close()
	var out []digest.Subscription
	for rows.Next() {
		sub, err := scanSub(rows)
		if err != nil {
			return nil, fmt.Errorf("postgres: list subscriptions: %w", err)
		}
		out = append(out, sub)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("postgres: list subscriptions: %w", err)
	}
	return out, nil
}

// DeleteSubscription removes a subscription and its deliveries, or returns
// an error wrapping digest.ErrNotFound.
func (s *Store) DeleteSubscription(ctx context.Context, p digest.Platform, chatID, threadID string) error {
	tag, err := s.pool.Exec(ctx, `DELETE FROM subscriptions WHERE platform = $1 AND chat_id = $2 AND thread_id = $3`, string(p), chatID, threadID)
	if err == nil && tag.RowsAffected() == 0 {
		err = digest.ErrNotFound
	}
	if err != nil {
		return fmt.Errorf("postgres: delete subscription %s/%s/%s: %w", p, chatID, threadID, err)
	}
	return nil
}

// MoveChat moves every subscription of a chat (all its threads) and its
// pending deliveries to a new chat ID. It returns an error wrapping
// digest.ErrNotFound when the chat has none, and digest.ErrDuplicate when
// the new chat already has a subscription for the same thread.
func (s *Store) MoveChat(ctx context.Context, p digest.Platform, from, to string) error {
	err := s.tx(ctx, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `UPDATE subscriptions SET chat_id = $1 WHERE platform = $2 AND chat_id = $3`, to, string(p), from)
		if isUnique(err) {
			return digest.ErrDuplicate
		}
		if err != nil {
			return err
		}
		if tag.RowsAffected() == 0 {
			return digest.ErrNotFound
		}
		_, err = tx.Exec(ctx, `UPDATE deliveries SET chat_id = $1 WHERE platform = $2 AND chat_id = $3 AND state IN ('planned', 'sending')`,
			to, string(p), from)
		return err
	})
	if err != nil {
		return fmt.Errorf("postgres: move %s chat %s to %s: %w", p, from, to, err)
	}
	return nil
}

// DueSubscriptions returns the due active subscriptions and the next
// NextRun of the others, through the partial index subscriptions_due.
func (s *Store) DueSubscriptions(ctx context.Context, now time.Time) ([]digest.Subscription, time.Time, error) {
	rows, err := s.pool.Query(ctx, `SELECT `+subCols+` FROM subscriptions
		WHERE active AND (next_run IS NULL OR next_run <= $1) ORDER BY next_run NULLS FIRST, id`, now)
	if err != nil {
		return nil, time.Time{}, fmt.Errorf("postgres: due subscriptions at %s: %w", now.Format(time.RFC3339), err)
	}
	defer rows.Close()
	var due []digest.Subscription
	for rows.Next() {
		sub, err := scanSub(rows)
		if err != nil {
			return nil, time.Time{}, fmt.Errorf("postgres: due subscriptions: %w", err)
		}
		due = append(due, sub)
	}
	if err := rows.Err(); err != nil {
		return nil, time.Time{}, fmt.Errorf("postgres: due subscriptions: %w", err)
	}
	var next pgtype.Timestamptz
	if err := s.pool.QueryRow(ctx, `SELECT min(next_run) FROM subscriptions WHERE active AND next_run > $1`, now).Scan(&next); err != nil {
		return nil, time.Time{}, fmt.Errorf("postgres: next subscription run after %s: %w", now.Format(time.RFC3339), err)
	}
	return due, fromTS(next), nil
}
