package extract

import (
	"encoding/json"
	"regexp"
	"strings"
	"unicode"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// meta is what a page says about itself outside its visible text.
type meta struct {
	Title    string            // <title>
	Props    map[string]string // <meta> by lower-case name/property/itemprop (first wins)
	Lang     string            // <html lang>
	H1       []string          // texts of <h1> elements
	Heads    []string          // texts of <h2>s and title-classed elements, in order
	Times    []string          // datetime of <time> elements, document order
	ItemDate string            // itemprop=datePublished on a non-meta element
	LD       ldArticle
	// LDDate is a datePublished of any JSON-LD object (a WebPage), or one
	// read from JSON-LD too broken to parse.
	LDDate string
	// ScriptDate is a publication date found in a script's data.
	ScriptDate string
	// Scripts are the page's inline scripts, searched for a date and time
	// only when nothing else gives one.
	Scripts []string
	// ImageSrc is the href of <link rel="image_src">.
	ImageSrc string
}

// ldArticle holds the fields of the page's JSON-LD article object.
type ldArticle struct {
	Headline, DatePublished, DateCreated, DateModified, Author, Publisher, Body, Type string
	// InLanguage is the article's declared language ("de-DE").
	InLanguage string
	// Images are the article's image values, in order; Logo is the
	// publisher's logo, which is never the article's picture.
	Images []imageCandidate
	Logo   string
}

var (
	scriptTimeRe = regexp.MustCompile(`(?:19|20)\d\d[-/]\d\d[-/]\d\d[T ]\d\d:\d\d`)
	titleClassRe = regexp.MustCompile(`(?i)(?:^|[\s_-])(?:entry-title|post-title|article-title|story-title|page-title|headline|title|article-headline|news-title|td-post-title|content-title)(?:$|[\s_-])`)
	ldDateRe     = regexp.MustCompile(`"datePublished"\s*:\s*"([^"]{8,40})"`)
	ldHeadlineRe = regexp.MustCompile(`"headline"\s*:\s*"((?:[^"\\]|\\.){3,300})"`)
	// scriptDateRe finds a publication date in a page's script data.
	scriptDateRe = regexp.MustCompile(`(?i)["']?(?:date_?published|published_?(?:at|date|time|on)|publish_?(?:date|time)|article_?publish_?time|pub_?date|first_?published(?:_?at)?|release_?date)["']?\s*[:=]\s*["']([^"']{8,40})["']`)
)

// articleTypes are JSON-LD types that describe an article.
var articleTypes = map[string]bool{
	"newsarticle": true, "article": true, "blogposting": true, "reportagenewsarticle": true,
	"analysisnewsarticle": true, "opinionnewsarticle": true, "backgroundnewsarticle": true,
	"reviewnewsarticle": true, "scholarlyarticle": true, "techarticle": true, "liveblogposting": true,
	"socialmediaposting": true, "report": true, "posting": true, "webpage": false,
}

func collectMeta(doc *html.Node) *meta {
	m := &meta{Props: map[string]string{}}
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode {
			switch n.DataAtom {
			case atom.Html:
				m.Lang = attr(n, "lang")
			case atom.Link:
				if m.ImageSrc == "" && strings.EqualFold(strings.TrimSpace(attr(n, "rel")), "image_src") {
					m.ImageSrc = attr(n, "href")
				}
			case atom.Title:
				if m.Title == "" {
					m.Title = cleanSpace(textOf(n))
				}
			case atom.Meta:
				content := attr(n, "content")
				for _, k := range []string{"property", "name", "itemprop", "http-equiv"} {
					if key := strings.ToLower(strings.TrimSpace(attr(n, k))); key != "" && content != "" {
						if _, ok := m.Props[key]; !ok {
							m.Props[key] = strings.TrimSpace(content)
						}
					}
				}
			case atom.Script:
				if n.FirstChild == nil {
					return
				}
				if strings.Contains(strings.ToLower(attr(n, "type")), "ld+json") {
					m.readLD(n.FirstChild.Data)
				} else {
					if m.ScriptDate == "" {
						m.ScriptDate = scriptDate(n.FirstChild.Data)
					}
					m.Scripts = append(m.Scripts, n.FirstChild.Data)
				}
				return
			case atom.Style, atom.Noscript:
				return
			case atom.H1:
				if t := cleanSpace(textOf(n)); t != "" {
					m.H1 = append(m.H1, t)
				}
				return
			case atom.H2, atom.H3:
				if t := cleanSpace(textOf(n)); t != "" && len(m.Heads) < 40 && len(t) < 400 {
					m.Heads = append(m.Heads, t)
				}
				return
			case atom.Time:
				if dt := attr(n, "datetime"); dt != "" {
					m.Times = append(m.Times, dt)
				} else if t := cleanSpace(textOf(n)); t != "" {
					m.Times = append(m.Times, t)
				}
			}
			if len(m.Heads) < 40 && n.DataAtom != atom.Body && n.DataAtom != atom.Html && n.DataAtom != atom.Meta && titleClass(n) {
				if t := cleanSpace(textOf(n)); t != "" && len(t) < 400 {
					m.Heads = append(m.Heads, t)
				}
			}
			if m.ItemDate == "" && attr(n, "itemprop") == "datePublished" && n.DataAtom != atom.Meta {
				if v := attr(n, "datetime"); v != "" {
					m.ItemDate = v
				} else if v := attr(n, "content"); v != "" {
					m.ItemDate = v
				} else {
					m.ItemDate = cleanSpace(textOf(n))
				}
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(doc)
	return m
}

// readLD reads one JSON-LD script; the first article object found wins.
func (m *meta) readLD(src string) {
	if m.LD.Type != "" {
		return
	}
	var v any
	if err := json.Unmarshal([]byte(strings.TrimSpace(src)), &v); err != nil {
		// Broken JSON-LD (raw newlines, trailing commas) is common; the
		// fields still read plainly.
		if m.LDDate == "" {
			if dm := ldDateRe.FindStringSubmatch(src); dm != nil {
				m.LDDate = dm[1]
			}
		}
		if m.LD.Headline == "" {
			if hm := ldHeadlineRe.FindStringSubmatch(src); hm != nil {
				m.LD.Headline = cleanSpace(html.UnescapeString(hm[1]))
			}
		}
		return
	}
	var visit func(v any) bool
	visit = func(v any) bool {
		switch x := v.(type) {
		case []any:
			for _, e := range x {
				if visit(e) {
					return true
				}
			}
		case map[string]any:
			if g, ok := x["@graph"]; ok && visit(g) {
				return true
			}
			if d := ldString(x["datePublished"]); d != "" && m.LDDate == "" {
				m.LDDate = d
			}
			if t := ldType(x["@type"]); articleTypes[t] {
				m.LD = ldArticle{
					Type:          t,
					Headline:      ldString(x["headline"]),
					DatePublished: ldString(x["datePublished"]),
					DateCreated:   ldString(x["dateCreated"]),
					DateModified:  ldString(x["dateModified"]),
					Author:        ldName(x["author"]),
					Publisher:     ldName(x["publisher"]),
					Body:          ldRaw(x["articleBody"]),
					Images:        ldImages(x["image"]),
					Logo:          ldLogo(x["publisher"]),
					InLanguage:    ldString(x["inLanguage"]),
				}
				if len(m.LD.Images) == 0 {
					m.LD.Images = ldImages(x["thumbnailUrl"])
				}
				if m.LD.Headline == "" {
					m.LD.Headline = ldString(x["name"])
				}
				return true
			}
			if e, ok := x["mainEntity"]; ok && visit(e) {
				return true
			}
		}
		return false
	}
	visit(v)
}

func ldType(v any) string {
	switch x := v.(type) {
	case string:
		return strings.ToLower(x)
	case []any:
		for _, e := range x {
			if s, ok := e.(string); ok && articleTypes[strings.ToLower(s)] {
				return strings.ToLower(s)
			}
		}
	}
	return ""
}

func ldString(v any) string {
	switch x := v.(type) {
	case string:
		return cleanSpace(html.UnescapeString(x))
	case []any:
		if len(x) > 0 {
			return ldString(x[0])
		}
	}
	return ""
}

// ldRaw reads a string value as it is, line breaks kept.
func ldRaw(v any) string {
	if s, ok := v.(string); ok {
		return html.UnescapeString(s)
	}
	return ""
}

// ldName reads a person or organisation: a string, an object with a name,
// or a list of them (joined with ", ").
func ldName(v any) string {
	switch x := v.(type) {
	case string:
		return cleanSpace(x)
	case map[string]any:
		return ldString(x["name"])
	case []any:
		var names []string
		for _, e := range x {
			if n := ldName(e); n != "" && !contains(names, n) {
				names = append(names, n)
			}
		}
		return strings.Join(names, ", ")
	}
	return ""
}

// ldImages reads an image value: a URL, an ImageObject ({url, width,
// height} or contentUrl), or a list of them.
func ldImages(v any) []imageCandidate {
	switch x := v.(type) {
	case string:
		if s := strings.TrimSpace(x); s != "" {
			return []imageCandidate{{src: s}}
		}
	case map[string]any:
		src := ldString(x["url"])
		if src == "" {
			src = ldString(x["contentUrl"])
		}
		if src != "" {
			return []imageCandidate{{src: src, width: ldInt(x["width"]), height: ldInt(x["height"])}}
		}
	case []any:
		var out []imageCandidate
		for _, e := range x {
			out = append(out, ldImages(e)...)
		}
		return out
	}
	return nil
}

// ldLogo is the logo URL of a publisher object, or "".
func ldLogo(v any) string {
	switch x := v.(type) {
	case map[string]any:
		if im := ldImages(x["logo"]); len(im) > 0 {
			return im[0].src
		}
	case []any:
		for _, e := range x {
			if l := ldLogo(e); l != "" {
				return l
			}
		}
	}
	return ""
}

// ldInt reads a number given as a number, a string ("1200", "1200px") or
// a QuantitativeValue ({"value": 1200}).
func ldInt(v any) int {
	switch x := v.(type) {
	case float64:
		return int(x)
	case string:
		return atoiHint(x)
	case map[string]any:
		return ldInt(x["value"])
	}
	return 0
}

func contains(l []string, s string) bool {
	for _, e := range l {
		if e == s {
			return true
		}
	}
	return false
}

func attr(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
}

// textOf returns all text under n.
func textOf(n *html.Node) string {
	var b strings.Builder
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.TextNode {
			b.WriteString(n.Data)
			return
		}
		if n.Type == html.ElementNode && (n.DataAtom == atom.Script || n.DataAtom == atom.Style) {
			return
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(n)
	return b.String()
}

// cleanSpace collapses runs of white space to one space and trims.
// It makes one copy, not a slice of every word (a one-paragraph page of
// 16 MiB has millions of them).
func cleanSpace(s string) string {
	if tidySpace(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	space := false
	for _, r := range s {
		if unicode.IsSpace(r) {
			space = b.Len() > 0
			continue
		}
		if space {
			b.WriteByte(' ')
			space = false
		}
		b.WriteRune(r)
	}
	return b.String()
}

// tidySpace reports whether s has no white space but single ASCII spaces
// between words: cleanSpace would return it unchanged.
func tidySpace(s string) bool {
	if s == "" {
		return true
	}
	if s[0] == ' ' || s[len(s)-1] == ' ' {
		return false
	}
	prev := byte(0)
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == ' ' && prev == ' ', c == '\t', c == '\n', c == '\r', c == '\v', c == '\f':
			return false
		case c >= 0x80:
			return false // Unicode spaces need the slow path
		}
		prev = c
	}
	return true
}

// titleClass reports whether an element's class, id or itemprop names it
// a title or headline.
func titleClass(n *html.Node) bool {
	v := strings.ToLower(attr(n, "class") + " " + attr(n, "id") + " " + attr(n, "itemprop"))
	if !strings.Contains(v, "title") && !strings.Contains(v, "headline") {
		return false
	}
	return titleClassRe.MatchString(v)
}

// scriptDate finds a publication date in script data. The regexp runs
// only around the few places that name one, as scripts can be large.
func scriptDate(src string) string {
	for _, key := range []string{"ublish", "ub_date", "ubdate", "ubDate", "elease_date", "eleaseDate"} {
		from := 0
		for tries := 0; tries < 8; tries++ {
			i := strings.Index(src[from:], key)
			if i < 0 {
				break
			}
			i += from
			lo, hi := max(0, i-30), min(len(src), i+80)
			if dm := scriptDateRe.FindStringSubmatch(src[lo:hi]); dm != nil {
				return dm[1]
			}
			from = i + len(key)
		}
	}
	return ""
}

// anyScriptTime is the first full date and time in the page's scripts, the
// last resort for pages that state their date nowhere else.
func (m *meta) anyScriptTime() string {
	for _, src := range m.Scripts {
		if loc := scriptTimeRe.FindStringIndex(src); loc != nil {
			return src[loc[0]:loc[1]]
		}
	}
	return ""
}
