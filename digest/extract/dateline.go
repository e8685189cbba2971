package extract

import (
	"fmt"
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
	lines := visibleLines(body, maxDateLines)
	if w, ok := publishedFromMeta(m); ok {
		setWhen(&d, localize(w, m, lines, dayFirst))
	}
	d.Author = author(m)
	if site := siteName(m); site != "" && sameTitle(site, d.Author) {
		d.Author = "" // the site itself, not a byline
	}
	if agencyRe.MatchString("(" + d.Author + ")") {
		d.Desk, d.Author = d.Author, "" // "By Reuters" names the agency
	}
	// A pipe byline gives the date unless a line labelled as the
	// publication date came before it (a pipe line further down is often a
	// comment's or a teaser's).
	labelled := len(lines)
	for i, l := range lines[:min(len(lines), maxPipeLines)] {
		if len(l.text) <= 200 && strings.ContainsAny(l.text, "0123456789") && publishedLabelRe.MatchString(l.text) {
			labelled = i
			break
		}
	}
	for i, l := range lines[:min(len(lines), maxPipeLines)] {
		if parsePipeLine(&d, l.text, dayFirst, i <= labelled) {
			break
		}
	}
	u, urlOK := urlDate(pageURL)
	if d.Published.IsZero() {
		first, ok := visibleDate(lines, dayFirst)
		// A date in the URL beats a visible line of another day (pages
		// show today's date in their headers).
		if urlOK && (!ok || !sameDay(&digest.Dateline{Published: first.T}, u)) {
			first, ok = u, true
		}
		if !ok {
			for _, s := range []string{m.LDDate, m.ScriptDate, m.anyScriptTime()} {
				if w, good := parseMachineDate(s); good {
					first, ok = w, true
					break
				}
			}
		}
		if ok {
			setWhen(&d, first)
		}
	} else if urlOK && !sameDay(&d, u) {
		// The URL's full date is the day the publisher filed the page:
		// it wins over a metadata date of another day (a date converted
		// to UTC, or a modification date in the published field).
		setWhen(&d, u)
	}
	return d
}

// localize gives a UTC time from metadata in the publisher's own offset,
// so that the card's date is the publisher's local date: when another
// machine date of the page is the same instant with an offset, or a
// date-classed or labelled visible line shows the same instant on the local
// clock. A visible date of the next or previous day without a clock time
// gives the local date alone.
func localize(w when, m *meta, lines []vline, dayFirst bool) when {
	if _, off := w.T.Zone(); !w.HasTime || off != 0 {
		return w
	}
	others := append([]string{m.ItemDate}, m.Times...)
	others = append(others, m.Props["article:published_time"], m.LD.DatePublished, m.LD.DateCreated, m.LDDate)
	for _, s := range others {
		if o, ok := parseMachineDate(s); ok && o.HasTime && o.T.Equal(w.T) {
			if _, off := o.T.Zone(); off != 0 {
				return o
			}
		}
	}
	utc := w.T.UTC()
	for i, l := range lines {
		if i >= maxPlainLines {
			break
		}
		if len(l.text) > 200 || !strings.ContainsAny(l.text, "0123456789") || (!l.dateClass && !publishedLabelRe.MatchString(l.text)) || commentLineRe.MatchString(l.text) {
			continue
		}
		v, ok := findDate(l.text, dayFirst)
		if !ok {
			continue
		}
		day := time.Date(v.T.Year(), v.T.Month(), v.T.Day(), 0, 0, 0, 0, time.UTC)
		uday := time.Date(utc.Year(), utc.Month(), utc.Day(), 0, 0, 0, 0, time.UTC)
		if gap := day.Sub(uday); gap.Abs() > 24*time.Hour {
			continue
		}
		if v.Clock {
			wall := time.Date(v.T.Year(), v.T.Month(), v.T.Day(), v.T.Hour(), v.T.Minute(), 0, 0, time.UTC)
			off := wall.Sub(utc.Truncate(time.Minute))
			if off == 0 || off.Abs() > 14*time.Hour || off%(15*time.Minute) != 0 {
				continue
			}
			return when{T: utc.In(time.FixedZone(offsetLabel(off), int(off.Seconds()))), HasTime: true, Clock: true}
		}
		if !day.Equal(uday) && publishedLabelRe.MatchString(l.text) {
			// Only the local day is known; the offset is not. (A page's
			// header often shows today's date in a date-classed element,
			// hence a label is needed.)
			off := day.Sub(utc)
			if off < 0 {
				off += 24 * time.Hour
			}
			if off.Abs() <= 14*time.Hour {
				return when{T: day}
			}
		}
	}
	return w
}

// offsetLabel names a fixed offset the way cards show it: "UTC-04:00".
func offsetLabel(off time.Duration) string {
	sign := "+"
	if off < 0 {
		sign, off = "-", -off
	}
	return fmt.Sprintf("UTC%s%02d:%02d", sign, int(off.Hours()), int(off.Minutes())%60)
}

const (
	// maxDateLines bounds the visible lines searched for a labelled date
	// (footers of wikis and archives stand far down); unlabelled dates
	// count only in the first maxPlainLines, pipe bylines in the first
	// maxPipeLines.
	maxDateLines  = 5000
	maxPlainLines = 400
	maxPipeLines  = 400
)

// visibleDate picks the publication date among the visible lines: the
// first date labelled as the publication date, else the first date in a
// date-classed element, else the first short line with a date, else the
// first date labelled as an update. Comment lines do not count.
func visibleDate(lines []vline, dayFirst bool) (when, bool) {
	const (
		rankPublished = iota
		rankClassed
		rankClassedUpdate
		rankPlain
		rankUpdated
		rankNone
	)
	var best when
	rank := rankNone
	for i, l := range lines {
		if len(l.text) > 200 || !strings.ContainsAny(l.text, "0123456789") || commentLineRe.MatchString(l.text) || nowLabelRe.MatchString(l.text) {
			continue
		}
		if loc := publishedLabelRe.FindStringIndex(l.text); loc != nil {
			if w, ok := findDate(l.text[loc[0]:], dayFirst); ok {
				return w, true
			}
		}
		if rank <= rankPlain && i >= maxPlainLines {
			break
		}
		r := rankPlain
		if l.dateClass {
			r = rankClassed
		}
		if r >= rank {
			continue
		}
		short := l.text
		if len(short) > 150 && !l.dateClass {
			continue
		}
		if loc := updatedLabelRe.FindStringIndex(short); loc != nil {
			// A date-classed "last edited on …" (a wiki's footer) beats
			// stray dates in the text; an unclassed one comes last.
			ru := rankUpdated
			if l.dateClass {
				ru = rankClassedUpdate
			}
			if w, ok := findDate(short[loc[0]:], dayFirst); ok && ru < rank {
				best, rank = w, ru
			}
			// A date before the update label is the original one.
			short = short[:loc[0]]
		}
		if w, ok := findDate(short, dayFirst); ok {
			best, rank = w, r
		}
	}
	if rank != rankNone {
		return best, true
	}
	// A relative date ("3 hours ago", "gestern") in a date line, when the
	// page says what time it is now (forums do).
	if ref := pageNow(lines, dayFirst); !ref.IsZero() {
		for i, l := range lines {
			if i >= maxPlainLines {
				break
			}
			if len(l.text) > 80 || !(l.dateClass || publishedLabelRe.MatchString(l.text)) || commentLineRe.MatchString(l.text) || nowLabelRe.MatchString(l.text) {
				continue
			}
			if w, ok := relativeDate(l.text, ref); ok {
				return w, true
			}
		}
	}
	return when{}, false
}

// dateLabelRe marks a line that labels its date as the publication date
// (the body cleaner drops such lines).
var dateLabelRe = regexp.MustCompile(`(?i)publi|posted|updated|created|date|veröffentlicht|aktualisiert|stand:|mis à jour|publicado|pubblicato|опубликовано|发布|تاريخ|نشر`)

// publishedLabelRe labels the publication date in a visible line, in the
// languages of the bench's pages; the date follows it.
var publishedLabelRe = regexp.MustCompile(`(?i)\b(?:published|posted|first published|date published|publication date|veröffentlicht|erschienen|erstellt am|publié|publicado|publicada|pubblicato|gepubliceerd|geplaatst|opublikowano|data publikacji|yayınlanma|yayın tarihi)|опубликовано|дата публикации|опубліковано|публикувано|פורסם|प्रकाशित|প্রকাশিত|প্রকাশ|发布|發佈|发表|發表|公開日|掲載|投稿日|등록|입력|작성|نشر في|تاريخ النشر`)

// updatedLabelRe labels a later date: an update or an edit.
var updatedLabelRe = regexp.MustCompile(`(?i)\b(?:updated|last updated|modified|last modified|last edited|edited|aktualisiert|zuletzt|geändert|letzte änderung|mis à jour|modifié|actualizado|actualización|aggiornato|atualizado|bijgewerkt|gewijzigd|zaktualizowano|güncellenme|güncelleme)|обновлено|оновлено|обновено|עודכן|अपडेट|আপডেট|更新|수정|تحديث|تم التحديث`)

// commentLineRe marks a line about a reader's comment, whose date is the
// comment's.
var commentLineRe = regexp.MustCompile(`(?i)\b(?:comments? by|kommentar von|says:|sagt:|schreibt:|a écrit|antwort(?:en)? auf|reply|replied|commented|dice:|scrive:)`)

// urlDateRe finds a date in a URL path: /2020/08/24/, /20200316/,
// /2020-08-24-, /2017/7/12/, _2020-08-24.html.
var urlDateRe = regexp.MustCompile(`[/_-]((?:19|20)\d{2})(?:[/-]?(0[1-9]|1[0-2])[/-]?(0[1-9]|[12]\d|3[01])|/([1-9]|0[1-9]|1[0-2])/([1-9]|0[1-9]|[12]\d|3[01]))(?:[/_?#-]|\.[a-z]{2,5}\b|$)`)

// waybackRe is the prefix of an archived copy; its timestamp is the
// crawl's, not the page's.
var waybackRe = regexp.MustCompile(`^(?:https?://)?web\.archive\.org/web/\d+[a-z_]*/`)

// urlDate reads a publication date from a page's URL.
func urlDate(raw string) (when, bool) {
	raw = waybackRe.ReplaceAllString(raw, "")
	m := urlDateRe.FindStringSubmatch(raw)
	if m == nil {
		return when{}, false
	}
	if m[2] == "" {
		m[2], m[3] = m[4], m[5]
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

// publishedFromMeta reads the publication date from <meta>, JSON-LD,
// itemprop and <time>, in the order htmldate trusts them.
func publishedFromMeta(m *meta) (when, bool) {
	var srcs []string
	for _, k := range dateProps {
		srcs = append(srcs, m.Props[k])
	}
	srcs = append(srcs, m.LD.DatePublished, m.LD.DateCreated, m.LDDate)
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
func parsePipeLine(d *digest.Dateline, line string, dayFirst, withDate bool) bool {
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
	if published == nil || commentLineRe.MatchString(line) {
		return false
	}
	// Without withDate the line still names the place and desk below.
	if withDate && (d.Published.IsZero() || (!d.HasTime && published.HasTime && sameDay(d, *published)) || (published.Zone != "" && sameInstant(d, *published))) {
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

// vline is one visible line of a page, and whether the element holding it
// (or its parent) is classed as a date, time or byline.
type vline struct {
	text      string
	dateClass bool
}

// dateClassWords are the class, id or itemprop words of an element that
// holds a page's date (htmldate's selector, in short).
var dateClassWords = []string{"date", "datum", "time", "publi", "posted", "submitted", "byline", "subline", "meta", "fecha", "parution", "author", "autor", "fa-clock", "fa-calendar", "lastmod"}

func dateClassed(n *html.Node) bool {
	for i := 0; i < 2 && n != nil && n.Type == html.ElementNode; i, n = i+1, n.Parent {
		if n.DataAtom == atom.Time || n.DataAtom == atom.Abbr {
			return true
		}
		for _, a := range n.Attr {
			if a.Key != "class" && a.Key != "id" && a.Key != "itemprop" {
				continue
			}
			v := strings.ToLower(a.Val)
			for _, w := range dateClassWords {
				if strings.Contains(v, w) {
					return true
				}
			}
		}
	}
	return false
}

// visibleLines returns the texts of the first small blocks of a page, where
// bylines and date lines stand; a <br> ends a line.
func visibleLines(n *html.Node, limit int) []vline {
	var out []vline
	add := func(text string, c *html.Node) {
		for _, t := range strings.Split(text, "\n") {
			if t = cleanSpace(t); t != "" && len(t) < 400 && len(out) < limit {
				// Only short lines and lines with digits can be date lines.
				out = append(out, vline{t, (len(t) <= 80 || strings.ContainsAny(t, "0123456789")) && dateClassed(c)})
			}
		}
	}
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		for c := n.FirstChild; c != nil && len(out) < limit; c = c.NextSibling {
			if c.Type != html.ElementNode || c.DataAtom == atom.Script || c.DataAtom == atom.Style || c.DataAtom == atom.Noscript {
				continue
			}
			if id := attr(c, "id"); id == "wm-ipp-base" || id == "wm-ipp" {
				continue // the Wayback Machine's banner, with the crawl's date
			}
			if !isInline(c.DataAtom) && !hasBlockChild(c) {
				add(brText(c), c)
				continue
			}
			add(directText(c), c)
			walk(c)
		}
	}
	walk(n)
	return out
}

// wordInline are the inline elements that may split a word ("<b>W</b>ord").
var wordInline = map[atom.Atom]bool{atom.B: true, atom.I: true, atom.Em: true, atom.Strong: true, atom.U: true, atom.Sup: true, atom.Sub: true, atom.Small: true, atom.Mark: true, atom.S: true}

// brText is the text under n with a line break for each <br>.
func brText(n *html.Node) string {
	var b strings.Builder
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		switch {
		case n.Type == html.TextNode:
			b.WriteString(strings.ReplaceAll(n.Data, "\n", " "))
			return
		case n.Type == html.ElementNode && (n.DataAtom == atom.Script || n.DataAtom == atom.Style):
			return
		case n.Type == html.ElementNode && n.DataAtom == atom.Br:
			b.WriteByte('\n')
			return
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
		if n.Type == html.ElementNode && !wordInline[n.DataAtom] {
			// "<span>Erstellt am</span><span>09.02.2022</span>" are two words.
			b.WriteByte(' ')
		}
	}
	walk(n)
	return b.String()
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
			b.WriteString(strings.ReplaceAll(c.Data, "\n", " "))
		case c.Type == html.ElementNode && c.DataAtom == atom.Br:
			b.WriteByte('\n')
		case c.Type == html.ElementNode && isInline(c.DataAtom):
			b.WriteString(brText(c))
		}
		b.WriteByte(' ')
	}
	return b.String()
}
