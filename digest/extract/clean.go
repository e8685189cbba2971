package extract

import (
	"regexp"
	"strings"
	"unicode"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// dropTags never hold article text.
var dropTags = map[atom.Atom]bool{
	atom.Script: true, atom.Style: true, atom.Noscript: true, atom.Template: true,
	atom.Svg: true, atom.Math: true, atom.Canvas: true, atom.Iframe: true, atom.Object: true,
	atom.Embed: true, atom.Nav: true, atom.Aside: true, atom.Footer: true, atom.Button: true,
	atom.Input: true, atom.Select: true, atom.Textarea: true, atom.Label: true, atom.Option: true,
	atom.Figcaption: true, atom.Picture: true, atom.Video: true, atom.Audio: true, atom.Map: true,
	atom.Dialog: true, atom.Menu: true, atom.Link: true, atom.Meta: true, atom.Head: true,
	atom.Img: true, atom.Source: true, atom.Track: true, atom.Title: true,
}

// boilerWords are class and id words (or runs of words joined by "-")
// of page furniture: sharing, related links, comments, ads, navigation,
// credits, disclaimers.
var boilerWords = wordSet(
	"ad",
	"ad-slot",
	"ads",
	"adslot",
	"adunit",
	"also-read",
	"app-promo",
	"article-meta",
	"author-bio",
	"author-info",
	"authorbox",
	"banner",
	"bio",
	"breadcrumb",
	"breadcrumbs",
	"byline",
	"callout",
	"caption",
	"carousel",
	"comment",
	"comments",
	"consent",
	"copyright",
	"credit",
	"credits",
	"dateline",
	"dfp",
	"disclaimer",
	"disqus",
	"donate",
	"entry-meta",
	"fact-box",
	"footer",
	"gallery",
	"gdpr",
	"headline-list",
	"hidden",
	"image-credit",
	"infobox",
	"inline-related",
	"jump-link",
	"keywords",
	"latest",
	"lightbox",
	"login",
	"masthead",
	"menu",
	"meta",
	"modal",
	"more-stories",
	"most-read",
	"mostread",
	"nav",
	"navbar",
	"navigation",
	"newsletter",
	"next-article",
	"outbrain",
	"overlay",
	"pager",
	"pagination",
	"paywall",
	"photo-credit",
	"player",
	"popular",
	"popup",
	"post-meta",
	"prev-article",
	"print",
	"pullquote",
	"rating",
	"read-more",
	"readmore",
	"related",
	"screen-reader-text",
	"see-also",
	"share",
	"sharing",
	"side-bar",
	"sidebar",
	"sign-up",
	"signup",
	"skip",
	"slideshow",
	"social",
	"sr-only",
	"story-more",
	"support-us",
	"taboola",
	"tag",
	"tag-list",
	"taglist",
	"tags",
	"timestamp",
	"toc",
	"toolbar",
	"tooltip",
	"top-stories",
	"trending",
	"video-player",
	"visually-hidden",
	"widget",
	"wp-caption-text",
)

// boilerPrefixes are class words that mark furniture by their start
// ("promotion", "subscribe-box").
var boilerPrefixes = []string{"recommend", "promo", "subscri", "cookie", "advert", "sponsor"}

// invisibleWords are class words of text that is never shown on screen,
// which is dropped even inside a sentence.
var invisibleWords = wordSet(
	"hidden",
	"sr-only",
	"screen-reader-text",
	"screenreader",
	"visually-hidden",
	"visuallyhidden",
	"offscreen",
	"a11y-hidden",
)

// hoverBoxRe matches the class of a box shown only on hover (a tooltip's
// text): a whole class token, not "has-tooltip" or "tooltip_post_id",
// which mark the words the box is attached to.
var hoverBoxRe = regexp.MustCompile(`(?i)(^|\s)(tooltip|tooltip-content|tooltiptext|popover|popover-content)(\s|$)`)

// flowsInText reports an inline element (or an unknown one, such as a
// custom element, which browsers lay out inline) that stands inside running
// text: it, or the inline elements around it, has text with a letter or a
// digit beside it in the same block. A tag link inside a sentence
// ("The <a class=tag>Doobie Brothers</a> will unite …") is one; a tag
// link alone in a list item or a tag cloud is not.
func flowsInText(n *html.Node) bool {
	if !isInline(n.DataAtom) && n.DataAtom != 0 {
		return false
	}
	for e := n; e != nil && e.Type == html.ElementNode && (isInline(e.DataAtom) || e.DataAtom == 0); e = e.Parent {
		for _, sib := range []func(*html.Node) *html.Node{
			func(x *html.Node) *html.Node { return x.PrevSibling },
			func(x *html.Node) *html.Node { return x.NextSibling },
		} {
			for c := sib(e); c != nil; c = sib(c) {
				if c.Type == html.TextNode && strings.IndexFunc(c.Data, isWordRune) >= 0 {
					return true
				}
			}
		}
	}
	return false
}

func isWordRune(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }

// keepWords are class and id words of article containers, which are kept
// even when another word of theirs looks like furniture.
var keepWords = wordSet(
	"article",
	"article-body",
	"articlebody",
	"story-body",
	"storybody",
	"post-body",
	"entry-content",
	"post-content",
	"article-content",
	"article-text",
	"story-content",
	"main-content",
	"content-body",
	"body-text",
	"text-body",
	"rich-text",
	"richtext",
	"paragraph",
)

// hiddenRe matches inline styles that hide an element.
var hiddenRe = regexp.MustCompile(`(?i)display\s*:\s*none|visibility\s*:\s*hidden`)

// prune removes page furniture from the tree in place. total is the prose
// mass of the whole page, used to spare big containers whose class happens
// to look like furniture.
func prune(n *html.Node, total pageSize) {
	for c := n.FirstChild; c != nil; {
		next := c.NextSibling
		switch c.Type {
		case html.CommentNode, html.DoctypeNode:
			n.RemoveChild(c)
		case html.ElementNode:
			if dropElement(c, total) {
				n.RemoveChild(c)
			} else {
				prune(c, total)
			}
		}
		c = next
	}
}

func dropElement(n *html.Node, total pageSize) bool {
	if dropTags[n.DataAtom] {
		return true
	}
	if n.DataAtom == atom.Body || n.DataAtom == atom.Html || n.DataAtom == atom.Main {
		return false
	}
	var cls string
	for _, a := range n.Attr {
		switch a.Key {
		case "hidden":
			return true
		case "aria-hidden":
			if a.Val == "true" {
				return true
			}
		case "style":
			if hiddenRe.MatchString(a.Val) {
				return true
			}
		case "class", "id":
			cls += " " + a.Val
		case "role":
			switch a.Val {
			case "navigation", "complementary", "contentinfo", "banner", "dialog", "menu", "menubar", "search":
				return true
			}
		case "itemprop":
			if a.Val == "articleBody" {
				return false
			}
		}
	}
	if n.DataAtom == atom.Header {
		// A header holds the title and byline; keep one only if it holds
		// paragraphs (some sites wrap the whole article in one).
		return countTag(n, atom.P, 3) < 3
	}
	if cls == "" {
		return false
	}
	toks := classWords(cls)
	if !matchWords(toks, boilerWords, boilerPrefixes) || matchWords(toks, keepWords, nil) {
		return false
	}
	// A link or span inside a sentence is part of the sentence, whatever
	// its class says ("auto-tag", "internal_tag", "tooltip", "login"):
	// only furniture that stands as its own block goes, and inline text
	// only when its class says it is not shown at all.
	if flowsInText(n) && !matchWords(toks, invisibleWords, nil) && !hoverBoxRe.MatchString(cls) {
		return false
	}
	// A container holding most of the page's prose is a wrapper whose
	// class names a layout ("with-sidebar"), not furniture.
	if total.text > 0 && textLen(n)*3 > total.text {
		return false
	}
	if total.prose > 0 && !commentRe.MatchString(cls) && proseMass(n)*2 > total.prose {
		return false
	}
	return true
}

// commentRe matches class words of reader comments, which are never the
// article however much prose they hold.
var commentRe = regexp.MustCompile(`(?i)comment|disqus|respon|reply|replies|discussion|forum`)

// pageSize is the text length and prose mass of a whole page.
type pageSize struct{ text, prose int }

// proseMass is the length of the paragraph text under n: <p> elements of
// 80 bytes or more, little of it in links.
func proseMass(n *html.Node) int {
	k := 0
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			if c.Type != html.ElementNode {
				continue
			}
			if c.DataAtom == atom.P {
				t, l := linkText(c)
				if t >= 80 && l*3 < t {
					k += t
				}
				continue
			}
			walk(c)
		}
	}
	walk(n)
	return k
}

// linkText returns the text length under n and the part inside links.
func linkText(n *html.Node) (text, link int) {
	var walk func(n *html.Node, inLink bool)
	walk = func(n *html.Node, inLink bool) {
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			switch c.Type {
			case html.TextNode:
				l := len(strings.TrimSpace(c.Data))
				text += l
				if inLink {
					link += l
				}
			case html.ElementNode:
				walk(c, inLink || c.DataAtom == atom.A)
			}
		}
	}
	walk(n, false)
	return text, link
}

// countTag counts elements of a tag under n, stopping at limit.
func countTag(n *html.Node, a atom.Atom, limit int) int {
	k := 0
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		for c := n.FirstChild; c != nil && k < limit; c = c.NextSibling {
			if c.Type == html.ElementNode {
				if c.DataAtom == a {
					k++
				}
				walk(c)
			}
		}
	}
	walk(n)
	return k
}

// textLen is the length of the text under n without surrounding space runs.
func textLen(n *html.Node) int {
	k := 0
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			switch c.Type {
			case html.TextNode:
				k += len(strings.TrimSpace(c.Data))
			case html.ElementNode:
				if c.DataAtom != atom.Script && c.DataAtom != atom.Style {
					walk(c)
				}
			}
		}
	}
	walk(n)
	return k
}

// splitCamel turns "newsCaption" into "news-Caption" so that class words
// written in camel case match like hyphenated ones.
func splitCamel(s string) string {
	var b strings.Builder
	prevLower := false
	for _, r := range s {
		if prevLower && r >= 'A' && r <= 'Z' {
			b.WriteByte('-')
		}
		b.WriteRune(r)
		prevLower = r >= 'a' && r <= 'z'
	}
	return b.String()
}

func wordSet(words ...string) map[string]bool {
	m := make(map[string]bool, len(words))
	for _, w := range words {
		m[w] = true
	}
	return m
}

// classWords splits class and id values into lower-case words at spaces,
// "-", "_" and camel-case humps.
func classWords(s string) []string {
	s = strings.ToLower(splitCamel(s))
	return strings.FieldsFunc(s, func(r rune) bool { return r == ' ' || r == '-' || r == '_' || r == '\t' || r == '\n' })
}

// matchWords reports whether a word, a run of two or three words joined by
// "-", or a word's start is in the set.
func matchWords(toks []string, set map[string]bool, prefixes []string) bool {
	for i, t := range toks {
		if set[t] {
			return true
		}
		if i+1 < len(toks) {
			two := t + "-" + toks[i+1]
			if set[two] || (i+2 < len(toks) && set[two+"-"+toks[i+2]]) {
				return true
			}
		}
		for _, p := range prefixes {
			if strings.HasPrefix(t, p) {
				return true
			}
		}
	}
	return false
}
