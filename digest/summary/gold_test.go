package summary

import (
	"testing"

	"newsdigest/digest/summary/sentgold"
)

// TestGoldSentences: on the gold sets written from real bench pages
// (testdata/sentences, one per language), SentencesIn gets at least 90%
// of the sentences exactly, and never fewer than Sentences without the
// language.
//
// The held-out sets (testdata/sentences-heldout, split by hand before the
// splitter ever ran on their pages) are held to the same: they are read
// here to catch a regression, never to write rules from.
func TestGoldSentences(t *testing.T) {
	for _, dir := range []string{"testdata/sentences", "testdata/sentences-heldout"} {
		golds, err := sentgold.Read(dir)
		if err != nil {
			t.Fatal(err)
		}
		for _, g := range golds {
			right, total := sentgold.Score(g, SentencesIn)
			base, _ := sentgold.Score(g, func(text, _ string) []string { return Sentences(text) })
			t.Logf("%s %s: %d/%d (without the language %d)", dir, g.Code, right, total, base)
			if float64(right) < 0.9*float64(total) || right < base {
				t.Errorf("%s %s: %d of %d gold sentences (without the language %d)", dir, g.Code, right, total, base)
			}
		}
	}
}
