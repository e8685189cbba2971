package storetest

import (
	"context"
	"reflect"
	"testing"
	"time"

	"newsdigest/digest"
)

func testStories(t *testing.T, s digest.Store) {
	ctx := context.Background()
	// Story A: first seen before the window, joined by an article in it.
	a1 := mustAdd(t, s, article(1, -3*time.Hour, "Quake hits coast", "A quake hit."))
	a2 := article(2, 90*time.Minute, "Quake: rescue under way", "Rescuers arrived.")
	a2.StoryID = a1.StoryID
	a2.Summary = []string{"Rescuers arrived.", "Many were saved.", "Aid is coming."}
	a2 = mustAdd(t, s, a2)
	// Story B: one article in the window.
	b := mustAdd(t, s, article(3, 2*time.Hour, "Election called", "Polls open soon."))
	// Story C: only before the window. Story D: only after it.
	mustAdd(t, s, article(4, -5*time.Hour, "Old news", "Old."))
	mustAdd(t, s, article(5, 10*time.Hour, "Later news", "Later."))
	// Story E: only a backlog article in the window.
	e := article(6, time.Hour, "Back catalogue", "From the first fetch.")
	e.Backlog = true
	e = mustAdd(t, s, e)

	from, to := base, base.Add(3*time.Hour)
	got, err := s.Stories(ctx, from, to, false)
	if err != nil {
		t.Fatalf("Stories: %v", err)
	}
	// Newest first, by the story's first-seen time.
	if len(got) != 2 || got[0].ID != b.StoryID || got[1].ID != a1.StoryID {
		t.Fatalf("Stories = %v, want stories %d then %d", storyIDs(got), b.StoryID, a1.StoryID)
	}
	quake := got[1]
	if len(quake.Articles) != 2 || quake.Articles[0].ID != a1.ID || quake.Articles[1].ID != a2.ID {
		t.Fatalf("story articles = %v, want %d, %d oldest first", articleIDs(quake.Articles), a1.ID, a2.ID)
	}
	if !quake.FirstSeen.Equal(a1.FirstSeen) || !quake.LastSeen.Equal(a2.FirstSeen) {
		t.Errorf("story seen %v..%v, want %v..%v", quake.FirstSeen, quake.LastSeen, a1.FirstSeen, a2.FirstSeen)
	}
	// The lead is the earliest of the fullest summaries.
	if quake.Lead.ID != a2.ID {
		t.Errorf("lead = %d, want %d (three summary lines)", quake.Lead.ID, a2.ID)
	}
	for _, a := range quake.Articles {
		if a.Body != "" {
			t.Errorf("article %d has its body in Stories", a.ID)
		}
		if a.Headline == "" || len(a.Summary) == 0 {
			t.Errorf("article %d lost headline or summary in Stories", a.ID)
		}
	}
	withBacklog, err := s.Stories(ctx, from, to, true)
	if err != nil {
		t.Fatal(err)
	}
	if len(withBacklog) != 3 || !hasStory(withBacklog, e.StoryID) {
		t.Fatalf("Stories with backlog = %v, want 3 including %d", storyIDs(withBacklog), e.StoryID)
	}
	empty, err := s.Stories(ctx, base.Add(100*time.Hour), base.Add(200*time.Hour), true)
	if err != nil || len(empty) != 0 {
		t.Fatalf("Stories of an empty window = %v, %v", storyIDs(empty), err)
	}
	// The window is half-open: an article at exactly `to` is out.
	edge, err := s.Stories(ctx, base.Add(2*time.Hour), base.Add(10*time.Hour), false)
	if err != nil || len(edge) != 1 || edge[0].ID != b.StoryID {
		t.Fatalf("Stories [2h, 10h) = %v, %v; want only %d", storyIDs(edge), err, b.StoryID)
	}
	if setter, ok := s.(interface {
		SetStoryLead(ctx context.Context, storyID, articleID int64) error
	}); ok {
		if err := setter.SetStoryLead(ctx, a1.StoryID, a1.ID); err != nil {
			t.Fatalf("SetStoryLead: %v", err)
		}
		got, _ := s.Stories(ctx, from, to, false)
		if got[1].Lead.ID != a1.ID {
			t.Errorf("lead after SetStoryLead = %d, want %d", got[0].Lead.ID, a1.ID)
		}
		wantErr(t, "SetStoryLead(not a member)", setter.SetStoryLead(ctx, a1.StoryID, b.ID), digest.ErrNotFound)
	}
}

func storyIDs(ss []digest.Story) []int64 {
	var ids []int64
	for _, s := range ss {
		ids = append(ids, s.ID)
	}
	return ids
}

func hasStory(ss []digest.Story, id int64) bool {
	for _, s := range ss {
		if s.ID == id {
			return true
		}
	}
	return false
}

func testPrune(t *testing.T, s digest.Store) {
	ctx := context.Background()
	old := mustAdd(t, s, article(1, -48*time.Hour, "Glacier melts", "The glacier melted fast."))
	kept := mustAdd(t, s, article(2, 0, "Glacier report", "A glacier report."))
	n, err := s.Prune(ctx, base.Add(-24*time.Hour))
	if err != nil || n != 1 {
		t.Fatalf("Prune = %d, %v; want 1", n, err)
	}
	wantErr(t, "Article(pruned)", func() error { _, err := s.Article(ctx, old.ID); return err }(), digest.ErrNotFound)
	for _, k := range []digest.ItemKeys{{URL: old.URL}, {ItemKey: old.ItemKey}, {ContentHash: old.ContentHash}} {
		if known, err := s.Known(ctx, k); err != nil || !known {
			t.Errorf("Known(%+v) after Prune = %v, %v; want true (tombstone)", k, known, err)
		}
	}
	again := article(1, time.Hour, "Glacier melts", "The glacier melted fast.")
	again.ItemKey, again.ContentHash = "", ""
	_, err = s.AddArticle(ctx, again)
	wantErr(t, "AddArticle(pruned URL)", err, digest.ErrDuplicate)

	hits, err := s.Search(ctx, "glacier", 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(hits) != 1 || hits[0].Article.ID != kept.ID {
		t.Fatalf("Search after Prune = %v, want only %d", hitIDs(hits), kept.ID)
	}
	fps, err := s.Fingerprints(ctx, time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, f := range fps {
		if f.ArticleID == old.ID && f.SimHash == old.Fingerprint {
			found = true
		}
	}
	if !found || len(fps) != 2 {
		t.Fatalf("Fingerprints after Prune = %+v, want the pruned one kept", fps)
	}
	if recent, err := s.RecentArticles(ctx, time.Time{}, 0); err != nil || len(recent) != 1 {
		t.Fatalf("RecentArticles after Prune = %v, %v; want 1", articleIDs(recent), err)
	}
	if n, err := s.Prune(ctx, base.Add(-24*time.Hour)); err != nil || n != 0 {
		t.Fatalf("second Prune = %d, %v; want 0", n, err)
	}
	// A story whose old article was pruned can still take new ones.
	late := article(3, 2*time.Hour, "Glacier follow-up", "More on the glacier.")
	late.StoryID = old.StoryID
	mustAdd(t, s, late)
}

// testWindow checks WindowArticles and StoriesByID, the two reads of
// /trending, against Stories: the window's light rows are the window's
// members of the stories Stories returns, and StoriesByID returns the same
// stories as Stories does.
func testWindow(t *testing.T, s digest.Store) {
	ctx := context.Background()
	wire, err := s.SaveSource(ctx, digest.Source{Name: "Wire", URL: "https://wire.example/feed", Kind: digest.KindFeed})
	if err != nil {
		t.Fatal(err)
	}
	a1 := mustAdd(t, s, article(1, -3*time.Hour, "Quake hits coast", "A quake hit."))
	a2 := article(2, 90*time.Minute, "Quake: rescue under way", "Rescuers arrived.")
	a2.StoryID, a2.SourceID = a1.StoryID, wire.ID
	a2 = mustAdd(t, s, a2)
	b := article(3, 0, "Election called", "Polls open soon.") // at exactly from: in
	b.Source = "Herald"
	b = mustAdd(t, s, b)
	e := article(4, time.Hour, "Back catalogue", "From the first fetch.")
	e.Backlog = true
	e = mustAdd(t, s, e)
	mustAdd(t, s, article(5, 3*time.Hour, "Later news", "At exactly to: out.")) // at exactly to

	from, to := base, base.Add(3*time.Hour)
	refs, err := s.WindowArticles(ctx, from, to, false)
	if err != nil {
		t.Fatalf("WindowArticles: %v", err)
	}
	want := []digest.ArticleRef{
		{ID: b.ID, StoryID: b.StoryID, Source: "Herald", FirstSeen: b.FirstSeen},
		{ID: a2.ID, StoryID: a1.StoryID, SourceID: wire.ID, Source: "Wire", FirstSeen: a2.FirstSeen},
	}
	if !sameRefs(refs, want) {
		t.Fatalf("WindowArticles = %+v, want %+v (oldest first, backlog and the edges right)", refs, want)
	}
	refs, err = s.WindowArticles(ctx, from, to, true)
	if err != nil || len(refs) != 3 || refs[1].ID != e.ID || !refs[1].Backlog || refs[0].Backlog || refs[2].Backlog {
		t.Fatalf("WindowArticles with backlog = %+v, %v; want %d second of 3, the one marked backlog", refs, err, e.ID)
	}
	if refs, err := s.WindowArticles(ctx, base.Add(100*time.Hour), base.Add(200*time.Hour), true); err != nil || len(refs) != 0 {
		t.Fatalf("WindowArticles of an empty window = %+v, %v", refs, err)
	}

	for _, backlog := range []bool{false, true} {
		stories, err := s.Stories(ctx, from, to, backlog)
		if err != nil {
			t.Fatal(err)
		}
		ids := storyIDs(stories)
		byID, err := s.StoriesByID(ctx, append([]int64{99999}, reverse(ids)...), backlog)
		if err != nil {
			t.Fatalf("StoriesByID: %v", err)
		}
		if !reflect.DeepEqual(byID, stories) {
			t.Fatalf("StoriesByID(%v, backlog %v) = %+v,\nwant what Stories returns: %+v", ids, backlog, byID, stories)
		}
	}
	// Without the backlog, a story told only by backlog items is not there.
	if got, err := s.StoriesByID(ctx, []int64{e.StoryID, b.StoryID}, false); err != nil || len(got) != 1 || got[0].ID != b.StoryID {
		t.Fatalf("StoriesByID(backlog story, %d) = %v, %v", b.StoryID, storyIDs(got), err)
	}
	if got, err := s.StoriesByID(ctx, nil, true); err != nil || len(got) != 0 {
		t.Fatalf("StoriesByID(none) = %v, %v", storyIDs(got), err)
	}
	if setter, ok := s.(interface {
		SetStoryLead(ctx context.Context, storyID, articleID int64) error
	}); ok {
		if err := setter.SetStoryLead(ctx, a1.StoryID, a1.ID); err != nil {
			t.Fatal(err)
		}
		got, err := s.StoriesByID(ctx, []int64{a1.StoryID}, false)
		if err != nil || len(got) != 1 || got[0].Lead.ID != a1.ID {
			t.Fatalf("StoriesByID after SetStoryLead: lead of %v, %v; want %d", got, err, a1.ID)
		}
	}
}

// testWindowGenerated compares the two reads of /trending with Stories on
// a generated store, over windows of several sizes.
func testWindowGenerated(t *testing.T, s digest.Store) {
	ctx := context.Background()
	now := BenchNow
	arts := Generate(SyntheticDocs(40), 600, now) // 600 articles over 14.4 hours
	for i := range arts {
		arts[i].Backlog = i%11 == 0
	}
	Fill(t, s, arts)
	for _, w := range []time.Duration{time.Hour, 3 * time.Hour, 24 * time.Hour} {
		from, to := now.Add(-w), now.Add(time.Minute)
		for _, backlog := range []bool{false, true} {
			stories, err := s.Stories(ctx, from, to, backlog)
			if err != nil {
				t.Fatal(err)
			}
			var want []digest.ArticleRef
			for _, st := range stories {
				for _, a := range st.Articles {
					if !a.FirstSeen.Before(from) && a.FirstSeen.Before(to) {
						want = append(want, digest.ArticleRef{ID: a.ID, StoryID: a.StoryID, SourceID: a.SourceID, Source: a.Source, FirstSeen: a.FirstSeen, Backlog: a.Backlog})
					}
				}
			}
			refs, err := s.WindowArticles(ctx, from, to, backlog)
			if err != nil {
				t.Fatal(err)
			}
			if len(refs) < 20 || !sameRefSet(refs, want) {
				t.Fatalf("window %s, backlog %v: WindowArticles has %d rows, Stories' window members %d, or they differ", w, backlog, len(refs), len(want))
			}
			for i := 1; i < len(refs); i++ {
				if refs[i].FirstSeen.Before(refs[i-1].FirstSeen) {
					t.Fatalf("window %s: WindowArticles not oldest first at %d", w, i)
				}
			}
			byID, err := s.StoriesByID(ctx, storyIDs(stories), backlog)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(byID, stories) {
				t.Fatalf("window %s, backlog %v: StoriesByID differs from Stories", w, backlog)
			}
		}
	}
}

func reverse(ids []int64) []int64 {
	out := make([]int64, len(ids))
	for i, id := range ids {
		out[len(ids)-1-i] = id
	}
	return out
}

func sameRefs(a, b []digest.ArticleRef) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		x, y := a[i], b[i]
		if x.ID != y.ID || x.StoryID != y.StoryID || x.SourceID != y.SourceID || x.Source != y.Source || !x.FirstSeen.Equal(y.FirstSeen) || x.Backlog != y.Backlog {
			return false
		}
	}
	return true
}

// sameRefSet compares ignoring the order among equal first-seen times.
func sameRefSet(a, b []digest.ArticleRef) bool {
	key := func(rs []digest.ArticleRef) map[int64]digest.ArticleRef {
		m := map[int64]digest.ArticleRef{}
		for _, r := range rs {
			m[r.ID] = r
		}
		return m
	}
	ma, mb := key(a), key(b)
	if len(ma) != len(a) || len(ma) != len(mb) {
		return false
	}
	for id, x := range ma {
		y, ok := mb[id]
		if !ok || !sameRefs([]digest.ArticleRef{x}, []digest.ArticleRef{y}) {
			return false
		}
	}
	return true
}
