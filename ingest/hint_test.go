package ingest

import (
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"testing"
	"time"

	"newsdigest/fetch"
)

// TestFeedHintsAreAFloor: a feed's own word on how long it stays fresh
// (RSS <ttl>, Cache-Control max-age, Expires) holds the next fetch off at
// least that long, up to MaxHint; the adaptive or configured interval
// still applies when it is longer.
func TestFeedHintsAreAFloor(t *testing.T) {
	withTTL, err := os.ReadFile("testdata/feed-ttl.rss")
	if err != nil {
		t.Fatal(err)
	}
	noTTL, err := os.ReadFile("testdata/feed-nottl.rss")
	if err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 3, 8, 12, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		name   string
		body   []byte
		header http.Header
		own    time.Duration
		want   time.Duration
	}{
		{"no hint: adaptive", noTTL, nil, 0, AdaptiveMax},
		{"ttl 90 minutes", withTTL, nil, 0, 90 * time.Minute},
		{"ttl under the interval", withTTL, nil, 2 * time.Hour, 2 * time.Hour},
		{"ttl over the own interval", withTTL, nil, 20 * time.Minute, 90 * time.Minute},
		{"max-age", noTTL, http.Header{"Cache-Control": {"max-age=7200"}}, 0, 2 * time.Hour},
		{"expires", noTTL, http.Header{"Expires": {now.Add(3 * time.Hour).Format(http.TimeFormat)}, "Date": {now.Format(http.TimeFormat)}}, 0, 3 * time.Hour},
		{"longest of all", withTTL, http.Header{"Cache-Control": {"max-age=600"}}, 0, 90 * time.Minute},
		{"bounded", noTTL, http.Header{"Cache-Control": {"max-age=604800"}}, 0, MaxHint},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if r.URL.Path == "/robots.txt" {
					http.NotFound(w, r)
					return
				}
				for k, v := range tc.header {
					w.Header()[k] = v
				}
				w.Header().Set("Content-Type", "application/rss+xml")
				w.Write(tc.body)
			}))
			defer srv.Close()
			src := feedSource(1, "Example", srv.URL+"/feed.rss")
			src.Interval = tc.own
			st := newMemStore(src)
			ing := newTestIngester(t, st, fetch.Options{Clock: func() time.Time { return now }})
			ing.Clock = func() time.Time { return now }
			if _, err := ing.FetchSource(context.Background(), src); err != nil {
				t.Fatal(err)
			}
			if got := st.source(1).State.NextFetch.Sub(now); got != tc.want {
				t.Errorf("next fetch in %s, want %s", got, tc.want)
			}
		})
	}
}
