package ingest

import (
	"context"
	"net/http"
	"testing"
	"time"

	"newsdigest/fetch"
)

// TestFailedPagesWait: an item whose page is gone is not asked for again
// at every pass that finds it in the feed, one whose page failed for a
// reason that may pass is asked for again after a backoff, and neither
// is lost while it waits.
func TestFailedPagesWait(t *testing.T) {
	pages := loadBenchPages(t, 3)
	s := newSite(t, pages)
	s.handle("/gone", func(w http.ResponseWriter, r *http.Request) { http.NotFound(w, r) })
	busy := true
	s.handle("/busy", func(w http.ResponseWriter, r *http.Request) {
		if busy {
			w.WriteHeader(http.StatusServiceUnavailable)
			return
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Write(pages[2].HTML)
	})
	items := itemsFor(s.URL, pages[:1], false, t0)
	gone := feedItem{GUID: "gone", Link: s.URL + "/gone", Title: "A page that was taken down", HTML: "<p>Teaser.</p>", Published: t0}
	slow := feedItem{GUID: "busy", Link: s.URL + "/busy", Title: pageTitle(pages[2]), HTML: "<p>Teaser.</p>", Published: t0}
	feed := append(items, gone, slow)
	s.serveDoc("/feed.rss", "application/rss+xml", rss20(s.URL, feed))
	src := feedSource(1, "Local", s.URL+"/feed.rss")
	src.State.Primed = true
	st := newMemStore(src)
	now := t0.Add(time.Hour)
	ing := newTestIngester(t, st, fetch.Options{})
	ing.Clock = func() time.Time { return now }
	ctx := context.Background()
	res, err := ing.FetchSource(ctx, st.source(1))
	if err != nil || res.New != 1 || res.Failed != 2 {
		t.Fatalf("first pass: %+v, %v; want 1 new, 2 failed", res, err)
	}
	// The feed changes (a new item) five minutes later: the failed pages
	// wait, and the feed's validators are kept for the one that may pass.
	now = now.Add(5 * time.Minute)
	feed = append(itemsFor(s.URL, pages[1:2], false, t0), feed...)
	s.serveDoc("/feed.rss", "application/rss+xml", rss20(s.URL, feed))
	res, err = ing.FetchSource(ctx, st.source(1))
	if err != nil || res.New != 1 || res.Skipped != 2 || res.Failed != 0 {
		t.Fatalf("second pass: %+v, %v; want 1 new, 2 skipped", res, err)
	}
	if n, m := s.hitCount("/gone"), s.hitCount("/busy"); n != 1 || m != 1 {
		t.Fatalf("pages asked for %d and %d times, want once each", n, m)
	}
	// After the backoff, the busy page is asked for again and stored; the
	// gone page still waits its day.
	busy = false
	now = now.Add(retryFirst)
	res, err = ing.FetchSource(ctx, st.source(1))
	if err != nil || res.New != 1 || res.Skipped != 1 {
		t.Fatalf("third pass: %+v, %v; want the busy page stored, the gone one skipped", res, err)
	}
	if n := s.hitCount("/gone"); n != 1 {
		t.Errorf("the gone page was asked for %d times within its day", n)
	}
	now = now.Add(retryGone)
	feed[0].Title += " (updated)" // the feed changes again
	s.serveDoc("/feed.rss", "application/rss+xml", rss20(s.URL, feed))
	if res, err = ing.FetchSource(ctx, st.source(1)); err != nil || res.Failed != 1 {
		t.Fatalf("a day later: %+v, %v; want the gone page tried again", res, err)
	}
	if n := s.hitCount("/gone"); n != 2 {
		t.Errorf("the gone page was asked for %d times after a day, want 2", n)
	}
}
