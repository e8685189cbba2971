package summary

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// GoldSplit is one language's gold set: paragraphs, each its sentences.
type goldSet struct {
	code  string
	paras [][]string
}

// readGold reads testdata/sentences/<code>.txt: one sentence a line, a
// blank line between paragraphs, "#" lines naming the page they come from.
func readGold(t testing.TB) []goldSet {
	files, err := filepath.Glob("testdata/sentences/*.txt")
	if err != nil || len(files) == 0 {
		t.Fatalf("no gold sets: %v", err)
	}
	var out []goldSet
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		g := goldSet{code: strings.TrimSuffix(filepath.Base(f), ".txt")}
		var cur []string
		for _, line := range strings.Split(string(b), "\n") {
			switch {
			case strings.HasPrefix(line, "#"):
			case strings.TrimSpace(line) == "":
				if len(cur) > 0 {
					g.paras = append(g.paras, cur)
					cur = nil
				}
			default:
				cur = append(cur, strings.TrimSpace(line))
			}
		}
		if len(cur) > 0 {
			g.paras = append(g.paras, cur)
		}
		out = append(out, g)
	}
	return out
}

// splitScore is the share of gold sentences that split gives exactly.
func splitScore(g goldSet, split func(text, code string) []string) (right, total int) {
	for _, p := range g.paras {
		got := map[string]int{}
		for _, s := range split(strings.Join(p, " "), g.code) {
			got[s]++
		}
		for _, s := range p {
			total++
			if got[s] > 0 {
				got[s]--
				right++
			}
		}
	}
	return right, total
}

// TestGoldSentences: on the gold sets written from real bench pages
// (testdata/sentences, one per language), SentencesIn gets at least 90%
// of the sentences exactly, and never fewer than Sentences without the
// language.
func TestGoldSentences(t *testing.T) {
	for _, g := range readGold(t) {
		right, total := splitScore(g, SentencesIn)
		base, _ := splitScore(g, func(text, _ string) []string { return Sentences(text) })
		t.Logf("%s: %d/%d (without the language %d)", g.code, right, total, base)
		if float64(right) < 0.9*float64(total) || right < base {
			t.Errorf("%s: %d of %d gold sentences (without the language %d)", g.code, right, total, base)
		}
	}
}
