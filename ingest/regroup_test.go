package ingest

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"newsdigest/digest"
	"newsdigest/fetch"
)

// splitter is a StorySettler that moves every article it learnt after
// the first into a story of its own, asking for a new ID once.
type splitter struct {
	firstStory
	mu      sync.Mutex
	settles int
	applied [][]digest.StoryMove
}

func (s *splitter) Settle(newStory func() (int64, error)) ([]digest.StoryMove, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.settles++
	if len(s.added) < 2 {
		return nil, nil
	}
	id, err := newStory()
	if err != nil {
		return nil, err
	}
	var moves []digest.StoryMove
	for _, d := range s.added[1:] {
		moves = append(moves, digest.StoryMove{ArticleID: parseID(d.ID), From: s.story, To: id})
	}
	return moves, nil
}

func (s *splitter) Apply(moves []digest.StoryMove) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.applied = append(s.applied, moves)
}

func parseID(s string) int64 {
	var n int64
	for _, c := range s {
		n = n*10 + int64(c-'0')
	}
	return n
}

// TestRegroup: the store takes a regrouping's moves, then the grouper;
// when the store fails, the grouper is left as it was.
func TestRegroup(t *testing.T) {
	pages := loadBenchPages(t, 3)
	s := newSite(t, pages)
	s.serveDoc("/feed.rss", "application/rss+xml", rss20(s.URL, itemsFor(s.URL, pages, true, t0)))
	src := feedSource(1, "Local", s.URL+"/feed.rss")
	st := newMemStore(src)
	ing := newTestIngester(t, st, fetch.Options{})
	g := &splitter{}
	ing.Group = g
	ctx := context.Background()
	if res, err := ing.FetchSource(ctx, src); err != nil || res.New != 3 {
		t.Fatalf("%+v, %v", res, err)
	}
	if arts := st.all(); arts[1].StoryID != arts[0].StoryID || arts[2].StoryID != arts[0].StoryID {
		t.Fatalf("before regrouping: stories %d %d %d, want one", arts[0].StoryID, arts[1].StoryID, arts[2].StoryID)
	}

	st.failMoves = errors.New("database is locked")
	if n, err := ing.Regroup(ctx); !errors.Is(err, st.failMoves) || n != 0 {
		t.Fatalf("Regroup with a failing store = %d, %v; want the store's error", n, err)
	}
	if len(g.applied) != 0 {
		t.Fatalf("the grouper applied %v though the store failed", g.applied)
	}

	st.failMoves = nil
	n, err := ing.Regroup(ctx)
	if err != nil || n != 2 {
		t.Fatalf("Regroup = %d, %v; want 2 moved", n, err)
	}
	arts := st.all()
	if arts[1].StoryID == arts[0].StoryID || arts[2].StoryID != arts[1].StoryID {
		t.Errorf("after regrouping: stories %d %d %d, want the last two apart from the first", arts[0].StoryID, arts[1].StoryID, arts[2].StoryID)
	}
	if len(g.applied) != 1 || len(g.applied[0]) != 2 {
		t.Errorf("the grouper applied %v, want the 2 moves once", g.applied)
	}
	// The near-duplicate index follows: a copy of the third article from
	// another source joins its new story.
	copySrc := feedSource(2, "Copier", s.URL+"/copy.rss")
	st.sources[2] = copySrc
	// arts[1] was moved; its page is copied.
	var copied int
	for k, pg := range pages {
		if strings.HasSuffix(arts[1].URL, pg.ID) {
			copied = k
		}
	}
	item := itemsFor(s.URL, pages[copied:copied+1], true, t0)
	item[0].GUID, item[0].Link, item[0].Title = "copy-1", s.URL+"/copier/story", "A copy under another headline"
	item[0].HTML = "<p>Reporting by our correspondents; additional reporting by wire services.</p>" + item[0].HTML
	s.serveDoc("/copy.rss", "application/rss+xml", rss20(s.URL, item))
	copySrc.State.Primed = true
	if res, err := ing.FetchSource(ctx, copySrc); err != nil || res.New != 1 || res.Grouped != 1 {
		t.Fatalf("copier: %+v, %v; want its article grouped as a near-copy", res, err)
	}
	arts = st.all()
	if !strings.HasSuffix(arts[1].URL, pages[copied].ID) || arts[3].StoryID != arts[1].StoryID {
		t.Errorf("the copy of %s went to story %d, its original %s is in %d", pages[copied].ID, arts[3].StoryID, arts[1].URL, arts[1].StoryID)
	}
}

// TestRunRegroups: Run regroups when articles came in, and not again
// while none come.
func TestRunRegroups(t *testing.T) {
	pages := loadBenchPages(t, 3)
	s := newSite(t, pages)
	s.serveDoc("/feed.rss", "application/rss+xml", rss20(s.URL, itemsFor(s.URL, pages, true, t0)))
	st := newMemStore(feedSource(1, "Local", s.URL+"/feed.rss"))
	ing := newTestIngester(t, st, fetch.Options{})
	ing.Tick, ing.RegroupEvery = 5*time.Millisecond, time.Millisecond
	g := &splitter{}
	ing.Group = g
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	done := make(chan error, 1)
	go func() { done <- ing.Run(ctx) }()
	settles := func() int {
		g.mu.Lock()
		defer g.mu.Unlock()
		return g.settles
	}
	// The pass may be regrouped midway and again at its end: wait until
	// it is over and no regrouping is owed or under way (the count holds
	// still for a while with nothing added).
	for ctx.Err() == nil && (st.source(1).State.LastFetch.IsZero() || len(st.all()) < 3 || settles() == 0) {
		time.Sleep(5 * time.Millisecond)
	}
	before := settles()
	for still := 0; ctx.Err() == nil && still < 10; {
		time.Sleep(5 * time.Millisecond)
		if n := settles(); n != before || ing.added.Load() {
			before, still = n, 0
		} else {
			still++
		}
	}
	if ctx.Err() != nil {
		t.Fatalf("Run kept regrouping (%d times) with no article coming in", settles())
	}
	time.Sleep(100 * time.Millisecond) // twenty more ticks, no new articles
	cancel()
	if err := <-done; !errors.Is(err, context.Canceled) {
		t.Errorf("Run returned %v", err)
	}
	if n := settles(); n != before {
		t.Errorf("Run regrouped %d more times while no article came in, want none", n-before)
	}
	if arts := st.all(); len(arts) != 3 || arts[1].StoryID == arts[0].StoryID {
		t.Errorf("Run's regrouping did not reach the store: %d articles, stories %v", len(arts), storyIDsOf(arts))
	}
}

func storyIDsOf(arts []digest.StoredArticle) []int64 {
	var out []int64
	for _, a := range arts {
		out = append(out, a.StoryID)
	}
	return out
}

// syncer is a StorySyncer that records what the sync gave it.
type syncer struct {
	splitter
	has      map[int64]bool
	relabels []map[int64]int64
}

func (s *syncer) Has(id int64) bool { return s.has[id] }
func (s *syncer) Add(d Doc, id int64) {
	s.has[parseID(d.ID)] = true
	s.splitter.Add(d, id)
}
func (s *syncer) Relabel(m map[int64]int64) { s.relabels = append(s.relabels, m) }

// TestRegroupSyncsOtherInstances: before regrouping, the articles another
// instance stored reach the grouper and the near-duplicate index, and the
// grouper learns the store's stories.
func TestRegroupSyncsOtherInstances(t *testing.T) {
	pages := loadBenchPages(t, 2)
	s := newSite(t, pages)
	items := itemsFor(s.URL, pages, true, t0)
	s.serveDoc("/own.rss", "application/rss+xml", rss20(s.URL, items[:1]))
	s.serveDoc("/other.rss", "application/rss+xml", rss20(s.URL, items[1:2]))
	own, elsewhere := feedSource(1, "Local", s.URL+"/own.rss"), feedSource(2, "Elsewhere", s.URL+"/other.rss")
	own.State.Primed, elsewhere.State.Primed = true, true
	st := newMemStore(own, elsewhere)
	ing := newTestIngester(t, st, fetch.Options{})
	g := &syncer{has: map[int64]bool{}}
	ing.Group = g
	ctx := context.Background()
	if res, err := ing.FetchSource(ctx, own); err != nil || res.New != 1 {
		t.Fatalf("own: %+v, %v", res, err)
	}
	// Another instance, sharing the store, fetches the other source.
	if res, err := newTestIngester(t, st, fetch.Options{}).FetchSource(ctx, elsewhere); err != nil || res.New != 1 {
		t.Fatalf("elsewhere: %+v, %v", res, err)
	}
	other := st.all()[1]
	if _, err := ing.Regroup(ctx); err != nil {
		t.Fatal(err)
	}
	if !g.has[other.ID] || len(g.added) != 2 || g.added[1].Source != "Elsewhere" || g.added[1].Text == "" {
		t.Fatalf("the grouper did not learn the other instance's article: %+v", g.added)
	}
	if len(g.relabels) != 1 || g.relabels[0][other.ID] != other.StoryID {
		t.Fatalf("relabels = %v, want article %d in story %d", g.relabels, other.ID, other.StoryID)
	}
	// This instance now reads a near-copy of it: it joins that story.
	items[1].GUID, items[1].Link = "copy", s.URL+"/local/copy"
	items[1].HTML = "<p>Reporting by our correspondents; additional reporting by wire services.</p>" + items[1].HTML
	s.serveDoc("/own.rss", "application/rss+xml", rss20(s.URL, items[:2]))
	res, err := ing.FetchSource(ctx, st.source(1))
	if err != nil || res.New != 1 || res.Grouped != 1 {
		t.Fatalf("%+v, %v; want the copy grouped with the other instance's article", res, err)
	}
	if arts := st.all(); arts[2].StoryID != other.StoryID {
		t.Errorf("the copy went to story %d, want %d", arts[2].StoryID, other.StoryID)
	}
}

func TestRegroupAfter(t *testing.T) {
	at := time.Date(2026, 3, 1, 8, 0, 0, 0, time.UTC)
	for _, c := range []struct {
		took, every, want time.Duration
	}{
		{time.Second, time.Minute, time.Minute},          // a thirtieth: on time
		{3 * time.Second, time.Minute, 90 * time.Second}, // slow: less often
		{0, time.Minute, time.Minute},
	} {
		if got := regroupAfter(at, c.took, c.every).Sub(at); got != c.want {
			t.Errorf("regroupAfter(took %v, every %v) = +%v, want +%v", c.took, c.every, got, c.want)
		}
	}
}
