package postgres

import (
	"context"
	"fmt"
	"time"
)

// FirstSeen records that the event named key is being handled and reports
// whether this is the first time within ttl: false when any process or
// instance sharing the database recorded it before and the record has not
// expired. Expired records are dropped on the way.
func (s *Store) FirstSeen(ctx context.Context, key string, ttl time.Duration) (bool, error) {
	now := s.now()
	if _, err := s.pool.Exec(ctx, `DELETE FROM seen_events WHERE expires <= $1`, now); err != nil {
		return false, fmt.Errorf("postgres: record event %q: %w", key, err)
	}
	tag, err := s.pool.Exec(ctx, `INSERT INTO seen_events (key, expires) VALUES ($1, $2) ON CONFLICT (key) DO NOTHING`,
		key, now.Add(ttl))
	if err != nil {
		return false, fmt.Errorf("postgres: record event %q: %w", key, err)
	}
	return tag.RowsAffected() == 1, nil
}
