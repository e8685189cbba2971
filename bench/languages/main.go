// Command languages measures what digest/lang brings: language detection
// on the bench's headline and date pages (their <html lang> is the label,
// removed before detection) against lingua-go, sentence splitting on the
// gold sets in digest/summary/testdata/sentences (tuning) and
// sentences-heldout (held out), search recall for
// inflected forms on both stores' code paths (store/fts), grouping within
// one language, and how often grouping across languages joins two
// different events; it writes bench/results/languages.md.
//
//	cd bench && go run ./languages
package main

import (
	"flag"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"newsdigest/bench/internal/benchdata"
	"newsdigest/digest"
	"newsdigest/digest/extract"
	"newsdigest/digest/lang"
	"newsdigest/digest/summary"
	"newsdigest/digest/summary/sentgold"
)

func main() {
	data := flag.String("data", "../../shared/bench", "the shared bench folder")
	out := flag.String("out", "results/languages.md", "the report to write")
	peers := flag.Bool("peers", true, "measure lingua-go too")
	dump := flag.String("dump", "", "print the extracted text of this page (.html or .html.gz) and its sentences in -lang, then stop")
	dumpLang := flag.String("lang", "", "the language for -dump")
	flag.Parse()
	if *dump != "" {
		if err := dumpPage(*dump, *dumpLang); err != nil {
			slog.Error("languages", "err", err)
			os.Exit(1)
		}
		return
	}
	var rep strings.Builder
	if err := run(&rep, *data, *peers); err != nil {
		slog.Error("languages", "err", err)
		os.Exit(1)
	}
	fmt.Print(rep.String())
	if err := os.WriteFile(*out, []byte(rep.String()), 0o644); err != nil {
		slog.Error("languages", "err", err)
		os.Exit(1)
	}
}

// dumpPage prints a page's body and how SentencesIn splits it: the
// starting point of a gold set, which a person then corrects.
func dumpPage(path, code string) error {
	raw, err := benchdata.ReadGz(path)
	if err != nil {
		raw, err = os.ReadFile(path)
		if err != nil {
			return err
		}
	}
	a, err := extract.Extract(digest.Page{Body: raw, Name: path}, extract.Options{})
	if err != nil {
		return err
	}
	for _, para := range strings.Split(a.Body, "\n\n") {
		for _, s := range summary.SentencesIn(para, code) {
			fmt.Println(s)
		}
		fmt.Println()
	}
	return nil
}

func run(rep *strings.Builder, data string, peers bool) error {
	fmt.Fprintf(rep, "# Languages (`cd bench && go run ./languages`)\n\n")
	var pages []page
	for _, set := range []string{"headlines", "dates"} {
		p, err := loadPages(filepath.Join(data, set))
		if err != nil {
			return fmt.Errorf("%s pages: %w (the shared bench folder is needed)", set, err)
		}
		pages = append(pages, p...)
	}
	// What one extraction costs, to put detection's cost beside it.
	start := time.Now()
	for _, p := range pages {
		extract.Extract(digest.Page{Body: p.raw, Name: p.file}, extract.Options{})
	}
	extractCost := time.Since(start) / time.Duration(max(1, len(pages)))
	dets := []detector{{"newsdigest (digest/lang: whatlanggo, 14 languages, kana/Han rules)", lang.Detect}}
	if peers {
		dets = append(dets, linguaDetector())
	}
	fmt.Fprintf(rep, "## Language detection\n\n%d pages of `headlines/` and `dates/` whose `<html lang>` names a supported language; "+
		"the attribute is removed and the extracted headline and body are given to the detector. The label is what the page "+
		"declares, which is sometimes wrong (an English template on a German blog), so 1.0 is out of reach.\n\n", len(pages))
	fmt.Fprintf(rep, "| detector | accuracy | per language (right/pages) | time per article | × extraction's time |\n|---|---|---|---|---|\n")
	for _, d := range dets {
		r := runDetection(pages, d)
		var per []string
		codes := make([]string, 0, len(r.perLang))
		for c := range r.perLang {
			codes = append(codes, c)
		}
		sort.Slice(codes, func(i, j int) bool { return r.perLang[codes[i]][1] > r.perLang[codes[j]][1] })
		for _, c := range codes {
			per = append(per, fmt.Sprintf("%s %d/%d", c, r.perLang[c][0], r.perLang[c][1]))
		}
		fmt.Fprintf(rep, "| %s | **%.3f** | %s | %s | %.2f |\n", d.name, float64(r.right)/float64(r.total), strings.Join(per, ", "),
			r.perArticle.Round(time.Microsecond), float64(r.perArticle)/float64(extractCost))
	}
	fmt.Fprintf(rep, "\nExtraction of the same pages takes %s per article in this run (single-threaded, same process). "+
		"lingua-go would also embed its models of 75 languages (124 MB) in the bot's binary; whatlanggo adds 0.4 MB.\n\n", extractCost.Round(time.Microsecond))
	golds, err := sentgold.Read(filepath.Join("..", "digest", "summary", "testdata", "sentences"))
	if err != nil {
		return err
	}
	heldOut, err := sentgold.Read(filepath.Join("..", "digest", "summary", "testdata", "sentences-heldout"))
	if err != nil {
		return err
	}
	reportSplit(rep, golds, heldOut)
	if err := reportSearch(rep, golds); err != nil {
		return err
	}
	reportGrouping(rep, pages)
	return nil
}
