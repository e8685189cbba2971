package main

import (
	"path/filepath"
	"regexp"
	"sort"
	"time"

	"github.com/pemistahl/lingua-go"

	"newsdigest/bench/internal/benchdata"
	"newsdigest/digest"
	"newsdigest/digest/extract"
	"newsdigest/digest/lang"
)

// page is one bench page with the language its <html lang> declares.
type page struct {
	file, label, text string
	raw               []byte // the page with its lang attribute removed
}

var htmlTag = regexp.MustCompile(`(?is)<html\b[^>]*>`)
var langAttr = regexp.MustCompile(`(?i)\s(?:xml:)?lang\s*=\s*("[^"]*"|'[^']*'|[^\s>]+)`)

// loadPages reads the pages of a labels.json set whose <html lang> names a
// supported language, and extracts their text with every lang attribute of
// the <html> tag removed (the detector must not see the label).
func loadPages(dir string) ([]page, error) {
	var labels map[string]struct {
		File string `json:"file"`
	}
	if err := benchdata.ReadJSON(filepath.Join(dir, "labels.json"), &labels); err != nil {
		return nil, err
	}
	urls := make([]string, 0, len(labels))
	for u := range labels {
		urls = append(urls, u)
	}
	sort.Strings(urls)
	var out []page
	for _, u := range urls {
		file := labels[u].File
		raw, err := benchdata.ReadGz(filepath.Join(dir, "html", file+".gz"))
		if err != nil {
			raw, err = benchdata.ReadGz(filepath.Join(dir, "html", file))
		}
		if err != nil {
			continue // a few names of the set have no file
		}
		tag := htmlTag.Find(raw)
		if tag == nil {
			continue
		}
		m := langAttr.FindSubmatch(tag)
		if m == nil {
			continue
		}
		label := lang.Normalize(string(trimQuotes(m[1])))
		if !lang.IsSupported(label) {
			continue
		}
		stripped := append([]byte{}, raw[:len(raw)-len(raw[htmlStart(raw, tag):])]...)
		stripped = append(stripped, langAttr.ReplaceAll(tag, nil)...)
		stripped = append(stripped, raw[htmlStart(raw, tag)+len(tag):]...)
		a, err := extract.Extract(digest.Page{URL: u, Body: stripped, Name: file}, extract.Options{})
		if err != nil {
			continue
		}
		out = append(out, page{file: file, label: label, text: a.Headline + "\n" + a.Body, raw: stripped})
	}
	return out, nil
}

func htmlStart(raw, tag []byte) int {
	loc := htmlTag.FindIndex(raw)
	return loc[0]
}

func trimQuotes(b []byte) []byte {
	if len(b) >= 2 && (b[0] == '"' || b[0] == '\'') {
		return b[1 : len(b)-1]
	}
	return b
}

// detector is one language detector under test.
type detector struct {
	name   string
	detect func(string) string
}

func linguaDetector() detector {
	codes := map[lingua.Language]string{}
	var langs []lingua.Language
	for _, c := range lang.Supported {
		l := lingua.GetLanguageFromIsoCode639_1(lingua.GetIsoCode639_1FromValue(c))
		codes[l] = c
		langs = append(langs, l)
	}
	d := lingua.NewLanguageDetectorBuilder().FromLanguages(langs...).WithPreloadedLanguageModels().Build()
	return detector{"lingua-go (14 languages, preloaded)", func(s string) string {
		if l, ok := d.DetectLanguageOf(s); ok {
			return codes[l]
		}
		return ""
	}}
}

// detectResult is one detector's figures on a page set.
type detectResult struct {
	name          string
	right, total  int
	perLang       map[string][2]int // label → right, total
	perArticle    time.Duration
	extractPerArt time.Duration
}

func runDetection(pages []page, d detector) detectResult {
	r := detectResult{name: d.name, total: len(pages), perLang: map[string][2]int{}}
	start := time.Now()
	got := make([]string, len(pages))
	for i, p := range pages {
		got[i] = d.detect(p.text)
	}
	r.perArticle = time.Since(start) / time.Duration(max(1, len(pages)))
	for i, p := range pages {
		c := r.perLang[p.label]
		c[1]++
		if got[i] == p.label {
			r.right++
			c[0]++
		}
		r.perLang[p.label] = c
	}
	return r
}
