package main

import (
	"fmt"
	"strings"
	"time"

	"newsdigest/digest/story"
)

// grids searched when tuning on the held-in topics.
var (
	thresholds    = seq(0.05, 0.60, 0.01)
	entityWeights = []float64{1, 1.5, 2, 3}
)

func seq(from, to, step float64) []float64 {
	var out []float64
	for x := from; x <= to+1e-9; x += step {
		out = append(out, float64(int(x*1000+0.5))/1000)
	}
	return out
}

type setting struct {
	Threshold, EntityWeight float64
}

func (st setting) opts() story.Options {
	return story.Options{Threshold: st.Threshold, EntityWeight: st.EntityWeight}
}

func ours(s set, st setting) map[string]int64 { return story.Group(s.docs, st.opts()) }

// tuneOurs picks the setting with the best B-cubed F1 on s.
func tuneOurs(s set) (setting, prf) {
	var best setting
	var bestF prf
	for _, w := range entityWeights {
		for _, t := range thresholds {
			st := setting{t, w}
			if f := bcubed(ours(s, st), s.gold); f.F > bestF.F {
				best, bestF = st, f
			}
		}
	}
	return best, bestF
}

// tuneBase picks the baseline's cut with the best B-cubed F1 on s.
func tuneBase(s set) (float64, prf) {
	merges := averageLink(s.docs)
	var best float64
	var bestF prf
	for _, t := range thresholds {
		if f := bcubed(cut(s.docs, merges, t), s.gold); f.F > bestF.F {
			best, bestF = t, f
		}
	}
	return best, bestF
}

func baseAt(s set, t float64) map[string]int64 { return cut(s.docs, averageLink(s.docs), t) }

func row(b *strings.Builder, name string, pred map[string]int64, g map[string]string) prf {
	bc, pw := bcubed(pred, g), pairwise(pred, g)
	stories := map[int64]bool{}
	for id := range g {
		stories[pred[id]] = true
	}
	fmt.Fprintf(b, "| %s | %.3f | %.3f | **%.3f** | %.3f | %.3f | %.3f | %d |\n", name, bc.P, bc.R, bc.F, pw.P, pw.R, pw.F, len(stories))
	return bc
}

const header = "| run | B³ P | B³ R | B³ F1 | pair P | pair R | pair F1 | stories |\n|---|---|---|---|---|---|---|---|\n"

func report(b *strings.Builder, s set, seeds int) {
	odd := s.subset(func(t int) bool { return t%2 == 1 })
	even := s.subset(func(t int) bool { return t%2 == 0 })
	fmt.Fprintf(b, "# Story grouping on ECB+\n\n%d docs, %d gold stories; odd topics %d docs, even topics %d docs.\n\n", len(s.docs), countStories(s.gold), len(odd.docs), len(even.docs))

	fmt.Fprintf(b, "## Topics held out (tuned on one half, scored on the other, file order)\n\n%s", header)
	var heldOurs, heldBase []float64
	for _, f := range []struct {
		name        string
		tune, score set
	}{{"odd→even", odd, even}, {"even→odd", even, odd}} {
		st, tf := tuneOurs(f.tune)
		bt, btf := tuneBase(f.tune)
		o := row(b, fmt.Sprintf("ours %s (threshold %.2f, entity weight %.1f; tuned F1 %.3f)", f.name, st.Threshold, st.EntityWeight, tf.F), ours(f.score, st), f.score.gold)
		bl := row(b, fmt.Sprintf("baseline %s (threshold %.2f; tuned F1 %.3f)", f.name, bt, btf.F), baseAt(f.score, bt), f.score.gold)
		heldOurs = append(heldOurs, o.F)
		heldBase = append(heldBase, bl.F)
	}
	fmt.Fprintf(b, "\nHeld-out B³ F1, mean of both halves: ours **%.3f**, baseline **%.3f**.\n\n", mean(heldOurs), mean(heldBase))

	def := setting{story.DefaultThreshold, story.DefaultEntityWeight}
	fmt.Fprintf(b, "## Whole file, default setting (threshold %.2f, entity weight %.1f)\n\n%s", def.Threshold, def.EntityWeight, header)
	row(b, "ours, file order", ours(s, def), s.gold)
	var sh []float64
	for seed := 1; seed <= seeds; seed++ {
		sd := s
		sd.docs = shuffled(s.docs, uint64(seed))
		sh = append(sh, row(b, fmt.Sprintf("ours, shuffled seed %d", seed), ours(sd, def), s.gold).F)
	}
	bt, _ := tuneBase(s)
	row(b, fmt.Sprintf("baseline, threshold %.2f tuned on this file", bt), baseAt(s, bt), s.gold)
	fmt.Fprintf(b, "\nShuffled orders: B³ F1 mean %.3f, min %.3f, max %.3f.\n\n", mean(sh), minOf(sh), maxOf(sh))

	l := s.leads()
	fmt.Fprintf(b, "## Leads only (first two lines of each doc), same settings, not retuned\n\n%s", header)
	row(b, "ours, file order", ours(l, def), l.gold)
	row(b, fmt.Sprintf("baseline, threshold %.2f", bt), baseAt(l, bt), l.gold)
	lt, ltf := tuneBase(l)
	fmt.Fprintf(b, "\n(baseline retuned on the leads: threshold %.2f, B³ F1 %.3f)\n\n", lt, ltf.F)

	// Speed: the whole file, grouped online, a few times.
	const reps = 5
	start := time.Now()
	for i := 0; i < reps; i++ {
		story.Group(s.docs, def.opts())
	}
	el := time.Since(start)
	fmt.Fprintf(b, "## Speed\n\nOnline grouping, whole file ×%d: %.0f docs/s (%.2f ms per doc, features included).\n", reps, float64(reps*len(s.docs))/el.Seconds(), el.Seconds()*1000/float64(reps*len(s.docs)))
}

func countStories(g map[string]string) int {
	m := map[string]bool{}
	for _, c := range g {
		m[c] = true
	}
	return len(m)
}

func mean(x []float64) float64 {
	var s float64
	for _, v := range x {
		s += v
	}
	return s / float64(len(x))
}

func minOf(x []float64) float64 {
	m := x[0]
	for _, v := range x {
		m = min(m, v)
	}
	return m
}

func maxOf(x []float64) float64 {
	m := x[0]
	for _, v := range x {
		m = max(m, v)
	}
	return m
}
