// Package sentgold reads the hand-split sentence gold sets of
// digest/summary/testdata (one file a language) and scores a splitter on
// them; summary's tests and the bench's languages harness share it.
package sentgold

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// Set is one language's gold set: paragraphs, each its sentences.
type Set struct {
	Code  string
	Paras [][]string
}

// Read reads dir/<code>.txt: one sentence a line, a blank line between
// paragraphs, "#" lines naming the page they come from.
func Read(dir string) ([]Set, error) {
	files, err := filepath.Glob(filepath.Join(dir, "*.txt"))
	if err != nil || len(files) == 0 {
		return nil, fmt.Errorf("no gold sets in %s: %v", dir, err)
	}
	var out []Set
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			return nil, fmt.Errorf("gold set: %w", err)
		}
		out = append(out, Parse(strings.TrimSuffix(filepath.Base(f), ".txt"), string(b)))
	}
	return out, nil
}

// Parse reads one gold file's text as language code's set.
func Parse(code, text string) Set {
	g := Set{Code: code}
	var cur []string
	for _, line := range append(strings.Split(text, "\n"), "") {
		switch {
		case strings.HasPrefix(line, "#"):
		case strings.TrimSpace(line) == "":
			if len(cur) > 0 {
				g.Paras = append(g.Paras, cur)
				cur = nil
			}
		default:
			cur = append(cur, strings.TrimSpace(line))
		}
	}
	return g
}

// Score counts the gold sentences that split, given each paragraph's
// sentences joined by spaces, returns exactly.
func Score(g Set, split func(text, code string) []string) (right, total int) {
	for _, p := range g.Paras {
		got := map[string]int{}
		for _, s := range split(strings.Join(p, " "), g.Code) {
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
