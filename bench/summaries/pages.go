package main

// This file checks that every summary line of every bench page is a run of
// the page's own words: the bot's pipeline (extract.Extract, then
// summary.Summarize on the body) runs on each page of the extraction,
// headline and date sets and on the seed page, and each line must occur in
// the page's visible text, whitespace ignored; a line cut to fit may end in
// "…" (and the closing quote the cut adds), and only what comes before that
// must occur.

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"unicode"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
	"golang.org/x/net/html/charset"
	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/htmlindex"
	"golang.org/x/text/transform"

	"newsdigest/bench/internal/benchdata"
	"newsdigest/digest"
	"newsdigest/digest/extract"
	"newsdigest/digest/lang"
	"newsdigest/digest/summary"
)

// benchPage is one page of the bench sets, in memory.
type benchPage struct {
	Set, Name, URL string
	Body           []byte
	HTML           bool
}

// loadPages reads every page of the extraction, headline and date sets
// under bench and the seed page under seeds.
func loadPages(bench, seeds string) ([]benchPage, error) {
	var pages []benchPage
	var truth map[string]struct {
		URL string `json:"url"`
	}
	if err := benchdata.ReadJSON(filepath.Join(bench, "extraction", "ground-truth.json"), &truth); err != nil {
		return nil, err
	}
	for id, t := range truth {
		b, err := benchdata.ReadGz(filepath.Join(bench, "extraction", "html", id+".html.gz"))
		if err != nil {
			return nil, err
		}
		pages = append(pages, benchPage{Set: "extraction", Name: id, URL: t.URL, Body: b, HTML: true})
	}
	for _, set := range []string{"headlines", "dates"} {
		var labels map[string]struct {
			File string `json:"file"`
		}
		if err := benchdata.ReadJSON(filepath.Join(bench, set, "labels.json"), &labels); err != nil {
			return nil, err
		}
		for u, l := range labels {
			b, err := benchdata.ReadGz(filepath.Join(bench, set, "html", l.File+".gz"))
			if err != nil {
				return nil, err
			}
			pages = append(pages, benchPage{Set: set, Name: l.File, URL: u, Body: b, HTML: true})
		}
	}
	seed := filepath.Join(seeds, "000_1a245fab6bbc05c5.txt")
	b, err := os.ReadFile(seed)
	if err != nil {
		return nil, fmt.Errorf("read seed page: %w", err)
	}
	pages = append(pages, benchPage{Set: "seed", Name: filepath.Base(seed), Body: b})
	sort.Slice(pages, func(i, j int) bool {
		if pages[i].Set != pages[j].Set {
			return pages[i].Set < pages[j].Set
		}
		return pages[i].Name < pages[j].Name
	})
	return pages, nil
}

// squeeze drops every space (Unicode, no-break and zero-width too).
func squeeze(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) || r == '\u200b' || r == '\ufeff' || r == '\u00ad' {
			return -1
		}
		return r
	}, s)
}

// visibleTexts are the texts a reader may see on a page: for HTML, every
// text node outside the head, scripts, styles, templates, noscript blocks
// and elements not shown (notShown), read as UTF-8 and, when the page declares or sniffs as another
// charset, decoded from it (a browser picks one; the check does not judge
// the extractor's charset choice); for a text dump, the text itself.
// Spaces are dropped.
func visibleTexts(p benchPage) []string {
	if !p.HTML {
		return []string{squeeze(string(p.Body))}
	}
	out := []string{visibleText(p.Body)}
	head := p.Body
	if len(head) > 16<<10 {
		head = head[:16<<10]
	}
	encs := map[string]encoding.Encoding{}
	if enc, name, _ := charset.DetermineEncoding(p.Body, ""); name != "utf-8" {
		encs[name] = enc
	}
	if m := metaCharsetRe.FindSubmatch(head); m != nil {
		if enc, err := htmlindex.Get(string(m[1])); err == nil {
			name, _ := htmlindex.Name(enc)
			encs[name] = enc
		}
	}
	for name, enc := range encs {
		if name == "utf-8" {
			continue
		}
		if b, _, err := transform.Bytes(enc.NewDecoder(), p.Body); err == nil {
			out = append(out, visibleText(b))
		}
	}
	return out
}

var metaCharsetRe = regexp.MustCompile(`(?i)<meta[^>]+charset\s*=\s*["']?\s*([a-z0-9_.:-]+)`)

// visibleText is the squeezed text of an HTML page outside its head,
// scripts, styles, templates and noscript blocks.
func visibleText(page []byte) string {
	doc, err := html.Parse(bytes.NewReader(page))
	if err != nil {
		return ""
	}
	var b strings.Builder
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		switch n.Type {
		case html.TextNode:
			b.WriteString(n.Data)
			return
		case html.ElementNode:
			switch n.DataAtom {
			case atom.Head, atom.Script, atom.Style, atom.Template, atom.Noscript, atom.Title:
				return
			}
			if notShown(n) {
				return
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(doc)
	return squeeze(b.String())
}

// hiddenStyle matches inline styles that hide an element.
var hiddenStyle = regexp.MustCompile(`(?i)display\s*:\s*none|visibility\s*:\s*hidden`)

// hoverBox matches class names of boxes shown only on hover (tooltips,
// popovers): text out of the flow of the sentence they are attached to.
var hoverBox = regexp.MustCompile(`(?i)(^|\s)(tooltip|tooltip-content|tooltiptext|popover|popover-content)(\s|$)`)

// notShown reports elements a browser does not show in the flow of the
// text: the hidden attribute, aria-hidden="true", an inline style that
// hides it, a hover box.
func notShown(n *html.Node) bool {
	for _, a := range n.Attr {
		switch {
		case a.Key == "hidden",
			a.Key == "aria-hidden" && a.Val == "true",
			a.Key == "style" && hiddenStyle.MatchString(a.Val),
			a.Key == "class" && hoverBox.MatchString(a.Val):
			return true
		}
	}
	return false
}

// probe is what of a summary line must occur in the page: the line
// without the "…" of a cut and the closing quote that follows one.
func probe(line string) string {
	l := line
	for _, q := range []string{"”", "\"", "’", "'", "»"} {
		if t, ok := strings.CutSuffix(l, q); ok && strings.HasSuffix(t, "…") {
			l = t
			break
		}
	}
	l = strings.TrimSuffix(l, "…")
	return squeeze(l)
}

// verbatimResult counts the lines checked and lists those not found.
type verbatimResult struct {
	Pages, Cards, Lines int
	// InLD counts lines found only in the page's JSON-LD articleBody: the
	// page's own text for pages that render it with scripts, where the
	// extractor falls back on it.
	InLD    int
	Missing []string
	Errors  int
	// Repeats counts lines that repeat an earlier line of their card
	// (repeatPairs), RepeatCards the cards that hold them.
	Repeats     int
	RepeatCards []string
}

// ldBodies returns the articleBody strings of a page's JSON-LD, squeezed.
func ldBodies(page []byte) []string {
	doc, err := html.Parse(bytes.NewReader(page))
	if err != nil {
		return nil
	}
	var out []string
	var find func(v any)
	find = func(v any) {
		switch x := v.(type) {
		case map[string]any:
			for k, e := range x {
				if s, ok := e.(string); ok && k == "articleBody" {
					// Its text may hold markup; a reader sees the text.
					out = append(out, squeeze(html.UnescapeString(stripTags(s))))
				} else {
					find(e)
				}
			}
		case []any:
			for _, e := range x {
				find(e)
			}
		}
	}
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode && n.DataAtom == atom.Script && strings.Contains(strings.ToLower(attrOf(n, "type")), "ld+json") {
			if n.FirstChild != nil {
				var v any
				if json.Unmarshal([]byte(n.FirstChild.Data), &v) == nil {
					find(v)
				}
			}
			return
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(doc)
	return out
}

var tagRe = regexp.MustCompile(`<[^>]*>`)

func stripTags(s string) string { return tagRe.ReplaceAllString(s, " ") }

func attrOf(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
}

// checkVerbatim runs the pipeline on every page and checks its lines.
func checkVerbatim(pages []benchPage) verbatimResult {
	var r verbatimResult
	for _, p := range pages {
		r.Pages++
		a, err := extract.Extract(digest.Page{URL: p.URL, Body: p.Body, Name: p.Name}, extract.Options{})
		if err != nil {
			var na *digest.NoArticleError
			if !errors.As(err, &na) {
				r.Errors++
			}
			continue
		}
		// The bot summarizes in the article's language (ingest:
		// lang.Resolve of the page's declaration and the text).
		lines := summary.SummarizeIn(a.Body, lang.Resolve(a.Language, "", a.Headline+"\n"+a.Body))
		if len(lines) == 0 {
			continue
		}
		r.Cards++
		if k := repeatPairs(lines); k > 0 {
			r.Repeats += k
			r.RepeatCards = append(r.RepeatCards, fmt.Sprintf("%s/%s: %q", p.Set, p.Name, lines))
		}
		texts := visibleTexts(p)
		var lds []string
		if p.HTML {
			lds = ldBodies(p.Body)
		}
		for _, l := range lines {
			r.Lines++
			found := false
			for _, t := range texts {
				found = found || strings.Contains(t, probe(l))
			}
			if !found {
				for _, t := range lds {
					found = found || strings.Contains(t, probe(l))
				}
				if found {
					r.InLD++
				}
			}
			if !found {
				r.Missing = append(r.Missing, fmt.Sprintf("%s/%s: %q", p.Set, p.Name, l))
			}
		}
	}
	return r
}

// verbatimReport is the markdown paragraph of a check.
func verbatimReport(r verbatimResult) string {
	var b strings.Builder
	share := 100.0
	if r.Lines > 0 {
		share = 100 * float64(r.Lines-len(r.Missing)) / float64(r.Lines)
	}
	fmt.Fprintf(&b, "## Summary lines that occur verbatim in their page\n\n")
	b.WriteString("The bot's pipeline (extract.Extract, then summary.SummarizeIn on the body in the article's language, as\n")
	b.WriteString("lang.Resolve gives it from the page's declaration and text) on every page of the extraction,\n")
	b.WriteString("headline and date sets and the seed page; a line counts when it occurs in the page's visible text\n")
	b.WriteString("(text outside head, script, style, template, noscript, elements marked hidden or aria-hidden, and tooltip\n")
	b.WriteString("boxes shown only on hover), whitespace ignored, a cut line without its \"…\".\n\n")
	b.WriteString("A page that renders its text with scripts may carry it only in its JSON-LD `articleBody`, which the\n")
	b.WriteString("extractor then reads; those lines are counted apart.\n\n")
	fmt.Fprintf(&b, "| pages | cards | lines | in the visible text | only in the JSON-LD articleBody | not found | verbatim |\n|---|---|---|---|---|---|---|\n| %d | %d | %d | %d | %d | %d | **%.1f%%** |\n",
		r.Pages, r.Cards, r.Lines, r.Lines-len(r.Missing)-r.InLD, r.InLD, len(r.Missing), share)
	fmt.Fprintf(&b, "\nLines that repeat an earlier line of their card (half or more of their content words, stemmed, of four\nletters or more, in the earlier line): **%d** of %d.\n", r.Repeats, r.Lines)
	if r.Errors > 0 {
		fmt.Fprintf(&b, "\n%d pages failed with an error other than \"no article\".\n", r.Errors)
	}
	for _, m := range r.Missing {
		fmt.Fprintf(&b, "- not found: %s\n", m)
	}
	if len(r.RepeatCards) > 0 {
		b.WriteString("\nThe cards with such a line (a crude check: two shared words make half of a short line):\n\n")
		for _, c := range r.RepeatCards {
			fmt.Fprintf(&b, "- %s\n", c)
		}
	}
	return b.String()
}

// benchStop are frequent words longer than three letters that carry no
// fact; shorter tokens are left out anyway.
var benchStop = map[string]bool{}

func init() {
	for _, w := range strings.Fields("that this with from have were will would been they their there which what when where while about after also into over than then them these those said says told could should other more most some such very just only even much many being does didn") {
		benchStop[stem(w)] = true
	}
}

// contentWords are a line's stemmed tokens of four letters or more,
// without benchStop: an independent measure of what a line says.
func contentWords(line string) map[string]bool {
	m := map[string]bool{}
	for _, t := range tokenize(line) {
		if len(t) > 3 && !benchStop[t] {
			m[t] = true
		}
	}
	return m
}

// repeatPairs counts the pairs of lines of one summary where the later
// line's content words are half or more in the earlier one.
func repeatPairs(lines []string) int {
	n := 0
	for j := 1; j < len(lines); j++ {
		later := contentWords(lines[j])
		if len(later) == 0 {
			continue
		}
		for i := 0; i < j; i++ {
			earlier := contentWords(lines[i])
			shared := 0
			for w := range later {
				if earlier[w] {
					shared++
				}
			}
			if 2*shared >= len(later) {
				n++
				break
			}
		}
	}
	return n
}
