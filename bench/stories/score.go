package main

import "newsdigest/bench/internal/storyscore"

// Scores as /work/shared/bench/README.md defines them for stories.

// prf is precision, recall and F1.
type prf struct{ P, R, F float64 }

func f1(p, r float64) float64 {
	if p+r == 0 {
		return 0
	}
	return 2 * p * r / (p + r)
}

// bcubed is storyscore.BCubed as a prf.
func bcubed(pred map[string]int64, gold map[string]string) prf {
	p, r, f := storyscore.BCubed(pred, gold)
	return prf{p, r, f}
}

// pairwise scores same-story pairs: precision is the share of predicted
// same-story pairs that are gold pairs, recall the reverse.
func pairwise(pred map[string]int64, gold map[string]string) prf {
	ids := make([]string, 0, len(gold))
	for id := range gold {
		ids = append(ids, id)
	}
	var tp, fp, fn float64
	for i := range ids {
		for j := i + 1; j < len(ids); j++ {
			sp := pred[ids[i]] == pred[ids[j]]
			sg := gold[ids[i]] == gold[ids[j]]
			switch {
			case sp && sg:
				tp++
			case sp:
				fp++
			case sg:
				fn++
			}
		}
	}
	p, r := 1.0, 1.0
	if tp+fp > 0 {
		p = tp / (tp + fp)
	}
	if tp+fn > 0 {
		r = tp / (tp + fn)
	}
	return prf{p, r, f1(p, r)}
}
