package ingest

import (
	"fmt"
	"net/url"
	"regexp"
	"strings"

	"github.com/PuerkitoBio/goquery"
	"golang.org/x/net/html"

	"newsdigest/digest"
)

// notArticlePath matches path segments of a site's furniture rather than
// its articles.
var notArticlePath = regexp.MustCompile(`(?i)^(?:tag|tags|topic|topics|category|categories|section|sections|author|authors|page|search|login|signin|sign-in|register|subscribe|account|about|contact|privacy|terms|cookies|feed|rss|newsletter|newsletters|help|faq|jobs|careers|advertise|video|videos|live|podcasts?)$`)

var digitsRe = regexp.MustCompile(`\d{4,}`)

// furnitureRe matches class or id words of page furniture whose links are
// navigation, not articles.
var furnitureRe = regexp.MustCompile(`(?i)(?:^|[\s_-])(?:nav|navbar|navigation|menu|footer|header|masthead|breadcrumbs?|sidebar|social|share|pagination|pager|tags?)(?:$|[\s_-])`)

// autoLinks finds a listing page's article links without a selector: links
// to pages of the same site whose address looks like an article's (a long
// slug, a date or an ID in the path) with a headline of a few words as
// their text, outside the header, navigation, sidebar and footer.
func autoLinks(src digest.Source, page digest.Page, doc *goquery.Document, base *url.URL, limit int) ([]candidate, error) {
	site := strings.TrimPrefix(base.Hostname(), "www.")
	seen := map[string]bool{CanonicalURL(page.URL): true}
	var out []candidate
	doc.Find("a[href]").EachWithBreak(func(_ int, s *goquery.Selection) bool {
		if inFurniture(s.Nodes[0]) {
			return true
		}
		href, _ := s.Attr("href")
		link := resolve(base, href)
		u, err := url.Parse(link)
		if link == "" || err != nil || (u.Scheme != "http" && u.Scheme != "https") || strings.TrimPrefix(u.Hostname(), "www.") != site {
			return true
		}
		if !articlePath(u.Path) {
			return true
		}
		title := strings.Join(strings.Fields(s.Text()), " ")
		if len(strings.Fields(title)) < 3 {
			if t, ok := s.Attr("title"); ok && len(strings.Fields(t)) >= 3 {
				title = strings.Join(strings.Fields(t), " ")
			} else {
				return true
			}
		}
		canon := CanonicalURL(link)
		if seen[canon] {
			return true
		}
		seen[canon] = true
		out = append(out, candidate{Key: fmt.Sprintf("%d/link:%s", src.ID, canon), Link: link, Title: title, Listing: true})
		return len(out) < limit
	})
	if len(out) == 0 {
		return nil, fmt.Errorf("ingest: listing %s: no links that look like articles", page.URL)
	}
	for i, j := 0, len(out)-1; i < j; i, j = i+1, j-1 {
		out[i], out[j] = out[j], out[i]
	}
	return out, nil
}

// articlePath reports whether a path looks like an article's: not the
// home page or a furniture section, and a slug of several words, a date
// or a long number in it.
func articlePath(p string) bool {
	segs := strings.FieldsFunc(p, func(r rune) bool { return r == '/' })
	if len(segs) == 0 {
		return false
	}
	for _, sg := range segs {
		if notArticlePath.MatchString(sg) {
			return false
		}
	}
	last := segs[len(segs)-1]
	last = strings.TrimSuffix(strings.TrimSuffix(strings.TrimSuffix(last, ".html"), ".htm"), ".php")
	return strings.Count(last, "-") >= 2 || strings.Count(last, "_") >= 2 || digitsRe.MatchString(p)
}

// inFurniture reports whether n sits in a page's header, navigation,
// aside or footer, by element or by class and id.
func inFurniture(n *html.Node) bool {
	for p := n.Parent; p != nil; p = p.Parent {
		if p.Type != html.ElementNode {
			continue
		}
		switch p.Data {
		case "nav", "header", "footer", "aside":
			return true
		}
		for _, a := range p.Attr {
			if (a.Key == "class" || a.Key == "id" || a.Key == "role") && (furnitureRe.MatchString(a.Val) || a.Val == "navigation") {
				return true
			}
		}
	}
	return false
}
