package ingest

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"newsdigest/digest"
	"newsdigest/fetch"
	"newsdigest/store/sqlite"
)

// benchExtract and benchSummarize are the functions the end-to-end test and
// benchmark plug in; realextract_test.go (build tag realextract) swaps in
// digest/extract and digest/summary.
var (
	benchExtract   = paragraphExtractor
	benchSummarize = leadSummary
)

func openSQLite(tb testing.TB, path string) *sqlite.Store {
	tb.Helper()
	st, err := sqlite.Open(context.Background(), path)
	if err != nil {
		tb.Fatal(err)
	}
	return st
}

func saveSource(tb testing.TB, st digest.Store, s digest.Source) digest.Source {
	tb.Helper()
	s, err := st.SaveSource(context.Background(), s)
	if err != nil {
		tb.Fatal(err)
	}
	return s
}

// TestSQLiteEndToEnd runs two sources into the real store: priming, fetch
// state kept across a reopen, a 304 pass, a syndicated copy grouped into
// one story, and backlog kept out of the digest's stories.
func TestSQLiteEndToEnd(t *testing.T) {
	pages := loadBenchPages(t, 8)
	s := newSite(t, pages)
	s.serveDoc("/a.rss", "application/rss+xml", rss20(s.URL, itemsFor(s.URL, pages[:4], false, t0)))
	path := filepath.Join(t.TempDir(), "news.db")
	st := openSQLite(t, path)
	ctx := context.Background()
	srcA := saveSource(t, st, feedSource(0, "Alpha", s.URL+"/a.rss"))
	srcB := saveSource(t, st, feedSource(0, "Beta", s.URL+"/b.rss"))
	ing := newTestIngester(t, st, fetch.Options{})
	ing.Extract, ing.Summarize = benchExtract, benchSummarize
	res, err := ing.FetchSource(ctx, srcA)
	if err != nil || res.New < 3 || !res.Backlog {
		t.Fatalf("first pass: %+v, %v", res, err)
	}
	st.Close()

	st = openSQLite(t, path)
	defer st.Close()
	ing = newTestIngester(t, st, fetch.Options{})
	ing.Extract, ing.Summarize = benchExtract, benchSummarize
	a, err := st.SourceByName(ctx, "Alpha")
	if err != nil {
		t.Fatal(err)
	}
	if !a.State.Primed || a.State.ETag == "" || a.State.Fetched != int64(res.New) {
		t.Fatalf("state after reopen: %+v", a.State)
	}
	if res, err := ing.FetchSource(ctx, a); err != nil || !res.NotModified {
		t.Errorf("second pass: %+v, %v; want 304", res, err)
	}
	// Beta carries the text of one of Alpha's articles (the same wire
	// story on another site, under another headline) and one of its own.
	recent, err := st.RecentArticles(ctx, time.Time{}, 10)
	if err != nil || len(recent) == 0 {
		t.Fatalf("recent: %v, %v", recent, err)
	}
	wire := recent[0].Body
	beta := []feedItem{
		{GUID: "b1", Link: s.URL + "/beta/wire-copy", Title: "Beta's headline for the wire story", Published: t0,
			HTML: "<p>" + strings.ReplaceAll(wire, "\n\n", "</p><p>") + "</p><p>Copyright Beta. All rights reserved.</p>"},
		{GUID: "b2", Link: s.URL + "/a/" + pages[5].ID, Title: pageTitle(pages[5]), HTML: "<p>" + teaser(pages[5]) + "</p>", Published: t0},
	}
	s.serveDoc("/b.rss", "application/rss+xml", rss20(s.URL, beta))
	srcB.State.Primed = true // subscribed earlier: deliver
	res, err = ing.FetchSource(ctx, srcB)
	if err != nil || res.New != 2 || res.Grouped != 1 {
		t.Fatalf("beta: %+v, %v; want 2 new, 1 grouped", res, err)
	}
	stories, err := st.Stories(ctx, t0.AddDate(-1, 0, 0), time.Now().Add(time.Hour), false)
	if err != nil {
		t.Fatal(err)
	}
	if len(stories) != 2 {
		t.Fatalf("%d deliverable stories, want Beta's 2", len(stories))
	}
	var grouped bool
	all, err := st.Stories(ctx, t0.AddDate(-1, 0, 0), time.Now().Add(time.Hour), true)
	if err != nil {
		t.Fatal(err)
	}
	for _, story := range all {
		if srcs := story.Sources(); len(srcs) == 2 {
			grouped = true
		}
	}
	if !grouped {
		t.Error("no story has both Alpha and Beta")
	}
	hits, err := st.Search(ctx, firstWords(pageTitle(pages[5]), 3), 5)
	if err != nil || len(hits) == 0 {
		t.Errorf("search for a stored headline: %v, %v", hits, err)
	}
}

// BenchmarkIngest measures articles per second end to end: a local server
// serves a feed of teasers for the 112 pages of the extraction set; each
// page is fetched, extracted, summarised, deduplicated and stored into a
// fresh SQLite file. It reports the file's size per 1,000 articles.
//
//	go test -run '^$' -bench Ingest -benchtime 3x ./ingest
//	go test -tags realextract -run '^$' -bench Ingest -benchtime 3x ./ingest   # digest/extract + digest/summary
func BenchmarkIngest(b *testing.B) {
	pages := loadBenchPages(b, 0)
	s := newSite(b, pages)
	s.serveDoc("/feed.rss", "application/rss+xml", rss20(s.URL, itemsFor(s.URL, pages, false, t0)))
	ctx := context.Background()
	var stored int
	var bytes int64
	b.ResetTimer()
	for i := range b.N {
		b.StopTimer()
		path := filepath.Join(b.TempDir(), fmt.Sprintf("bench-%d.db", i))
		st := openSQLite(b, path)
		src := saveSource(b, st, feedSource(0, "Bench", s.URL+"/feed.rss"))
		ing := newTestIngester(b, st, fetch.Options{PerHost: 4})
		ing.MaxItems = len(pages)
		ing.Extract, ing.Summarize = benchExtract, benchSummarize
		b.StartTimer()
		res, err := ing.FetchSource(ctx, src)
		if err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		stored += res.New
		if err := st.Close(); err != nil {
			b.Fatal(err)
		}
		for _, f := range []string{path, path + "-wal"} {
			if fi, err := os.Stat(f); err == nil {
				bytes += fi.Size()
			}
		}
		b.StartTimer()
	}
	b.StopTimer()
	b.ReportMetric(float64(stored)/b.Elapsed().Seconds(), "articles/s")
	b.ReportMetric(float64(stored)/float64(b.N), "articles/op")
	if stored > 0 {
		b.ReportMetric(float64(bytes)/float64(stored)*1000/(1<<20), "MiB/1000articles")
	}
}
