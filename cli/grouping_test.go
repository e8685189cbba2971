package cli

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"testing"
	"time"

	"newsdigest/digest"
	"newsdigest/digest/story"
	"newsdigest/ingest"
	"newsdigest/store/sqlite"
)

// TestLiveGroupingIsBotStories: the grouping the running bot makes (the
// grouper adapter matching each article as it is stored in SQLite, then
// the ingester's Regroup storing the moves) puts the articles into the
// same stories as `bot stories` does over the same articles.
func TestLiveGroupingIsBotStories(t *testing.T) {
	f, err := os.Open(filepath.Join("testdata", "ecbplus-200.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	docs, err := story.ReadJSONL(f)
	if err != nil {
		t.Fatal(err)
	}
	docs = docs[:200] // some 17 topics, both events of each
	ctx := context.Background()
	st, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "live.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	g := grouper{story.NewGrouper(story.Options{})}
	ing := &ingest.Ingester{Store: st, Group: g, Log: slog.New(slog.DiscardHandler)}
	now := time.Date(2026, 3, 1, 8, 0, 0, 0, time.UTC)
	article := map[int64]string{} // stored ID → doc ID
	for i, d := range docs {
		doc := ingest.Doc{Title: d.Title, Text: d.Text}
		id, _ := g.Match(doc)
		a, err := st.AddArticle(ctx, digest.StoredArticle{
			Source: "ECB+", URL: "https://ecb.example/" + d.ID, ItemKey: d.ID, ContentHash: d.ID,
			Headline: d.Title, Body: d.Text, FirstSeen: now.Add(time.Duration(i) * time.Second), StoryID: id,
		})
		if err != nil {
			t.Fatal(err)
		}
		doc.ID = fmt.Sprint(a.ID)
		g.Add(doc, a.StoryID)
		article[a.ID] = d.ID
	}
	moved, err := ing.Regroup(ctx)
	if err != nil {
		t.Fatal(err)
	}
	live := map[string]int64{}
	for id, docID := range article {
		a, err := st.Article(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		live[docID] = a.StoryID
	}
	want := story.Group(docs, story.Options{})
	if moved == 0 {
		t.Error("the regrouping moved nothing: this test would not see it")
	}
	if a, b := partition(live), partition(want); fmt.Sprint(a) != fmt.Sprint(b) {
		t.Errorf("live grouping differs from bot stories:\nlive %v\nwant %v", a, b)
	}
}

// TestTwoInstancesGroupAsOne: two bot instances share one store, each
// storing half the articles (its own sources) with a grouper of its own;
// once both have regrouped, the stories are those of one grouper over all
// the articles.
func TestTwoInstancesGroupAsOne(t *testing.T) {
	f, err := os.Open(filepath.Join("testdata", "ecbplus-200.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	docs, err := story.ReadJSONL(f)
	if err != nil {
		t.Fatal(err)
	}
	docs = docs[:200]
	ctx := context.Background()
	st, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "shared.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	now := time.Date(2026, 3, 1, 8, 0, 0, 0, time.UTC)
	clock := now.Add(-time.Hour)
	type instance struct {
		g   grouper
		ing *ingest.Ingester
	}
	var inst [2]instance
	for k := range inst {
		g := grouper{story.NewGrouper(story.Options{})}
		inst[k] = instance{g, &ingest.Ingester{Store: st, Group: g, Log: slog.New(slog.DiscardHandler),
			Clock: func() time.Time { return now }, GroupedSince: clock}}
	}
	article := map[int64]string{}
	for i, d := range docs {
		in := inst[i%2] // alternate: each instance sees every other article
		doc := ingest.Doc{Title: d.Title, Text: d.Text}
		id, _ := in.g.Match(doc)
		a, err := st.AddArticle(ctx, digest.StoredArticle{
			Source: fmt.Sprint("Source ", i%2), URL: "https://ecb.example/" + d.ID, ItemKey: d.ID, ContentHash: d.ID,
			Headline: d.Title, Body: d.Text, FirstSeen: clock.Add(time.Duration(i) * time.Second), StoryID: id,
		})
		if err != nil {
			t.Fatal(err)
		}
		doc.ID = fmt.Sprint(a.ID)
		in.g.Add(doc, a.StoryID)
		article[a.ID] = d.ID
	}
	stories := func() map[string]int64 {
		out := map[string]int64{}
		for id, docID := range article {
			a, err := st.Article(ctx, id)
			if err != nil {
				t.Fatal(err)
			}
			out[docID] = a.StoryID
		}
		return out
	}
	want := fmt.Sprint(partition(story.Group(docs, story.Options{})))
	if fmt.Sprint(partition(stories())) == want {
		t.Fatal("the two halves already group as one: this test would not see a difference")
	}
	for k, in := range inst {
		if _, err := in.ing.Regroup(ctx); err != nil {
			t.Fatalf("instance %d: %v", k+1, err)
		}
		if got := fmt.Sprint(partition(stories())); got != want {
			t.Errorf("after instance %d regrouped, the stories differ from one grouper's over all articles", k+1)
		}
	}
	// The second instance found nothing left to move.
	if n, err := inst[1].ing.Regroup(ctx); err != nil || n != 0 {
		t.Errorf("a second regrouping moved %d articles (%v), want none", n, err)
	}
}

// partition names each doc's story by its first member's ID.
func partition(m map[string]int64) map[string]string {
	first := map[int64]string{}
	for id, s := range m {
		if f, ok := first[s]; !ok || id < f {
			first[s] = id
		}
	}
	out := make(map[string]string, len(m))
	for id, s := range m {
		out[id] = first[s]
	}
	return out
}
