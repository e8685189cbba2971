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
	b.WriteString(`Reproduce: ` + "`cd bench && go run ./stories`" + ` (writes this file). Scores as /work/shared/bench/README.md defines them.

- **ours**: ` + "`story.Group`" + `, the online grouping the bot runs live (one pass, docs in the order given, each doc
  matched against the stories so far and added; IDF learned online; names, numbers and the lead weighted up;
  average link; threshold scaled by doc length). See the package doc of digest/story.
- **baseline**: plain TF-IDF (scikit-learn defaults: word tokens, English stop words, smooth IDF over the docs
  grouped, L2), cosine, offline average-link agglomerative clustering cut at a threshold. It sees every doc
  at once, which an online grouper cannot.
- **held out**: the threshold (and, for ours, the entity weight from {1, 1.5, 2, 3}) is tuned on the odd
  topics and scored on the even ones, and the reverse; each half is grouped on its own.
- **shuffled**: the same file in random orders, since live arrival order is arbitrary.
- **leads only**: each doc cut to its first two lines, a stand-in for outlets' headline and lead.

`)

	fmt.Fprintf(b, "## Topics held out (tuned on one half, scored on the other, file order)\n\n%s", header)
	var heldOurs, heldBase, heldShuffled []float64
	var tuned []setting
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
		var sh []float64
		for seed := 1; seed <= 3; seed++ {
			sd := f.score
			sd.docs = shuffled(f.score.docs, uint64(seed))
			sh = append(sh, bcubed(ours(sd, st), f.score.gold).F)
		}
		heldShuffled = append(heldShuffled, mean(sh))
		tuned = append(tuned, st)
	}
	fmt.Fprintf(b, "\nHeld-out B³ F1, mean of both halves: ours **%.3f** (shuffled orders, 3 seeds each: %.3f), baseline **%.3f**.\n\n", mean(heldOurs), mean(heldShuffled), mean(heldBase))

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
	for _, st := range tuned {
		row(b, fmt.Sprintf("ours, file order, the held-out tuning's setting (%.2f, %.1f)", st.Threshold, st.EntityWeight), ours(s, st), s.gold)
		sd := s
		sd.docs = shuffled(s.docs, 1)
		row(b, fmt.Sprintf("ours, shuffled seed 1, the held-out tuning's setting (%.2f, %.1f)", st.Threshold, st.EntityWeight), ours(sd, st), s.gold)
		row(b, fmt.Sprintf("ours, leads only, the held-out tuning's setting (%.2f, %.1f)", st.Threshold, st.EntityWeight), ours(s.leads(), st), s.gold)
	}
	fmt.Fprintf(b, "\nShuffled orders: B³ F1 mean %.3f, min %.3f, max %.3f.\n\n", mean(sh), minOf(sh), maxOf(sh))

	l := s.leads()
	fmt.Fprintf(b, "## Leads only (first two lines of each doc), same settings, not retuned\n\n%s", header)
	row(b, "ours, file order", ours(l, def), l.gold)
	row(b, fmt.Sprintf("baseline, threshold %.2f", bt), baseAt(l, bt), l.gold)
	lt, ltf := tuneBase(l)
	fmt.Fprintf(b, "\n(baseline retuned on the leads: threshold %.2f, B³ F1 %.3f)\n\n", lt, ltf.F)

	b.WriteString(`## Notes

- The default setting is not the file-order optimum of the held-out tuning (which favours a heavier entity
  weight): it was chosen on the whole file to hold up in shuffled orders and on leads-only text too, where
  the heavier weight loses (compare the rows above). Nothing in the grouping reads ` + "`cluster`" + ` or ` + "`topic`" + `.
- Shuffled orders cost a few points: an online grouper commits each doc when it arrives, so a look-alike
  event met early can be absorbed by the first story of its topic, and two early halves of one event can
  stay apart. The file's order (each event's docs together) is kind to it.
- With the default, in file order, the remaining errors (` + "`go run ./stories -explain 0.24`" + ` prints them) are
  mostly splits of loose, long-running events (days of rioting in Greece, a coach's hiring, a free-agent
  bidding war, a supermarket fire told with different details), and one look-alike pair told with the same
  cast (two Klitschko title defences) partly merged.
- Tried and not kept (whole file, file order / shuffled / leads): centroid link instead of average link
  (best 0.859 / 0.871 / 0.808 at threshold 0.32: steadier across orders, worse in file order and on leads);
  a stricter threshold for stories of one or two docs; a penalty for docs naming disjoint years; mean of
  the top few member similarities; a relative "story cohesion" threshold. None beat the default overall.
- The baseline is offline (sees every doc at once) and its IDF comes from the very docs it groups; retuned
  on the leads in-sample it beats ours there, but at the full-text threshold it collapses.

`)
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
