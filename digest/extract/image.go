package extract

import (
	"net/url"
	"path"
	"regexp"
	"strconv"
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// An image candidate: where the page names it and what it says of its size.
type imageCandidate struct {
	src           string
	width, height int // 0 when the markup gives no hint
}

// minImageSide is the least width (or height) hint that makes an image a
// picture rather than an icon: Discord thumbnails are 80 px, Telegram's
// large previews 320 px wide; a picture hinted under 200 px is furniture.
const minImageSide = 200

// notPictureRe matches file names and paths of site furniture: logos,
// icons, avatars, tracking pixels, spacers and placeholders. It matches
// whole words of the path ("logo" in "site-logo.png", not "logorrhea").
var notPictureRe = regexp.MustCompile(`(?i)(?:^|[/_.\-])(?:logo|logos|logotype|icon|icons|favicon|apple-touch-icon|sprite|sprites|avatar|avatars|gravatar|profile[_-]?pic|author|authors|byline|badge|button|btn|pixel|tracking|tracker|spacer|blank|transparent|clear|1x1|placeholder|default[_-]?(?:image|img|thumb|share|og)|no[_-]?image|noimage|fallback|loading|loader|lazy|ad|ads|banner|emoji|emojis|facebook|twitter|whatsapp|rss)(?:$|[/_.\-\d])`)

// pixelHostRe matches hosts that serve only tracking pixels and ads.
var pixelHostRe = regexp.MustCompile(`(?i)(?:^|\.)(?:doubleclick\.net|google-analytics\.com|googletagmanager\.com|facebook\.com|scorecardresearch\.com|quantserve\.com|chartbeat\.net|adsrvr\.org|pixel\.[a-z.]+|gravatar\.com)$`)

// leadImage is the article's lead picture: the one the page offers for
// sharing (og:image, twitter:image, JSON-LD image), else the first large
// image of the body. It is absolute and https, and never the site's logo,
// an icon, an avatar, a tracking pixel or a placeholder. "" when none.
func leadImage(doc *html.Node, m *meta, pageURL string) string {
	base, _ := url.Parse(pageURL)
	logo := absImage(base, m.LD.Logo)
	hinted := func(w, h string) (int, int) { return atoiHint(m.Props[w]), atoiHint(m.Props[h]) }
	var cands []imageCandidate
	for _, k := range []struct{ src, w, h string }{
		{"og:image:secure_url", "og:image:width", "og:image:height"},
		{"og:image", "og:image:width", "og:image:height"},
		{"og:image:url", "og:image:width", "og:image:height"},
		{"twitter:image", "twitter:image:width", "twitter:image:height"},
		{"twitter:image:src", "twitter:image:width", "twitter:image:height"},
	} {
		if v := m.Props[k.src]; v != "" {
			w, h := hinted(k.w, k.h)
			cands = append(cands, imageCandidate{src: v, width: w, height: h})
		}
	}
	for _, im := range m.LD.Images {
		cands = append(cands, im)
	}
	if v := m.Props["image"]; v != "" { // itemprop=image on a <meta>
		cands = append(cands, imageCandidate{src: v})
	}
	if v := m.ImageSrc; v != "" { // <link rel="image_src">
		cands = append(cands, imageCandidate{src: v})
	}
	for _, c := range cands {
		if u := acceptImage(base, c, logo, false); u != "" {
			return u
		}
	}
	if body := findBody(doc); body != nil {
		if u := firstBodyImage(body, base, logo); u != "" {
			return u
		}
	}
	return ""
}

// firstBodyImage is the first <img> of the body (outside headers, footers,
// navigation and asides) that the markup says is large.
func firstBodyImage(body *html.Node, base *url.URL, logo string) string {
	found := ""
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		for c := n.FirstChild; c != nil && found == ""; c = c.NextSibling {
			if c.Type != html.ElementNode {
				continue
			}
			switch c.DataAtom {
			case atom.Header, atom.Footer, atom.Nav, atom.Aside, atom.Script, atom.Style, atom.Noscript, atom.Form:
				continue
			case atom.Img:
				src := attr(c, "src")
				if src == "" || strings.HasPrefix(src, "data:") {
					src = firstNonEmpty(attr(c, "data-src"), attr(c, "data-lazy-src"), attr(c, "data-original"))
				}
				if src == "" {
					src = largestSrcset(firstNonEmpty(attr(c, "srcset"), attr(c, "data-srcset")))
				}
				cand := imageCandidate{src: src, width: atoiHint(attr(c, "width")), height: atoiHint(attr(c, "height"))}
				if cand.width == 0 {
					cand.width = srcsetWidth(firstNonEmpty(attr(c, "srcset"), attr(c, "data-srcset")))
				}
				if u := acceptImage(base, cand, logo, true); u != "" {
					found = u
				}
				continue
			}
			if skipByClass(c) {
				continue
			}
			walk(c)
		}
	}
	walk(body)
	return found
}

// skipByClass reports an element whose class or id names page furniture
// around the article.
func skipByClass(n *html.Node) bool {
	v := strings.ToLower(attr(n, "class") + " " + attr(n, "id"))
	if v == " " {
		return false
	}
	for _, w := range classWords(v) {
		switch w {
		case "header", "footer", "nav", "navbar", "menu", "sidebar", "masthead", "logo", "avatar", "author", "byline", "comments", "related", "promo", "advert", "ad", "ads", "share", "social":
			return true
		}
	}
	return false
}

// acceptImage makes a candidate absolute and says whether it is a picture:
// https, not furniture by name or host, not the site's logo, not small by
// its hints. A body image must be hinted large (width or srcset); a shared
// image (og:image and the like) is trusted unless hinted small.
func acceptImage(base *url.URL, c imageCandidate, logo string, needSize bool) string {
	u := absImage(base, c.src)
	if u == "" || u == logo {
		return ""
	}
	p, err := url.Parse(u)
	if err != nil || p.Scheme != "https" || p.Host == "" {
		return ""
	}
	if pixelHostRe.MatchString(p.Hostname()) {
		return ""
	}
	if notPictureRe.MatchString(p.Path) {
		return ""
	}
	switch strings.ToLower(path.Ext(p.Path)) {
	case ".svg", ".ico", ".cur":
		return ""
	}
	if (c.width > 0 && c.width < minImageSide) || (c.height > 0 && c.height < minImageSide/2) {
		return ""
	}
	if needSize && c.width == 0 {
		return ""
	}
	return u
}

// absImage resolves src against the page; protocol-relative URLs take
// https. "" for data: URIs and unparsable values.
func absImage(base *url.URL, src string) string {
	src = strings.TrimSpace(html.UnescapeString(src))
	if src == "" || strings.HasPrefix(src, "data:") || strings.ContainsAny(src, "<>\"\n\t") {
		return ""
	}
	src = strings.ReplaceAll(src, " ", "%20")
	ref, err := url.Parse(src)
	if err != nil {
		return ""
	}
	if ref.Scheme == "" && strings.HasPrefix(src, "//") {
		ref.Scheme = "https"
	}
	if !ref.IsAbs() {
		if base == nil || base.Host == "" {
			return ""
		}
		ref = base.ResolveReference(ref)
	}
	if ref.Scheme == "http" && base != nil && base.Scheme == "https" && ref.Host == base.Host {
		// The page itself is served over https; its own images are too.
		ref.Scheme = "https"
	}
	ref.Fragment = ""
	return ref.String()
}

// largestSrcset is the URL of the widest candidate of a srcset.
func largestSrcset(set string) string {
	best, bestW := "", -1
	for _, part := range strings.Split(set, ",") {
		f := strings.Fields(part)
		if len(f) == 0 {
			continue
		}
		w := 0
		if len(f) > 1 && strings.HasSuffix(f[1], "w") {
			w, _ = strconv.Atoi(strings.TrimSuffix(f[1], "w"))
		}
		if w > bestW {
			best, bestW = f[0], w
		}
	}
	return best
}

// srcsetWidth is the widest width descriptor of a srcset, 0 without one.
func srcsetWidth(set string) int {
	w := 0
	for _, part := range strings.Split(set, ",") {
		f := strings.Fields(part)
		if len(f) > 1 && strings.HasSuffix(f[1], "w") {
			if n, err := strconv.Atoi(strings.TrimSuffix(f[1], "w")); err == nil && n > w {
				w = n
			}
		}
	}
	return w
}

// atoiHint reads a size hint ("640", "640px"); 0 when there is none.
func atoiHint(s string) int {
	s = strings.TrimSuffix(strings.TrimSpace(s), "px")
	n, err := strconv.Atoi(s)
	if err != nil || n < 0 {
		return 0
	}
	return n
}

func firstNonEmpty(v ...string) string {
	for _, s := range v {
		if strings.TrimSpace(s) != "" {
			return s
		}
	}
	return ""
}
