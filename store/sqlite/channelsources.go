package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

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
	rows, err := s.r.QueryContext(ctx, `SELECT `+prefixed("s.", sourceCols)+` FROM sources s
		JOIN subscription_sources ss ON ss.source_id = s.id WHERE ss.subscription_id = ? ORDER BY s.name`, subID)
	if err != nil {
		return nil, fmt.Errorf("sqlite: sources of subscription %d: %w", subID, err)
	}
	defer rows.Close()
	var out []digest.Source
	for rows.Next() {
		src, err := scanSource(rows)
		if err != nil {
			return nil, fmt.Errorf("sqlite: sources of subscription %d: %w", subID, err)
		}
		out = append(out, src)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("sqlite: sources of subscription %d: %w", subID, err)
	}
	return out, nil
}

// SetSubscriptionSource puts a source on a subscription's list or takes it off.
func (s *Store) SetSubscriptionSource(ctx context.Context, subID, sourceID int64, addedBy string, on bool) error {
	err := s.tx(ctx, func(tx *sql.Tx) error {
		if !on {
			_, err := tx.ExecContext(ctx, `DELETE FROM subscription_sources WHERE subscription_id = ? AND source_id = ?`, subID, sourceID)
			return err
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO subscription_sources (subscription_id, source_id, added_by, added_at) VALUES (?, ?, ?, ?)
			ON CONFLICT (subscription_id, source_id) DO NOTHING`, subID, sourceID, addedBy, micros(s.now()))
		return err
	})
	if err != nil {
		return fmt.Errorf("sqlite: source %d of subscription %d: %w", sourceID, subID, err)
	}
	return nil
}

// SourceReaders counts the active subscriptions whose own list holds each source.
func (s *Store) SourceReaders(ctx context.Context) (map[int64]int, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT ss.source_id, count(*) FROM subscription_sources ss
		JOIN subscriptions sub ON sub.id = ss.subscription_id WHERE sub.active = 1 AND sub.own_sources = 1 GROUP BY ss.source_id`)
	if err != nil {
		return nil, fmt.Errorf("sqlite: source readers: %w", err)
	}
	defer rows.Close()
	out := map[int64]int{}
	for rows.Next() {
		var id int64
		var n int
		if err := rows.Scan(&id, &n); err != nil {
			return nil, fmt.Errorf("sqlite: source readers: %w", err)
		}
		out[id] = n
	}
	return out, rows.Err()
}

// SourceByURL returns the source with exactly this URL.
func (s *Store) SourceByURL(ctx context.Context, url string) (digest.Source, error) {
	src, err := scanSource(s.r.QueryRowContext(ctx, `SELECT `+sourceCols+` FROM sources WHERE url = ? ORDER BY id LIMIT 1`, url))
	if errors.Is(err, sql.ErrNoRows) {
		return digest.Source{}, fmt.Errorf("sqlite: source with URL %s: %w", url, digest.ErrNotFound)
	}
	if err != nil {
		return digest.Source{}, fmt.Errorf("sqlite: source with URL %s: %w", url, err)
	}
	return src, nil
}

// SavePending stores an action waiting for its confirmation.
func (s *Store) SavePending(ctx context.Context, p digest.Pending) error {
	err := s.tx(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO pending_actions (token, chat, payload, created_at) VALUES (?, ?, ?, ?)`,
			p.Token, p.Chat, p.Payload, micros(p.Created))
		return err
	})
	if err != nil {
		return fmt.Errorf("sqlite: save pending action: %w", err)
	}
	return nil
}

// TakePending returns a pending action and deletes it, so that it is
// confirmed at most once.
func (s *Store) TakePending(ctx context.Context, token string) (digest.Pending, error) {
	var p digest.Pending
	err := s.tx(ctx, func(tx *sql.Tx) error {
		var created sql.NullInt64
		err := tx.QueryRowContext(ctx, `DELETE FROM pending_actions WHERE token = ? RETURNING token, chat, payload, created_at`, token).
			Scan(&p.Token, &p.Chat, &p.Payload, &created)
		p.Created = fromMicros(created)
		return err
	})
	if errors.Is(err, sql.ErrNoRows) {
		return digest.Pending{}, fmt.Errorf("sqlite: pending action: %w", digest.ErrNotFound)
	}
	if err != nil {
		return digest.Pending{}, fmt.Errorf("sqlite: take pending action: %w", err)
	}
	return p, nil
}

// prefixed qualifies each column of a column list with a table alias.
func prefixed(alias, cols string) string {
	parts := strings.Split(cols, ",")
	for i, c := range parts {
		parts[i] = alias + strings.TrimSpace(c)
	}
	return strings.Join(parts, ", ")
}
