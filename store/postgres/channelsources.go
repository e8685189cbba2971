package postgres

import (
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"

	"newsdigest/digest"
)

// origin is the stored origin of a source: config unless it came from a chat.
func origin(src digest.Source) string {
	if src.Origin == digest.OriginChat {
		return digest.OriginChat
	}
	return digest.OriginConfig
}

// SubscriptionSources lists the sources of a subscription's own list.
func (s *Store) SubscriptionSources(ctx context.Context, subID int64) ([]digest.Source, error) {
	rows, err := s.pool.Query(ctx, `SELECT `+prefixed("s.", sourceCols)+` FROM sources s
		JOIN subscription_sources ss ON ss.source_id = s.id WHERE ss.subscription_id = $1 ORDER BY s.name`, subID)
	if err != nil {
		return nil, fmt.Errorf("postgres: sources of subscription %d: %w", subID, err)
	}
	defer rows.Close()
	var out []digest.Source
	for rows.Next() {
		src, err := scanSource(rows)
		if err != nil {
			return nil, fmt.Errorf("postgres: sources of subscription %d: %w", subID, err)
		}
		out = append(out, src)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("postgres: sources of subscription %d: %w", subID, err)
	}
	return out, nil
}

// SetSubscriptionSource puts a source on a subscription's list or takes it off.
func (s *Store) SetSubscriptionSource(ctx context.Context, subID, sourceID int64, addedBy string, on bool) error {
	var err error
	if on {
		_, err = s.pool.Exec(ctx, `INSERT INTO subscription_sources (subscription_id, source_id, added_by, added_at) VALUES ($1, $2, $3, $4)
			ON CONFLICT (subscription_id, source_id) DO NOTHING`, subID, sourceID, addedBy, s.now())
	} else {
		_, err = s.pool.Exec(ctx, `DELETE FROM subscription_sources WHERE subscription_id = $1 AND source_id = $2`, subID, sourceID)
	}
	if err != nil {
		return fmt.Errorf("postgres: source %d of subscription %d: %w", sourceID, subID, err)
	}
	return nil
}

// SourceReaders counts the active subscriptions whose own list holds each source.
func (s *Store) SourceReaders(ctx context.Context) (map[int64]int, error) {
	rows, err := s.pool.Query(ctx, `SELECT ss.source_id, count(*) FROM subscription_sources ss
		JOIN subscriptions sub ON sub.id = ss.subscription_id WHERE sub.active AND sub.own_sources GROUP BY ss.source_id`)
	if err != nil {
		return nil, fmt.Errorf("postgres: source readers: %w", err)
	}
	defer rows.Close()
	out := map[int64]int{}
	for rows.Next() {
		var id, n int64
		if err := rows.Scan(&id, &n); err != nil {
			return nil, fmt.Errorf("postgres: source readers: %w", err)
		}
		out[id] = int(n)
	}
	return out, rows.Err()
}

// SourceByURL returns the source with exactly this URL.
func (s *Store) SourceByURL(ctx context.Context, url string) (digest.Source, error) {
	src, err := scanSource(s.pool.QueryRow(ctx, `SELECT `+sourceCols+` FROM sources WHERE url = $1 ORDER BY id LIMIT 1`, url))
	if errors.Is(err, pgx.ErrNoRows) {
		return digest.Source{}, fmt.Errorf("postgres: source with URL %s: %w", url, digest.ErrNotFound)
	}
	if err != nil {
		return digest.Source{}, fmt.Errorf("postgres: source with URL %s: %w", url, err)
	}
	return src, nil
}

// SavePending stores an action waiting for its confirmation.
func (s *Store) SavePending(ctx context.Context, p digest.Pending) error {
	if _, err := s.pool.Exec(ctx, `INSERT INTO pending_actions (token, chat, payload, created_at) VALUES ($1, $2, $3, $4)`,
		p.Token, p.Chat, p.Payload, p.Created); err != nil {
		return fmt.Errorf("postgres: save pending action: %w", err)
	}
	return nil
}

// TakePending returns a pending action and deletes it, so that it is
// confirmed at most once.
func (s *Store) TakePending(ctx context.Context, token string) (digest.Pending, error) {
	var p digest.Pending
	err := s.pool.QueryRow(ctx, `DELETE FROM pending_actions WHERE token = $1 RETURNING token, chat, payload, created_at`, token).
		Scan(&p.Token, &p.Chat, &p.Payload, &p.Created)
	if errors.Is(err, pgx.ErrNoRows) {
		return digest.Pending{}, fmt.Errorf("postgres: pending action: %w", digest.ErrNotFound)
	}
	if err != nil {
		return digest.Pending{}, fmt.Errorf("postgres: take pending action: %w", err)
	}
	return p, nil
}
