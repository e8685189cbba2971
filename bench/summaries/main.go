// Command summaries scores the summarizer against Lead-3 on the CNN/DailyMail
// articles in shared/bench/summaries with ROUGE-1, ROUGE-2 and ROUGE-Lsum F1
// (rouge-score's method with stemming), both limited to three lines of at
// most 200 runes, and writes the table to results/summaries.md.
//
//	cd bench && go run ./summaries [-data FILE] [-out FILE] [-dump FILE] [-tune]
//
// Articles at even positions in the file are the tuning half, odd ones the
// held-out half; -tune searches the summarizer's weights on the tuning half
// only and reports the best setting's figures on both.
package main

import (
	"bufio"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strings"

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
	tune := flag.Bool("tune", false, "search the weights on the tuning half")
	set := flag.String("set", "", "override weights: name=value,… (names as in summary.Options)")
	flag.Parse()
	o, err := setOptions(summary.DefaultOptions(), *set)
	if err == nil {
		err = run(*data, *out, *dump, o, *tune, os.Stdout)
	}
	if err != nil {
		slog.Error("summaries failed", "err", err)
		os.Exit(1)
	}
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

func systems(o summary.Options) []system {
	return []system{
		{"Lead-3 (dataset sentences)", func(a article) []string { return lead3(a.Lines) }},
		{"Lead-3 (our splitter)", func(a article) []string { return lead3(summary.Sentences(a.Article)) }},
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

// evaluate scores one system on all articles, and on each half.
func evaluate(arts []article, sys system) (all, tuneHalf, heldOut figures, per [][]string) {
	for i, a := range arts {
		lines := sys.run(a)
		r := scoreSummary(refSentences(a.Reference), lines)
		all.add(r, lines)
		if i%2 == 0 {
			tuneHalf.add(r, lines)
		} else {
			heldOut.add(r, lines)
		}
		per = append(per, lines)
	}
	return all.mean(), tuneHalf.mean(), heldOut.mean(), per
}

func run(data, out, dump string, o summary.Options, tune bool, w io.Writer) error {
	arts, err := readArticles(data)
	if err != nil {
		return err
	}
	if tune {
		o = tuneOptions(arts, o, w)
	}
	var b strings.Builder
	fmt.Fprintf(&b, "# Summaries: ROUGE F1 ×100 on CNN/DailyMail (%d articles)\n\n", len(arts))
	fmt.Fprintf(&b, "Every system gives at most %d lines of at most %d runes; a longer sentence is cut by summary.Trim\n",
		digest.MaxSummaryLines, digest.MaxLineLength)
	b.WriteString("(at a clause boundary, ending with \"…\") for every system alike.\n\n")
	b.WriteString("- Lead-3 (dataset sentences): the first three of the set's own `article_lines`.\n")
	b.WriteString("- Lead-3 (our splitter): the first three sentences of `article` by summary.Sentences.\n")
	b.WriteString("- newsdigest summary: summary.Summarize on `article` (the text the bot gets).\n\n")
	b.WriteString("Scorer: Google rouge-score's method with stemming: lower-case, non-[a-z0-9] to space, NLTK's Porter\n")
	b.WriteString("stemmer (default mode, reimplemented and checked word for word against NLTK 3.8) on tokens longer than\n")
	b.WriteString("3 chars; ROUGE-N F1 from clipped n-gram counts; ROUGE-Lsum = union LCS of the summary lines against the\n")
	b.WriteString("reference highlights (the reference split at \" . \"). Figures are mean F1 over articles, ×100.\n\n")
	b.WriteString("Tuning half = articles at even positions in the file (weights were searched on it only);\n")
	b.WriteString("held-out = odd positions. `lines` and `runes` are means per summary.\n\n")
	b.WriteString("| system | R1 | R2 | RLsum | tune R1 | tune R2 | tune RLsum | held-out R1 | held-out R2 | held-out RLsum | lines | runes |\n")
	b.WriteString("|---|---|---|---|---|---|---|---|---|---|---|---|\n")
	dumps := map[string][][]string{}
	for _, sys := range systems(o) {
		all, th, ho, per := evaluate(arts, sys)
		dumps[sys.name] = per
		fmt.Fprintf(&b, "| %s | %.2f | %.2f | %.2f | %.2f | %.2f | %.2f | %.2f | %.2f | %.2f | %.2f | %.0f |\n",
			sys.name, all.R1, all.R2, all.RLsum, th.R1, th.R2, th.RLsum, ho.R1, ho.R2, ho.RLsum, all.Lines, all.Runes)
	}
	fmt.Fprintf(&b, "\nWeights: %+v\n", o)
	b.WriteString("\nReproduce: `cd bench && go run ./summaries` (`-tune` redoes the weight search on the tuning half,\n")
	b.WriteString("`-set Name=value,…` tries other weights, `-dump FILE` writes every system's lines).\n")
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
