package storetest

import (
	"context"
	"fmt"
	"reflect"
	"testing"
	"time"

	"newsdigest/digest"
)

func testSources(t *testing.T, s digest.Store) {
	ctx := context.Background()
	src, err := s.SaveSource(ctx, digest.Source{Name: "wire", URL: "https://wire.example/feed", Kind: digest.KindFeed,
		Interval: 15 * time.Minute, Language: "en", Include: []string{"climate"}, Exclude: []string{"sport", "ads"}})
	if err != nil {
		t.Fatalf("SaveSource: %v", err)
	}
	if src.ID == 0 || src.Interval != 15*time.Minute || !reflect.DeepEqual(src.Exclude, []string{"sport", "ads"}) {
		t.Fatalf("SaveSource returned %+v", src)
	}
	st := digest.FetchState{ETag: `"abc"`, LastModified: "Sun, 01 Mar 2026 08:00:00 GMT", LastFetch: base,
		LastSuccess: base.Add(-time.Hour), NextFetch: base.Add(15 * time.Minute), Failures: 2, LastError: "503",
		Primed: true, Fetched: 40, Failed: 3}
	if err := s.SaveFetchState(ctx, src.ID, st); err != nil {
		t.Fatalf("SaveFetchState: %v", err)
	}
	// Saving the settings again updates them by name and keeps the state.
	again, err := s.SaveSource(ctx, digest.Source{Name: "wire", URL: "https://wire.example/rss", Kind: digest.KindFeed, Interval: time.Hour})
	if err != nil {
		t.Fatalf("SaveSource again: %v", err)
	}
	if again.ID != src.ID || again.URL != "https://wire.example/rss" || again.Include != nil {
		t.Fatalf("SaveSource again = %+v, want ID %d, the new URL and no include list", again, src.ID)
	}
	got, err := s.SourceByName(ctx, "wire")
	if err != nil {
		t.Fatalf("SourceByName: %v", err)
	}
	gs := got.State
	if gs.ETag != st.ETag || gs.LastModified != st.LastModified || !sameTime(gs.LastFetch, st.LastFetch) ||
		!sameTime(gs.LastSuccess, st.LastSuccess) || !sameTime(gs.NextFetch, st.NextFetch) || gs.Failures != 2 ||
		gs.LastError != "503" || !gs.Primed || gs.Fetched != 40 || gs.Failed != 3 {
		t.Fatalf("state = %+v, want %+v", gs, st)
	}
	if _, err := s.SaveSource(ctx, digest.Source{Name: "another", URL: "https://a.example/", Kind: digest.KindHTML, LinkSelector: "h2 a"}); err != nil {
		t.Fatal(err)
	}
	all, err := s.Sources(ctx)
	if err != nil || len(all) != 2 || all[0].Name != "another" || all[1].Name != "wire" || all[0].LinkSelector != "h2 a" {
		t.Fatalf("Sources = %+v, %v; want another, wire", all, err)
	}
	wantErr(t, "SourceByName(missing)", func() error { _, err := s.SourceByName(ctx, "missing"); return err }(), digest.ErrNotFound)
	wantErr(t, "SaveFetchState(missing)", s.SaveFetchState(ctx, 99999, st), digest.ErrNotFound)

	// Deleting a source keeps its articles and their source name.
	a := article(1, 0, "Rain in Zurich", "It rained.")
	a.SourceID = src.ID
	a = mustAdd(t, s, a)
	if a.Source != "wire" {
		t.Fatalf("AddArticle filled Source = %q, want wire", a.Source)
	}
	if err := s.DeleteSource(ctx, "wire"); err != nil {
		t.Fatalf("DeleteSource: %v", err)
	}
	wantErr(t, "DeleteSource again", s.DeleteSource(ctx, "wire"), digest.ErrNotFound)
	kept, err := s.Article(ctx, a.ID)
	if err != nil || kept.Source != "wire" || kept.SourceID != 0 {
		t.Fatalf("article after DeleteSource = %+v, %v; want kept with source name wire", kept, err)
	}
}

func testArticleRoundTrip(t *testing.T, s digest.Store) {
	ctx := context.Background()
	src, err := s.SaveSource(ctx, digest.Source{Name: "Devdiscourse", URL: "https://dd.example/", Kind: digest.KindHTML})
	if err != nil {
		t.Fatal(err)
	}
	ist := time.FixedZone("IST", 5*3600+1800)
	in := digest.StoredArticle{
		SourceID: src.ID, URL: "https://dd.example/a/1", Link: "https://www.dd.example/a/1/", ItemKey: "dd:1", ContentHash: "00ff00ff00ff00ff00ff",
		Fingerprint: 0xFEDCBA9876543210, // high bit set: must survive signed storage
		Headline:    "Saudi talks open in Riyadh",
		Dateline: digest.Dateline{Place: "Riyadh", Published: time.Date(2025, 2, 19, 3, 6, 0, 0, ist), HasTime: true,
			Zone: "IST", Desk: "Devdiscourse News Desk", Author: "A. Writer"},
		Body:      "First paragraph.\n\nSecond paragraph.",
		Summary:   []string{"One.", "Two.", "Three."},
		Language:  "en",
		Image:     "https://www.devdiscourse.com/remote.axd?https://devdiscourse.blob.core.windows.net/devnews/19_02_2025_03_06_23_1234.jpg",
		Published: time.Date(2025, 2, 18, 21, 36, 0, 0, time.UTC),
		FirstSeen: time.Date(2025, 2, 18, 22, 0, 0, 123000, time.UTC),
		Backlog:   true,
	}
	added := mustAdd(t, s, in)
	got, err := s.Article(ctx, added.ID)
	if err != nil {
		t.Fatalf("Article: %v", err)
	}
	want := in
	want.ID, want.StoryID, want.Source = added.ID, added.StoryID, "Devdiscourse"
	if !got.Dateline.Published.Equal(want.Dateline.Published) {
		t.Fatalf("dateline time = %v, want %v", got.Dateline.Published, want.Dateline.Published)
	}
	if _, off := got.Dateline.Published.Zone(); off != 5*3600+1800 {
		t.Errorf("dateline offset = %d s, want the page's +05:30 kept", off)
	}
	if !got.Published.Equal(want.Published) || !got.FirstSeen.Equal(want.FirstSeen) {
		t.Errorf("times = %v, %v; want %v, %v", got.Published, got.FirstSeen, want.Published, want.FirstSeen)
	}
	got.Dateline.Published, want.Dateline.Published = time.Time{}, time.Time{}
	got.Published, want.Published, got.FirstSeen, want.FirstSeen = time.Time{}, time.Time{}, time.Time{}, time.Time{}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("Article =\n%+v\nwant\n%+v", got, want)
	}
	wantErr(t, "Article(missing)", func() error { _, err := s.Article(ctx, added.ID+1000); return err }(), digest.ErrNotFound)

	// An article may join an existing story.
	b := article(2, time.Hour, "Talks continue", "More talks.")
	b.StoryID = added.StoryID
	if got := mustAdd(t, s, b); got.StoryID != added.StoryID {
		t.Fatalf("story = %d, want %d", got.StoryID, added.StoryID)
	}
	// An unknown source is refused.
	c := article(3, 0, "x", "y")
	c.SourceID = 424242
	if _, err := s.AddArticle(ctx, c); err == nil {
		t.Fatal("AddArticle with an unknown source succeeded")
	}
}

func testDedupe(t *testing.T, s digest.Store) {
	ctx := context.Background()
	orig := mustAdd(t, s, article(1, 0, "Original", "Original body."))
	for _, tc := range []struct {
		name string
		keys digest.ItemKeys
	}{
		{"url", digest.ItemKeys{URL: orig.URL}},
		{"item key", digest.ItemKeys{ItemKey: orig.ItemKey}},
		{"content hash", digest.ItemKeys{ContentHash: orig.ContentHash}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			known, err := s.Known(ctx, tc.keys)
			if err != nil || !known {
				t.Fatalf("Known(%+v) = %v, %v; want true", tc.keys, known, err)
			}
			dup := article(100, time.Minute, "Other", "Other body.")
			if tc.keys.URL != "" {
				dup.URL = tc.keys.URL
			}
			if tc.keys.ItemKey != "" {
				dup.ItemKey = tc.keys.ItemKey
			}
			if tc.keys.ContentHash != "" {
				dup.ContentHash = tc.keys.ContentHash
			}
			_, err = s.AddArticle(ctx, dup)
			wantErr(t, "AddArticle(duplicate "+tc.name+")", err, digest.ErrDuplicate)
		})
	}
	for _, k := range []digest.ItemKeys{{}, {URL: "https://example.com/other"}, {ItemKey: "x", ContentHash: "y"}} {
		if known, err := s.Known(ctx, k); err != nil || known {
			t.Errorf("Known(%+v) = %v, %v; want false", k, known, err)
		}
	}
	// Articles without an item key or hash do not collide on the empty value.
	for i := 0; i < 2; i++ {
		a := article(200+i, 0, "No keys", "No keys.")
		a.ItemKey, a.ContentHash = "", ""
		mustAdd(t, s, a)
	}
	// The failed duplicates left no article or story behind.
	stories, err := s.Stories(ctx, base.Add(-time.Hour), base.Add(time.Hour), true)
	if err != nil {
		t.Fatal(err)
	}
	if n := countArticles(stories); n != 3 || len(stories) != 3 {
		t.Fatalf("after duplicates: %d stories, %d articles; want 3 and 3", len(stories), n)
	}
}

func countArticles(stories []digest.Story) int {
	n := 0
	for _, s := range stories {
		n += len(s.Articles)
	}
	return n
}

func testRecent(t *testing.T, s digest.Store) {
	ctx := context.Background()
	var ids []int64
	for i := 0; i < 5; i++ {
		// Added out of order: RecentArticles sorts by first seen.
		a := mustAdd(t, s, article(i, time.Duration(4-i)*time.Hour, fmt.Sprintf("Headline %d", i), fmt.Sprintf("Body %d.", i)))
		ids = append(ids, a.ID)
	}
	got, err := s.RecentArticles(ctx, base.Add(time.Hour), 3)
	if err != nil {
		t.Fatalf("RecentArticles: %v", err)
	}
	if len(got) != 3 || got[0].ID != ids[3] || got[1].ID != ids[2] || got[2].ID != ids[1] {
		t.Fatalf("RecentArticles = %v, want ids %d %d %d", articleIDs(got), ids[3], ids[2], ids[1])
	}
	if got[0].Body != "Body 3." {
		t.Errorf("RecentArticles body = %q, want it kept", got[0].Body)
	}
	fps, err := s.Fingerprints(ctx, base.Add(3*time.Hour))
	if err != nil {
		t.Fatalf("Fingerprints: %v", err)
	}
	want := map[int64]uint64{ids[0]: 0, ids[1]: uint64(1) * 0x9E3779B97F4A7C15}
	if len(fps) != 2 {
		t.Fatalf("Fingerprints = %+v, want 2", fps)
	}
	for _, f := range fps {
		if h, ok := want[f.ArticleID]; !ok || h != f.SimHash || f.StoryID == 0 {
			t.Errorf("fingerprint %+v not expected (%v)", f, want)
		}
	}
}

func articleIDs(as []digest.StoredArticle) []int64 {
	var ids []int64
	for _, a := range as {
		ids = append(ids, a.ID)
	}
	return ids
}
