// Package storyscore scores a grouping of docs into stories against the gold
// one with B-cubed precision, recall and F1, as
// /work/shared/bench/README.md defines them for stories.
package storyscore

import "sort"

// BCubed scores pred against gold over the ids of gold: per doc, precision
// is the share of its predicted story that is in its gold story, recall
// the share of its gold story that is in its predicted story; both are
// averaged over docs, and f is their harmonic mean.
func BCubed(pred map[string]int64, gold map[string]string) (p, r, f float64) {
	if len(gold) == 0 {
		return 0, 0, 0
	}
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
	p, r = p/n, r/n
	if p+r > 0 {
		f = 2 * p * r / (p + r)
	}
	return p, r, f
}
