package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"time"
)

// FirstSeen records that the event named key is being handled and reports
// whether this is the first time within ttl: false when any process
// sharing the database recorded it before and the record has not expired.
// Expired records are dropped on the way.
func (s *Store) FirstSeen(ctx context.Context, key string, ttl time.Duration) (bool, error) {
	now := s.now()
	var n int64
	err := s.tx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `DELETE FROM seen_events WHERE expires <= ?`, now.UnixMicro()); err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, `INSERT INTO seen_events (key, expires) VALUES (?, ?) ON CONFLICT (key) DO NOTHING`,
			key, now.Add(ttl).UnixMicro())
		if err != nil {
			return err
		}
		n, err = res.RowsAffected()
		return err
	})
	if err != nil {
		return false, fmt.Errorf("sqlite: record event %q: %w", key, err)
	}
	return n == 1, nil
}
