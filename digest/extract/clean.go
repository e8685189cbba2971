package extract

import (
	"regexp"
	"strings"

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

// boilerRe matches class and id words of page furniture: sharing, related
// links, comments, ads, navigation, credits, disclaimers.
var boilerRe = regexp.MustCompile(`(?i)(?:^|[\s_-])(?:share|sharing|social|related|recommend\w*|comments?|comment-\w+|disqus|footer|sidebar|side-bar|widget|promo\w*|newsletter|subscri\w+|cookie\w*|consent|gdpr|banner|advert\w*|ads?|adslot|ad-slot|adunit|dfp|sponsor\w*|breadcrumbs?|pagination|pager|tags?|tag-list|taglist|keywords|author-bio|author-info|authorbox|bio|caption|credits?|copyright|disclaimer|trending|popular|most-read|mostread|outbrain|taboola|modal|popup|overlay|masthead|menu|navbar|nav|navigation|skip|toolbar|signup|sign-up|login|byline|dateline|timestamp|print|rating|read-more|readmore|more-stories|next-article|prev-article|article-meta|post-meta|entry-meta|meta|hidden|visually-hidden|sr-only|screen-reader-text|tooltip|toc|jump-link|inline-related|story-more|also-read|see-also|donate|support-us|paywall|app-promo|video-player|player|gallery|slideshow|carousel|image-credit|photo-credit|wp-caption-text|headline-list|latest|top-stories|lightbox|infobox|fact-box|callout|pullquote)(?:$|[\s_-])`)

// keepRe matches class and id words of article containers, which are kept
// even when another word of theirs looks like furniture.
var keepRe = regexp.MustCompile(`(?i)(?:^|[\s_-])(?:article|article-body|articlebody|story-body|storybody|post-body|entry-content|post-content|article-content|article-text|story-content|main-content|content-body|body-text|text-body|rich-text|richtext|paragraph)(?:$|[\s_-])`)

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
	cls = splitCamel(cls)
	if !boilerRe.MatchString(cls) {
		return false
	}
	if keepRe.MatchString(cls) {
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
