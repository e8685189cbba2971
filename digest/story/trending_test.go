package story

import (
	"testing"
	"time"

	"newsdigest/digest"
)

var t0 = time.Date(2025, 2, 19, 12, 0, 0, 0, time.UTC)

func art(id int64, source string, ago time.Duration, headline string, summary ...string) digest.StoredArticle {
	return digest.StoredArticle{ID: id, Source: source, Headline: headline, Summary: summary, FirstSeen: t0.Add(-ago)}
}

func ids(ss []digest.Story) []int64 {
	var out []int64
	for _, s := range ss {
		out = append(out, s.ID)
	}
	return out
}

func TestTrendingDistinctSourcesBeatOneNoisySource(t *testing.T) {
	// Story 1: one source posting eight near-identical items, all recent.
	var spam []digest.StoredArticle
	for i := range 8 {
		spam = append(spam, art(int64(10+i), "Clickbait Daily", time.Duration(i)*10*time.Minute, "Shock claim", "a", "b", "c"))
	}
	stories := []digest.Story{
		{ID: 1, Articles: spam},
		// Story 2: four outlets over the last six hours.
		{ID: 2, Articles: []digest.StoredArticle{
			art(20, "Reuters", 6*time.Hour, "Talks in Riyadh", "a"),
			art(21, "AP", 5*time.Hour, "Talks in Riyadh", "a", "b", "c"),
			art(22, "BBC", 3*time.Hour, "Talks in Riyadh", "a"),
			art(23, "DW", 2*time.Hour, "Talks in Riyadh", "a"),
		}},
		// Story 3: two outlets, but a day and a half old: outside the window.
		{ID: 3, Articles: []digest.StoredArticle{art(30, "AP", 36*time.Hour, "Old news"), art(31, "BBC", 30*time.Hour, "Old news")}},
	}
	got := Trending(stories, t0, 24*time.Hour, 10)
	if len(got) != 2 || got[0].ID != 2 || got[1].ID != 1 {
		t.Fatalf("Trending = %v, want [2 1] (the four-source story first, the old one left out)", ids(got))
	}
	if got[0].Lead.ID != 21 {
		t.Errorf("lead = %d, want 21 (the only member with a full summary)", got[0].Lead.ID)
	}
	if got := Trending(stories, t0, 24*time.Hour, 1); len(got) != 1 {
		t.Errorf("n=1 gave %d stories", len(got))
	}
}

func TestTrendingPrefersGrowingAndRecent(t *testing.T) {
	stories := []digest.Story{
		// Two sources, both 20 hours ago.
		{ID: 1, Articles: []digest.StoredArticle{art(1, "A", 20*time.Hour, "x"), art(2, "B", 20*time.Hour, "x")}},
		// Two sources, both in the last hour: same coverage, growing now.
		{ID: 2, Articles: []digest.StoredArticle{art(3, "A", time.Hour, "y"), art(4, "B", 30*time.Minute, "y")}},
	}
	if got := Trending(stories, t0, 24*time.Hour, 10); got[0].ID != 2 {
		t.Errorf("Trending = %v, want the fresh story first", ids(got))
	}
}

func TestLeadRule(t *testing.T) {
	early := art(1, "A", 3*time.Hour, "x", "one")
	full := art(2, "B", 2*time.Hour, "x", "one", "two", "three")
	copyOfFull := art(3, "C", 1*time.Hour, "x", "one", "two", "three")
	if got := Lead(digest.Story{Articles: []digest.StoredArticle{early, copyOfFull, full}}); got.ID != 2 {
		t.Errorf("Lead = %d, want 2: most complete, then earliest", got.ID)
	}
}

func TestForDigest(t *testing.T) {
	stories := []digest.Story{
		{ID: 1, Articles: []digest.StoredArticle{art(1, "A", time.Hour, "Earthquake in Zürich", "A magnitude 4 quake shook the city.")}},
		{ID: 2, Articles: []digest.StoredArticle{art(2, "A", 3*time.Hour, "Talks on Ukraine"), art(3, "B", 2*time.Hour, "Ukraine talks begin")}},
		{ID: 3, Articles: []digest.StoredArticle{art(4, "C", 30*time.Minute, "Markets rally", "Stocks rose on Ukrainian peace hopes.")}},
	}
	tests := []struct {
		keywords []string
		max      int
		want     []int64
	}{
		{nil, 10, []int64{2, 3, 1}},                     // most sources, then newest
		{nil, 2, []int64{2, 3}},                         // capped
		{[]string{"ukraine"}, 10, []int64{2}},           // word match, not "Ukrainian"
		{[]string{"ZÜRICH"}, 10, []int64{1}},            // case-insensitive
		{[]string{"quake shook"}, 10, []int64{1}},       // phrase
		{[]string{"shook quake"}, 10, nil},              // word order matters
		{[]string{"(.*)+$", "markets"}, 10, []int64{3}}, // no pattern syntax
		{[]string{"  "}, 10, []int64{2, 3, 1}},          // blank keywords filter nothing
	}
	for _, tt := range tests {
		got := ids(ForDigest(stories, tt.keywords, tt.max))
		if len(got) != len(tt.want) {
			t.Errorf("ForDigest(%q, %d) = %v, want %v", tt.keywords, tt.max, got, tt.want)
			continue
		}
		for i := range got {
			if got[i] != tt.want[i] {
				t.Errorf("ForDigest(%q, %d) = %v, want %v", tt.keywords, tt.max, got, tt.want)
				break
			}
		}
	}
}

func TestTrendingNewSingleSourceIsNoGrowth(t *testing.T) {
	stories := []digest.Story{
		// One source, just now: score 1 (counting its start as growth would make it 2).
		{ID: 1, Articles: []digest.StoredArticle{art(1, "A", time.Minute, "x")}},
		// Two sources, the newer five hours ago: 2 · 2^(-5/6) ≈ 1.1.
		{ID: 2, Articles: []digest.StoredArticle{art(2, "A", 10*time.Hour, "y"), art(3, "B", 5*time.Hour, "y")}},
	}
	if got := Trending(stories, t0, 24*time.Hour, 10); got[0].ID != 2 {
		t.Errorf("Trending = %v, want two sources above one fresh item", ids(got))
	}
}

func TestForDigestPhraseStaysInOneField(t *testing.T) {
	s := []digest.Story{{ID: 1, Articles: []digest.StoredArticle{art(1, "A", time.Hour, "Talks end in Geneva", "Peace hopes rise.")}}}
	if got := ForDigest(s, []string{"geneva peace"}, 10); len(got) != 0 {
		t.Errorf("a phrase matched across the headline and the summary: %v", ids(got))
	}
}
