package summary

import (
	"testing"

	"newsdigest/digest/summary/sentgold"
)

// TestGoldSentences: on the gold sets written from real bench pages
// (testdata/sentences, one per language), SentencesIn gets at least 90%
// of the sentences exactly, and never fewer than Sentences without the
// language.
func TestGoldSentences(t *testing.T) {
	golds, err := sentgold.Read("testdata/sentences")
	if err != nil {
		t.Fatal(err)
	}
	for _, g := range golds {
		right, total := sentgold.Score(g, SentencesIn)
		base, _ := sentgold.Score(g, func(text, _ string) []string { return Sentences(text) })
		t.Logf("%s: %d/%d (without the language %d)", g.Code, right, total, base)
		if float64(right) < 0.9*float64(total) || right < base {
			t.Errorf("%s: %d of %d gold sentences (without the language %d)", g.Code, right, total, base)
		}
	}
}
