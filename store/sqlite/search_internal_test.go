package sqlite

import (
	"context"
	"testing"

	"newsdigest/digest"
	"newsdigest/store/fts"
	"newsdigest/store/storetest"
)

// TestCommonWordRanking runs the whole suite with every word counted as
// common, so that searches take the ranking without bm25.
func TestCommonWordRanking(t *testing.T) {
	storetest.Run(t, func(t *testing.T) digest.Store {
		s, err := Open(context.Background(), ":memory:")
		if err != nil {
			t.Fatal(err)
		}
		s.commonLimit = 1
		return s
	})
}

func TestMentions(t *testing.T) {
	terms := func(q string) []fts.Term {
		ts, err := fts.Parse(q)
		if err != nil {
			t.Fatal(err)
		}
		return ts
	}
	for _, tc := range []struct {
		text, q string
		want    bool
	}{
		{"Council is running new elections", "election", true},
		{"Council is running new elections", "elections council", true},
		{"Flooding in Zürich", "zurich", true},
		{"Flooding in Zürich", "ZÜRICH flood", true},
		{"Unrelated words", "related", false}, // inside a word, not at its start
		{"Москва объявила", "москва", true},
		{"Rain today", "rain snow", false},
	} {
		if got := mentions(tc.text, terms(tc.q)); got != tc.want {
			t.Errorf("mentions(%q, %q) = %v, want %v", tc.text, tc.q, got, tc.want)
		}
	}
}
