package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sort"
	"time"

	"newsdigest/digest"
)

const deliveryCols = `key, subscription_id, platform, chat_id, thread_id, scheduled, part, parts, payload, state,
	attempts, message_id, error, late, owner, lease_until, updated_at`

func scanDelivery(r scanner) (digest.Delivery, error) {
	var (
		d                         digest.Delivery
		platform, state           string
		late                      int
		scheduled, lease, updated sql.NullInt64
	)
	err := r.Scan(&d.Key, &d.SubscriptionID, &platform, &d.ChatID, &d.ThreadID, &scheduled, &d.Part, &d.Parts, &d.Payload,
		&state, &d.Attempts, &d.MessageID, &d.Error, &late, &d.Owner, &lease, &updated)
	if err != nil {
		return digest.Delivery{}, err
	}
	d.Platform, d.State, d.Late = digest.Platform(platform), digest.DeliveryState(state), late != 0
	d.Scheduled, d.LeaseUntil, d.UpdatedAt = fromMicros(scheduled), fromMicros(lease), fromMicros(updated)
	return d, nil
}

func scanDeliveries(rows *sql.Rows) ([]digest.Delivery, error) {
	defer rows.Close()
	var out []digest.Delivery
	for rows.Next() {
		d, err := scanDelivery(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, d)
	}
	return out, rows.Err()
}

// PlanDigest stores the parts of one digest and sets the subscription's
// Cutoff and NextRun, in one transaction. It returns an error wrapping
// digest.ErrDuplicate if any part's key exists (and then changes nothing),
// and digest.ErrNotFound if the subscription does not.
func (s *Store) PlanDigest(ctx context.Context, sub digest.Subscription, parts []digest.Delivery) error {
	now := s.now()
	err := s.tx(ctx, func(tx *sql.Tx) error {
		for _, d := range parts {
			if d.State == "" {
				d.State = digest.Planned
			}
			if d.UpdatedAt.IsZero() {
				d.UpdatedAt = now
			}
			if d.SubscriptionID == 0 {
				d.SubscriptionID = sub.ID
			}
			_, err := tx.ExecContext(ctx, `INSERT INTO deliveries (key, subscription_id, platform, chat_id, thread_id, scheduled,
				part, parts, payload, state, attempts, message_id, error, late, owner, lease_until, updated_at)
				VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
				d.Key, d.SubscriptionID, string(d.Platform), d.ChatID, d.ThreadID, micros(d.Scheduled), d.Part, d.Parts,
				d.Payload, string(d.State), d.Attempts, d.MessageID, d.Error, boolInt(d.Late), d.Owner, micros(d.LeaseUntil),
				micros(d.UpdatedAt))
			if isUnique(err) {
				return fmt.Errorf("part %q: %w", d.Key, digest.ErrDuplicate)
			}
			if err != nil {
				return fmt.Errorf("part %q: %w", d.Key, err)
			}
		}
		res, err := tx.ExecContext(ctx, `UPDATE subscriptions SET cutoff = ?, next_run = ? WHERE id = ?`,
			micros(sub.Cutoff), micros(sub.NextRun), sub.ID)
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil || n == 0 {
			return errors.Join(err, fmt.Errorf("subscription %d: %w", sub.ID, digest.ErrNotFound))
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("sqlite: plan digest of subscription %d: %w", sub.ID, err)
	}
	return nil
}

// PendingDeliveries returns parts in state Planned or Sending of one
// platform ("" for all), ordered by scheduled time, subscription and part.
func (s *Store) PendingDeliveries(ctx context.Context, p digest.Platform) ([]digest.Delivery, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT `+deliveryCols+` FROM deliveries
		WHERE state IN ('planned', 'sending') AND (?1 = '' OR platform = ?1)
		ORDER BY scheduled, subscription_id, part`, string(p))
	if err != nil {
		return nil, fmt.Errorf("sqlite: pending deliveries of %q: %w", p, err)
	}
	out, err := scanDeliveries(rows)
	if err != nil {
		return nil, fmt.Errorf("sqlite: pending deliveries of %q: %w", p, err)
	}
	return out, nil
}

// UpdateDelivery saves State, Attempts, MessageID, Error, Late and UpdatedAt
// (now when zero), or returns an error wrapping digest.ErrNotFound.
func (s *Store) UpdateDelivery(ctx context.Context, d digest.Delivery) error {
	if d.UpdatedAt.IsZero() {
		d.UpdatedAt = s.now()
	}
	err := s.tx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE deliveries SET state = ?, attempts = ?, message_id = ?, error = ?, late = ?, updated_at = ?
			WHERE key = ?`, string(d.State), d.Attempts, d.MessageID, d.Error, boolInt(d.Late), micros(d.UpdatedAt), d.Key)
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil || n == 0 {
			return errors.Join(err, digest.ErrNotFound)
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("sqlite: update delivery %q: %w", d.Key, err)
	}
	return nil
}

// Deliveries returns all parts of one subscription's digests scheduled in
// [from, to), by scheduled time and part.
func (s *Store) Deliveries(ctx context.Context, subID int64, from, to time.Time) ([]digest.Delivery, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT `+deliveryCols+` FROM deliveries
		WHERE subscription_id = ? AND scheduled >= ? AND scheduled < ? ORDER BY scheduled, part`,
		subID, from.UnixMicro(), to.UnixMicro())
	if err != nil {
		return nil, fmt.Errorf("sqlite: deliveries of subscription %d: %w", subID, err)
	}
	out, err := scanDeliveries(rows)
	if err != nil {
		return nil, fmt.Errorf("sqlite: deliveries of subscription %d: %w", subID, err)
	}
	return out, nil
}

// ClaimDeliveries leases up to limit pending parts of one platform ("" for
// all) to owner until now+lease: parts nobody holds, parts owner already
// holds (renewed), and parts whose lease expired. They come in the order of
// PendingDeliveries. With one writer connection the UPDATE … RETURNING is
// atomic, which is what SKIP LOCKED gives PostgreSQL.
func (s *Store) ClaimDeliveries(ctx context.Context, p digest.Platform, owner string, lease time.Duration, limit int) ([]digest.Delivery, error) {
	if limit <= 0 {
		return nil, nil
	}
	now := s.now()
	var out []digest.Delivery
	err := s.tx(ctx, func(tx *sql.Tx) error {
		rows, err := tx.QueryContext(ctx, `UPDATE deliveries SET owner = ?1, lease_until = ?2
			WHERE key IN (SELECT key FROM deliveries
				WHERE state IN ('planned', 'sending') AND (?3 = '' OR platform = ?3)
				AND (owner = '' OR owner = ?1 OR lease_until IS NULL OR lease_until <= ?4)
				ORDER BY scheduled, subscription_id, part LIMIT ?5)
			RETURNING `+deliveryCols,
			owner, now.Add(lease).UnixMicro(), string(p), now.UnixMicro(), limit)
		if err != nil {
			return err
		}
		out, err = scanDeliveries(rows)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("sqlite: claim %q deliveries for %s: %w", p, owner, err)
	}
	sort.Slice(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if !a.Scheduled.Equal(b.Scheduled) {
			return a.Scheduled.Before(b.Scheduled)
		}
		if a.SubscriptionID != b.SubscriptionID {
			return a.SubscriptionID < b.SubscriptionID
		}
		return a.Part < b.Part
	})
	return out, nil
}
