package storetest

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"newsdigest/digest"
)

// EventLog is the record of handled events both backends offer.
type EventLog interface {
	FirstSeen(ctx context.Context, key string, ttl time.Duration) (bool, error)
}

// testFirstSeen: an event key is first seen once, by one of many
// concurrent callers, and again only after its record expired.
func testFirstSeen(t *testing.T, s digest.Store) {
	l, ok := s.(EventLog)
	if !ok {
		t.Fatalf("%T has no FirstSeen", s)
	}
	ctx := context.Background()
	seen := func(key string, ttl time.Duration, want bool) {
		t.Helper()
		got, err := l.FirstSeen(ctx, key, ttl)
		if err != nil || got != want {
			t.Fatalf("FirstSeen(%s) = %v, %v; want %v", key, got, err, want)
		}
	}
	seen("discord:interaction:1", time.Hour, true)
	seen("discord:interaction:1", time.Hour, false) // a replay
	seen("discord:interaction:2", time.Hour, true)
	seen("telegram:update:1", time.Hour, true) // keys of other kinds are their own
	// An expired record is forgotten (the stores' clocks are real: a ttl
	// already over is expired at once).
	seen("short", -time.Second, true)
	seen("short", time.Hour, true)
	seen("short", time.Hour, false)

	// Many callers at once: exactly one is first for each key.
	var firsts atomic.Int64
	var wg sync.WaitGroup
	for i := range 16 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for k := range 5 {
				ok, err := l.FirstSeen(ctx, fmt.Sprintf("race:%d", k), time.Hour)
				if err != nil {
					t.Errorf("caller %d: %v", i, err)
				}
				if ok {
					firsts.Add(1)
				}
			}
		}()
	}
	wg.Wait()
	if n := firsts.Load(); n != 5 {
		t.Errorf("%d callers were first for 5 keys", n)
	}
}
