package ingest

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"net/url"
	"regexp"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/mmcdole/gofeed"
	"golang.org/x/net/html/charset"

	"newsdigest/digest"
)

// candidate is one item found on a source, before its page is read.
type candidate struct {
	Key       string // per-source identity, namespaced by source ID
	Link      string // absolute URL of the article
	Title     string
	Text      string // plain text the feed carried (teaser or full text)
	Published time.Time
	Author    string
	Listing   bool   // found on an HTML listing page: the page's headline wins
	Image     string // the item's picture (absolute https), used when the page names none
}

// ErrNotFeed is wrapped by the error for a feed URL that serves something
// else (an HTML error page, a login wall, nothing).
var ErrNotFeed = errors.New("not a feed")

var xmlEncodingRe = regexp.MustCompile(`^\s*<\?xml[^>]*?encoding\s*=\s*["']([^"']+)["']`)

var titleRe = regexp.MustCompile(`(?is)<title[^>]*>(.*?)</title>`)

// parseFeed reads RSS 2.0, Atom or JSON Feed and returns its items in
// publication order, oldest first.
func parseFeed(src digest.Source, page digest.Page) ([]candidate, error) {
	_, items, err := readFeed(src, page)
	return items, err
}

// readFeed is parseFeed that also gives the feed's own title.
func readFeed(src digest.Source, page digest.Page) (title string, items []candidate, err error) {
	body := bytes.TrimSpace(page.Body)
	if len(body) == 0 {
		return "", nil, fmt.Errorf("ingest: feed %s: empty body: %w", page.URL, ErrNotFeed)
	}
	if m := xmlEncodingRe.FindSubmatch(body[:min(len(body), 512)]); m != nil {
		if enc, _ := charset.Lookup(string(m[1])); enc == nil {
			if !utf8.Valid(body) {
				return "", nil, fmt.Errorf("ingest: feed %s: unknown character encoding %q", page.URL, m[1])
			}
			// Valid UTF-8 under a label nobody knows: read it as UTF-8.
			body = bytes.Replace(body, m[0], []byte(`<?xml version="1.0" encoding="utf-8"`), 1)
		}
	}
	feed, err := gofeed.NewParser().Parse(bytes.NewReader(body))
	if err != nil {
		if errors.Is(err, gofeed.ErrFeedTypeNotDetected) {
			head := body[:min(len(body), 4096)]
			if bytes.Contains(bytes.ToLower(head), []byte("<html")) || strings.Contains(page.ContentType, "html") {
				title := ""
				if m := titleRe.FindSubmatch(head); m != nil {
					title = strings.Join(strings.Fields(string(m[1])), " ")
				}
				return "", nil, fmt.Errorf("ingest: feed %s: got an HTML page titled %q instead of a feed: %w", page.URL, title, ErrNotFeed)
			}
			return "", nil, fmt.Errorf("ingest: feed %s: not RSS, Atom or JSON Feed: %w", page.URL, ErrNotFeed)
		}
		return "", nil, fmt.Errorf("ingest: parsing feed %s: %w", page.URL, err)
	}
	if feed.FeedType == "json" && !bytes.Contains(body, []byte("jsonfeed.org/version")) {
		return "", nil, fmt.Errorf("ingest: feed %s: JSON without a JSON Feed version: %w", page.URL, ErrNotFeed)
	}
	base, _ := url.Parse(page.URL)
	mode := identityMode(feed.Items)
	out := make([]candidate, 0, len(feed.Items))
	for _, it := range feed.Items {
		c := candidate{Title: strings.Join(strings.Fields(htmlText(it.Title)), " "), Link: resolve(base, itemLink(it))}
		if it.PublishedParsed != nil {
			c.Published = inFeedZone(it.Published, *it.PublishedParsed)
		} else if it.UpdatedParsed != nil {
			c.Published = inFeedZone(it.Updated, *it.UpdatedParsed)
		}
		if len(it.Authors) > 0 && it.Authors[0] != nil {
			c.Author = it.Authors[0].Name
		}
		content := it.Content
		if len(htmlText(it.Description)) > len(htmlText(content)) {
			content = it.Description
		}
		c.Text = htmlText(content)
		c.Image = feedImage(base, it)
		c.Key = itemKey(src.ID, mode, it)
		if c.Link == "" && c.Text == "" {
			continue // nothing to read and nothing to link to
		}
		out = append(out, c)
	}
	// Feeds list newest first; store oldest first so story leads are the
	// earliest reports.
	for i, j := 0, len(out)-1; i < j; i, j = i+1, j-1 {
		out[i], out[j] = out[j], out[i]
	}
	return strings.Join(strings.Fields(htmlText(feed.Title)), " "), out, nil
}

// feedImage is an item's picture: its image, an image enclosure, or Media
// RSS content or thumbnail; absolute and https, else "".
func feedImage(base *url.URL, it *gofeed.Item) string {
	var cands []string
	if it.Image != nil {
		cands = append(cands, it.Image.URL)
	}
	for _, e := range it.Enclosures {
		if e != nil && strings.HasPrefix(strings.ToLower(e.Type), "image/") {
			cands = append(cands, e.URL)
		}
	}
	if media, ok := it.Extensions["media"]; ok {
		for _, name := range []string{"content", "thumbnail", "group"} {
			for _, ext := range media[name] {
				if name == "group" {
					for _, sub := range ext.Children["content"] {
						if medium := sub.Attrs["medium"]; medium == "" || medium == "image" {
							cands = append(cands, sub.Attrs["url"])
						}
					}
					continue
				}
				if medium := ext.Attrs["medium"]; medium == "" || medium == "image" || name == "thumbnail" {
					cands = append(cands, ext.Attrs["url"])
				}
			}
		}
	}
	for _, c := range cands {
		if u := resolve(base, strings.TrimSpace(c)); strings.HasPrefix(u, "https://") && len(u) <= 2048 {
			return u
		}
	}
	return ""
}

// feedTimeLayouts are the date forms of RSS (RFC 822 and its variants) and
// Atom (RFC 3339) that carry a numeric zone offset.
var feedTimeLayouts = []string{time.RFC1123Z, "Mon, 2 Jan 2006 15:04:05 -0700", "Mon, 02 Jan 2006 15:04 -0700",
	"2 Jan 2006 15:04:05 -0700", time.RFC3339Nano, time.RFC3339, "2006-01-02T15:04:05-0700"}

// inFeedZone gives the instant gofeed parsed (which it hands over in UTC)
// in the offset the feed wrote it with, so that a card's date is the
// publisher's local day, not UTC's.
func inFeedZone(raw string, parsed time.Time) time.Time {
	raw = strings.TrimSpace(raw)
	for _, layout := range feedTimeLayouts {
		if t, err := time.Parse(layout, raw); err == nil && t.Equal(parsed) {
			return t
		}
	}
	return parsed
}

func itemLink(it *gofeed.Item) string {
	if it.Link != "" {
		return it.Link
	}
	for _, l := range it.Links {
		if l != "" {
			return l
		}
	}
	return ""
}

// identityMode picks the first field that is present and unique across the
// feed: guid, then link, then title+date (MonitoRSS's rule). A feed that
// reuses GUIDs, or gives none, still gets stable identities.
func identityMode(items []*gofeed.Item) string {
	unique := func(f func(*gofeed.Item) string) bool {
		seen := map[string]bool{}
		for _, it := range items {
			v := f(it)
			if v == "" || seen[v] {
				return false
			}
			seen[v] = true
		}
		return true
	}
	switch {
	case unique(func(it *gofeed.Item) string { return strings.TrimSpace(it.GUID) }):
		return "guid"
	case unique(func(it *gofeed.Item) string { return CanonicalURL(itemLink(it)) }):
		return "link"
	default:
		return "title"
	}
}

func itemKey(sourceID int64, mode string, it *gofeed.Item) string {
	var v string
	switch mode {
	case "guid":
		v = strings.TrimSpace(it.GUID)
	case "link":
		v = CanonicalURL(itemLink(it))
	default:
		v = strings.TrimSpace(it.Title) + "|" + strings.TrimSpace(it.Published)
	}
	if len(v) > 200 {
		sum := sha256.Sum256([]byte(v))
		v = "sha256:" + hex.EncodeToString(sum[:16])
	}
	return fmt.Sprintf("%d/%s:%s", sourceID, mode, v)
}

func resolve(base *url.URL, ref string) string {
	ref = strings.TrimSpace(ref)
	if ref == "" {
		return ""
	}
	if base == nil {
		return ref
	}
	u, err := base.Parse(ref)
	if err != nil {
		return ""
	}
	return u.String()
}
