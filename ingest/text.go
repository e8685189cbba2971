package ingest

import (
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// htmlText turns a feed item's HTML content into plain text: paragraphs and
// other blocks separated by a blank line, scripts, styles and figure
// captions left out (captions make summaries wrong). Plain text comes back
// with its spacing tidied.
func htmlText(s string) string {
	if !strings.ContainsAny(s, "<&") {
		return tidyParagraphs(s)
	}
	nodes, err := html.ParseFragment(strings.NewReader(s), &html.Node{Type: html.ElementNode, Data: "div", DataAtom: atom.Div})
	if err != nil {
		// Too deep to parse as a tree (over 512 open elements): read the
		// tokens instead, never the raw markup.
		return tokenText(s)
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
			case atom.Script, atom.Style, atom.Noscript, atom.Figcaption, atom.Iframe, atom.Svg, atom.Button, atom.Form:
				return
			case atom.Br:
				b.WriteString("\n")
				return
			}
		}
		block := n.Type == html.ElementNode && isBlock(n.DataAtom)
		if block {
			b.WriteString("\n\n")
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
		if block {
			b.WriteString("\n\n")
		}
	}
	for _, n := range nodes {
		walk(n)
	}
	return tidyParagraphs(b.String())
}

func isBlock(a atom.Atom) bool {
	switch a {
	case atom.P, atom.Div, atom.Section, atom.Article, atom.H1, atom.H2, atom.H3, atom.H4, atom.H5, atom.H6,
		atom.Li, atom.Ul, atom.Ol, atom.Blockquote, atom.Pre, atom.Table, atom.Tr, atom.Figure, atom.Header, atom.Footer, atom.Hr:
		return true
	}
	return false
}

// tidyParagraphs collapses spacing inside paragraphs and joins them with
// one blank line.
func tidyParagraphs(s string) string {
	var paras []string
	for _, p := range strings.Split(strings.ReplaceAll(s, "\r\n", "\n"), "\n\n") {
		if p = strings.Join(strings.Fields(p), " "); p != "" {
			paras = append(paras, p)
		}
	}
	return strings.Join(paras, "\n\n")
}

// tokenText is htmlText without a tree, for markup the parser refuses:
// the text tokens, block tags as paragraph breaks, the content of scripts,
// styles and captions left out.
func tokenText(s string) string {
	z := html.NewTokenizer(strings.NewReader(s))
	var b strings.Builder
	skip := 0 // depth inside elements whose text is left out
	for {
		switch z.Next() {
		case html.ErrorToken:
			return tidyParagraphs(b.String())
		case html.TextToken:
			if skip == 0 {
				b.Write(z.Text())
			}
		case html.StartTagToken, html.SelfClosingTagToken, html.EndTagToken:
			tt := z.Token()
			switch tt.DataAtom {
			case atom.Script, atom.Style, atom.Noscript, atom.Figcaption, atom.Iframe, atom.Svg, atom.Button, atom.Form:
				if tt.Type == html.StartTagToken {
					skip++
				} else if tt.Type == html.EndTagToken && skip > 0 {
					skip--
				}
			case atom.Br:
				b.WriteString("\n")
			default:
				if isBlock(tt.DataAtom) {
					b.WriteString("\n\n")
				}
			}
		}
	}
}
