package postgres

import (
	"context"
	"fmt"
	"sort"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgtype"

	"newsdigest/digest"
)

const deliveryCols = `key, subscription_id, platform, chat_id, thread_id, scheduled, part, parts, payload, state,
	attempts, message_id, error, late, owner, lease_until, updated_at`

func scanDelivery(r pgx.Row) (digest.Delivery, error) {
	var (
		d                         digest.Delivery
		platform, state           string
		scheduled, lease, updated pgtype.Timestamptz
	)
	err := r.Scan(&d.Key, &d.SubscriptionID, &platform, &d.ChatID, &d.ThreadID, &scheduled, &d.Part, &d.Parts, &d.Payload,
		&state, &d.Attempts, &d.MessageID, &d.Error, &d.Late, &d.Owner, &lease, &updated)
	if err != nil {
		return digest.Delivery{}, err
	}
	d.Platform, d.State = digest.Platform(platform), digest.DeliveryState(state)
	d.Scheduled, d.LeaseUntil, d.UpdatedAt = fromTS(scheduled), fromTS(lease), fromTS(updated)
	return d, nil
}

func scanDeliveries(rows pgx.Rows) ([]digest.Delivery, error) {
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
// and digest.ErrNotFound if the subscription does not. Two instances
// planning the same digest at once: the second waits for the first and
// gets ErrDuplicate.
func (s *Store) PlanDigest(ctx context.Context, sub digest.Subscription, parts []digest.Delivery) error {
	now := s.now()
	err := s.tx(ctx, func(tx pgx.Tx) error {
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
			_, err := tx.Exec(ctx, `INSERT INTO deliveries (key, subscription_id, platform, chat_id, thread_id, scheduled,
				part, parts, payload, state, attempts, message_id, error, late, owner, lease_until, updated_at)
				VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17)`,
				d.Key, d.SubscriptionID, string(d.Platform), d.ChatID, d.ThreadID, d.Scheduled, d.Part, d.Parts,
				d.Payload, string(d.State), d.Attempts, d.MessageID, d.Error, d.Late, d.Owner, ts(d.LeaseUntil), d.UpdatedAt)
			if isUnique(err) {
				return fmt.Errorf("part %q: %w", d.Key, digest.ErrDuplicate)
			}
			if err != nil {
				return fmt.Errorf("part %q: %w", d.Key, err)
			}
		}
		tag, err := tx.Exec(ctx, `UPDATE subscriptions SET cutoff = $1, next_run = $2 WHERE id = $3`, ts(sub.Cutoff), ts(sub.NextRun), sub.ID)
		if err != nil {
			return err
		}
		if tag.RowsAffected() == 0 {
			return fmt.Errorf("subscription %d: %w", sub.ID, digest.ErrNotFound)
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("postgres: plan digest of subscription %d: %w", sub.ID, err)
	}
	return nil
}

// PendingDeliveries returns parts in state Planned or Sending of one
// platform ("" for all), ordered by scheduled time, subscription and part.
func (s *Store) PendingDeliveries(ctx context.Context, p digest.Platform) ([]digest.Delivery, error) {
	rows, err := s.pool.Query(ctx, `SELECT `+deliveryCols+` FROM deliveries
		WHERE state IN ('planned', 'sending') AND ($1 = '' OR platform = $1)
		ORDER BY scheduled, subscription_id, part`, string(p))
	if err != nil {
		return nil, fmt.Errorf("postgres: pending deliveries of %q: %w", p, err)
	}
	out, err := scanDeliveries(rows)
	if err != nil {
		return nil, fmt.Errorf("postgres: pending deliveries of %q: %w", p, err)
	}
	return out, nil
}

// UpdateDelivery saves State, Attempts, MessageID, Error, Late and UpdatedAt
// (now when zero), or returns an error wrapping digest.ErrNotFound.
func (s *Store) UpdateDelivery(ctx context.Context, d digest.Delivery) error {
	if d.UpdatedAt.IsZero() {
		d.UpdatedAt = s.now()
	}
	tag, err := s.pool.Exec(ctx, `UPDATE deliveries SET state = $1, attempts = $2, message_id = $3, error = $4, late = $5, updated_at = $6
		WHERE key = $7`, string(d.State), d.Attempts, d.MessageID, d.Error, d.Late, d.UpdatedAt, d.Key)
	if err == nil && tag.RowsAffected() == 0 {
		err = digest.ErrNotFound
	}
	if err != nil {
		return fmt.Errorf("postgres: update delivery %q: %w", d.Key, err)
	}
	return nil
}

// Deliveries returns all parts of one subscription's digests scheduled in
// [from, to), by scheduled time and part.
func (s *Store) Deliveries(ctx context.Context, subID int64, from, to time.Time) ([]digest.Delivery, error) {
	rows, err := s.pool.Query(ctx, `SELECT `+deliveryCols+` FROM deliveries
		WHERE subscription_id = $1 AND scheduled >= $2 AND scheduled < $3 ORDER BY scheduled, part`, subID, from, to)
	if err != nil {
		return nil, fmt.Errorf("postgres: deliveries of subscription %d: %w", subID, err)
	}
	out, err := scanDeliveries(rows)
	if err != nil {
		return nil, fmt.Errorf("postgres: deliveries of subscription %d: %w", subID, err)
	}
	return out, nil
}

// ClaimDeliveries leases up to limit pending parts of one platform ("" for
// all) to owner until now+lease: parts nobody holds, parts owner already
// holds (renewed), and parts whose lease expired; rows another instance is
// claiming at this moment are skipped (FOR UPDATE SKIP LOCKED). They come in
// the order of PendingDeliveries.
func (s *Store) ClaimDeliveries(ctx context.Context, p digest.Platform, owner string, lease time.Duration, limit int) ([]digest.Delivery, error) {
	if limit <= 0 {
		return nil, nil
	}
	now := s.now()
	rows, err := s.pool.Query(ctx, `WITH c AS (
			SELECT key FROM deliveries
			WHERE state IN ('planned', 'sending') AND ($1 = '' OR platform = $1)
			AND (owner = '' OR owner = $2 OR lease_until IS NULL OR lease_until <= $3)
			ORDER BY scheduled, subscription_id, part LIMIT $4
			FOR UPDATE SKIP LOCKED)
		UPDATE deliveries d SET owner = $2, lease_until = $5 FROM c WHERE d.key = c.key
		RETURNING `+prefixed("d.", deliveryCols),
		string(p), owner, now, limit, now.Add(lease))
	if err != nil {
		return nil, fmt.Errorf("postgres: claim %q deliveries for %s: %w", p, owner, err)
	}
	out, err := scanDeliveries(rows)
	if err != nil {
		return nil, fmt.Errorf("postgres: claim %q deliveries for %s: %w", p, owner, err)
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
