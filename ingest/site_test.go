package ingest

import (
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"html"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"
)

// site is a local news site: article pages from the shared set under
// /a/<id>, and any feed or page the test puts under a path.
type site struct {
	*httptest.Server
	pages map[string]benchPage

	mu     sync.Mutex
	routes map[string]http.HandlerFunc
	hits   map[string]int
}

func newSite(t testing.TB, pages []benchPage) *site {
	s := &site{pages: map[string]benchPage{}, routes: map[string]http.HandlerFunc{}, hits: map[string]int{}}
	for _, p := range pages {
		s.pages[p.ID] = p
	}
	s.Server = httptest.NewServer(http.HandlerFunc(s.serve))
	t.Cleanup(s.Close)
	return s
}

func (s *site) serve(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	s.hits[r.URL.Path]++
	h := s.routes[r.URL.Path]
	s.mu.Unlock()
	if h != nil {
		h(w, r)
		return
	}
	if id, ok := strings.CutPrefix(r.URL.Path, "/a/"); ok {
		if p, ok := s.pages[id]; ok {
			w.Header().Set("Content-Type", "text/html")
			w.Write(p.HTML)
			return
		}
	}
	http.NotFound(w, r)
}

// handle sets a route.
func (s *site) handle(path string, h http.HandlerFunc) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.routes[path] = h
}

// serveDoc serves a fixed body with validators, answering 304 when the
// client's ETag matches.
func (s *site) serveDoc(path, contentType, body string) {
	sum := sha256.Sum256([]byte(body))
	etag := fmt.Sprintf(`"%x"`, sum[:8])
	s.handle(path, func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("If-None-Match") == etag {
			w.WriteHeader(http.StatusNotModified)
			return
		}
		w.Header().Set("Content-Type", contentType)
		w.Header().Set("ETag", etag)
		fmt.Fprint(w, body)
	})
}

func (s *site) hitCount(path string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.hits[path]
}

var titleTagRe = regexp.MustCompile(`(?is)<title[^>]*>(.*?)</title>`)

// pageTitle is the page's <title>, for feed items.
func pageTitle(p benchPage) string {
	if m := titleTagRe.FindSubmatch(p.HTML); m != nil {
		return strings.Join(strings.Fields(html.UnescapeString(string(m[1]))), " ")
	}
	return p.ID[:12]
}

func teaser(p benchPage) string {
	w := strings.Fields(p.Truth)
	return strings.Join(w[:min(len(w), 20)], " ") + " …"
}

// feedItem is one entry of a feed the tests write.
type feedItem struct {
	GUID, Link, Title, HTML string
	Published               time.Time
}

func itemsFor(base string, pages []benchPage, full bool, t0 time.Time) []feedItem {
	var out []feedItem
	for i, p := range pages {
		it := feedItem{
			GUID:      "urn:uuid:" + p.ID[:32],
			Link:      base + "/a/" + p.ID + "?utm_source=rss&utm_medium=feed",
			Title:     pageTitle(p),
			Published: t0.Add(-time.Duration(i) * time.Hour),
			HTML:      "<p>" + html.EscapeString(teaser(p)) + "</p>",
		}
		if full {
			it.HTML = "<p>" + strings.ReplaceAll(html.EscapeString(p.Truth), "\n", "</p><p>") + "</p>"
		}
		out = append(out, it)
	}
	return out
}

// rss20 writes an RSS 2.0 feed (https://www.rssboard.org/rss-specification).
func rss20(base string, items []feedItem) string {
	var b strings.Builder
	b.WriteString(`<?xml version="1.0" encoding="UTF-8"?>` + "\n")
	b.WriteString(`<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom"><channel>`)
	fmt.Fprintf(&b, `<title>Local News</title><link>%s/</link><description>Latest stories</description>`, base)
	fmt.Fprintf(&b, `<atom:link href="%s/feed.rss" rel="self" type="application/rss+xml"/>`, base)
	for _, it := range items {
		b.WriteString("<item>")
		fmt.Fprintf(&b, "<title>%s</title><link>%s</link>", html.EscapeString(it.Title), html.EscapeString(it.Link))
		if it.GUID != "" {
			fmt.Fprintf(&b, `<guid isPermaLink="false">%s</guid>`, html.EscapeString(it.GUID))
		}
		fmt.Fprintf(&b, "<pubDate>%s</pubDate>", it.Published.Format(time.RFC1123Z))
		fmt.Fprintf(&b, "<description><![CDATA[%s]]></description>", it.HTML)
		b.WriteString("</item>")
	}
	b.WriteString("</channel></rss>")
	return b.String()
}

// atom10 writes an Atom 1.0 feed (RFC 4287) with the HTML as content.
func atom10(base string, items []feedItem) string {
	var b strings.Builder
	b.WriteString(`<?xml version="1.0" encoding="utf-8"?>` + "\n")
	b.WriteString(`<feed xmlns="http://www.w3.org/2005/Atom">`)
	fmt.Fprintf(&b, `<title>Local News</title><id>%s/</id><updated>2026-03-01T12:00:00Z</updated>`, base)
	fmt.Fprintf(&b, `<link rel="self" href="%s/feed.atom"/><author><name>Desk</name></author>`, base)
	for _, it := range items {
		b.WriteString("<entry>")
		fmt.Fprintf(&b, `<title>%s</title><id>%s</id><link rel="alternate" href="%s"/>`, html.EscapeString(it.Title), html.EscapeString(it.GUID), html.EscapeString(it.Link))
		fmt.Fprintf(&b, "<updated>%s</updated><published>%s</published>", it.Published.Format(time.RFC3339), it.Published.Format(time.RFC3339))
		fmt.Fprintf(&b, `<content type="html">%s</content>`, html.EscapeString(it.HTML))
		b.WriteString("</entry>")
	}
	b.WriteString("</feed>")
	return b.String()
}

// jsonFeed11 writes a JSON Feed 1.1 (https://www.jsonfeed.org/version/1.1/).
func jsonFeed11(base string, items []feedItem) string {
	type item struct {
		ID            string `json:"id"`
		URL           string `json:"url"`
		Title         string `json:"title"`
		ContentHTML   string `json:"content_html"`
		DatePublished string `json:"date_published"`
	}
	f := struct {
		Version string `json:"version"`
		Title   string `json:"title"`
		Home    string `json:"home_page_url"`
		FeedURL string `json:"feed_url"`
		Items   []item `json:"items"`
	}{Version: "https://jsonfeed.org/version/1.1", Title: "Local News", Home: base + "/", FeedURL: base + "/feed.json"}
	for _, it := range items {
		f.Items = append(f.Items, item{ID: it.GUID, URL: it.Link, Title: it.Title, ContentHTML: it.HTML, DatePublished: it.Published.Format(time.RFC3339)})
	}
	b, _ := json.Marshal(f)
	return string(b)
}
