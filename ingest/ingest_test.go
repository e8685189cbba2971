package ingest

import (
	"context"
	"strings"
	"testing"
	"time"

	"newsdigest/digest"
	"newsdigest/fetch"
)

var t0 = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)

func feedSource(id int64, name, url string) digest.Source {
	return digest.Source{ID: id, Name: name, URL: url, Kind: digest.KindFeed, Interval: 15 * time.Minute}
}

// TestFeedFormatsWithTeasers reads RSS 2.0, Atom and JSON Feed whose items
// carry only a teaser: every article page is fetched and extracted.
func TestFeedFormatsWithTeasers(t *testing.T) {
	pages := loadBenchPages(t, 6)
	for _, format := range []struct {
		path, ctype string
		write       func(string, []feedItem) string
	}{
		{"/feed.rss", "application/rss+xml", rss20},
		{"/feed.atom", "application/atom+xml", atom10},
		{"/feed.json", "application/feed+json", jsonFeed11},
	} {
		t.Run(format.path, func(t *testing.T) {
			s := newSite(t, pages)
			s.serveDoc(format.path, format.ctype, format.write(s.URL, itemsFor(s.URL, pages, false, t0)))
			src := feedSource(1, "Local", s.URL+format.path)
			st := newMemStore(src)
			ing := newTestIngester(t, st, fetch.Options{})
			res, err := ing.FetchSource(context.Background(), src)
			if err != nil {
				t.Fatal(err)
			}
			arts := st.all()
			if res.Items != len(pages) || res.New+res.Failed != len(pages) || res.New < len(pages)-1 || len(arts) != res.New {
				t.Fatalf("result %+v, stored %d", res, len(arts))
			}
			for _, a := range arts {
				if !a.Backlog {
					t.Errorf("%s: first fetch must be backlog", a.URL)
				}
				if a.URL != CanonicalURL(a.URL) || !strings.HasPrefix(a.URL, s.URL+"/a/") {
					t.Errorf("URL not canonical: %s", a.URL)
				}
				if words(a.Body) < 60 || strings.HasSuffix(a.Body, "…") {
					t.Errorf("%s: body is the teaser, not the page: %q", a.URL, firstWords(a.Body, 30))
				}
				if a.Headline == "" || len(a.Summary) == 0 || a.ContentHash == "" || a.Fingerprint == 0 || a.Published.IsZero() {
					t.Errorf("%s: incomplete article %+v", a.URL, a.Headline)
				}
				if !strings.HasPrefix(a.ItemKey, "1/guid:urn:uuid:") {
					t.Errorf("item key %q: want the guid namespaced by source", a.ItemKey)
				}
			}
			state := st.source(1).State
			if !state.Primed || state.ETag == "" || state.Failures != 0 || !state.NextFetch.After(state.LastFetch) {
				t.Errorf("state after first fetch = %+v", state)
			}
			// Second pass: the feed answers 304 and no page is fetched again.
			pageHits := s.hitCount("/a/" + pages[0].ID)
			res, err = ing.FetchSource(context.Background(), st.source(1))
			if err != nil || !res.NotModified || res.New != 0 {
				t.Errorf("second pass = %+v, %v; want not modified", res, err)
			}
			if s.hitCount("/a/"+pages[0].ID) != pageHits {
				t.Error("article page fetched again after 304")
			}
		})
	}
}

// TestFullTextFeed: items that carry the whole article are stored from the
// feed without fetching the pages.
func TestFullTextFeed(t *testing.T) {
	pages := loadBenchPages(t, 12)
	var long []benchPage
	for _, p := range pages {
		if words(p.Truth) >= 200 {
			long = append(long, p)
		}
	}
	s := newSite(t, long)
	s.serveDoc("/feed.atom", "application/atom+xml", atom10(s.URL, itemsFor(s.URL, long, true, t0)))
	src := feedSource(1, "Full", s.URL+"/feed.atom")
	st := newMemStore(src)
	res, err := newTestIngester(t, st, fetch.Options{}).FetchSource(context.Background(), src)
	if err != nil || res.New != len(long) {
		t.Fatalf("res = %+v, %v; want %d new", res, err, len(long))
	}
	for _, p := range long {
		if n := s.hitCount("/a/" + p.ID); n != 0 {
			t.Errorf("page %s fetched %d times although the feed had its text", p.ID[:8], n)
		}
	}
	for _, a := range st.all() {
		if strings.Contains(a.Body, "<p>") || words(a.Body) < 200 {
			t.Errorf("%s: body not the feed's full text as plain text: %q", a.URL, firstWords(a.Body, 20))
		}
	}
}

// TestPrimingThenDelivery: after the first fetch, new items are not backlog.
func TestPrimingThenDelivery(t *testing.T) {
	pages := loadBenchPages(t, 5)
	s := newSite(t, pages)
	s.serveDoc("/feed.rss", "application/rss+xml", rss20(s.URL, itemsFor(s.URL, pages[:3], false, t0)))
	src := feedSource(1, "Local", s.URL+"/feed.rss")
	st := newMemStore(src)
	ing := newTestIngester(t, st, fetch.Options{})
	if res, err := ing.FetchSource(context.Background(), src); err != nil || !res.Backlog || res.New != 3 {
		t.Fatalf("first = %+v, %v", res, err)
	}
	s.serveDoc("/feed.rss", "application/rss+xml", rss20(s.URL, itemsFor(s.URL, pages, false, t0)))
	res, err := ing.FetchSource(context.Background(), st.source(1))
	if err != nil || res.Backlog || res.New != 2 || res.Known != 3 {
		t.Fatalf("second = %+v, %v; want 2 new, 3 known", res, err)
	}
	backlog := 0
	for _, a := range st.all() {
		if a.Backlog {
			backlog++
		}
	}
	if backlog != 3 {
		t.Errorf("backlog articles = %d, want 3", backlog)
	}
}

// TestGUIDChangeDoesNotReingest: a feed that rewrites its GUIDs (and drops
// the tracking parameters, and moves to www.) brings nothing new back.
func TestGUIDChangeDoesNotReingest(t *testing.T) {
	pages := loadBenchPages(t, 4)
	s := newSite(t, pages)
	items := itemsFor(s.URL, pages, false, t0)
	s.serveDoc("/feed.rss", "application/rss+xml", rss20(s.URL, items))
	src := feedSource(1, "Local", s.URL+"/feed.rss")
	st := newMemStore(src)
	ing := newTestIngester(t, st, fetch.Options{})
	if _, err := ing.FetchSource(context.Background(), src); err != nil {
		t.Fatal(err)
	}
	for i := range items {
		items[i].GUID = "https://cms.example/item/" + pages[i].ID[:10] + "?rev=2"
		items[i].Link = strings.Split(items[i].Link, "?")[0] + "/#top"
		items[i].Published = items[i].Published.Add(time.Minute)
	}
	s.serveDoc("/feed.rss", "application/rss+xml", rss20(s.URL, items))
	hits := s.hitCount("/a/" + pages[0].ID)
	res, err := ing.FetchSource(context.Background(), st.source(1))
	if err != nil || res.New != 0 || res.Known != len(pages) {
		t.Errorf("after GUID change: %+v, %v; want all known", res, err)
	}
	if s.hitCount("/a/"+pages[0].ID) != hits {
		t.Error("a known item's page was fetched again")
	}
}

// TestNearDuplicates: the same wire text on another source (new headline,
// extra boilerplate line) joins the first one's story; a re-headlined copy
// on the same source is skipped.
func TestNearDuplicates(t *testing.T) {
	pages := loadBenchPages(t, 30)
	var p benchPage
	for _, c := range pages {
		if words(c.Truth) > 400 {
			p = c
			break
		}
	}
	body := "<p>" + strings.ReplaceAll(p.Truth, "\n", "</p><p>") + "</p>"
	s := newSite(t, nil)
	a := []feedItem{{GUID: "a-1", Link: s.URL + "/wire/story", Title: "Original headline", HTML: body, Published: t0}}
	b := []feedItem{{GUID: "b-7", Link: s.URL + "/other-site/story-7", Title: "A different headline", Published: t0.Add(time.Hour),
		HTML: "<p>Reporting by our correspondents; additional reporting by wire services.</p>" + body}}
	s.serveDoc("/a.rss", "application/rss+xml", rss20(s.URL, a))
	s.serveDoc("/b.rss", "application/rss+xml", rss20(s.URL, b))
	srcA, srcB := feedSource(1, "A", s.URL+"/a.rss"), feedSource(2, "B", s.URL+"/b.rss")
	st := newMemStore(srcA, srcB)
	ing := newTestIngester(t, st, fetch.Options{})
	ctx := context.Background()
	if res, err := ing.FetchSource(ctx, srcA); err != nil || res.New != 1 {
		t.Fatalf("A: %+v, %v", res, err)
	}
	res, err := ing.FetchSource(ctx, srcB)
	if err != nil || res.New != 1 || res.Grouped != 1 {
		t.Fatalf("B: %+v, %v; want one article grouped into A's story", res, err)
	}
	arts := st.all()
	if arts[0].StoryID != arts[1].StoryID {
		t.Errorf("story IDs %d and %d, want one story", arts[0].StoryID, arts[1].StoryID)
	}
	// A updates its article: new headline, new URL and GUID, one more line.
	a = append(a, feedItem{GUID: "a-1-updated", Link: s.URL + "/wire/story-updated", Title: "Updated: original headline",
		HTML: body + "<p>This story has been updated.</p>", Published: t0.Add(2 * time.Hour)})
	s.serveDoc("/a.rss", "application/rss+xml", rss20(s.URL, a))
	res, err = ing.FetchSource(ctx, st.source(1))
	if err != nil || res.New != 0 || res.Updated != 1 || res.Known != 1 {
		t.Errorf("A updated: %+v, %v; want the update skipped", res, err)
	}
}

// TestStoryMatcherUsed: an article that is no near-copy goes to the story
// the matcher names, and the matcher learns every stored article.
func TestStoryMatcherUsed(t *testing.T) {
	pages := loadBenchPages(t, 3)
	s := newSite(t, pages)
	s.serveDoc("/feed.rss", "application/rss+xml", rss20(s.URL, itemsFor(s.URL, pages, true, t0)))
	src := feedSource(1, "Local", s.URL+"/feed.rss")
	st := newMemStore(src)
	ing := newTestIngester(t, st, fetch.Options{})
	m := &firstStory{}
	ing.Group = MatcherFuncs{MatchFunc: m.Match, AddFunc: m.Add}
	res, err := ing.FetchSource(context.Background(), src)
	if err != nil || res.New != 3 {
		t.Fatalf("%+v, %v", res, err)
	}
	arts := st.all()
	if arts[1].StoryID != arts[0].StoryID || arts[2].StoryID != arts[0].StoryID {
		t.Errorf("stories %d %d %d: the matcher's story was not used", arts[0].StoryID, arts[1].StoryID, arts[2].StoryID)
	}
	if len(m.added) != 3 || m.added[0].ID == "" || m.added[0].Source != "Local" || m.added[0].Text == "" {
		t.Errorf("matcher saw %+v", m.added)
	}
}

// firstStory is a StoryMatcher that puts everything in the first story.
type firstStory struct {
	story int64
	added []Doc
}

func (f *firstStory) Match(Doc) (int64, bool) { return f.story, f.story != 0 }
func (f *firstStory) Add(d Doc, id int64) {
	f.added = append(f.added, d)
	if f.story == 0 {
		f.story = id
	}
}

func TestKeywordFilter(t *testing.T) {
	pages := loadBenchPages(t, 6)
	s := newSite(t, pages)
	s.serveDoc("/feed.rss", "application/rss+xml", rss20(s.URL, itemsFor(s.URL, pages, true, t0)))
	first := strings.Fields(strings.ToLower(pageTitle(pages[0])))
	src := feedSource(1, "Local", s.URL+"/feed.rss")
	src.Exclude = []string{strings.Join(first[:min(2, len(first))], " ")}
	st := newMemStore(src)
	res, err := newTestIngester(t, st, fetch.Options{}).FetchSource(context.Background(), src)
	if err != nil || res.Filtered < 1 || res.New+res.Filtered != len(pages) {
		t.Errorf("%+v, %v; want the first item filtered", res, err)
	}
	for _, a := range st.all() {
		if a.Headline == pageTitle(pages[0]) {
			t.Error("excluded item stored")
		}
	}
}

func TestKeywordMatcher(t *testing.T) {
	tests := []struct {
		include, exclude []string
		text             string
		want             bool
	}{
		{nil, nil, "anything", true},
		{[]string{"Rail"}, nil, "The new RAIL line opens", true},
		{[]string{"rail"}, nil, "Railway news", false}, // whole words only
		{[]string{"new york"}, nil, "flights to New  York resume", true},
		{[]string{"new york"}, nil, "new flights to York", false},
		{nil, []string{"sport"}, "Sport: the final", false},
		{[]string{"rail"}, []string{"strike"}, "rail strike today", false},
		{[]string{".*(a+)+$"}, nil, "a regex is just words here", true}, // "a" matches as a word
		{[]string{"(x+x+)+y"}, nil, "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", false},
		{[]string{"  "}, nil, "empty keywords are ignored", true},
	}
	for _, tt := range tests {
		if got, _ := newKeywordFilter(tt.include, tt.exclude).Keep(tt.text); got != tt.want {
			t.Errorf("include %q exclude %q on %q = %v, want %v", tt.include, tt.exclude, tt.text, got, tt.want)
		}
	}
}

func TestBackoff(t *testing.T) {
	mid := func() float64 { return 0.5 } // no jitter
	want := []time.Duration{15 * time.Minute, 30 * time.Minute, time.Hour, 2 * time.Hour, 4 * time.Hour, 6 * time.Hour, 6 * time.Hour}
	for n, w := range want {
		if got := backoff(n+1, 15*time.Minute, 6*time.Hour, mid); got != w {
			t.Errorf("backoff(%d) = %v, want %v", n+1, got, w)
		}
	}
	if got := backoff(1, 15*time.Minute, 6*time.Hour, func() float64 { return 0 }); got != 15*time.Minute {
		t.Errorf("jitter took the wait below the interval: %v", got)
	}
	if got := backoff(3, 15*time.Minute, 6*time.Hour, func() float64 { return 0.999 }); got <= time.Hour || got > 72*time.Minute {
		t.Errorf("jittered backoff(3) = %v, want (1h, 1h12m]", got)
	}
	if got := backoff(30, time.Minute, 6*time.Hour, func() float64 { return 0.999 }); got != 6*time.Hour {
		t.Errorf("backoff past the cap = %v", got)
	}
}

func TestInterval(t *testing.T) {
	for in, want := range map[time.Duration]time.Duration{0: 15 * time.Minute, 10 * time.Second: time.Minute, time.Hour: time.Hour} {
		if got := Interval(digest.Source{Interval: in}); got != want {
			t.Errorf("Interval(%v) = %v, want %v", in, got, want)
		}
	}
}
