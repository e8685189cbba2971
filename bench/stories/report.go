package main

import (
	"fmt"
	"strings"
	"time"

	"newsdigest/digest/story"
)

// grids searched when tuning on the held-in topics.
var (
	thresholds    = seq(0.10, 0.40, 0.01)
	entityWeights = []float64{1, 1.5, 2, 3}
	mergeMargins  = []float64{-1, 0.15, 0.3, 0.45, 0.6} // -1: none
)

func seq(from, to, step float64) []float64 {
	var out []float64
	for x := from; x <= to+1e-9; x += step {
		out = append(out, float64(int(x*1000+0.5))/1000)
	}
	return out
}

type setting struct {
	Threshold, EntityWeight, MergeMargin float64
}

func (st setting) opts() story.Options {
	return story.Options{Threshold: st.Threshold, EntityWeight: st.EntityWeight, MergeMargin: st.MergeMargin}
}

func (st setting) String() string {
	m := st.MergeMargin
	if m < 0 {
		m = 0
	}
	return fmt.Sprintf("threshold %.2f, entity weight %.1f, merge margin %.2f", st.Threshold, st.EntityWeight, m)
}

func ours(s set, st setting) map[string]int64 { return story.Group(s.docs, st.opts()) }

// online is the grouping without Settle: each doc's story as Match gave it
// when it came, never revised.
func online(s set, st setting) map[string]int64 {
	g := story.NewGrouper(st.opts())
	out := make(map[string]int64, len(s.docs))
	var next int64
	for _, d := range s.docs {
		id, ok := g.Match(d)
		if !ok {
			next++
			id = next
		}
		g.Add(d, id)
		out[d.ID] = id
	}
	return out
}

// tuneOurs picks the setting with the best B-cubed F1 on s.
func tuneOurs(s set) (setting, prf) {
	var best setting
	var bestF prf
	for _, w := range entityWeights {
		for _, m := range mergeMargins {
			for _, t := range thresholds {
				st := setting{t, w, m}
				if f := bcubed(ours(s, st), s.gold); f.F > bestF.F {
					best, bestF = st, f
				}
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

// rounds groups s as the live bot does when its ingest rounds bring k docs
// each: Match and Add per doc, Settle and Apply after every k docs and at
// the end.
func rounds(s set, st setting, k int) map[string]int64 {
	g := story.NewGrouper(st.opts())
	out := make(map[string]int64, len(s.docs))
	var next int64
	newID := func() (int64, error) { next++; return next, nil }
	settle := func() {
		moves, _ := g.Settle(newID)
		g.Apply(moves)
		for _, m := range moves {
			out[m.DocID] = m.To
		}
	}
	for i, d := range s.docs {
		id, ok := g.Match(d)
		if !ok {
			id, _ = newID()
		}
		g.Add(d, id)
		out[d.ID] = id
		if (i+1)%k == 0 {
			settle()
		}
	}
	settle()
	return out
}

func report(b *strings.Builder, s set, seeds int) {
	odd := s.subset(func(t int) bool { return t%2 == 1 })
	even := s.subset(func(t int) bool { return t%2 == 0 })
	fmt.Fprintf(b, "# Story grouping on ECB+\n\n%d docs, %d gold stories; odd topics %d docs, even topics %d docs.\n\n", len(s.docs), countStories(s.gold), len(odd.docs), len(even.docs))
	b.WriteString(`Reproduce: ` + "`cd bench && go run ./stories`" + ` (writes this file). Scores as /work/shared/bench/README.md defines them.

- **ours**: ` + "`story.Group`" + `, the grouping the bot runs live over one ingest round: each doc matched online
  against the stories so far and added (IDF learned online; names, numbers and the lead weighted up; average
  link; threshold scaled by doc length), then ` + "`Settle`" + `: the round's window regrouped at once by average-link
  agglomerative clustering under the same similarity, two groups of several docs merging only at a margin
  above the threshold, the story IDs kept by the groups that hold most of each story. See the package doc
  of digest/story.
- **online only**: the same without Settle: each doc's story as it was matched on arrival, never revised.
- **baseline**: plain TF-IDF (scikit-learn defaults: word tokens, English stop words, smooth IDF over the docs
  grouped, L2), cosine, offline average-link agglomerative clustering cut at a threshold.
- **held out**: the threshold (and, for ours, the entity weight from {1, 1.5, 2, 3} and the merge margin from
  {0, 0.15, 0.3, 0.45, 0.6}) is tuned on the odd topics and scored on the even ones, and the reverse; each
  half is grouped on its own.
- **shuffled**: the same docs in random orders, since live arrival order is arbitrary.
- **rounds of k**: Settle after every k docs, as when each ingest round brings k new articles.
- **leads only**: each doc cut to its first two lines, a stand-in for outlets' headline and lead.

`)

	fmt.Fprintf(b, "## Topics held out (tuned on one half, scored on the other)\n\n%s", header)
	var heldOurs, heldBase, heldShuffled []float64
	var tuned []setting
	for _, f := range []struct {
		name        string
		tune, score set
	}{{"odd→even", odd, even}, {"even→odd", even, odd}} {
		st, tf := tuneOurs(f.tune)
		bt, btf := tuneBase(f.tune)
		o := row(b, fmt.Sprintf("ours %s (%s; tuned F1 %.3f)", f.name, st, tf.F), ours(f.score, st), f.score.gold)
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

	def := setting{story.DefaultThreshold, story.DefaultEntityWeight, story.DefaultMergeMargin}
	fmt.Fprintf(b, "## Whole file, default setting (%s)\n\n%s", def, header)
	row(b, "ours, file order", ours(s, def), s.gold)
	var sh []float64
	for seed := 1; seed <= seeds; seed++ {
		sd := s
		sd.docs = shuffled(s.docs, uint64(seed))
		sh = append(sh, row(b, fmt.Sprintf("ours, shuffled seed %d", seed), ours(sd, def), s.gold).F)
	}
	sd1 := s
	sd1.docs = shuffled(s.docs, 1)
	for _, k := range []int{25, 100} {
		row(b, fmt.Sprintf("ours, shuffled seed 1, rounds of %d", k), rounds(sd1, def, k), s.gold)
	}
	var onl []float64
	row(b, "online only, file order", online(s, def), s.gold)
	for seed := 1; seed <= seeds; seed++ {
		sd := s
		sd.docs = shuffled(s.docs, uint64(seed))
		onl = append(onl, bcubed(online(sd, def), s.gold).F)
	}
	bt, _ := tuneBase(s)
	row(b, fmt.Sprintf("baseline, threshold %.2f tuned on this file", bt), baseAt(s, bt), s.gold)
	for _, st := range tuned {
		row(b, fmt.Sprintf("ours, the held-out tuning's setting (%s)", st), ours(s, st), s.gold)
		row(b, fmt.Sprintf("ours, leads only, the held-out tuning's setting (%s)", st), ours(s.leads(), st), s.gold)
	}
	fmt.Fprintf(b, "\nShuffled orders (%d seeds): ours B³ F1 mean %.3f, min %.3f, max %.3f; online only mean %.3f, min %.3f, max %.3f.\n\n",
		seeds, mean(sh), minOf(sh), maxOf(sh), mean(onl), minOf(onl), maxOf(onl))

	l := s.leads()
	fmt.Fprintf(b, "## Leads only (first two lines of each doc), same settings, not retuned\n\n%s", header)
	row(b, "ours, file order", ours(l, def), l.gold)
	l1 := l
	l1.docs = shuffled(l.docs, 1)
	row(b, "ours, shuffled seed 1", ours(l1, def), l.gold)
	row(b, "online only, file order", online(l, def), l.gold)
	row(b, fmt.Sprintf("baseline, threshold %.2f", bt), baseAt(l, bt), l.gold)
	lt, ltf := tuneBase(l)
	fmt.Fprintf(b, "\n(baseline retuned on the leads: threshold %.2f, B³ F1 %.3f)\n\n", lt, ltf.F)

	b.WriteString(NOTES)
	// Speed: the whole file matched online a few times, and Settle alone
	// over the whole file's window.
	const reps = 5
	start := time.Now()
	for i := 0; i < reps; i++ {
		online(s, def)
	}
	onlineT := time.Since(start)
	g := story.NewGrouper(def.opts())
	for i, d := range s.docs {
		g.Add(d, int64(i+1))
	}
	var next int64 = 1 << 40
	newID := func() (int64, error) { next++; return next, nil }
	start = time.Now()
	for i := 0; i < reps; i++ {
		if _, err := g.Settle(newID); err != nil {
			panic(err)
		}
	}
	settleT := time.Since(start)
	fmt.Fprintf(b, "## Speed\n\nWhole file ×%d: online matching %.0f docs/s (%.2f ms per doc, features included); "+
		"Settle of the %d-doc window %.0f ms.\n", reps, float64(reps*len(s.docs))/onlineT.Seconds(),
		onlineT.Seconds()*1000/float64(reps*len(s.docs)), len(s.docs), settleT.Seconds()*1000/reps)
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
