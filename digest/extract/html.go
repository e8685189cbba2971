package extract

import (
	"fmt"
	"strings"
	"unicode"

	"github.com/PuerkitoBio/goquery"
	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"

	"newsdigest/digest"
)

// extractHTML extracts the article from a decoded HTML page.
func extractHTML(src, pageURL, bodySel string, rules Rules) (digest.Article, error) {
	doc, err := html.Parse(strings.NewReader(src))
	if err != nil {
		return digest.Article{}, fmt.Errorf("parse html: %w", err)
	}
	m := collectMeta(doc)
	a := digest.Article{
		Headline: headline(m),
		Site:     displaySite(m, pageURL),
		Language: language(m),
	}
	// The picture is found before pruning takes the body's images away.
	a.Image = leadImage(doc, m, pageURL)
	body := findBody(doc)
	total := pageSize{text: textLen(body), prose: proseMass(body)}
	// Datelines and bylines are read before the furniture that holds them
	// is pruned.
	a.Dateline = dateline(m, body, pageURL, a.Language)

	var text string
	rule, hasRule := rules.For(hostName(pageURL))
	if bodySel != "" {
		rule, hasRule = Rule{Body: bodySel}, true
	}
	if hasRule {
		text = ruleText(doc, rule, a.Headline)
	}
	if text == "" {
		prune(body, total)
		s := &scorer{stats: map[*html.Node]stat{}, scores: map[*html.Node]float64{}}
		s.measure(body)
		s.score(body)
		nodes := s.pickContent(body)
		text = bodyText(s, nodes, a.Headline)
		if isListing(nodes, len([]rune(text)), strings.Count(text, "\n\n")+1) {
			return a, &digest.NoArticleError{Reason: "listing page"}
		}
	}
	// Pages that render their text with scripts often still carry it in
	// their JSON-LD.
	if len([]rune(text)) < minBodyRunes && len(m.LD.Body) > len(text) {
		text = ldBodyText(m.LD.Body)
	}
	a.Body = text
	placeFromBody(&a.Dateline, text)
	return a, nil
}

// ruleText applies a site rule with goquery; "" when it matches nothing.
func ruleText(doc *html.Node, r Rule, headline string) string {
	sel, err := compileSelector(r.Body)
	if err != nil {
		return ""
	}
	d := goquery.NewDocumentFromNode(doc)
	if r.Remove != "" {
		if rm, err := compileSelector(r.Remove); err == nil {
			d.FindMatcher(rm).Remove()
		}
	}
	found := d.FindMatcher(sel)
	if found.Length() == 0 {
		return ""
	}
	nodes := found.Nodes
	// Drop matches nested in other matches so no text is repeated.
	var top []*html.Node
	for _, n := range nodes {
		nested := false
		for _, o := range nodes {
			if o != n && isAncestor(o, n) {
				nested = true
				break
			}
		}
		if !nested {
			top = append(top, n)
		}
	}
	for _, n := range top {
		prune(n, pageSize{})
	}
	s := &scorer{stats: map[*html.Node]stat{}, scores: map[*html.Node]float64{}}
	for _, n := range top {
		s.measure(n)
	}
	return bodyText(s, top, headline)
}

// findBody returns the <body> element, or the root when there is none.
func findBody(doc *html.Node) *html.Node {
	var found *html.Node
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		for c := n.FirstChild; c != nil && found == nil; c = c.NextSibling {
			if c.Type == html.ElementNode {
				if c.DataAtom == atom.Body {
					found = c
					return
				}
				walk(c)
			}
		}
	}
	walk(doc)
	if found == nil {
		return doc
	}
	return found
}

// siteName is og:site_name or the like; "" lets the caller use the host.
func siteName(m *meta) string {
	for _, k := range []string{"og:site_name", "application-name", "twitter:site", "publisher"} {
		if v := strings.TrimPrefix(cleanSpace(m.Props[k]), "@"); v != "" && len(v) < 80 {
			return v
		}
	}
	if p := m.LD.Publisher; p != "" && len(p) < 80 {
		return p
	}
	return ""
}

// displaySite names the outlet for a card. og:site_name is sometimes a
// section ("U.S." on Reuters): when the page's URL is known, the first name
// among og:site_name, application-name, twitter:site and the JSON-LD
// publisher that matches the host ("Reuters" for reuters.com, "BBC News"
// for bbc.com) wins, else siteName's choice.
func displaySite(m *meta, pageURL string) string {
	first := siteName(m)
	host := hostName(pageURL)
	if host == "" {
		return first
	}
	label := alnum(strings.Split(host, ".")[0])
	if dot := strings.LastIndex(host, "."); dot > 0 {
		parts := strings.Split(host[:dot], ".")
		label = alnum(parts[len(parts)-1]) // the registrable name: "reuters" of uk.reuters.com
	}
	if len(label) < 3 {
		return first
	}
	for _, v := range []string{m.Props["og:site_name"], m.Props["application-name"], m.Props["twitter:site"], m.LD.Publisher} {
		v = strings.TrimPrefix(cleanSpace(v), "@")
		if v == "" || len(v) >= 80 {
			continue
		}
		if n := alnum(v); strings.Contains(n, label) || strings.Contains(label, n) && len(n) >= 3 {
			return v
		}
	}
	return first
}

// alnum lower-cases s and keeps its letters and digits.
func alnum(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			return unicode.ToLower(r)
		}
		return -1
	}, s)
}

// language is the page's declared language, lower-case, e.g. "en-us".
func language(m *meta) string {
	for _, v := range []string{m.Lang, m.LD.InLanguage, m.Props["content-language"], m.Props["og:locale"], m.Props["language"], m.Props["inlanguage"]} {
		if v = strings.ToLower(strings.ReplaceAll(strings.TrimSpace(v), "_", "-")); v != "" {
			if i := strings.IndexAny(v, ", "); i > 0 {
				v = v[:i]
			}
			return v
		}
	}
	return ""
}

// ldBodyText turns a JSON-LD articleBody (plain text or HTML) into
// paragraphs.
func ldBodyText(s string) string {
	if strings.Contains(s, "<") {
		if doc, err := html.Parse(strings.NewReader(s)); err == nil {
			b := findBody(doc)
			st := &scorer{stats: map[*html.Node]stat{}, scores: map[*html.Node]float64{}}
			st.measure(b)
			return bodyText(st, []*html.Node{b}, "")
		}
	}
	var out []string
	for _, p := range strings.Split(s, "\n") {
		if p = cleanSpace(p); p != "" && keepParagraph(p, "") {
			out = append(out, p)
		}
	}
	return strings.Join(out, "\n\n")
}

// isListing reports whether the chosen content is a list of teasers: many
// headings that are links, each with a paragraph or so of little text (an
// article with related links between its paragraphs has many more).
func isListing(nodes []*html.Node, textLen, paras int) bool {
	heads := 0
	for _, n := range nodes {
		heads += linkHeadings(n)
	}
	return heads >= 4 && textLen < heads*300 && paras*2 <= heads*3
}

// linkHeadings counts the headings under n that are mostly a link.
func linkHeadings(n *html.Node) int {
	k := 0
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			if c.Type != html.ElementNode {
				continue
			}
			switch c.DataAtom {
			case atom.H1, atom.H2, atom.H3, atom.H4:
				if t, l := linkText(c); t > 0 && l*2 >= t {
					k++
				}
				continue
			}
			walk(c)
		}
	}
	walk(n)
	return k
}
