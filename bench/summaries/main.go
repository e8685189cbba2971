// Command summaries scores the summarizer against Lead-3 on the CNN/DailyMail
// articles in shared/bench/summaries with ROUGE-1, ROUGE-2 and ROUGE-Lsum F1
// (rouge-score's method with stemming), both limited to three lines of at
// most 200 runes, and writes the table to results/summaries.md.
//
//	cd bench && go run ./summaries [-data FILE] [-pages DIR] [-out FILE] [-dump FILE] [-tune]
//
// It also runs the bot's pipeline on every page of the other bench sets
// and the seed, and reports the share of summary lines that occur verbatim
// in their page (pages.go).
//
// The articles are split by a fixed rule on their id (heldOut: FNV-1a 32 of
// the id, odd = held out; 78 of the 162 held out, 84 for tuning); -tune
// searches the summarizer's weights on the tuning part only, and every run
// reports both parts with the baselines side by side.
package main

import (
	"bufio"
	"encoding/json"
	"flag"
	"fmt"
	"hash/fnv"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"unicode"

	"newsdigest/digest"
	"newsdigest/digest/summary"
)

type article struct {
	ID        string   `json:"id"`
	Article   string   `json:"article"`
	Lines     []string `json:"article_lines"`
	Reference string   `json:"reference"`
}

func main() {
	data := flag.String("data", "../../shared/bench/summaries/cnndm.jsonl", "CNN/DailyMail JSON lines")
	out := flag.String("out", "results/summaries.md", "where to write the results table")
	dump := flag.String("dump", "", "write every system's lines per article as JSON lines to this file")
	pages := flag.String("pages", "../../shared", "folder holding bench/ and seeds/: check that every summary line of every bench page occurs in the page (empty: skip)")
	tune := flag.Bool("tune", false, "search the weights on the tuning part")
	set := flag.String("set", "", "override weights: name=value,… (names as in summary.Options)")
	flag.Parse()
	o, err := setOptions(summary.DefaultOptions(), *set)
	if err == nil {
		err = run(*data, *pages, *out, *dump, o, *tune, os.Stdout)
	}
	if err != nil {
		slog.Error("summaries failed", "err", err)
		os.Exit(1)
	}
}

// heldOut reports whether an article is in the held-out part: the FNV-1a
// 32-bit hash of its id is odd. The rule was fixed before any tuning on
// this split and does not depend on the file's order.
func heldOut(id string) bool {
	h := fnv.New32a()
	h.Write([]byte(id))
	return h.Sum32()%2 == 1
}

func readArticles(path string) ([]article, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("summaries: open data: %w", err)
	}
	defer f.Close()
	var arts []article
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<24)
	for n := 1; sc.Scan(); n++ {
		var a article
		if err := json.Unmarshal(sc.Bytes(), &a); err != nil {
			return nil, fmt.Errorf("summaries: %s line %d: %w", path, n, err)
		}
		arts = append(arts, a)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("summaries: read %s: %w", path, err)
	}
	return arts, nil
}

// refSentences splits a reference (tokenized highlights joined with " . ")
// into its highlights, one per line as rouge-score's Lsum expects.
func refSentences(ref string) []string {
	var out []string
	for _, s := range strings.Split(ref, " . ") {
		if s = strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(s), " .")); s != "" {
			out = append(out, s)
		}
	}
	return out
}

// system makes summary lines for an article.
type system struct {
	name string
	run  func(a article) []string
}

func lead3(sents []string) []string {
	var out []string
	for _, s := range sents {
		if len(out) == digest.MaxSummaryLines {
			break
		}
		if t := summary.Trim(s, digest.MaxLineLength); t != "" {
			out = append(out, t)
		}
	}
	return out
}

// cutAt200 cuts a sentence to at most max runes the plain way: at the last
// space that leaves room for "…". Lead-3@200 of issue 15 is the set's first
// three sentences cut so.
func cutAt200(s string, max int) string {
	s = strings.Join(strings.Fields(s), " ")
	rs := []rune(s)
	if len(rs) <= max {
		return s
	}
	k := max - 1
	for k > 0 && rs[k] != ' ' {
		k--
	}
	if k == 0 {
		k = max - 1
	}
	return strings.TrimRightFunc(string(rs[:k]), unicode.IsSpace) + "…"
}

func lead3At200(sents []string) []string {
	var out []string
	for _, s := range sents {
		if len(out) == digest.MaxSummaryLines {
			break
		}
		if t := cutAt200(s, digest.MaxLineLength); t != "" {
			out = append(out, t)
		}
	}
	return out
}

// baseline is the system the summarizer must beat: the first in systems.
const baseline = "Lead-3@200"

func systems(o summary.Options) []system {
	return []system{
		{baseline, func(a article) []string { return lead3At200(a.Lines) }},
		{"Lead-3 (dataset sentences, cut by summary.Trim)", func(a article) []string { return lead3(a.Lines) }},
		{"Lead-3 (our splitter, cut by summary.Trim)", func(a article) []string { return lead3(summary.Sentences(a.Article)) }},
		{"newsdigest summary", func(a article) []string { return o.Summarize(a.Article) }},
	}
}

// figures are mean F1 ×100 over a set of articles.
type figures struct {
	N               int
	R1, R2, RLsum   float64
	Lines, Runes    float64
	linesN, runesSN int
}

func (f *figures) add(r rouge, lines []string) {
	f.N++
	f.R1 += r.R1
	f.R2 += r.R2
	f.RLsum += r.RLsum
	f.Lines += float64(len(lines))
	for _, l := range lines {
		f.Runes += float64(len([]rune(l)))
	}
}

func (f figures) mean() figures {
	if f.N == 0 {
		return f
	}
	n := float64(f.N)
	return figures{N: f.N, R1: 100 * f.R1 / n, R2: 100 * f.R2 / n, RLsum: 100 * f.RLsum / n,
		Lines: f.Lines / n, Runes: f.Runes / n}
}

// evaluation is one system's figures: over all articles, the tuning part
// and the held-out part, and its per-article scores and lines.
type evaluation struct {
	all, tune, held figures
	scores          []rouge
	lines           [][]string
}

// evaluate scores one system on all articles, and on each part.
func evaluate(arts []article, sys system) evaluation {
	var all, tuneP, held figures
	var ev evaluation
	for _, a := range arts {
		lines := sys.run(a)
		r := scoreSummary(refSentences(a.Reference), lines)
		all.add(r, lines)
		if heldOut(a.ID) {
			held.add(r, lines)
		} else {
			tuneP.add(r, lines)
		}
		ev.scores = append(ev.scores, r)
		ev.lines = append(ev.lines, lines)
	}
	ev.all, ev.tune, ev.held = all.mean(), tuneP.mean(), held.mean()
	return ev
}

// margins describes how the held-out lead over the baseline varies: the
// mean per-article difference on each held-out half (articles alternately
// in file order) and the 5th percentile of 2,000 bootstrap resamples of
// the held-out articles (a fixed seed, so the figure is reproducible).
func margins(arts []article, sys, base []rouge) string {
	var d [][3]float64
	for i, a := range arts {
		if heldOut(a.ID) {
			d = append(d, [3]float64{100 * (sys[i].R1 - base[i].R1), 100 * (sys[i].R2 - base[i].R2), 100 * (sys[i].RLsum - base[i].RLsum)})
		}
	}
	if len(d) == 0 {
		return ""
	}
	mean := func(idx []int) [3]float64 {
		var m [3]float64
		for _, i := range idx {
			for k := range m {
				m[k] += d[i][k]
			}
		}
		for k := range m {
			m[k] /= float64(max(len(idx), 1))
		}
		return m
	}
	var halves [2][]int
	for i := range d {
		halves[i%2] = append(halves[i%2], i)
	}
	const rounds = 2000
	seed := uint64(88172645463325252)
	next := func() uint64 { seed ^= seed << 13; seed ^= seed >> 7; seed ^= seed << 17; return seed }
	samples := [3][]float64{}
	idx := make([]int, len(d))
	for r := 0; r < rounds; r++ {
		for i := range idx {
			idx[i] = int(next() % uint64(len(d)))
		}
		m := mean(idx)
		for k := range samples {
			samples[k] = append(samples[k], m[k])
		}
	}
	var p5, wins [3]float64
	for k := range samples {
		sortFloats(samples[k])
		p5[k] = samples[k][rounds/20]
		for _, v := range samples[k] {
			if v > 0 {
				wins[k]++
			}
		}
		wins[k] /= rounds
	}
	h0, h1 := mean(halves[0]), mean(halves[1])
	return fmt.Sprintf("| held-out first half (%d) | %+.2f | %+.2f | %+.2f |\n", len(halves[0]), h0[0], h0[1], h0[2]) +
		fmt.Sprintf("| held-out second half (%d) | %+.2f | %+.2f | %+.2f |\n", len(halves[1]), h1[0], h1[1], h1[2]) +
		fmt.Sprintf("| bootstrap 5th percentile of the held-out mean | %+.2f | %+.2f | %+.2f |\n", p5[0], p5[1], p5[2]) +
		fmt.Sprintf("| bootstrap share of resamples ahead | %.3f | %.3f | %.3f |\n", wins[0], wins[1], wins[2])
}

func sortFloats(v []float64) { sort.Float64s(v) }

func run(data, pagesDir, out, dump string, o summary.Options, tune bool, w io.Writer) error {
	arts, err := readArticles(data)
	if err != nil {
		return err
	}
	if tune {
		o = tuneOptions(arts, o, w)
	}
	nHeld := 0
	for _, a := range arts {
		if heldOut(a.ID) {
			nHeld++
		}
	}
	var b strings.Builder
	fmt.Fprintf(&b, "# Summaries: ROUGE F1 ×100 on CNN/DailyMail (%d articles: %d held out, %d for tuning)\n\n", len(arts), nHeld, len(arts)-nHeld)
	fmt.Fprintf(&b, "Every system gives at most %d lines of at most %d runes.\n\n", digest.MaxSummaryLines, digest.MaxLineLength)
	b.WriteString("- Lead-3@200 (the baseline of issue 15): the first three of the set's own `article_lines`, each longer one\n")
	b.WriteString("  cut at the last space before 200 runes and ended with \"…\".\n")
	b.WriteString("- Lead-3 cut by summary.Trim: the same sentences (or the first three of `article` by summary.Sentences),\n")
	b.WriteString("  a longer one cut at a clause boundary as the summarizer cuts its own lines.\n")
	b.WriteString("- newsdigest summary: summary.Summarize on `article` (the text the bot gets).\n\n")
	b.WriteString("Scorer: Google rouge-score's method with stemming: lower-case, non-[a-z0-9] to space, NLTK's Porter\n")
	b.WriteString("stemmer (default mode, reimplemented and checked word for word against NLTK 3.8) on tokens longer than\n")
	b.WriteString("3 chars; ROUGE-N F1 from clipped n-gram counts; ROUGE-Lsum = union LCS of the summary lines against the\n")
	b.WriteString("reference highlights (the reference split at \" . \"). Figures are mean F1 over articles, ×100.\n\n")
	b.WriteString("Split (fixed before any tuning on it): an article is held out when the FNV-1a 32-bit hash of its `id`\n")
	b.WriteString("is odd. This version's settings and rules were chosen on the tuning part only. Earlier versions were\n")
	b.WriteString("tuned on the articles at even positions of the file, about half of which fall in the held-out part, so\n")
	b.WriteString("the held-out part is held out from this version's tuning, not unseen by the project. With 78 articles\n")
	b.WriteString("a mean moves by about half a point from one sample to another (see the halves and the bootstrap below).\n")
	b.WriteString("`lines` and `runes` are means per summary.\n\n")
	b.WriteString("| system | held-out R1 | held-out R2 | held-out RLsum | tune R1 | tune R2 | tune RLsum | all R1 | all R2 | all RLsum | lines | runes |\n")
	b.WriteString("|---|---|---|---|---|---|---|---|---|---|---|---|\n")
	dumps := map[string][][]string{}
	evs := map[string]evaluation{}
	var names []string
	for _, sys := range systems(o) {
		ev := evaluate(arts, sys)
		dumps[sys.name] = ev.lines
		evs[sys.name] = ev
		names = append(names, sys.name)
		all, th, ho := ev.all, ev.tune, ev.held
		fmt.Fprintf(&b, "| %s | %.2f | %.2f | %.2f | %.2f | %.2f | %.2f | %.2f | %.2f | %.2f | %.2f | %.0f |\n",
			sys.name, ho.R1, ho.R2, ho.RLsum, th.R1, th.R2, th.RLsum, all.R1, all.R2, all.RLsum, all.Lines, all.Runes)
	}
	ours, base := evs[names[len(names)-1]], evs[baseline]
	b.WriteString("\nLines that repeat an earlier line of their summary (half or more of their content words, stemmed, of four\n")
	b.WriteString("letters or more, in the earlier line), over all articles:")
	for _, name := range names {
		n := 0
		for _, l := range evs[name].lines {
			n += repeatPairs(l)
		}
		fmt.Fprintf(&b, " %s %d;", name, n)
	}
	b.WriteString("\n")
	b.WriteString("\nLead of newsdigest over Lead-3@200 (points of F1 ×100):\n\n")
	b.WriteString("| part | R1 | R2 | RLsum |\n|---|---|---|---|\n")
	fmt.Fprintf(&b, "| held-out (%d) | %+.2f | %+.2f | %+.2f |\n", nHeld, ours.held.R1-base.held.R1, ours.held.R2-base.held.R2, ours.held.RLsum-base.held.RLsum)
	fmt.Fprintf(&b, "| tuning (%d) | %+.2f | %+.2f | %+.2f |\n", len(arts)-nHeld, ours.tune.R1-base.tune.R1, ours.tune.R2-base.tune.R2, ours.tune.RLsum-base.tune.RLsum)
	b.WriteString(margins(arts, ours.scores, base.scores))
	fmt.Fprintf(&b, "\nSettings: %+v\n", o)
	if pagesDir != "" {
		pages, err := loadPages(filepath.Join(pagesDir, "bench"), filepath.Join(pagesDir, "seeds"))
		if err != nil {
			return fmt.Errorf("summaries: load bench pages: %w", err)
		}
		b.WriteString("\n" + verbatimReport(checkVerbatim(pages)))
	}
	b.WriteString("\nReproduce: `cd bench && go run ./summaries` (`-tune` redoes the weight search on the tuning part,\n")
	b.WriteString("`-set Name=value,…` tries other weights, `-dump FILE` writes every system's lines, `-pages \"\"` skips the page check).\n")
	fmt.Fprint(w, b.String())
	if out != "" {
		if err := os.WriteFile(out, []byte(b.String()), 0o644); err != nil {
			return fmt.Errorf("summaries: write %s: %w", out, err)
		}
	}
	if dump != "" {
		if err := writeDump(dump, arts, dumps); err != nil {
			return err
		}
	}
	return nil
}

func writeDump(path string, arts []article, dumps map[string][][]string) error {
	f, err := os.Create(path)
	if err != nil {
		return fmt.Errorf("summaries: create %s: %w", path, err)
	}
	enc := json.NewEncoder(f)
	for i, a := range arts {
		rec := map[string]any{"id": a.ID, "reference": strings.Join(refSentences(a.Reference), "\n")}
		for name, per := range dumps {
			rec[name] = strings.Join(per[i], "\n")
		}
		if err := enc.Encode(rec); err != nil {
			f.Close()
			return fmt.Errorf("summaries: write %s: %w", path, err)
		}
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("summaries: close %s: %w", path, err)
	}
	return nil
}
