package main

import (
	"fmt"
	"strings"
	"time"

	"newsdigest/digest/story"
)

// grids searched when tuning on the tuning topics.
var (
	thresholds      = seq(0.10, 0.40, 0.01) // the baseline's
	oursThresholds  = seq(0.16, 0.24, 0.01)
	entityWeights   = []float64{1, 1.5, 2}
	mergeMargins    = []float64{0.3, 0.45, 0.6}
	conflictMargins = []float64{-1, 0.25, 0.5, 1} // -1: none
)

func seq(from, to, step float64) []float64 {
	var out []float64
	for x := from; x <= to+1e-9; x += step {
		out = append(out, float64(int(x*1000+0.5))/1000)
	}
	return out
}

type setting struct {
	Threshold, EntityWeight, MergeMargin, ConflictMargin float64
}

// defaults is the bot's default setting.
var defaults = setting{story.DefaultThreshold, story.DefaultEntityWeight, story.DefaultMergeMargin, story.DefaultConflictMargin}

func (st setting) opts() story.Options {
	return story.Options{Threshold: st.Threshold, EntityWeight: st.EntityWeight, MergeMargin: st.MergeMargin, ConflictMargin: st.ConflictMargin}
}

func (st setting) String() string {
	return fmt.Sprintf("threshold %.2f, entity weight %.1f, merge margin %.2f, conflict margin %.2f", st.Threshold, st.EntityWeight, max(0, st.MergeMargin), max(0, st.ConflictMargin))
}

// shapes is one half in the three shapes scored: whole texts, short
// texts, short texts at most three per story.
type shapes struct {
	full, short set
	three       []set
}

func shapesOf(s set) shapes {
	sh := s.short()
	return shapes{s, sh, sh.triples(3)}
}

// scores are B-cubed scores on the three shapes.
type scores [3]prf

func (x scores) mean() float64 { return (x[0].F + x[1].F + x[2].F) / 3 }

func (h shapes) score(group func(set) map[string]int64) scores {
	return scores{bcubed(group(h.full), h.full.gold), bcubed(group(h.short), h.short.gold), meanOver(h.three, group)}
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

// tuneOurs picks the setting with the best mean B-cubed F1 over the
// three shapes of the tuning topics: the bot must group whole articles
// and outlets' short items alike.
func tuneOurs(h shapes) (setting, scores) {
	var best setting
	var bestS scores
	for _, w := range entityWeights {
		for _, m := range mergeMargins {
			for _, c := range conflictMargins {
				for _, t := range oursThresholds {
					st := setting{t, w, m, c}
					if sc := h.score(func(x set) map[string]int64 { return ours(x, st) }); sc.mean() > bestS.mean() {
						best, bestS = st, sc
					}
				}
			}
		}
	}
	return best, bestS
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
	fmt.Fprintf(b, "# Story grouping on ECB+\n\n%d docs, %d gold stories; tuning topics (odd) %d docs, held-out topics (even) %d docs.\n\n", len(s.docs), countStories(s.gold), len(odd.docs), len(even.docs))
	b.WriteString(`Reproduce: ` + "`cd bench && go run ./stories`" + ` (writes this file; some ten minutes on a busy 2-core machine). Scores as
/work/shared/bench/README.md defines them.

- **ours**: ` + "`story.Group`" + `, the grouping the bot runs live over one ingest round: each doc matched online
  against the stories so far and added (IDF learned online; names, numbers and the lead weighted up; average
  link; threshold scaled by doc length), then ` + "`Settle`" + `: the round's window regrouped at once by average-link
  agglomerative clustering under the same similarity, two groups of several docs merging only at a margin
  above the threshold, and at a further margin when each group's headlines and leads name someone of its own
  that the other's never name, the story IDs kept by the groups that hold most of each story. See the
  package doc of digest/story.
- **online only**: the same without Settle: each doc's story as it was matched on arrival, never revised.
- **baseline**: plain TF-IDF (scikit-learn defaults: word tokens, English stop words, smooth IDF over the docs
  grouped, L2), cosine, offline average-link agglomerative clustering cut at a threshold.
- **shapes**: *full*, the ECB+ texts as they are; *short*, the shape of the hidden benchmark (outlets' headline
  and first paragraph on the same stories, no dates): each doc cut to its first line as the headline and its
  next two lines as the paragraph, datelines and timestamps stripped, a distinct outlet per doc, the docs in
  a fixed random order; *short ≤3/story*: the short docs dealt into disjoint windows holding at most three
  docs of each gold story (the hidden set has 1,479 texts in 505 stories, about three outlets per story),
  each window grouped on its own, scores pooled over windows by docs.
- **held out**: the topics are split by a fixed rule, odd topic numbers for tuning and even ones held out,
  before anything is tuned. Ours: the threshold (0.16 to 0.24), entity weight {1, 1.5, 2}, merge margin
  {0.3, 0.45, 0.6} and conflict margin {none, 0.25, 0.5, 1} that maximise the mean B³ F1 of the three shapes
  on the tuning topics. Baseline: its threshold (0.10 to 0.40) that maximises B³ F1 on the full texts of the
  tuning topics, as the hidden benchmark's baseline was tuned on the ECB+ dev file. Each half is grouped on
  its own. The reverse split (tuned on even, scored on odd) is shown too.
- **shuffled**: the same docs in random orders, since live arrival order is arbitrary.
- **rounds of k**: Settle after every k docs, as when each ingest round brings k new articles.
- **leads only**: each doc cut to its first two lines (no headline split, no timestamp stripping, file
  order), the older stand-in for outlets' headline and lead, kept for comparison.

`)

	b.WriteString("## Topics held out: the headline figures\n\n" +
		"Tuned on one half of the topics, scored on the other. B³ F1 in each shape; the first rows (tuned on the odd\n" +
		"topics, which picked the bot's defaults) are the headline ones.\n\n" +
		"| run | held-out full | held-out short | held-out short ≤3/story | tuning full | tuning short | tuning short ≤3/story |\n|---|---|---|---|---|---|---|\n")
	var detail strings.Builder
	var tuned []setting
	var heldShuffled []float64
	for _, f := range []struct {
		name        string
		tune, score set
	}{{"odd→even", odd, even}, {"even→odd", even, odd}} {
		th, sh := shapesOf(f.tune), shapesOf(f.score)
		st, ts := tuneOurs(th)
		bt, _ := tuneBase(f.tune)
		oursAt := func(x set) map[string]int64 { return ours(x, st) }
		baseline := func(x set) map[string]int64 { return baseAt(x, bt) }
		hs := sh.score(oursAt)
		bts, bhs := th.score(baseline), sh.score(baseline)
		fmt.Fprintf(b, "| ours %s (%s) | **%.3f** | **%.3f** | **%.3f** | %.3f | %.3f | %.3f |\n", f.name, st, hs[0].F, hs[1].F, hs[2].F, ts[0].F, ts[1].F, ts[2].F)
		fmt.Fprintf(b, "| baseline %s (threshold %.2f, tuned on the tuning topics' full texts) | %.3f | %.3f | %.3f | %.3f | %.3f | %.3f |\n", f.name, bt, bhs[0].F, bhs[1].F, bhs[2].F, bts[0].F, bts[1].F, bts[2].F)
		if f.name == "odd→even" {
			nc := st
			nc.ConflictMargin = -1
			ncAt := func(x set) map[string]int64 { return ours(x, nc) }
			nts, nhs := th.score(ncAt), sh.score(ncAt)
			fmt.Fprintf(b, "| ours %s, the same setting without the conflict margin | %.3f | %.3f | %.3f | %.3f | %.3f | %.3f |\n", f.name, nhs[0].F, nhs[1].F, nhs[2].F, nts[0].F, nts[1].F, nts[2].F)
			old := setting{0.20, 1.5, 0.45, -1}
			oldAt := func(x set) map[string]int64 { return ours(x, old) }
			ots, ohs := th.score(oldAt), sh.score(oldAt)
			fmt.Fprintf(b, "| ours before this change (%s) | %.3f | %.3f | %.3f | %.3f | %.3f | %.3f |\n", old, ohs[0].F, ohs[1].F, ohs[2].F, ots[0].F, ots[1].F, ots[2].F)
		}
		for k, shape := range []string{"full", "short", "short ≤3/story"} {
			fmt.Fprintf(&detail, "| ours %s, held-out %s | %.3f | %.3f | **%.3f** |\n", f.name, shape, hs[k].P, hs[k].R, hs[k].F)
			fmt.Fprintf(&detail, "| baseline %s, held-out %s | %.3f | %.3f | **%.3f** |\n", f.name, shape, bhs[k].P, bhs[k].R, bhs[k].F)
		}
		var shf []float64
		for seed := 1; seed <= 3; seed++ {
			sd := f.score
			sd.docs = shuffled(f.score.docs, uint64(seed))
			shf = append(shf, bcubed(ours(sd, st), f.score.gold).F)
		}
		heldShuffled = append(heldShuffled, mean(shf))
		tuned = append(tuned, st)
	}
	fmt.Fprintf(b, "\nHeld-out full texts in shuffled orders (3 seeds each): ours %.3f (odd→even), %.3f (even→odd).\n\n", heldShuffled[0], heldShuffled[1])
	b.WriteString("Precision and recall of the held-out scores:\n\n| run | B³ P | B³ R | B³ F1 |\n|---|---|---|---|\n")
	b.WriteString(detail.String())
	b.WriteString("\n")

	def := defaults
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
	ws := s.short()
	row(b, "ours, short shape", ours(ws, def), ws.gold)
	row(b, fmt.Sprintf("baseline, short shape, threshold %.2f", bt), baseAt(ws, bt), ws.gold)
	w3 := ws.triples(3)
	for _, x := range []struct {
		name  string
		group func(set) map[string]int64
	}{{"ours, short ≤3/story", func(x set) map[string]int64 { return ours(x, def) }},
		{fmt.Sprintf("baseline, short ≤3/story, threshold %.2f", bt), func(x set) map[string]int64 { return baseAt(x, bt) }}} {
		f := meanOver(w3, x.group)
		fmt.Fprintf(b, "| %s (%d windows, pooled) | %.3f | %.3f | **%.3f** | – | – | – | – |\n", x.name, len(w3), f.P, f.R, f.F)
	}
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
