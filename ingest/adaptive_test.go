package ingest

import (
	"context"
	"fmt"
	"testing"
	"time"

	"newsdigest/digest"
	"newsdigest/fetch"
)

func TestAdaptiveInterval(t *testing.T) {
	for _, c := range []struct {
		perWeek int
		want    time.Duration
	}{
		{0, AdaptiveMax},
		{1, AdaptiveMax},
		{168, time.Hour}, // one an hour
		{336, 30 * time.Minute},
		{700, 14*time.Minute + 24*time.Second},
		{2016, 5 * time.Minute}, // one every 5 minutes
		{100000, AdaptiveMin},
	} {
		if got := AdaptiveInterval(c.perWeek); got != c.want {
			t.Errorf("AdaptiveInterval(%d) = %v, want %v", c.perWeek, got, c.want)
		}
	}
}

// TestAdaptivePolling: after a pass, a source without an interval of its
// own is next due as often as it published in the last week (its first
// fetch's back catalogue and other sources' articles left out); one with
// an interval keeps it.
func TestAdaptivePolling(t *testing.T) {
	pages := loadBenchPages(t, 1)
	s := newSite(t, pages)
	s.serveDoc("/feed.rss", "application/rss+xml", rss20(s.URL, nil))
	now := time.Date(2026, 3, 8, 12, 0, 0, 0, time.UTC)
	busy, quiet, fixed := feedSource(1, "Busy", s.URL+"/feed.rss"), feedSource(2, "Quiet", s.URL+"/feed.rss"), feedSource(3, "Fixed", s.URL+"/feed.rss")
	busy.Interval, quiet.Interval, fixed.Interval = 0, 0, 20*time.Minute
	st := newMemStore(busy, quiet, fixed)
	ctx := context.Background()
	add := func(src int64, n int, backlog bool, age time.Duration) {
		for k := range n {
			key := fmt.Sprintf("%d-%v-%d-%v", src, backlog, k, age)
			if _, err := st.AddArticle(ctx, digest.StoredArticle{SourceID: src, URL: "https://x.example/" + key, ItemKey: key, ContentHash: key,
				FirstSeen: now.Add(-age - time.Duration(k)*time.Minute), Backlog: backlog}); err != nil {
				t.Fatal(err)
			}
		}
	}
	add(1, 700, false, time.Hour)      // 700 this week: every 14.4 minutes
	add(1, 300, true, 2*time.Hour)     // the first fetch's catalogue: not counted
	add(1, 500, false, 8*24*time.Hour) // last week's: not counted
	add(3, 5000, false, time.Hour)     // another source's
	ing := newTestIngester(t, st, fetch.Options{})
	ing.Clock = func() time.Time { return now }
	for _, c := range []struct {
		src  digest.Source
		want time.Duration
	}{
		{busy, 14*time.Minute + 24*time.Second},
		{quiet, AdaptiveMax},
		{fixed, 20 * time.Minute},
	} {
		if _, err := ing.FetchSource(ctx, c.src); err != nil {
			t.Fatalf("%s: %v", c.src.Name, err)
		}
		if got := st.source(c.src.ID).State.NextFetch.Sub(now); got != c.want {
			t.Errorf("%s: next fetch in %v, want %v", c.src.Name, got, c.want)
		}
	}
}
