package main

import (
	"regexp"
)

// tokenRe is Zyte's tokenizer: runs of Unicode letters, digits and '_'.
var tokenRe = regexp.MustCompile(`[\p{L}\p{N}_]+`)

// shingles returns the token 4-grams of text as a multiset; a text of 1-3
// tokens gives one shorter shingle, an empty text none.
func shingles(text string) map[string]int {
	toks := tokenRe.FindAllString(text, -1)
	m := make(map[string]int)
	const n = 4
	if len(toks) == 0 {
		return m
	}
	if len(toks) < n {
		m[join(toks)]++
		return m
	}
	for i := 0; i+n <= len(toks); i++ {
		m[join(toks[i:i+n])]++
	}
	return m
}

func join(toks []string) string {
	s := ""
	for i, t := range toks {
		if i > 0 {
			s += "\x00"
		}
		s += t
	}
	return s
}

// pageScore is one page's precision and recall.
type pageScore struct {
	P, R       float64
	PredEmpty  bool
	TruthEmpty bool
}

// scorePage compares a prediction with the truth by shingle counts.
func scorePage(truth, pred string) pageScore {
	ts, ps := shingles(truth), shingles(pred)
	var tp, fp, fn int
	for k, tc := range ts {
		pc := ps[k]
		tp += min(tc, pc)
		fn += max(0, tc-pc)
	}
	for k, pc := range ps {
		fp += max(0, pc-ts[k])
	}
	s := pageScore{PredEmpty: len(ps) == 0, TruthEmpty: len(ts) == 0}
	if fp == 0 && fn == 0 {
		s.P, s.R = 1, 1
		return s
	}
	if tp+fp > 0 {
		s.P = float64(tp) / float64(tp+fp)
	}
	if tp+fn > 0 {
		s.R = float64(tp) / float64(tp+fn)
	}
	return s
}

// corpus averages page scores the way Zyte's benchmark does.
func corpus(pages []pageScore) (p, r, f1 float64) {
	var np, nr int
	for _, s := range pages {
		if !s.PredEmpty {
			p += s.P
			np++
		}
		if !s.TruthEmpty {
			r += s.R
			nr++
		}
	}
	if np > 0 {
		p /= float64(np)
	}
	if nr > 0 {
		r /= float64(nr)
	}
	if p+r > 0 {
		f1 = 2 * p * r / (p + r)
	}
	return p, r, f1
}
