package ingest

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"newsdigest/digest"
	"newsdigest/fetch"
)

// slowSite serves a feed of n teaser items whose article pages hang until
// the client gives up, and counts the pages in flight.
type slowSite struct {
	*httptest.Server
	mu            sync.Mutex
	inFlight, max int
	asked         int
}

func newSlowSite(t *testing.T, n int) *slowSite {
	s := &slowSite{}
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch {
		case r.URL.Path == "/robots.txt":
			http.NotFound(w, r)
		case r.URL.Path == "/feed.rss":
			var items []string
			for k := range n {
				items = append(items, fmt.Sprintf(`<item><title>Story %d</title><link>%s/story/%d</link><guid>s%d</guid><description>A teaser.</description></item>`, k, s.URL, k, k))
			}
			w.Header().Set("Content-Type", "application/rss+xml")
			fmt.Fprintf(w, `<?xml version="1.0"?><rss version="2.0"><channel><title>Slow</title>%s</channel></rss>`, strings.Join(items, ""))
		default:
			s.mu.Lock()
			s.inFlight++
			s.asked++
			s.max = max(s.max, s.inFlight)
			s.mu.Unlock()
			<-r.Context().Done() // hangs until the client gives up
			s.mu.Lock()
			s.inFlight--
			s.mu.Unlock()
		}
	}))
	t.Cleanup(s.Close)
	return s
}

// newFastSite serves a feed of one teaser item and its real article page.
func newFastSite(t *testing.T) *httptest.Server {
	page, err := os.ReadFile("testdata/article.html")
	if err != nil {
		t.Fatal(err)
	}
	var srv *httptest.Server
	srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/robots.txt":
			http.NotFound(w, r)
		case "/feed.rss":
			w.Header().Set("Content-Type", "application/rss+xml")
			fmt.Fprintf(w, `<?xml version="1.0"?><rss version="2.0"><channel><title>Fast</title><item><title>Europa</title><link>%s/europa</link><guid>e1</guid><description>Plumes.</description></item></channel></rss>`, srv.URL)
		case "/europa":
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			w.Write(page)
		default:
			http.NotFound(w, r)
		}
	}))
	t.Cleanup(srv.Close)
	return srv
}

// TestSlowSourcePassHasADeadline: a feed whose 12 article pages hang holds
// its pass for the pass deadline, not 12 × the fetch timeout; its pages are
// asked for a few at a time; nothing is recorded as failed, and the items
// are read again next time (the feed's validators are kept).
func TestSlowSourcePassHasADeadline(t *testing.T) {
	s := newSlowSite(t, 12)
	src := feedSource(1, "Slow", s.URL+"/feed.rss")
	st := newMemStore(src)
	ing := newTestIngester(t, st, fetch.Options{Timeout: 10 * time.Second, PerHost: 8})
	ing.PassTimeout = 2 * time.Second
	ing.PageWorkers = 4
	start := time.Now()
	res, err := ing.FetchSource(context.Background(), src)
	took := time.Since(start)
	if err != nil {
		t.Fatalf("FetchSource: %v", err)
	}
	// Before: 12 pages one after another, 10 s each: 120 s.
	if took > 30*time.Second {
		t.Errorf("the pass took %s; its deadline is 2s", took)
	}
	if res.CutShort != 12 || res.Failed != 0 || res.New != 0 {
		t.Errorf("result = %+v, want 12 items cut short, none failed", res)
	}
	s.mu.Lock()
	most := s.max
	s.mu.Unlock()
	if most != 4 {
		t.Errorf("%d article pages in flight at most, want 4 (PageWorkers)", most)
	}
	if got := st.source(1).State; got.Failures != 0 || got.Primed {
		t.Errorf("state = %+v: want no failure, and a first fetch cut short still a first fetch", got)
	}
}

// TestSlowSourceDoesNotStallOthers: with one worker, a source whose pages
// hang is due first, yet another source's article is stored within the
// slow one's pass deadline, and once cut short the slow one goes after the
// others.
func TestSlowSourceDoesNotStallOthers(t *testing.T) {
	slow, fast := newSlowSite(t, 12), newFastSite(t)
	now := time.Now()
	s1 := feedSource(1, "Slow", slow.URL+"/feed.rss")
	s2 := feedSource(2, "Fast", fast.URL+"/feed.rss")
	s1.State.NextFetch = now.Add(-2 * time.Minute) // due longest
	s2.State.NextFetch = now.Add(-time.Minute)
	st := newMemStore(s1, s2)
	ing := newTestIngester(t, st, fetch.Options{Timeout: 10 * time.Second, PerHost: 8})
	ing.Workers = 1
	ing.Tick = 50 * time.Millisecond
	ing.PassTimeout = time.Second
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- ing.Run(ctx) }()
	defer func() {
		cancel()
		<-done
	}()
	deadline := time.Now().Add(60 * time.Second) // before: 120 s behind the slow source
	for len(st.all()) == 0 {
		if time.Now().After(deadline) {
			t.Fatal("the fast source's article was not stored in 60 s: the slow source holds the only worker")
		}
		time.Sleep(20 * time.Millisecond)
	}
	if a := st.all()[0]; a.SourceID != 2 {
		t.Errorf("stored %+v, want the fast source's article", a)
	}

	// Both due again: the one cut short goes after the other.
	due := []digest.Source{s1, s2}
	ing.fairOrder(due)
	if due[0].ID != 2 {
		t.Errorf("order = %d, %d; want the source cut short last", due[0].ID, due[1].ID)
	}
}

// countingStore counts the Known queries.
type countingStore struct {
	*memStore
	known atomic.Int64
}

func (c *countingStore) Known(ctx context.Context, k digest.ItemKeys) (bool, error) {
	c.known.Add(1)
	return c.memStore.Known(ctx, k)
}

// TestKnownItemAskedOnce: a teaser item stored by an earlier pass is
// looked up once in the store by the next pass, not once by the page
// prefetch and again by the item loop.
func TestKnownItemAskedOnce(t *testing.T) {
	srv := newFastSite(t)
	src := feedSource(1, "Fast", srv.URL+"/feed.rss")
	st := &countingStore{memStore: newMemStore(src)}
	ing := newTestIngester(t, st, fetch.Options{})
	if res, err := ing.FetchSource(context.Background(), src); err != nil || res.New != 1 {
		t.Fatalf("first pass = %+v, %v; want the article stored", res, err)
	}
	st.known.Store(0)
	res, err := ing.FetchSource(context.Background(), st.source(1))
	if err != nil || res.Known != 1 || res.New != 0 {
		t.Fatalf("second pass = %+v, %v; want the item known", res, err)
	}
	if n := st.known.Load(); n != 1 {
		t.Errorf("the known item was looked up %d times in the store, want once", n)
	}
}
