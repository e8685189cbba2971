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
	fresh := feedSource(4, "New", s.URL+"/feed.rss")
	busy.Interval, quiet.Interval, fixed.Interval, fresh.Interval = 0, 0, 20*time.Minute, 0
	st := newMemStore(busy, quiet, fixed, fresh)
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
	add(4, 30, true, 2*time.Hour)      // first read two hours ago, nothing new since
	add(2, 10, true, 9*24*time.Hour)   // first read over a week ago
	ing := newTestIngester(t, st, fetch.Options{})
	ing.Clock = func() time.Time { return now }
	for _, c := range []struct {
		src  digest.Source
		want time.Duration
	}{
		{busy, 14*time.Minute + 24*time.Second},
		{quiet, AdaptiveMax},
		{fixed, 20 * time.Minute},
		{fresh, DefaultInterval},
	} {
		if _, err := ing.FetchSource(ctx, c.src); err != nil {
			t.Fatalf("%s: %v", c.src.Name, err)
		}
		if got := st.source(c.src.ID).State.NextFetch.Sub(now); got != c.want {
			t.Errorf("%s: next fetch in %v, want %v", c.src.Name, got, c.want)
		}
	}
}

func TestWithFeedTime(t *testing.T) {
	amman := time.FixedZone("", 3*3600)
	feed := time.Date(2020, 4, 24, 21, 22, 0, 0, amman)
	pageDate := digest.Dateline{Published: time.Date(2020, 4, 24, 21, 22, 0, 0, time.UTC), Author: "A"} // no zone: date only
	zoned := digest.Dateline{Published: time.Date(2020, 4, 24, 18, 0, 0, 0, time.UTC), HasTime: true}
	for _, c := range []struct {
		name            string
		dl              digest.Dateline
		published, feed time.Time
		want            time.Time
		hasTime         bool
	}{
		{"no page date: the feed's", digest.Dateline{}, feed, feed, feed, true},
		{"page date without time, feed the same day: the feed's time", pageDate, feed, feed, feed, true},
		{"page date without time, feed another day: the page's date", pageDate, feed.AddDate(0, 0, 1), feed.AddDate(0, 0, 1), pageDate.Published, false},
		{"page date without time, no feed date", pageDate, time.Time{}, time.Time{}, pageDate.Published, false},
		{"page time with zone: kept", zoned, feed, feed, zoned.Published, true},
	} {
		got := withFeedTime(c.dl, c.published, c.feed)
		if !got.Published.Equal(c.want) || got.HasTime != c.hasTime {
			t.Errorf("%s: %v (time %v), want %v (time %v)", c.name, got.Published, got.HasTime, c.want, c.hasTime)
		}
		if got.Author != c.dl.Author {
			t.Errorf("%s: author %q lost", c.name, c.dl.Author)
		}
	}
}
