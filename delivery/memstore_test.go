package delivery

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"time"

	"newsdigest/digest"
)

// memStore is an in-memory digest.Store with the parts delivery uses; the
// other methods panic (the embedded nil interface).
type memStore struct {
	digest.Store
	mu      sync.Mutex
	subs    map[int64]digest.Subscription
	nextID  int64
	outbox  map[string]digest.Delivery
	stories []digest.Story
	plans   int // PlanDigest calls with parts
}

var _ digest.Store = (*memStore)(nil)

func newMemStore() *memStore {
	return &memStore{subs: map[int64]digest.Subscription{}, outbox: map[string]digest.Delivery{}}
}

func (s *memStore) SaveSubscription(_ context.Context, sub digest.Subscription) (digest.Subscription, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for id, x := range s.subs {
		if x.Platform == sub.Platform && x.ChatID == sub.ChatID && x.ThreadID == sub.ThreadID {
			sub.ID = id
		}
	}
	if sub.ID == 0 {
		s.nextID++
		sub.ID = s.nextID
	}
	s.subs[sub.ID] = sub
	return sub, nil
}

func (s *memStore) SubscriptionByID(_ context.Context, id int64) (digest.Subscription, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	sub, ok := s.subs[id]
	if !ok {
		return sub, fmt.Errorf("memstore: subscription %d: %w", id, digest.ErrNotFound)
	}
	return sub, nil
}

func (s *memStore) Subscriptions(_ context.Context, p digest.Platform) ([]digest.Subscription, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []digest.Subscription
	for _, x := range s.subs {
		if p == "" || x.Platform == p {
			out = append(out, x)
		}
	}
	slices.SortFunc(out, func(a, b digest.Subscription) int { return int(a.ID - b.ID) })
	return out, nil
}

func (s *memStore) DueSubscriptions(_ context.Context, now time.Time) ([]digest.Subscription, time.Time, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	var due []digest.Subscription
	var next time.Time
	for _, x := range s.subs {
		switch {
		case !x.Active:
		case !x.NextRun.After(now):
			due = append(due, x)
		case next.IsZero() || x.NextRun.Before(next):
			next = x.NextRun
		}
	}
	slices.SortFunc(due, func(a, b digest.Subscription) int {
		if c := a.NextRun.Compare(b.NextRun); c != 0 {
			return c
		}
		return int(a.ID - b.ID)
	})
	return due, next, nil
}

func (s *memStore) MoveChat(_ context.Context, p digest.Platform, from, to string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	for id, x := range s.subs {
		if x.Platform == p && x.ChatID == from {
			x.ChatID = to
			s.subs[id] = x
			return nil
		}
	}
	return fmt.Errorf("memstore: chat %s: %w", from, digest.ErrNotFound)
}

func (s *memStore) PlanDigest(_ context.Context, sub digest.Subscription, parts []digest.Delivery) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, d := range parts {
		if _, ok := s.outbox[d.Key]; ok {
			return fmt.Errorf("memstore: %s: %w", d.Key, digest.ErrDuplicate)
		}
	}
	cur, ok := s.subs[sub.ID]
	if !ok {
		return fmt.Errorf("memstore: subscription %d: %w", sub.ID, digest.ErrNotFound)
	}
	cur.Cutoff, cur.NextRun = sub.Cutoff, sub.NextRun
	s.subs[sub.ID] = cur
	for _, d := range parts {
		s.outbox[d.Key] = d
	}
	if len(parts) > 0 {
		s.plans++
	}
	return nil
}

func sortDeliveries(out []digest.Delivery) {
	slices.SortFunc(out, func(a, b digest.Delivery) int {
		if c := a.Scheduled.Compare(b.Scheduled); c != 0 {
			return c
		}
		if a.SubscriptionID != b.SubscriptionID {
			return int(a.SubscriptionID - b.SubscriptionID)
		}
		return a.Part - b.Part
	})
}

func (s *memStore) PendingDeliveries(_ context.Context, p digest.Platform) ([]digest.Delivery, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []digest.Delivery
	for _, d := range s.outbox {
		if d.Platform == p && (d.State == digest.Planned || d.State == digest.Sending) {
			out = append(out, d)
		}
	}
	sortDeliveries(out)
	return out, nil
}

func (s *memStore) UpdateDelivery(_ context.Context, d digest.Delivery) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	cur, ok := s.outbox[d.Key]
	if !ok {
		return fmt.Errorf("memstore: delivery %s: %w", d.Key, digest.ErrNotFound)
	}
	cur.State, cur.Attempts, cur.MessageID, cur.Error, cur.UpdatedAt = d.State, d.Attempts, d.MessageID, d.Error, d.UpdatedAt
	s.outbox[d.Key] = cur
	return nil
}

func (s *memStore) Deliveries(_ context.Context, subID int64, from, to time.Time) ([]digest.Delivery, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []digest.Delivery
	for _, d := range s.outbox {
		if d.SubscriptionID == subID && !d.Scheduled.Before(from) && d.Scheduled.Before(to) {
			out = append(out, d)
		}
	}
	sortDeliveries(out)
	return out, nil
}

func (s *memStore) ClaimDeliveries(_ context.Context, p digest.Platform, owner string, lease time.Duration, limit int) ([]digest.Delivery, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := time.Now()
	var out []digest.Delivery
	for _, d := range s.outbox {
		if d.Platform == p && (d.State == digest.Planned || d.State == digest.Sending) &&
			(d.Owner == owner || d.Owner == "" || !d.LeaseUntil.After(now)) {
			out = append(out, d)
		}
	}
	sortDeliveries(out)
	if len(out) > limit {
		out = out[:limit]
	}
	for i := range out {
		out[i].Owner, out[i].LeaseUntil = owner, now.Add(lease)
		s.outbox[out[i].Key] = out[i]
	}
	return out, nil
}

func (s *memStore) Stories(_ context.Context, from, to time.Time, includeBacklog bool) ([]digest.Story, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []digest.Story
	for _, st := range s.stories {
		for _, a := range st.Articles {
			if (includeBacklog || !a.Backlog) && !a.FirstSeen.Before(from) && a.FirstSeen.Before(to) {
				out = append(out, st)
				break
			}
		}
	}
	return out, nil
}

// all returns every delivery, in outbox order.
func (s *memStore) all() []digest.Delivery {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []digest.Delivery
	for _, d := range s.outbox {
		out = append(out, d)
	}
	sortDeliveries(out)
	return out
}

func (s *memStore) sub(id int64) digest.Subscription {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.subs[id]
}

// Sources: the test store has no sources of its own (every article reads
// as the catalogue's).
func (m *memStore) Sources(context.Context) ([]digest.Source, error) { return nil, nil }

func (m *memStore) SubscriptionSources(context.Context, int64) ([]digest.Source, error) {
	return nil, nil
}
