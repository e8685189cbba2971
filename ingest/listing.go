package ingest

import (
	"bytes"
	"fmt"
	"net/url"

	"github.com/PuerkitoBio/goquery"
	"github.com/andybalholm/cascadia"

	"newsdigest/digest"
)

// parseListing finds article links on an HTML listing page with the
// source's LinkSelector: the selected elements' href, or the first link
// inside each. Links are resolved against the page URL, kept to http(s),
// deduplicated by canonical URL and capped at limit, in page order.
func parseListing(src digest.Source, page digest.Page, limit int) ([]candidate, error) {
	if len(bytes.TrimSpace(page.Body)) == 0 {
		return nil, fmt.Errorf("ingest: listing %s: empty body", page.URL)
	}
	doc, err := goquery.NewDocumentFromReader(bytes.NewReader(page.Body))
	if err != nil {
		return nil, fmt.Errorf("ingest: listing %s: %w", page.URL, err)
	}
	base, err := url.Parse(page.URL)
	if err != nil {
		return nil, fmt.Errorf("ingest: listing %s: %w", page.URL, err)
	}
	if src.LinkSelector == AutoLinks {
		return autoLinks(src, page, doc, base, limit)
	}
	sel, err := compileSelector(src.LinkSelector)
	if err != nil {
		return nil, fmt.Errorf("ingest: source %s: link_selector %q: %w", src.Name, src.LinkSelector, err)
	}
	seen := map[string]bool{CanonicalURL(page.URL): true}
	var out []candidate
	doc.FindMatcher(sel).EachWithBreak(func(_ int, s *goquery.Selection) bool {
		href, ok := s.Attr("href")
		if !ok {
			href, ok = s.Find("a[href]").First().Attr("href")
		}
		if !ok {
			return true
		}
		link := resolve(base, href)
		u, err := url.Parse(link)
		if link == "" || err != nil || (u.Scheme != "http" && u.Scheme != "https") {
			return true
		}
		canon := CanonicalURL(link)
		if seen[canon] {
			return true
		}
		seen[canon] = true
		title := s.Text()
		out = append(out, candidate{
			Key:     fmt.Sprintf("%d/link:%s", src.ID, canon),
			Link:    link,
			Title:   tidyParagraphs(title),
			Listing: true,
		})
		return len(out) < limit
	})
	if len(out) == 0 {
		return nil, fmt.Errorf("ingest: listing %s: selector %q matched no links", page.URL, src.LinkSelector)
	}
	// Listings put the newest first; store the oldest first.
	for i, j := 0, len(out)-1; i < j; i, j = i+1, j-1 {
		out[i], out[j] = out[j], out[i]
	}
	return out, nil
}

// compileSelector parses a CSS selector from the config; a bad one is an
// error for that source alone.
func compileSelector(sel string) (cascadia.Selector, error) {
	if sel == "" {
		return nil, fmt.Errorf("empty selector")
	}
	return cascadia.Compile(sel)
}
