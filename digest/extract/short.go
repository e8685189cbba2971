package extract

import (
	"strings"
	"unicode/utf8"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// A short article is still an article: a page whose markup says it is one
// (og:type article, a JSON-LD article object, or one <article> element),
// with a headline and a body of some sentences, gives a card however
// short. The general extractor, tuned on long pages, can miss the body of
// a short one (it keeps a teaser, or nothing); for such a page the text of
// its declared article element is read instead.

// Least body of a declared article: a few sentences, as many words as a
// short news item has.
const (
	minShortSentences = 2
	minShortWords     = 25
)

// shortArticle reads a page the extractor found too little text in. It
// reports whether the page declares itself an article and, if so, the
// text of its article element (paragraphs, captions and furniture left
// out), or "" when it has none.
func shortArticle(text string) (declared bool, body string) {
	doc, err := html.Parse(strings.NewReader(text))
	if err != nil {
		return false, ""
	}
	m := collectMeta(doc)
	var articles, bodies []*html.Node // top-level <article>s, articleBody elements
	var walk func(n *html.Node, inArticle bool)
	walk = func(n *html.Node, inArticle bool) {
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			if c.Type != html.ElementNode {
				continue
			}
			in := inArticle
			if c.DataAtom == atom.Article && !inArticle {
				articles = append(articles, c)
				in = true
			}
			if attr(c, "itemprop") == "articleBody" {
				bodies = append(bodies, c)
			}
			walk(c, in)
		}
	}
	walk(doc, false)
	declared = strings.EqualFold(m.Props["og:type"], "article") || m.LD.Type != "" || len(articles) == 1
	if !declared {
		return false, ""
	}
	if len(bodies) == 1 {
		return true, articleParagraphs(bodies[0])
	}
	// The article element: the one holding the headline (<h1>), else the
	// first; comments and teasers of other stories, after it, are
	// <article>s too.
	if len(articles) == 0 {
		return true, ""
	}
	main := articles[0]
	for _, a := range articles {
		if hasH1(a) {
			main = a
			break
		}
	}
	return true, articleParagraphs(main)
}

// hasH1 reports whether an <h1> is under n.
func hasH1(n *html.Node) bool {
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if c.Type == html.ElementNode && (c.DataAtom == atom.H1 || hasH1(c)) {
			return true
		}
	}
	return false
}

// articleParagraphs is the text of the <p> elements under n that read as prose,
// outside figures, asides, navigation, forms and headers, one paragraph
// per blank-line-separated block.
func articleParagraphs(n *html.Node) string {
	var out []string
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			if c.Type != html.ElementNode || dropTags[c.DataAtom] {
				continue
			}
			switch c.DataAtom {
			case atom.Figure, atom.Header, atom.Form, atom.Blockquote:
				continue
			case atom.P:
				t := strings.Join(strings.Fields(nodeText(c)), " ")
				if r, _ := utf8.DecodeLastRuneInString(t); strings.ContainsRune(".!?\"”“»«)", r) && words(t) >= 5 {
					out = append(out, t)
				}
				continue
			}
			walk(c)
		}
	}
	walk(n)
	return strings.Join(out, "\n\n")
}

// nodeText is the text under n, scripts and styles left out.
func nodeText(n *html.Node) string {
	var b strings.Builder
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			switch {
			case c.Type == html.TextNode:
				b.WriteString(c.Data)
			case c.Type == html.ElementNode && !dropTags[c.DataAtom]:
				if c.DataAtom == atom.Br {
					b.WriteString(" ")
				}
				walk(c)
			}
		}
	}
	walk(n)
	return b.String()
}

// someSentences reports whether a text is a body of some sentences.
func someSentences(s string) bool {
	if words(s) < minShortWords {
		return false
	}
	k := 0
	for _, f := range strings.Fields(s) {
		if r, _ := utf8.DecodeLastRuneInString(f); strings.ContainsRune(".!?", r) {
			k++
		}
	}
	return k >= minShortSentences
}
