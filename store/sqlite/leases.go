package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// TryLock takes or renews the named lease for owner until now+ttl. It
// returns false when another owner holds a lease that has not expired.
// Instances sharing a database use it so that one fetches a source at a
// time, or one polls Telegram.
func (s *Store) TryLock(ctx context.Context, name, owner string, ttl time.Duration) (bool, error) {
	now := s.now()
	var got string
	err := s.tx(ctx, func(tx *sql.Tx) error {
		return tx.QueryRowContext(ctx, `INSERT INTO leases (name, owner, until) VALUES (?1, ?2, ?3)
			ON CONFLICT (name) DO UPDATE SET owner = excluded.owner, until = excluded.until
			WHERE leases.owner = excluded.owner OR leases.until <= ?4
			RETURNING owner`, name, owner, now.Add(ttl).UnixMicro(), now.UnixMicro()).Scan(&got)
	})
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("sqlite: lock %q for %s: %w", name, owner, err)
	}
	return got == owner, nil
}

// Unlock releases the named lease if owner holds it.
func (s *Store) Unlock(ctx context.Context, name, owner string) error {
	err := s.tx(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `DELETE FROM leases WHERE name = ? AND owner = ?`, name, owner)
		return err
	})
	if err != nil {
		return fmt.Errorf("sqlite: unlock %q for %s: %w", name, owner, err)
	}
	return nil
}
