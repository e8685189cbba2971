package extract

import (
	"regexp"
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// inlineTags continue the current paragraph; anything else starts a new one.
var inlineTags = map[atom.Atom]bool{
	atom.A: true, atom.Abbr: true, atom.B: true, atom.Bdi: true, atom.Bdo: true, atom.Cite: true,
	atom.Code: true, atom.Data: true, atom.Dfn: true, atom.Em: true, atom.Font: true, atom.I: true,
	atom.Kbd: true, atom.Mark: true, atom.Q: true, atom.S: true, atom.Samp: true, atom.Small: true,
	atom.Span: true, atom.Strong: true, atom.Sub: true, atom.Sup: true, atom.Time: true, atom.U: true,
	atom.Var: true, atom.Wbr: true, atom.Del: true, atom.Ins: true, atom.Strike: true, atom.Tt: true,
	atom.Big: true, atom.Nobr: true,
}

func isInline(a atom.Atom) bool { return inlineTags[a] }

// emitter turns the chosen elements into paragraphs of plain text.
type emitter struct {
	s     *scorer
	paras []string
	cur   strings.Builder
}

func (e *emitter) flush() {
	var lines []string
	for _, l := range strings.Split(e.cur.String(), "\n") {
		if l = cleanSpace(l); l != "" {
			lines = append(lines, l)
		}
	}
	t := strings.Join(lines, "\n")
	e.cur.Reset()
	if t != "" {
		e.paras = append(e.paras, t)
	}
}

// skip reports whether an element inside the article is furniture:
// link lists, link-heavy blocks, the <h1> (the headline, kept apart).
func (e *emitter) skip(n *html.Node) bool {
	if isInline(n.DataAtom) || n.DataAtom == 0 && flowsInText(n) {
		return false
	}
	st := e.s.stats[n]
	if st.text == 0 {
		return false
	}
	ld := e.s.density(n)
	switch n.DataAtom {
	case atom.Ul, atom.Ol, atom.Dl:
		return ld > 0.3
	case atom.H1:
		return true
	case atom.P:
		return ld > 0.6
	case atom.Table:
		return ld > 0.4
	}
	return ld > 0.5 && st.text < 1000
}

func (e *emitter) walk(n *html.Node) {
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		switch c.Type {
		case html.TextNode:
			e.cur.WriteString(c.Data)
		case html.ElementNode:
			if c.DataAtom == atom.Br {
				// Two <br> in a row end a paragraph; one is a line break.
				if c.NextSibling != nil && c.NextSibling.Type == html.ElementNode && c.NextSibling.DataAtom == atom.Br {
					e.flush()
				} else if c.PrevSibling != nil && c.PrevSibling.Type == html.ElementNode && c.PrevSibling.DataAtom == atom.Br {
					continue
				} else {
					e.cur.WriteString("\n")
				}
				continue
			}
			if e.skip(c) {
				continue
			}
			if isInline(c.DataAtom) || c.DataAtom == 0 && flowsInText(c) {
				// An unknown element inside a sentence (a custom element
				// wrapping a citation link) is laid out inline.
				e.walk(c)
				continue
			}
			e.flush()
			e.walk(c)
			e.flush()
		}
	}
}

// junkRe matches paragraphs that are furniture wherever they stand.
var junkRe = regexp.MustCompile(`(?i)^(?:advertisement|advertisements|advert|adverts|ad|ads|anzeige|werbung|publicidad|publicité|pubblicità|реклама|sponsored|sponsored content|tell us what you think.*|read more\b.*|read also\b.*|also read\b.*|see also\b.*|read next\b.*|leggi anche\b.*|leia também\b.*|leia mais\b.*|veja também\b.*|lire aussi\b.*|à lire aussi\b.*|lee también\b.*|mehr zum thema\b.*|lesen sie auch\b.*|related:.*|recommended:.*|click here\b.*|share this\b.*|share on\b.*|follow us\b.*|sign up\b.*|subscribe\b.*|\(?with inputs? from .*\)?\.?|this image is ai-generated.*|image:.*|photo:.*|image credit.*|photo credit.*|picture:.*|credit:.*|source:.*\b(?:getty|reuters|afp|ap|shutterstock)\b.*|\(?(?:photo|image|picture|foto|bild)s?\s*(?:by|:|credit|©).*|©.*|copyright\b.*|all rights reserved.*|loading\.*|please enable javascript.*|your browser does not support.*|this content is not available.*|we use cookies.*|\[?\s*(?:ad|advertisement)\s*\]?)$`)

// disclaimerRe matches image disclaimers and credit lines anywhere in a
// short paragraph.
var disclaimerRe = regexp.MustCompile(`(?i)\b(?:ai-generated|does not depict any real|for illustrative purposes only|getty images|shutterstock|file photo|representative image|image used for representational purpose)\b`)

// keepParagraph decides on one extracted paragraph.
func keepParagraph(p, headline string) bool {
	if headline != "" && strings.EqualFold(p, headline) {
		return false
	}
	if len(p) < 400 && junkRe.MatchString(p) {
		return false
	}
	if len(p) < 300 && disclaimerRe.MatchString(p) {
		return false
	}
	return true
}

// bodyText runs the emitter over the chosen elements and joins the kept
// paragraphs with blank lines.
func bodyText(s *scorer, nodes []*html.Node, headline string) string {
	e := &emitter{s: s}
	for _, n := range nodes {
		if e.skip(n) && len(nodes) > 1 {
			continue
		}
		e.flush()
		e.walk(n)
		e.flush()
	}
	var out []string
paras:
	for _, p := range e.paras {
		for _, line := range strings.Split(p, "\n") {
			line = cleanSpace(line)
			if len(out) > 0 && len(line) < 80 && stopRe.MatchString(line) {
				break paras
			}
			if line != "" && keepParagraph(line, headline) {
				out = append(out, line)
			}
		}
	}
	return strings.Join(trimEdges(out), "\n\n")
}

// stopRe matches headings that end an article: what follows them is
// related links, tags, comments or the author's box.
var stopRe = regexp.MustCompile(`(?i)^(?:tags?|tags?:.*|schlagwörter|schlagworte|stichwörter|themen|topics|etiquetas|related|related (?:articles|stories|posts|news|content|topics)|you may (?:also )?like|you might (?:also )?like|you may also be interested in|more from .{1,40}|more stories|more on this story|recommended(?: for you)?|what to read next|você pode gostar|notícias relacionadas|sur le même sujet|das könnte sie auch interessieren|weitere artikel|auch interessant|te puede interesar|noticias relacionadas|artículos relacionados|potrebbe interessarti|articoli correlati|comments?|\d+ comments?|leave a (?:comment|reply)|post a comment|share this(?: article| story)?|compartilhe|comentários|comentarios|kommentare|commentaires|about the author|sobre o autor|über den autor)\s*[:.…]*$`)

// trimEdges drops the byline, date and tag lines that stand at the start
// and end of an article container: short lines that are no sentences.
func trimEdges(ps []string) []string {
	meta := func(p string) bool {
		if len(p) < 100 && words(p) <= 8 && strings.ContainsAny(p, "0123456789") && dateLabelRe.MatchString(p) {
			return true // "Updated at 1:23 p.m."
		}
		if len(p) >= 200 || sentenceEndRe.MatchString(p) {
			return false
		}
		if words(p) <= 2 {
			return true
		}
		if strings.Contains(p, "|") || strings.Contains(p, "©") {
			return true
		}

		_, dated := findDate(p, true)
		return dated
	}
	for len(ps) > 1 && meta(ps[0]) {
		ps = ps[1:]
	}
	for len(ps) > 1 && meta(ps[len(ps)-1]) {
		ps = ps[:len(ps)-1]
	}
	return ps
}
