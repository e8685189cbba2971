package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"newsdigest/digest"
)

const subCols = `id, platform, chat_id, thread_id, guild_id, time_of_day, time_zone, max_stories, keywords,
	send_empty, active, failure, cutoff, next_run, created_at, created_by, no_images, post_mode, languages, locale, own_sources`

func scanSub(r scanner) (digest.Subscription, error) {
	var (
		sub                      digest.Subscription
		platform, keywords       string
		languages                string
		sendEmpty, active        int
		noImages, ownSources     int
		cutoff, nextRun, created sql.NullInt64
	)
	err := r.Scan(&sub.ID, &platform, &sub.ChatID, &sub.ThreadID, &sub.GuildID, &sub.Time, &sub.TimeZone, &sub.MaxStories,
		&keywords, &sendEmpty, &active, &sub.Failure, &cutoff, &nextRun, &created, &sub.CreatedBy, &noImages, &sub.PostMode, &languages, &sub.Locale, &ownSources)
	if err != nil {
		return digest.Subscription{}, err
	}
	sub.Platform = digest.Platform(platform)
	sub.SendEmpty, sub.Active, sub.NoImages, sub.OwnSources = sendEmpty != 0, active != 0, noImages != 0, ownSources != 0
	sub.Cutoff, sub.NextRun, sub.CreatedAt = fromMicros(cutoff), fromMicros(nextRun), fromMicros(created)
	if err := unmarshalList(keywords, &sub.Keywords); err != nil {
		return digest.Subscription{}, fmt.Errorf("keywords of subscription %d: %w", sub.ID, err)
	}
	if err := unmarshalList(languages, &sub.Languages); err != nil {
		return digest.Subscription{}, fmt.Errorf("languages of subscription %d: %w", sub.ID, err)
	}
	return sub, nil
}

// SaveSubscription inserts or updates a subscription by (Platform, ChatID,
// ThreadID); CreatedAt is set on insert when zero and kept on update.
func (s *Store) SaveSubscription(ctx context.Context, sub digest.Subscription) (digest.Subscription, error) {
	kw, _ := json.Marshal(nonNil(sub.Keywords))
	langs, _ := json.Marshal(nonNil(sub.Languages))
	if sub.CreatedAt.IsZero() {
		sub.CreatedAt = s.now()
	}
	var out digest.Subscription
	err := s.tx(ctx, func(tx *sql.Tx) error {
		var err error
		out, err = scanSub(tx.QueryRowContext(ctx, `INSERT INTO subscriptions (platform, chat_id, thread_id, guild_id, time_of_day,
			time_zone, max_stories, keywords, send_empty, active, failure, cutoff, next_run, created_at, created_by, no_images, post_mode, languages, locale, own_sources)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
			ON CONFLICT (platform, chat_id, thread_id) DO UPDATE SET guild_id = excluded.guild_id,
				time_of_day = excluded.time_of_day, time_zone = excluded.time_zone, max_stories = excluded.max_stories,
				keywords = excluded.keywords, send_empty = excluded.send_empty, active = excluded.active,
				failure = excluded.failure, cutoff = excluded.cutoff, next_run = excluded.next_run,
				no_images = excluded.no_images, post_mode = excluded.post_mode, own_sources = excluded.own_sources,
				languages = excluded.languages, locale = excluded.locale,
				created_by = CASE WHEN created_by = '' THEN excluded.created_by ELSE created_by END
			RETURNING `+subCols,
			string(sub.Platform), sub.ChatID, sub.ThreadID, sub.GuildID, sub.Time, sub.TimeZone, sub.MaxStories, string(kw),
			boolInt(sub.SendEmpty), boolInt(sub.Active), sub.Failure, micros(sub.Cutoff), micros(sub.NextRun),
			micros(sub.CreatedAt), sub.CreatedBy, boolInt(sub.NoImages), string(sub.PostMode), string(langs), sub.Locale, boolInt(sub.OwnSources)))
		return err
	})
	if err != nil {
		return digest.Subscription{}, fmt.Errorf("sqlite: save subscription %s/%s: %w", sub.Platform, sub.ChatID, err)
	}
	return out, nil
}

// Subscription returns one subscription, or an error wrapping digest.ErrNotFound.
func (s *Store) Subscription(ctx context.Context, p digest.Platform, chatID, threadID string) (digest.Subscription, error) {
	sub, err := scanSub(s.r.QueryRowContext(ctx, `SELECT `+subCols+` FROM subscriptions WHERE platform = ? AND chat_id = ? AND thread_id = ?`,
		string(p), chatID, threadID))
	if errors.Is(err, sql.ErrNoRows) {
		err = digest.ErrNotFound
	}
	if err != nil {
		return digest.Subscription{}, fmt.Errorf("sqlite: subscription %s/%s/%s: %w", p, chatID, threadID, err)
	}
	return sub, nil
}

// SubscriptionByID returns one subscription, or an error wrapping digest.ErrNotFound.
func (s *Store) SubscriptionByID(ctx context.Context, id int64) (digest.Subscription, error) {
	sub, err := scanSub(s.r.QueryRowContext(ctx, `SELECT `+subCols+` FROM subscriptions WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		err = digest.ErrNotFound
	}
	if err != nil {
		return digest.Subscription{}, fmt.Errorf("sqlite: subscription %d: %w", id, err)
	}
	return sub, nil
}

// Subscriptions lists the subscriptions of one platform ("" for all) by ID.
func (s *Store) Subscriptions(ctx context.Context, p digest.Platform) ([]digest.Subscription, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT `+subCols+` FROM subscriptions WHERE ?1 = '' OR platform = ?1 ORDER BY id`, string(p))
	if err != nil {
		return nil, fmt.Errorf("sqlite: list subscriptions of %q: %w", p, err)
	}
	defer rows.Close()
	var out []digest.Subscription
	for rows.Next() {
		sub, err := scanSub(rows)
		if err != nil {
			return nil, fmt.Errorf("sqlite: list subscriptions: %w", err)
		}
		out = append(out, sub)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("sqlite: list subscriptions: %w", err)
	}
	return out, nil
}

// DeleteSubscription removes a subscription and its deliveries, or returns
// an error wrapping digest.ErrNotFound.
func (s *Store) DeleteSubscription(ctx context.Context, p digest.Platform, chatID, threadID string) error {
	err := s.tx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `DELETE FROM subscriptions WHERE platform = ? AND chat_id = ? AND thread_id = ?`, string(p), chatID, threadID)
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil || n == 0 {
			return errors.Join(err, digest.ErrNotFound)
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("sqlite: delete subscription %s/%s/%s: %w", p, chatID, threadID, err)
	}
	return nil
}

// MoveChat moves every subscription of a chat (all its threads) and its
// pending deliveries to a new chat ID. It returns an error wrapping
// digest.ErrNotFound when the chat has none, and digest.ErrDuplicate when
// the new chat already has a subscription for the same thread.
func (s *Store) MoveChat(ctx context.Context, p digest.Platform, from, to string) error {
	err := s.tx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE subscriptions SET chat_id = ? WHERE platform = ? AND chat_id = ?`, to, string(p), from)
		if isUnique(err) {
			return digest.ErrDuplicate
		}
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil || n == 0 {
			return errors.Join(err, digest.ErrNotFound)
		}
		_, err = tx.ExecContext(ctx, `UPDATE deliveries SET chat_id = ? WHERE platform = ? AND chat_id = ? AND state IN ('planned', 'sending')`,
			to, string(p), from)
		return err
	})
	if err != nil {
		return fmt.Errorf("sqlite: move %s chat %s to %s: %w", p, from, to, err)
	}
	return nil
}

// DueSubscriptions returns the due active subscriptions and the next
// NextRun of the others, through the partial index subscriptions_due.
func (s *Store) DueSubscriptions(ctx context.Context, now time.Time) ([]digest.Subscription, time.Time, error) {
	at := now.UnixMicro()
	// Two index searches: an OR of the two conditions would scan the index.
	rows, err := s.r.QueryContext(ctx, `SELECT `+subCols+` FROM subscriptions WHERE active = 1 AND next_run IS NULL
		UNION ALL SELECT `+subCols+` FROM subscriptions WHERE active = 1 AND next_run <= ?1
		ORDER BY next_run, id`, at)
	if err != nil {
		return nil, time.Time{}, fmt.Errorf("sqlite: due subscriptions at %s: %w", now.Format(time.RFC3339), err)
	}
	defer rows.Close()
	var due []digest.Subscription
	for rows.Next() {
		sub, err := scanSub(rows)
		if err != nil {
			return nil, time.Time{}, fmt.Errorf("sqlite: due subscriptions: %w", err)
		}
		due = append(due, sub)
	}
	if err := rows.Err(); err != nil {
		return nil, time.Time{}, fmt.Errorf("sqlite: due subscriptions: %w", err)
	}
	var next sql.NullInt64
	if err := s.r.QueryRowContext(ctx, `SELECT min(next_run) FROM subscriptions WHERE active = 1 AND next_run > ?1`, at).Scan(&next); err != nil {
		return nil, time.Time{}, fmt.Errorf("sqlite: next subscription run after %s: %w", now.Format(time.RFC3339), err)
	}
	return due, fromMicros(next), nil
}
