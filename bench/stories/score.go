package main

import "sort"

// Scores as /work/shared/bench/README.md defines them for stories.

// prf is precision, recall and F1.
type prf struct{ P, R, F float64 }

func f1(p, r float64) float64 {
	if p+r == 0 {
		return 0
	}
	return 2 * p * r / (p + r)
}

// bcubed scores a predicted grouping against the gold one over the ids of
// gold: per doc, precision is the share of its predicted story that is in
// its gold story, recall the share of its gold story that is in its
// predicted story; both are averaged over docs.
func bcubed(pred map[string]int64, gold map[string]string) prf {
	predMembers := map[int64][]string{}
	goldSize := map[string]int{}
	for id, g := range gold {
		predMembers[pred[id]] = append(predMembers[pred[id]], id)
		goldSize[g]++
	}
	// Summed in ID order, so that equal scores come out equal to the last
	// bit and tuning breaks ties the same way on every run.
	ids := make([]string, 0, len(gold))
	for id := range gold {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	var p, r float64
	for _, id := range ids {
		g := gold[id]
		same := 0
		members := predMembers[pred[id]]
		for _, o := range members {
			if gold[o] == g {
				same++
			}
		}
		p += float64(same) / float64(len(members))
		r += float64(same) / float64(goldSize[g])
	}
	n := float64(len(gold))
	return prf{p / n, r / n, f1(p/n, r/n)}
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
