package extract

import (
	"regexp"
	"sort"
	"strings"
	"unicode/utf8"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// stat is the text of one element: its length and the part inside links.
type stat struct {
	text, link, commas int
	pos                int // document order, for stable tie-breaks
}

// scorer scores elements by the paragraph text they hold, the way
// Readability does: each paragraph gives points to its parent and, less, to
// its grandparent; class names nudge the score; link-heavy parts lose it.
type scorer struct {
	stats  map[*html.Node]stat
	scores map[*html.Node]float64
	next   int
}

var (
	positiveRe = regexp.MustCompile(`(?i)article|body|content|entry|main|page|post|text|blog|story|hentry|h-entry|prose`)
	negativeRe = regexp.MustCompile(`(?i)hidden|banner|combx|comment|com-|contact|foot|footer|footnote|masthead|media|meta|outbrain|promo|related|scroll|share|shoutbox|sidebar|skyscraper|sponsor|shopping|tags|tool|widget|byline|author|dateline|nav|menu|teaser|recirc|newsletter`)
)

// measure fills s.stats for n and its descendants and returns n's.
func (s *scorer) measure(n *html.Node) stat {
	st := stat{pos: s.next}
	s.next++
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		switch c.Type {
		case html.TextNode:
			t := c.Data
			st.text += utf8.RuneCountInString(strings.TrimSpace(t))
			st.commas += strings.Count(t, ",") + strings.Count(t, "，") + strings.Count(t, "、")
		case html.ElementNode:
			cs := s.measure(c)
			st.text += cs.text
			st.commas += cs.commas
			if c.DataAtom == atom.A {
				st.link += cs.text
			} else {
				st.link += cs.link
			}
		}
	}
	s.stats[n] = st
	return st
}

func (s *scorer) density(n *html.Node) float64 {
	st := s.stats[n]
	if st.text == 0 {
		return 0
	}
	return float64(st.link) / float64(st.text)
}

func classWeight(n *html.Node) float64 {
	w := 0.0
	for _, k := range []string{"class", "id"} {
		v := attr(n, k)
		if v == "" {
			continue
		}
		if negativeRe.MatchString(v) {
			w -= 25
		}
		if positiveRe.MatchString(v) {
			w += 25
		}
	}
	return w
}

// paragraphTags are the elements whose text scores their ancestors.
var paragraphTags = map[atom.Atom]bool{
	atom.P: true, atom.Pre: true, atom.Td: true, atom.Blockquote: true, atom.Dd: true,
}

// hasDirectText reports whether a div-like element holds text itself, as
// sites that write paragraphs as bare text separated by <br> do.
func hasDirectText(n *html.Node) bool {
	k := 0
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if c.Type == html.TextNode {
			k += len(strings.TrimSpace(c.Data))
		} else if c.Type == html.ElementNode && isInline(c.DataAtom) && c.DataAtom != atom.A {
			k += len(strings.TrimSpace(textOf(c))) / 2
		}
	}
	return k >= 100
}

func (s *scorer) score(body *html.Node) {
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			if c.Type != html.ElementNode {
				continue
			}
			walk(c)
			para := paragraphTags[c.DataAtom]
			if !para && (c.DataAtom == atom.Div || c.DataAtom == atom.Section || c.DataAtom == atom.Article || c.DataAtom == atom.Span || c.DataAtom == atom.Font || c.DataAtom == atom.Center) {
				para = hasDirectText(c)
			}
			if !para {
				continue
			}
			st := s.stats[c]
			if st.text < 25 {
				continue
			}
			pts := 1 + float64(st.commas) + min(float64(st.text)/100, 3)
			pts *= 1 - s.density(c)
			level := 0
			for a := c.Parent; a != nil && a.Type == html.ElementNode && level < 3; a = a.Parent {
				if _, ok := s.scores[a]; !ok {
					s.scores[a] = classWeight(a)
					switch a.DataAtom {
					case atom.Div, atom.Article, atom.Main:
						s.scores[a] += 5
					case atom.Section, atom.Pre, atom.Td, atom.Blockquote:
						s.scores[a] += 3
					case atom.Form, atom.Ul, atom.Ol, atom.Dl, atom.Address, atom.Li:
						s.scores[a] -= 3
					case atom.Th, atom.H1, atom.H2, atom.H3, atom.H4, atom.H5, atom.H6:
						s.scores[a] -= 5
					}
				}
				switch level {
				case 0:
					s.scores[a] += pts
				case 1:
					s.scores[a] += pts / 2
				default:
					s.scores[a] += pts / (float64(level) * 3)
				}
				level++
			}
		}
	}
	walk(body)
}

// pickContent returns the elements that hold the article, in document
// order: the best-scoring container and its siblings that look like more
// of the same.
func (s *scorer) pickContent(body *html.Node) []*html.Node {
	type cand struct {
		n *html.Node
		v float64
	}
	var cands []cand
	for n, v := range s.scores {
		cands = append(cands, cand{n, v * (1 - s.density(n))})
	}
	if len(cands) == 0 {
		return nil
	}
	sort.Slice(cands, func(i, j int) bool {
		if cands[i].v != cands[j].v {
			return cands[i].v > cands[j].v
		}
		a, b := s.stats[cands[i].n], s.stats[cands[j].n]
		if a.text != b.text {
			return a.text > b.text
		}
		return a.pos < b.pos
	})
	final := func(n *html.Node) float64 { return s.scores[n] * (1 - s.density(n)) }
	top := cands[0].n
	topScore := cands[0].v

	// When several strong candidates share an ancestor, the article is
	// split among them: take the ancestor.
	var alts []*html.Node
	for _, c := range cands[1:min(len(cands), 5)] {
		if c.v >= topScore*0.75 {
			alts = append(alts, c.n)
		}
	}
	if len(alts) >= 2 {
		for p := top.Parent; p != nil && p != body && p.Type == html.ElementNode; p = p.Parent {
			k := 0
			for _, a := range alts {
				if isAncestor(p, a) {
					k++
				}
			}
			if k >= 2 {
				top = p
				break
			}
		}
	}
	// Climb while the parent scores about as well (the article is spread
	// over its children).
	last := final(top)
	for p := top.Parent; p != nil && p != body && p.Type == html.ElementNode; p = p.Parent {
		ps, ok := s.scores[p]
		if !ok {
			continue
		}
		ps *= 1 - s.density(p)
		if ps < last/3 {
			break
		}
		if ps > last {
			top = p
		}
		last = ps
	}
	// A lone child is the same container.
	for top.Parent != nil && top.Parent != body && top.Parent.Type == html.ElementNode && elementChildren(top.Parent) == 1 {
		top = top.Parent
	}

	topFinal := max(final(top), 1)
	threshold := max(10, topFinal*0.2)
	var out []*html.Node
	if top.Parent == nil {
		return []*html.Node{top}
	}
	for sib := top.Parent.FirstChild; sib != nil; sib = sib.NextSibling {
		if sib.Type != html.ElementNode {
			continue
		}
		if sib == top {
			out = append(out, sib)
			continue
		}
		ok := false
		bonus := 0.0
		if attr(sib, "class") != "" && attr(sib, "class") == attr(top, "class") {
			bonus = topFinal * 0.2
		}
		if sc, has := s.scores[sib]; has && sc*(1-s.density(sib))+bonus >= threshold {
			ok = true
		} else if sib.DataAtom == atom.P {
			st := s.stats[sib]
			ld := s.density(sib)
			t := strings.TrimSpace(textOf(sib))
			if st.text > 80 && ld < 0.25 {
				ok = true
			} else if st.text > 0 && st.text <= 80 && ld == 0 && sentenceEndRe.MatchString(t) {
				ok = true
			}
		}
		if ok {
			out = append(out, sib)
		}
	}
	return out
}

var sentenceEndRe = regexp.MustCompile(`[.!?。！？]["'”’)]?\s*$`)

func isAncestor(a, n *html.Node) bool {
	for p := n.Parent; p != nil; p = p.Parent {
		if p == a {
			return true
		}
	}
	return false
}

func elementChildren(n *html.Node) int {
	k := 0
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if c.Type == html.ElementNode {
			k++
		} else if c.Type == html.TextNode && strings.TrimSpace(c.Data) != "" {
			return 2
		}
	}
	return k
}
