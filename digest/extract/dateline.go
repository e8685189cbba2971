package extract

import (
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"

	"newsdigest/digest"
)

// dateProps are the <meta> keys that hold the publication date, best first.
var dateProps = []string{
	"article:published_time", "og:article:published_time", "article.published", "published_time",
	"datepublished", "publishdate", "publish-date", "publish_date", "pubdate", "parsely-pub-date",
	"sailthru.date", "dc.date.issued", "dcterms.issued", "dc.date", "dcterms.date", "dcterms.created",
	"dc.date.created", "date", "article:published", "og:published_time", "cxenseparse:recs:publishtime",
	"originalpublicationdate", "article_date_original", "bt:pubdate", "displaydate", "date_published",
	"created", "creation_date", "citation_publication_date", "citation_date", "prism.publicationdate",
}

// agencies are news agencies that datelines name in brackets.
var agencyRe = regexp.MustCompile(`\((Reuters|AP|AFP|IANS|PTI|ANI|UNI|Bloomberg|dpa|DPA|Xinhua|EFE|ANSA|Kyodo|Yonhap|TASS|AAP|CNN|UPI|WAM|SPA|APA|KNA|epd|Anadolu|BERNAMA|Bernama|NNA|CP|The Canadian Press|Associated Press|Agence France-Presse|Reuters Breakingviews|Sputnik|IRNA|Interfax|Tass|RIA Novosti|Prensa Latina|AA|SANA|MENA)\)`)

// agencyLeadRe is a wire dateline opening a story: "RIYADH (Reuters) -",
// "LONDON, Feb 19 (Reuters) -", "NEW DELHI, Feb 19 -", "MUMBAI:".
var agencyLeadRe = regexp.MustCompile(`^([A-Z][A-Za-z\p{Lu}.'’ -]{1,40}?|[\p{Lu}][\p{Lu}.'’ -]{2,40}?)(?:,\s*(?:[\p{Lu}][\p{Lu}\p{Ll}.'’ -]{1,30}?,\s*)?(?:\p{L}{3,9}\.?\s+\d{1,2}|\d{1,2}\s+\p{L}{3,9}\.?)(?:,?\s*\d{4})?)?\s*(\([^)]{2,40}\))?\s*[-–—:]\s`)

// dateline finds where, when and by whom: metadata first, then the visible
// lines of the page (bylines, "Updated: …" lines).
func dateline(m *meta, body *html.Node, pageURL, lang string) digest.Dateline {
	var d digest.Dateline
	dayFirst := !strings.HasPrefix(lang, "en-us")
	if w, ok := publishedFromMeta(m); ok {
		setWhen(&d, w)
	}
	d.Author = author(m)
	if site := siteName(m); site != "" && sameTitle(site, d.Author) {
		d.Author = "" // the site itself, not a byline
	}
	if agencyRe.MatchString("(" + d.Author + ")") {
		d.Desk, d.Author = d.Author, "" // "By Reuters" names the agency
	}
	lines := visibleLines(body, 400)
	for _, l := range lines {
		if parsePipeLine(&d, l, dayFirst) {
			break
		}
	}
	if d.Published.IsZero() {
		// A short line with a date, labelled ones first.
		var first *when
		for _, l := range lines {
			if len(l) > 150 || !strings.ContainsAny(l, "0123456789") {
				continue
			}
			w, ok := findDate(l, dayFirst)
			if !ok {
				continue
			}
			if dateLabelRe.MatchString(l) {
				first = &w
				break
			}
			if first == nil {
				first = &w
			}
		}
		// A date in the URL beats a visible line of another day (pages
		// show today's date in their headers).
		if w, ok := urlDate(pageURL); ok && (first == nil || !sameDay(&digest.Dateline{Published: first.T}, w)) {
			first = &w
		}
		if first == nil {
			for _, s := range []string{m.LDDate, m.ScriptDate, m.anyScriptTime()} {
				if w, ok := parseMachineDate(s); ok {
					first = &w
					break
				}
			}
		}
		if first != nil {
			setWhen(&d, *first)
		}
	}
	return d
}

// dateLabelRe marks a line that labels its date as the publication date.
var dateLabelRe = regexp.MustCompile(`(?i)publi|posted|updated|created|date|veröffentlicht|aktualisiert|stand:|mis à jour|publicado|pubblicato|опубликовано|发布|تاريخ|نشر`)

// urlDateRe finds a date in a URL path: /2020/08/24/, /20200316/, /2020-08-24-.
var urlDateRe = regexp.MustCompile(`/((?:19|20)\d{2})[/-]?(0[1-9]|1[0-2])[/-]?(0[1-9]|[12]\d|3[01])(?:[/_-]|\.html?|$)`)

// urlDate reads a publication date from a page's URL.
func urlDate(raw string) (when, bool) {
	m := urlDateRe.FindStringSubmatch(raw)
	if m == nil {
		return when{}, false
	}
	y, _ := strconv.Atoi(m[1])
	mo, _ := strconv.Atoi(m[2])
	d, _ := strconv.Atoi(m[3])
	if !validYMD(y, mo, d) {
		return when{}, false
	}
	return when{T: time.Date(y, time.Month(mo), d, 0, 0, 0, 0, time.UTC)}, true
}

func setWhen(d *digest.Dateline, w when) {
	d.Published, d.HasTime, d.Zone = w.T, w.HasTime, w.Zone
}

// publishedFromMeta reads the publication date from JSON-LD, <meta>,
// itemprop and <time>.
func publishedFromMeta(m *meta) (when, bool) {
	srcs := []string{m.LD.DatePublished, m.LD.DateCreated, m.LDDate}
	for _, k := range dateProps {
		srcs = append(srcs, m.Props[k])
	}
	srcs = append(srcs, m.ItemDate)
	srcs = append(srcs, m.Times...)
	for _, s := range srcs {
		if s == "" {
			continue
		}
		if w, ok := parseMachineDate(s); ok {
			return w, true
		}
	}
	return when{}, false
}

// author is the byline from metadata.
func author(m *meta) string {
	for _, v := range []string{m.LD.Author, m.Props["author"], m.Props["article:author"], m.Props["parsely-author"], m.Props["sailthru.author"], m.Props["dc.creator"], m.Props["byl"]} {
		v = cleanSpace(v)
		if v == "" || strings.Contains(v, "://") || len(v) > 100 {
			continue
		}
		v = strings.TrimSpace(strings.TrimPrefix(strings.TrimPrefix(v, "By "), "by "))
		return v
	}
	return ""
}

// labelRe finds the labelled dates of a pipe line.
var labelRe = regexp.MustCompile(`(?i)^(updated|created|published|posted|last updated|first published|modified|date)\s*(?:on|at)?\s*:?\s*(.*)$`)

// parsePipeLine reads a byline of parts separated by "|":
// "Devdiscourse News Desk | Riyadh | Updated: 19-02-2025 03:06 IST | Created: …".
// It fills what the metadata left empty and reports whether it was one.
func parsePipeLine(d *digest.Dateline, line string, dayFirst bool) bool {
	parts := strings.Split(line, "|")
	if len(parts) < 3 || len(line) > 300 {
		return false
	}
	var published, updated *when
	var desk, place string
	for _, p := range parts {
		p = strings.TrimSpace(p)
		if p == "" {
			continue
		}
		if lm := labelRe.FindStringSubmatch(p); lm != nil {
			w, ok := findDate(lm[2], dayFirst)
			if !ok {
				continue
			}
			switch strings.ToLower(lm[1]) {
			case "updated", "last updated", "modified":
				updated = &w
			default:
				if published == nil {
					published = &w
				}
			}
			continue
		}
		if strings.ContainsAny(p, "0123456789") {
			if w, ok := findDate(p, dayFirst); ok && published == nil {
				published = &w
			}
			continue
		}
		switch {
		case desk == "" && (strings.Contains(strings.ToLower(p), "desk") || strings.HasPrefix(p, "By ") || agencyRe.MatchString("("+p+")")):
			desk = strings.TrimPrefix(p, "By ")
		case place == "" && isPlaceName(p):
			place = p
		}
	}
	if published == nil {
		published = updated
	}
	if published == nil {
		return false
	}
	if d.Published.IsZero() || (!d.HasTime && published.HasTime && sameDay(d, *published)) || (published.Zone != "" && sameInstant(d, *published)) {
		setWhen(d, *published)
	}
	if d.Place == "" {
		d.Place = place
	}
	if desk != "" {
		if strings.Contains(strings.ToLower(desk), "desk") || agencyRe.MatchString("("+desk+")") {
			if d.Desk == "" {
				d.Desk = desk
			}
		} else if d.Author == "" {
			d.Author = desk
		}
	}
	return true
}

func sameDay(d *digest.Dateline, w when) bool {
	y1, m1, d1 := d.Published.Date()
	y2, m2, d2 := w.T.Date()
	return y1 == y2 && m1 == m2 && d1 == d2
}

func sameInstant(d *digest.Dateline, w when) bool {
	return w.HasTime && d.Published.Equal(w.T)
}

// isPlaceName reports whether s looks like a city name: one to four
// capitalised words, no digits.
func isPlaceName(s string) bool {
	f := strings.Fields(s)
	if len(f) == 0 || len(f) > 4 || len(s) > 40 {
		return false
	}
	for _, w := range f {
		r := []rune(w)
		if !unicode.IsUpper(r[0]) {
			return false
		}
		for _, c := range r {
			if unicode.IsDigit(c) {
				return false
			}
		}
	}
	l := strings.ToLower(s)
	return !strings.Contains(l, "desk") && !strings.Contains(l, "updated") && !strings.Contains(l, "news")
}

// placeFromBody reads a wire dateline opening the body: the place and, in
// brackets, the agency.
func placeFromBody(d *digest.Dateline, body string) {
	first, _, _ := strings.Cut(body, "\n\n")
	if len(first) > 2000 {
		first = first[:2000]
	}
	m := agencyLeadRe.FindStringSubmatch(first)
	if m == nil {
		return
	}
	place := strings.TrimSpace(m[1])
	if !isShoutedPlace(place) {
		return
	}
	if d.Place == "" {
		d.Place = titleCase(place)
	}
	if m[2] != "" && d.Desk == "" {
		if am := agencyRe.FindStringSubmatch(m[2]); am != nil {
			d.Desk = am[1]
		}
	}
}

// isShoutedPlace accepts "RIYADH", "NEW DELHI", "WASHINGTON D.C." and, with
// a bracketed agency, "Riyadh".
func isShoutedPlace(s string) bool {
	if len(s) < 3 || len(strings.Fields(s)) > 4 {
		return false
	}
	letters := 0
	for _, r := range s {
		if unicode.IsLetter(r) {
			if !unicode.IsUpper(r) {
				return false
			}
			letters++
		}
	}
	return letters >= 3
}

// titleCase turns "NEW DELHI" into "New Delhi".
func titleCase(s string) string {
	f := strings.Fields(strings.ToLower(s))
	for i, w := range f {
		r := []rune(w)
		r[0] = unicode.ToUpper(r[0])
		f[i] = string(r)
	}
	return strings.Join(f, " ")
}

// visibleLines returns the texts of the first small blocks of a page, where
// bylines and date lines stand.
func visibleLines(n *html.Node, limit int) []string {
	var out []string
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		for c := n.FirstChild; c != nil && len(out) < limit; c = c.NextSibling {
			if c.Type != html.ElementNode || c.DataAtom == atom.Script || c.DataAtom == atom.Style || c.DataAtom == atom.Noscript {
				continue
			}
			if !isInline(c.DataAtom) && !hasBlockChild(c) {
				if t := cleanSpace(textOf(c)); t != "" && len(t) < 400 {
					out = append(out, t)
				}
				continue
			}
			if t := cleanSpace(directText(c)); t != "" && len(t) < 400 {
				out = append(out, t)
			}
			walk(c)
		}
	}
	walk(n)
	return out
}

func hasBlockChild(n *html.Node) bool {
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if c.Type == html.ElementNode && !isInline(c.DataAtom) && c.DataAtom != atom.Br {
			return true
		}
	}
	return false
}

// directText is the text of n's own text nodes and inline children.
func directText(n *html.Node) string {
	var b strings.Builder
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		switch {
		case c.Type == html.TextNode:
			b.WriteString(c.Data)
		case c.Type == html.ElementNode && isInline(c.DataAtom):
			b.WriteString(textOf(c))
		}
		b.WriteByte(' ')
	}
	return b.String()
}
