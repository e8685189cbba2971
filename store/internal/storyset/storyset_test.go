package storyset

import (
	"reflect"
	"testing"
	"time"

	"newsdigest/digest"
)

var t0 = time.Date(2026, 3, 1, 8, 0, 0, 0, time.UTC)

func TestScore(t *testing.T) {
	if got := Score(10, t0, t0); got != 10 {
		t.Errorf("fresh score = %v, want the full relevance 10", got)
	}
	if got := Score(10, t0, t0.Add(HalfLife)); got < 6.99 || got > 7.01 {
		t.Errorf("score one half-life old = %v, want 7 (0.4 + 0.6/2 of 10)", got)
	}
	if got := Score(10, t0, t0.Add(1000*HalfLife)); got < Floor*10-0.01 || got > Floor*10+0.01 {
		t.Errorf("very old score = %v, want the floor %v", got, Floor*10)
	}
	if Score(10, t0.Add(time.Hour), t0) != 10 {
		t.Error("an article from the future should count as fresh, not more")
	}
	if Score(10, t0, t0.Add(time.Hour)) <= Score(10, t0, t0.Add(2*time.Hour)) {
		t.Error("older must score lower")
	}
}

func TestLead(t *testing.T) {
	a := []digest.StoredArticle{
		{ID: 1, Summary: []string{"one"}},
		{ID: 2, Summary: []string{"one", "two", "three"}},
		{ID: 3, Summary: []string{"one", "two", "three"}},
	}
	for _, tc := range []struct {
		lead int64
		want int64
	}{{0, 2}, {3, 3}, {99, 2}} {
		if got := Lead(a, tc.lead).ID; got != tc.want {
			t.Errorf("Lead(set %d) = %d, want %d", tc.lead, got, tc.want)
		}
	}
	if Lead(nil, 0).ID != 0 {
		t.Error("Lead of no articles")
	}
}

func TestAssemble(t *testing.T) {
	rows := []digest.StoredArticle{
		{ID: 5, StoryID: 2, FirstSeen: t0.Add(3 * time.Hour)},
		{ID: 1, StoryID: 1, FirstSeen: t0},
		{ID: 4, StoryID: 2, FirstSeen: t0.Add(2 * time.Hour)},
		{ID: 2, StoryID: 1, FirstSeen: t0.Add(5 * time.Hour), Summary: []string{"a", "b"}},
	}
	got := Assemble(rows, map[int64]int64{2: 5})
	if len(got) != 2 || got[0].ID != 2 || got[1].ID != 1 {
		t.Fatalf("stories = %+v, want 2 then 1 (newest first seen first)", got)
	}
	if ids := []int64{got[0].Articles[0].ID, got[0].Articles[1].ID}; !reflect.DeepEqual(ids, []int64{4, 5}) {
		t.Errorf("articles of story 2 = %v, want oldest first", ids)
	}
	if got[0].Lead.ID != 5 || got[1].Lead.ID != 2 {
		t.Errorf("leads = %d, %d; want 5 (set) and 2 (fullest summary)", got[0].Lead.ID, got[1].Lead.ID)
	}
	if !got[1].FirstSeen.Equal(t0) || !got[1].LastSeen.Equal(t0.Add(5*time.Hour)) {
		t.Errorf("story 1 seen %v..%v", got[1].FirstSeen, got[1].LastSeen)
	}
}

func TestBestPerStory(t *testing.T) {
	got := BestPerStory([]Candidate{
		{ArticleID: 1, StoryID: 10, Score: 1},
		{ArticleID: 2, StoryID: 10, Score: 3},
		{ArticleID: 3, StoryID: 20, Score: 2},
		{ArticleID: 4, StoryID: 0, Score: 5},
		{ArticleID: 5, StoryID: 0, Score: 0.5},
	}, 3)
	want := []int64{4, 2, 3}
	var ids []int64
	for _, c := range got {
		ids = append(ids, c.ArticleID)
	}
	if !reflect.DeepEqual(ids, want) {
		t.Errorf("BestPerStory = %v, want %v", ids, want)
	}
}

func TestIDs(t *testing.T) {
	for _, tc := range []struct {
		ids  []int64
		want string
	}{
		{nil, "[]"},
		{[]int64{3, 1}, "[3 1]"},
		{[]int64{1, 2, 3, 4, 5, 6, 7}, "[1 2 3 4 5 … 7 in all]"},
	} {
		if got := IDs(tc.ids); got != tc.want {
			t.Errorf("IDs(%v) = %q, want %q", tc.ids, got, tc.want)
		}
	}
}
