package ingest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/url"
	"regexp"
	"strings"
	"time"

	"github.com/PuerkitoBio/goquery"
	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"

	"newsdigest/digest"
	"newsdigest/fetch"
)

// AutoLinks is the LinkSelector of a listing source whose article links
// the bot finds itself (autoLinks): the page's links that look like
// articles of the same site, outside its header, navigation and footer.
const AutoLinks = "auto"

// Discovery is what a URL turned out to be, for a chat admin adding it.
type Discovery struct {
	// Source is the source to save: its URL (the feed's, or the listing
	// page's), kind, name (the feed's or page's title) and, for a listing,
	// LinkSelector AutoLinks.
	Source digest.Source
	// Via says how it was found: "feed", "feed linked from the page",
	// "feed at a usual path" or "listing page".
	Via string
	// Items are the source's items as read now, oldest first; PerWeek is
	// how many it published in the last week (0 when it dates none).
	Items   int
	PerWeek int
	// Newest is the newest item's page address.
	Newest string
}

// ErrNoSource is wrapped by Discover's error for a page that is neither a
// feed, nor links one, nor lists articles.
var ErrNoSource = errors.New("neither a feed nor a page that lists articles")

// feedPaths are where sites usually serve their feed.
var feedPaths = []string{"/feed", "/rss.xml", "/atom.xml", "/feed.xml", "/rss", "/index.xml", "/feeds/posts/default"}

// maxDiscoverItems bounds what discovery reads of a huge feed or page.
const maxDiscoverItems = 500

// Discover finds the source behind a URL an admin gave: the URL itself
// when it is a feed; else a feed the page links (<link rel="alternate">);
// else a feed at a usual path of the site; else the page as a listing of
// articles, when at least two of the links that look like articles
// extract as articles (extract checks one page). Every request goes
// through the polite fetcher (private addresses, robots.txt, size and time
// limits).
func Discover(ctx context.Context, f *fetch.Fetcher, raw string, extract func(digest.Page) error) (Discovery, error) {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return Discovery{}, fmt.Errorf("ingest: discover %q: not an http(s) address", raw)
	}
	resp, err := f.Get(ctx, fetch.Request{URL: u.String()})
	if err != nil {
		return Discovery{}, fmt.Errorf("ingest: discover: %w", err)
	}
	page := resp.Page()
	if d, ok := asFeed(page, "feed"); ok {
		return d, nil
	}
	if !looksHTML(page) {
		return Discovery{}, fmt.Errorf("ingest: discover %s: %w (it serves %s)", page.URL, ErrNoSource, contentKind(page.ContentType))
	}
	for _, link := range alternateFeeds(page) {
		if d, ok := fetchFeed(ctx, f, link, "feed linked from the page"); ok {
			return d, nil
		}
	}
	base, _ := url.Parse(page.URL)
	for _, p := range feedPaths {
		if ctx.Err() != nil {
			break
		}
		if d, ok := fetchFeed(ctx, f, base.ResolveReference(&url.URL{Path: p}).String(), "feed at a usual path"); ok {
			return d, nil
		}
	}
	src := digest.Source{Name: siteTitle(page), URL: page.URL, Kind: digest.KindHTML, LinkSelector: AutoLinks}
	cands, err := parseListing(src, page, maxDiscoverItems)
	if err != nil || len(cands) < 2 {
		return Discovery{}, fmt.Errorf("ingest: discover %s: %w", page.URL, ErrNoSource)
	}
	// The newest links first: they are the ones the digest will carry.
	articles, tried := 0, 0
	for i := len(cands) - 1; i >= 0 && tried < 4 && articles < 2; i-- {
		tried++
		r, err := f.Get(ctx, fetch.Request{URL: cands[i].Link})
		if err != nil {
			continue
		}
		if extract(r.Page()) == nil {
			articles++
		}
	}
	if articles < 2 {
		return Discovery{}, fmt.Errorf("ingest: discover %s: %w (%d of %d linked pages are articles)", page.URL, ErrNoSource, articles, tried)
	}
	return Discovery{Source: src, Via: "listing page", Items: len(cands), Newest: cands[len(cands)-1].Link}, nil
}

func fetchFeed(ctx context.Context, f *fetch.Fetcher, link, via string) (Discovery, bool) {
	r, err := f.Get(ctx, fetch.Request{URL: link, Accept: "application/rss+xml,application/atom+xml,application/feed+json,application/xml;q=0.9,text/xml;q=0.9"})
	if err != nil {
		return Discovery{}, false
	}
	return asFeed(r.Page(), via)
}

// asFeed reads page as a feed; ok is false when it is none.
func asFeed(page digest.Page, via string) (Discovery, bool) {
	if looksHTML(page) {
		return Discovery{}, false
	}
	src := digest.Source{URL: page.URL, Kind: digest.KindFeed}
	title, items, err := readFeed(src, page)
	if err != nil {
		return Discovery{}, false
	}
	if title == "" {
		title = hostOf(page.URL)
	}
	d := Discovery{Source: src, Via: via, Items: len(items)}
	d.Source.Name = title
	week := time.Now().Add(-7 * 24 * time.Hour)
	var newest time.Time
	for _, it := range items {
		if !it.Published.IsZero() && it.Published.After(week) {
			d.PerWeek++
		}
		if it.Link != "" && (d.Newest == "" || it.Published.After(newest)) {
			d.Newest, newest = it.Link, it.Published
		}
	}
	return d, true
}

var htmlStartRe = regexp.MustCompile(`(?i)^\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body)\b`)

func looksHTML(p digest.Page) bool {
	ct := strings.ToLower(p.ContentType)
	if strings.Contains(ct, "html") {
		return true
	}
	if strings.Contains(ct, "xml") || strings.Contains(ct, "json") {
		return false
	}
	return htmlStartRe.Match(p.Body[:min(len(p.Body), 2048)])
}

func contentKind(ct string) string {
	if ct == "" {
		return "no content type"
	}
	return ct
}

// alternateFeeds are the feeds a page names with <link rel="alternate">,
// absolute, in page order.
func alternateFeeds(page digest.Page) []string {
	doc, err := html.Parse(bytes.NewReader(page.Body))
	if err != nil {
		return nil
	}
	base, _ := url.Parse(page.URL)
	var out []string
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode && n.DataAtom == atom.Link {
			var rel, typ, href string
			for _, a := range n.Attr {
				switch strings.ToLower(a.Key) {
				case "rel":
					rel = strings.ToLower(a.Val)
				case "type":
					typ = strings.ToLower(a.Val)
				case "href":
					href = a.Val
				}
			}
			if strings.Contains(rel, "alternate") && href != "" &&
				(strings.Contains(typ, "rss") || strings.Contains(typ, "atom") || strings.Contains(typ, "feed+json")) {
				if l := resolve(base, href); l != "" && len(out) < 5 {
					out = append(out, l)
				}
			}
		}
		if n.DataAtom == atom.Body {
			return // feeds are announced in the head
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(doc)
	return out
}

// siteTitle is a page's og:site_name or <title>, for a listing source's name.
func siteTitle(page digest.Page) string {
	doc, err := goquery.NewDocumentFromReader(bytes.NewReader(page.Body))
	if err != nil {
		return hostOf(page.URL)
	}
	if s, ok := doc.Find(`meta[property="og:site_name"]`).Attr("content"); ok && strings.TrimSpace(s) != "" {
		return strings.Join(strings.Fields(s), " ")
	}
	if t := strings.Join(strings.Fields(doc.Find("title").First().Text()), " "); t != "" {
		return t
	}
	return hostOf(page.URL)
}

func hostOf(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return raw
	}
	return strings.TrimPrefix(u.Hostname(), "www.")
}
