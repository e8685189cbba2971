package ingest

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"newsdigest/fetch"
)

// TestLockSkipsSourcesHeldElsewhere: a source whose lock another instance
// holds is not fetched here; a free one is fetched, and its lock released.
func TestLockSkipsSourcesHeldElsewhere(t *testing.T) {
	pages := loadBenchPages(t, 2)
	s := newSite(t, pages)
	s.serveDoc("/a.rss", "application/rss+xml", rss20(s.URL, itemsFor(s.URL, pages[:1], true, t0)))
	s.serveDoc("/b.rss", "application/rss+xml", rss20(s.URL, itemsFor(s.URL, pages[1:], true, t0)))
	st := newMemStore(feedSource(1, "Held", s.URL+"/a.rss"), feedSource(2, "Free", s.URL+"/b.rss"))
	ing := newTestIngester(t, st, fetch.Options{})
	ing.Tick = 10 * time.Millisecond
	var mu sync.Mutex
	held := map[string]bool{"Held": true} // another instance's
	released := map[string]int{}
	ing.Lock = func(ctx context.Context, source string) (func(), bool) {
		mu.Lock()
		defer mu.Unlock()
		if held[source] {
			return nil, false
		}
		held[source] = true
		return func() {
			mu.Lock()
			delete(held, source)
			released[source]++
			mu.Unlock()
		}, true
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	done := make(chan error, 1)
	go func() { done <- ing.Run(ctx) }()
	for ctx.Err() == nil && st.source(2).State.LastFetch.IsZero() {
		time.Sleep(5 * time.Millisecond)
	}
	time.Sleep(50 * time.Millisecond) // several ticks: the held source stays untouched
	cancel()
	if err := <-done; !errors.Is(err, context.Canceled) {
		t.Errorf("Run returned %v", err)
	}
	if n := s.hitCount("/a.rss"); n != 0 {
		t.Errorf("the source locked by another instance was fetched %d times", n)
	}
	if s.hitCount("/b.rss") != 1 || st.source(2).State.Fetched != 1 {
		t.Errorf("the free source: %d fetches, state %+v", s.hitCount("/b.rss"), st.source(2).State)
	}
	mu.Lock()
	defer mu.Unlock()
	if released["Free"] != 1 || held["Free"] {
		t.Errorf("lock of the free source not released once: %v", released)
	}
}
