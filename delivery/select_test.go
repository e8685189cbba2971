package delivery

import (
	"strings"
	"testing"
	"time"

	"newsdigest/digest"
)

func TestMatches(t *testing.T) {
	s := story(1, "Élection à Zürich: SPD gains", time.Now(), 1)
	tests := []struct {
		keywords []string
		want     bool
	}{
		{nil, true},
		{[]string{"zürich"}, true},
		{[]string{"ZÜRICH"}, true},
		{[]string{"élection à"}, true},
		{[]string{"spd"}, true},
		{[]string{"gain"}, false}, // whole words only
		{[]string{"", "  "}, false},
		{[]string{"line about"}, true}, // in the summary
		{[]string{"spd gains!"}, true}, // punctuation is a word break
	}
	for _, tt := range tests {
		if got := matches(s, tt.keywords); got != tt.want {
			t.Errorf("matches(%q) = %v, want %v", tt.keywords, got, tt.want)
		}
	}
}

func TestSelectStoriesRanksAndCaps(t *testing.T) {
	now := time.Now()
	in := []digest.Story{story(1, "one source old", now.Add(-2*time.Hour), 1), story(2, "three sources", now.Add(-5*time.Hour), 3),
		story(3, "one source new", now.Add(-time.Hour), 1)}
	got := selectStories(in, nil, 2)
	if len(got) != 2 || got[0].ID != 2 || got[1].ID != 3 {
		t.Fatalf("got %v", []int64{got[0].ID, got[1].ID})
	}
	if in[0].ID != 1 {
		t.Error("the input was reordered")
	}
}

func FuzzMatches(f *testing.F) {
	f.Add("Solar power record", "solar")
	f.Add("Zürich, élection", "ÉLECTION")
	f.Add("a--b", "a b")
	f.Fuzz(func(t *testing.T, headline, keyword string) {
		s := story(1, headline, time.Now(), 1)
		got := matches(s, []string{keyword})
		// A keyword that is the whole (normalised) headline always matches.
		if n := strings.TrimSpace(normalize(headline)); n != "" && strings.TrimSpace(normalize(keyword)) == n && !got {
			t.Fatalf("%q does not match its own headline %q", keyword, headline)
		}
	})
}
