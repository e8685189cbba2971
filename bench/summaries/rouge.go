package main

import (
	"strings"
)

// This file scores summaries the way Google's rouge-score does with
// use_stemmer=True: lower-case, every run of non-[a-z0-9] becomes a space,
// tokens longer than three characters are Porter-stemmed; ROUGE-N counts
// clipped n-gram overlaps; ROUGE-Lsum takes the union LCS of each reference
// sentence against every summary line, without counting a token twice.

// score is precision, recall and F1 of one measure on one article.
type score struct{ P, R, F float64 }

func fmeasure(p, r float64) float64 {
	if p+r > 0 {
		return 2 * p * r / (p + r)
	}
	return 0
}

// tokenize turns text into rouge-score's stemmed tokens.
func tokenize(text string) []string {
	text = strings.ToLower(text)
	var toks []string
	start := -1
	for i := 0; i <= len(text); i++ {
		alnum := i < len(text) && (text[i] >= 'a' && text[i] <= 'z' || text[i] >= '0' && text[i] <= '9')
		if alnum && start < 0 {
			start = i
		}
		if !alnum && start >= 0 {
			t := text[start:i]
			if len(t) > 3 {
				t = stem(t)
			}
			toks = append(toks, t)
			start = -1
		}
	}
	return toks
}

func ngrams(toks []string, n int) map[string]int {
	m := make(map[string]int)
	for i := 0; i+n <= len(toks); i++ {
		m[strings.Join(toks[i:i+n], " ")]++
	}
	return m
}

// rougeN scores the n-gram overlap of prediction with target.
func rougeN(target, prediction []string, n int) score {
	t, p := ngrams(target, n), ngrams(prediction, n)
	overlap, tn, pn := 0, 0, 0
	for g, c := range t {
		overlap += min(c, p[g])
		tn += c
	}
	for _, c := range p {
		pn += c
	}
	prec := float64(overlap) / float64(max(pn, 1))
	rec := float64(overlap) / float64(max(tn, 1))
	return score{prec, rec, fmeasure(prec, rec)}
}

// lcsIndices returns the indices into ref of one longest common subsequence
// of ref and can, read back the way rouge-score does (preferring to drop a
// token of can when the table allows either move).
func lcsIndices(ref, can []string) []int {
	rows, cols := len(ref), len(can)
	t := make([][]int, rows+1)
	for i := range t {
		t[i] = make([]int, cols+1)
	}
	for i := 1; i <= rows; i++ {
		for j := 1; j <= cols; j++ {
			if ref[i-1] == can[j-1] {
				t[i][j] = t[i-1][j-1] + 1
			} else {
				t[i][j] = max(t[i-1][j], t[i][j-1])
			}
		}
	}
	var idx []int
	i, j := rows, cols
	for i > 0 && j > 0 {
		switch {
		case ref[i-1] == can[j-1]:
			idx = append(idx, i-1)
			i--
			j--
		case t[i][j-1] > t[i-1][j]:
			j--
		default:
			i--
		}
	}
	for a, b := 0, len(idx)-1; a < b; a, b = a+1, b-1 {
		idx[a], idx[b] = idx[b], idx[a]
	}
	return idx
}

// rougeLsum scores summary-level LCS of the prediction lines against the
// reference sentences.
func rougeLsum(refSents, canSents [][]string) score {
	if len(refSents) == 0 || len(canSents) == 0 {
		return score{}
	}
	m, n := 0, 0
	cntR, cntC := map[string]int{}, map[string]int{}
	for _, s := range refSents {
		m += len(s)
		for _, t := range s {
			cntR[t]++
		}
	}
	for _, s := range canSents {
		n += len(s)
		for _, t := range s {
			cntC[t]++
		}
	}
	if m == 0 || n == 0 {
		return score{}
	}
	hits := 0
	for _, r := range refSents {
		union := make([]bool, len(r))
		for _, c := range canSents {
			for _, i := range lcsIndices(r, c) {
				union[i] = true
			}
		}
		for i, in := range union {
			if !in {
				continue
			}
			tok := r[i]
			if cntC[tok] > 0 && cntR[tok] > 0 {
				hits++
				cntC[tok]--
				cntR[tok]--
			}
		}
	}
	prec := float64(hits) / float64(n)
	rec := float64(hits) / float64(m)
	return score{prec, rec, fmeasure(prec, rec)}
}

// rouge holds the three F1 figures of one summary.
type rouge struct{ R1, R2, RLsum float64 }

// scoreSummary scores summary lines against reference sentences.
func scoreSummary(refSents, lines []string) rouge {
	var refTok, sumTok []string
	var refS, sumS [][]string
	for _, s := range refSents {
		t := tokenize(s)
		refTok = append(refTok, t...)
		if strings.TrimSpace(s) != "" {
			refS = append(refS, t)
		}
	}
	for _, s := range lines {
		t := tokenize(s)
		sumTok = append(sumTok, t...)
		if s != "" {
			sumS = append(sumS, t)
		}
	}
	return rouge{
		R1:    rougeN(refTok, sumTok, 1).F,
		R2:    rougeN(refTok, sumTok, 2).F,
		RLsum: rougeLsum(refS, sumS).F,
	}
}
