package extract

import (
	"net/url"
	"strings"
	"unicode"
)

// titleSeps split a <title> into the headline and the site's name.
var titleSeps = []string{" | ", " - ", " – ", " — ", " :: ", " » ", " « ", " · ", " • ", " ~ ", " // ", " / ", ": "}

// headline picks the article's own headline from the page's metadata and
// <h1>s, without the site name that titles carry.
func headline(m *meta) string {
	site := siteName(m)
	var host string
	if u, err := url.Parse(m.Props["og:url"]); err == nil {
		host = u.Hostname()
	}
	cands := []string{m.LD.Headline, m.Props["og:title"], m.Props["twitter:title"], m.Props["title"], m.Props["headline"], m.Props["dc.title"], m.Title}
	var stripped []string
	for _, c := range cands {
		if c = cleanSpace(c); c != "" {
			if st := StripSiteSuffix(c, site, host); !genericTitle(st) {
				stripped = append(stripped, st)
			}
		}
	}
	// A heading that matches a metadata title is the headline as printed:
	// <h1>s first, then <h2>s and elements classed as titles.
	heads := append(append([]string(nil), m.H1...), m.Heads...)
	for _, s := range stripped {
		for _, h := range heads {
			if sameTitle(h, s) {
				return h
			}
		}
	}
	// A heading that is a part of a metadata title ("Section - Headline").
	for _, h := range heads {
		nh := norm(h)
		if len(nh) < 12 {
			continue
		}
		for _, c := range cands {
			if nc := norm(c); nc != "" && strings.Contains(nc, nh) && len(nh)*5 >= len(nc)*2 {
				return h
			}
		}
	}
	// A page's only <h1> is its printed headline, unless it names the site.
	if len(m.H1) == 1 {
		h := m.H1[0]
		if words(h) >= 2 && len(h) < 250 && !genericTitle(h) && !sameTitle(h, site) {
			return h
		}
	}
	if len(stripped) > 0 {
		return stripped[0]
	}
	if len(m.H1) > 0 {
		return m.H1[0]
	}
	return ""
}

// StripSiteSuffix removes the site's name from a page title:
// "Headline | Site", "Headline - Site", "Site: Headline". site and host may
// be empty; then only a short trailing part is taken for the site name.
func StripSiteSuffix(title, site, host string) string {
	title = cleanSpace(title)
	siteKey := norm(site)
	hostKey := ""
	for _, l := range strings.Split(strings.TrimPrefix(strings.ToLower(host), "www."), ".") {
		if len(l) > len(hostKey) {
			hostKey = norm(l)
		}
	}
	isSite := func(part string) bool {
		k := norm(part)
		if k == "" {
			return false
		}
		if siteKey != "" && (k == siteKey || strings.Contains(k, siteKey) && len(k) < len(siteKey)+12 || strings.Contains(siteKey, k) && len(k) >= 4) {
			return true
		}
		if len(hostKey) >= 3 && (k == hostKey || strings.Contains(k, hostKey) && len(k) < len(hostKey)+12) {
			return true
		}
		return false
	}
	for _, sep := range append(titleSeps, "|") {
		parts := strings.Split(title, sep)
		if len(parts) < 2 {
			continue
		}
		if sep == "|" {
			// Without spaces a bar is only taken to split off a known site.
			if isSite(parts[0]) || isSite(parts[len(parts)-1]) {
				if isSite(parts[0]) {
					parts = parts[1:]
				} else {
					parts = parts[:len(parts)-1]
				}
				title = strings.TrimSpace(strings.Join(parts, sep))
			}
			continue
		}
		for len(parts) > 1 && isSite(parts[len(parts)-1]) {
			parts = parts[:len(parts)-1]
		}
		for len(parts) > 1 && isSite(parts[0]) {
			parts = parts[1:]
		}
		if sep != ": " && len(parts) > 1 {
			// Unknown site: a short last part after a long first one is
			// taken for the site or section name.
			last := parts[len(parts)-1]
			rest := strings.Join(parts[:len(parts)-1], sep)
			if words(last) <= 4 && len(last) < 40 && words(rest) >= 4 && site == "" {
				parts = parts[:len(parts)-1]
			}
		}
		title = strings.Join(parts, sep)
	}
	return strings.TrimSpace(title)
}

// genericTitles are titles of site sections, not of articles.
var genericTitles = wordSet("home", "homepage", "home page", "index", "news", "blog", "startseite", "aktuelles",
	"nachrichten", "accueil", "inicio", "portada", "notizie", "noticias", "welcome", "untitled", "article")

func genericTitle(t string) bool { return genericTitles[strings.ToLower(strings.TrimSpace(t))] }

func words(s string) int { return len(strings.Fields(s)) }

// norm lower-cases and keeps letters and digits, for comparing titles.
func norm(s string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(s) {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			b.WriteRune(r)
		}
	}
	return b.String()
}

func sameTitle(a, b string) bool {
	na, nb := norm(a), norm(b)
	return na != "" && na == nb
}
