package main

import (
	"math"
	"testing"
)

func TestScorePage(t *testing.T) {
	tests := []struct {
		truth, pred string
		p, r        float64
		predEmpty   bool
	}{
		{"one two three four five", "one two three four five", 1, 1, false},
		{"one two three four five", "", 0, 0, true},
		{"one two three four five", "one two three four", 1, 0.5, false}, // 1 of 2 shingles
		{"one two three four", "one two three four five six", 1.0 / 3, 1, false},
		{"a b", "a b", 1, 1, false}, // short texts are one shingle
		{"a b", "a c", 0, 0, false},
		{"Ünïcödé wörds, here_too 42!", "Ünïcödé wörds here_too 42", 1, 1, false}, // punctuation is no token
		{"Case Matters here now", "case matters here now", 0, 0, false},
	}
	for _, tt := range tests {
		s := scorePage(tt.truth, tt.pred)
		if math.Abs(s.P-tt.p) > 1e-9 || math.Abs(s.R-tt.r) > 1e-9 || s.PredEmpty != tt.predEmpty {
			t.Errorf("scorePage(%q, %q) = %+v, want P %.3f R %.3f", tt.truth, tt.pred, s, tt.p, tt.r)
		}
	}
}

func TestCorpus(t *testing.T) {
	pages := []pageScore{{P: 1, R: 1}, {P: 0.5, R: 0.5}, {PredEmpty: true}}
	p, r, f1 := corpus(pages)
	// Precision skips the empty prediction; recall counts it as 0.
	if math.Abs(p-0.75) > 1e-9 || math.Abs(r-0.5) > 1e-9 || math.Abs(f1-0.6) > 1e-9 {
		t.Errorf("corpus = %.3f %.3f %.3f", p, r, f1)
	}
}
