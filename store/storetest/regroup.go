package storetest

import (
	"context"
	"testing"
	"time"

	"newsdigest/digest"
)

// testMoveArticles: a regrouping's moves land all at once, skip stale
// ones, and leave the stories' times and leads right.
func testMoveArticles(t *testing.T, s digest.Store) {
	ctx := context.Background()
	a1 := mustAdd(t, s, article(1, time.Hour, "Quake hits coast", "A quake hit the coast."))
	a2 := article(2, 2*time.Hour, "Second quake hits islands", "Another quake, far away.")
	a2.StoryID = a1.StoryID
	a2 = mustAdd(t, s, a2)
	b := mustAdd(t, s, article(3, 3*time.Hour, "Islands shaken by quake", "The islands shook."))
	if setter, ok := s.(interface {
		SetStoryLead(ctx context.Context, storyID, articleID int64) error
	}); ok {
		if err := setter.SetStoryLead(ctx, a1.StoryID, a2.ID); err != nil {
			t.Fatalf("SetStoryLead: %v", err)
		}
	}
	c, err := s.NewStory(ctx, a1.FirstSeen)
	if err != nil {
		t.Fatalf("NewStory: %v", err)
	}
	if c == a1.StoryID || c == b.StoryID || c == 0 {
		t.Fatalf("NewStory = %d, an ID in use (stories %d, %d)", c, a1.StoryID, b.StoryID)
	}
	n, err := s.MoveArticles(ctx, []digest.StoryMove{
		{ArticleID: a2.ID, From: a1.StoryID, To: b.StoryID},
		{ArticleID: a1.ID, From: a1.StoryID, To: c},
		{ArticleID: b.ID, From: a1.StoryID, To: c},    // stale: b is not in a1's story
		{ArticleID: 1 << 40, From: a1.StoryID, To: c}, // no such article
	})
	if err != nil || n != 2 {
		t.Fatalf("MoveArticles = %d, %v; want 2 moved", n, err)
	}
	for _, w := range []struct {
		a     digest.StoredArticle
		story int64
	}{{a1, c}, {a2, b.StoryID}, {b, b.StoryID}} {
		got, err := s.Article(ctx, w.a.ID)
		if err != nil || got.StoryID != w.story {
			t.Errorf("article %d: story %d, %v; want %d", w.a.ID, got.StoryID, err, w.story)
		}
	}
	got, err := s.Stories(ctx, base, base.Add(4*time.Hour), false)
	if err != nil {
		t.Fatalf("Stories: %v", err)
	}
	byID := map[int64]digest.Story{}
	for _, st := range got {
		byID[st.ID] = st
	}
	if len(got) != 2 || len(byID[b.StoryID].Articles) != 2 || len(byID[c].Articles) != 1 {
		t.Fatalf("Stories after the moves = %v, want story %d with 2 articles and %d with 1", storyIDs(got), b.StoryID, c)
	}
	islands := byID[b.StoryID]
	if !islands.FirstSeen.Equal(a2.FirstSeen) || !islands.LastSeen.Equal(b.FirstSeen) {
		t.Errorf("story %d seen %v..%v, want %v..%v", b.StoryID, islands.FirstSeen, islands.LastSeen, a2.FirstSeen, b.FirstSeen)
	}
	if byID[c].Lead.ID != a1.ID {
		t.Errorf("lead of the new story = %d, want %d", byID[c].Lead.ID, a1.ID)
	}
	fps, err := s.Fingerprints(ctx, base)
	if err != nil {
		t.Fatal(err)
	}
	for _, fp := range fps {
		if fp.ArticleID == a2.ID && fp.StoryID != b.StoryID {
			t.Errorf("fingerprint of article %d in story %d, want %d", a2.ID, fp.StoryID, b.StoryID)
		}
	}
	// A later article added to the emptied story still works: AddArticle
	// with its ID (the grouper may hold it until the next regrouping).
	d := article(4, 3*time.Hour+time.Minute, "Aftershock", "An aftershock.")
	d.StoryID = a1.StoryID
	if d = mustAdd(t, s, d); d.StoryID != a1.StoryID {
		t.Errorf("article added to the emptied story %d went to %d", a1.StoryID, d.StoryID)
	}
	if n, err := s.MoveArticles(ctx, nil); err != nil || n != 0 {
		t.Errorf("MoveArticles(nil) = %d, %v", n, err)
	}
}
