package sqlite

import (
	"context"
	"fmt"
	"testing"
	"time"

	"newsdigest/digest"
)

// TestCorruptRowSkipped: one row with an unparsable dateline (a damaged
// file, a hand edit) is skipped and logged by the reads the bot starts
// with (the grouper's warm-up reads RecentArticles), not an error that
// stops it.
func TestCorruptRowSkipped(t *testing.T) {
	ctx := context.Background()
	s, err := Open(ctx, ":memory:")
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	now := time.Now().UTC().Truncate(time.Second)
	var ids []int64
	for k := range 3 {
		a, err := s.AddArticle(ctx, digest.StoredArticle{Source: "Wire", URL: fmt.Sprintf("https://wire.example/%d", k),
			ItemKey: fmt.Sprintf("w%d", k), ContentHash: fmt.Sprintf("h%d", k), Headline: fmt.Sprintf("Story %d", k),
			Dateline: digest.Dateline{Published: now, HasTime: true}, Body: "Body text.", Published: now, FirstSeen: now.Add(time.Duration(k) * time.Second)})
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, a.ID)
	}
	if _, err := s.w.ExecContext(ctx, `UPDATE articles SET dl_published = 'not a date' WHERE id = ?`, ids[1]); err != nil {
		t.Fatal(err)
	}
	got, err := s.RecentArticles(ctx, now.Add(-time.Hour), 0)
	if err != nil {
		t.Fatalf("RecentArticles: %v (one bad row must not fail the read)", err)
	}
	if len(got) != 2 || got[0].ID == ids[1] || got[1].ID == ids[1] {
		t.Errorf("got %d articles, want the 2 readable ones", len(got))
	}
	stories, err := s.Stories(ctx, now.Add(-time.Hour), now.Add(time.Hour), true)
	if err != nil {
		t.Fatalf("Stories: %v", err)
	}
	n := 0
	for _, st := range stories {
		n += len(st.Articles)
	}
	if n != 2 {
		t.Errorf("stories hold %d articles, want 2", n)
	}
}
