// Package extract finds the article in a scraped page: its headline,
// dateline, body text and site name. It takes HTML in any charset or a
// plain-text dump of a page, applies per-site rules (data: domain to CSS
// selector) where one matches, and a general extractor everywhere else.
// It never fetches anything.
package extract

import (
	"bytes"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"unicode/utf8"

	"golang.org/x/net/html"

	"newsdigest/digest"
)

// Options tune one extraction.
type Options struct {
	// BodySelector, when set, is the CSS selector of the article body on this
	// page (a source's own rule); it wins over Rules.
	BodySelector string
	// Rules are per-site rules; nil means DefaultRules(), an empty non-nil
	// table means none.
	Rules Rules
}

// minBodyRunes is the least body text that counts as an article.
const minBodyRunes = 200

// Memory bounds. Extraction reads at most MaxPageBytes of a page (no news
// page has its article past that; the fetcher's own cap is 5 MiB by
// default) and keeps at most MaxBodyBytes of body text, so its peak memory
// is bounded by the work (about 12× the bytes read, measured by
// BenchmarkExtractHugePage), not by what a site sends.
const (
	MaxPageBytes = 16 << 20
	MaxBodyBytes = 1 << 20
)

// capPage cuts a page to MaxPageBytes (an even length, for UTF-16).
func capPage(b []byte) []byte {
	if len(b) <= MaxPageBytes {
		return b
	}
	return b[:MaxPageBytes]
}

// capBody cuts body text to MaxBodyBytes at the last paragraph break (or
// else the last space) in the final quarter, never inside a UTF-8 sequence.
func capBody(s string) string {
	if len(s) <= MaxBodyBytes {
		return s
	}
	n := MaxBodyBytes
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	cut := s[:n]
	if p := strings.LastIndex(cut, "\n\n"); p > n*3/4 {
		return cut[:p]
	}
	if p := strings.LastIndexByte(cut, ' '); p > n*3/4 {
		return cut[:p]
	}
	return cut
}

// Extract finds the article in p. A page without one (a listing, an error
// page, empty or binary input) gives a *digest.NoArticleError.
func Extract(p digest.Page, opt Options) (digest.Article, error) {
	input := p.Name
	if input == "" {
		input = p.URL
	}
	noArticle := func(reason string) error {
		return &digest.NoArticleError{Input: input, Reason: reason}
	}
	if len(bytes.TrimSpace(p.Body)) == 0 {
		return digest.Article{}, noArticle("empty input")
	}
	text, ok := decodeText(capPage(p.Body), p.ContentType)
	if !ok {
		return digest.Article{}, noArticle("binary data")
	}
	var (
		a   digest.Article
		err error
	)
	if isHTML(text, p.ContentType) {
		rules := opt.Rules
		if rules == nil {
			rules = defaultRules
		}
		a, err = extractHTML(text, p.URL, opt.BodySelector, rules)
	} else {
		a = extractPlain(text)
	}
	var na *digest.NoArticleError
	if errors.As(err, &na) {
		return digest.Article{}, noArticle(na.Reason)
	}
	if err != nil {
		return digest.Article{}, fmt.Errorf("extract: %s: %w", input, err)
	}
	a.Body = capBody(a.Body)
	a.URL = p.URL
	if a.Site == "" {
		a.Site = hostName(p.URL)
	}
	if a.Site == "" {
		a.Site = deskOutlet(a.Dateline.Desk)
	}
	if reason := notArticle(a); reason != "" {
		if !short(&a, reason, text, p.ContentType) {
			return digest.Article{}, noArticle(reason)
		}
	}
	return a, nil
}

// notArticle says why an extraction result is no article, or "".
func notArticle(a digest.Article) string {
	n := len([]rune(a.Body))
	switch {
	case n == 0:
		return "no article text"
	case n < minBodyRunes:
		if errorTitle(a.Headline) {
			return "error page"
		}
		return fmt.Sprintf("too little article text (%d characters)", n)
	case errorTitle(a.Headline) && n < 600:
		return "error page"
	}
	return ""
}

// short gives a page with too little article text a second look: one
// that declares itself an article, has a headline and a body of some
// sentences (its own article element's, when that holds more than the
// extractor found) is an article however short; a is updated.
func short(a *digest.Article, reason, text, contentType string) bool {
	if reason == "error page" || a.Headline == "" || errorTitle(a.Headline) || !isHTML(text, contentType) {
		return false
	}
	declared, body := shortArticle(text)
	if !declared {
		return false
	}
	if len([]rune(body)) > len([]rune(a.Body)) {
		a.Body = body
	}
	return someSentences(a.Body)
}

// errorTitle reports whether a headline is that of an error page.
func errorTitle(h string) bool {
	l := strings.ToLower(h)
	for _, w := range []string{"404", "not found", "page not found", "error", "access denied", "forbidden", "seite nicht gefunden"} {
		if l == w || strings.HasPrefix(l, w+" ") || strings.HasSuffix(l, " "+w) || strings.Contains(l, "page not found") || strings.Contains(l, "404 not found") {
			return true
		}
	}
	return false
}

// hostName returns a URL's host without "www.".
func hostName(raw string) string {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" {
		return ""
	}
	return strings.TrimPrefix(strings.ToLower(u.Hostname()), "www.")
}

// Metadata reads only the headline, dateline, site and language of a page,
// without requiring an article body: for pages Extract rejects as too
// short, or callers that need no body.
func Metadata(p digest.Page) (digest.Article, error) {
	text, ok := decodeText(capPage(p.Body), p.ContentType)
	if len(bytes.TrimSpace(p.Body)) == 0 || !ok {
		input := p.Name
		if input == "" {
			input = p.URL
		}
		return digest.Article{}, &digest.NoArticleError{Input: input, Reason: "empty or binary input"}
	}
	var a digest.Article
	if isHTML(text, p.ContentType) {
		doc, err := html.Parse(strings.NewReader(text))
		if err != nil {
			return digest.Article{}, fmt.Errorf("extract: %s: parse html: %w", p.Name, err)
		}
		m := collectMeta(doc)
		a.Headline, a.Site, a.Language = headline(m), displaySite(m, p.URL), language(m)
		a.Image = leadImage(doc, m, p.URL)
		a.Dateline = dateline(m, findBody(doc), p.URL, a.Language)
	} else {
		a = extractPlain(text)
		a.Body = ""
	}
	a.Body = capBody(a.Body)
	a.URL = p.URL
	if a.Site == "" {
		a.Site = hostName(p.URL)
	}
	if a.Site == "" {
		a.Site = deskOutlet(a.Dateline.Desk)
	}
	return a, nil
}

// isHTML decides between HTML and a plain-text dump: a text/plain
// Content-Type is believed, otherwise the content decides.
func isHTML(text, contentType string) bool {
	if strings.HasPrefix(strings.ToLower(strings.TrimSpace(contentType)), "text/plain") {
		return false
	}
	return looksLikeHTML(text)
}

// deskOutlet names the outlet of a desk byline ("Devdiscourse News Desk"
// is Devdiscourse's), for pages that name their site nowhere else, such as
// text dumps without an address.
func deskOutlet(desk string) string {
	for _, suffix := range []string{" News Desk", " Web Desk", " Digital Desk", " Desk", " Newsroom", " Staff"} {
		if name, ok := strings.CutSuffix(desk, suffix); ok && name != "" && !strings.ContainsAny(name, ",|") {
			return name
		}
	}
	return ""
}
