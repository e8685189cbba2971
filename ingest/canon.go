package ingest

import (
	"bytes"
	"net/url"
	"sort"
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"

	"newsdigest/redact"
)

// trackingParams are query parameters that say who sent the reader, not
// which article they read.
var trackingParams = map[string]bool{
	"fbclid": true, "gclid": true, "dclid": true, "gbraid": true, "wbraid": true, "msclkid": true,
	"yclid": true, "twclid": true, "ttclid": true, "igshid": true, "li_fat_id": true,
	"mc_cid": true, "mc_eid": true, "mkt_tok": true, "_hsenc": true, "_hsmi": true,
	"_ga": true, "_gl": true, "ref_url": true,
	"oly_anon_id": true, "oly_enc_id": true, "vero_id": true, "wickedid": true,
	"cmpid": true, "ncid": true, "ocid": true, "s_cid": true, "sr_share": true, "smid": true,
	"at_medium": true, "at_campaign": true, "at_custom1": true, "at_custom2": true,
	"at_custom3": true, "at_custom4": true, "spm": true,
}

// selfRefParams name the referrer in a query. A link may need them (a
// "ref" can select content), so they are dropped only when their value is
// the site's own host or the feed's: a site tagging its own links (what
// miniflux's urlcleaner does for "ref").
// ref_src is dropped when it is Twitter's share widget's ("twsrc^tfw").
var selfRefParams = map[string]bool{"ref": true, "referrer": true, "ref_src": true}

// trackingPrefixes cover families of parameters (utm_source, utm_medium, …).
var trackingPrefixes = []string{"utm_", "pk_", "mtm_", "itm_", "__twitter", "hsa_"}

// hostPrefixes are mobile and AMP variants of a site's host.
var hostPrefixes = []string{"www.", "m.", "mobile.", "amp."}

// CanonicalURL returns the form of a URL that two links to one article
// share: lower-case scheme and host, no www./m./amp. host prefix, no default
// port, no fragment, no tracking parameters, no AMP variant (/amp, ?amp,
// outputType=amp), no trailing slash, and the query sorted. A ref or
// referrer parameter is a tracking one only when its value is the URL's own
// host or one of ownHosts (the feed's). Anything that is not an absolute
// http(s) URL is returned trimmed and otherwise unchanged.
func CanonicalURL(raw string, ownHosts ...string) string {
	raw = strings.TrimSpace(raw)
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" {
		return raw
	}
	u.Scheme = strings.ToLower(u.Scheme)
	if u.Scheme != "http" && u.Scheme != "https" {
		return raw
	}
	host := strings.ToLower(u.Hostname())
	host = strings.TrimSuffix(host, ".")
	for _, p := range hostPrefixes {
		if rest, ok := strings.CutPrefix(host, p); ok && strings.Contains(rest, ".") {
			host = rest
			break
		}
	}
	if port := u.Port(); port != "" && !(u.Scheme == "http" && port == "80" || u.Scheme == "https" && port == "443") {
		host += ":" + port
	} else if strings.Contains(host, ":") { // a bare IPv6 address
		host = "[" + host + "]"
	}
	self := selfHosts(u, ownHosts)
	u.Host = host
	u.User = nil
	u.Fragment, u.RawFragment = "", ""

	path := u.EscapedPath()
	for prev := ""; prev != path; {
		prev = path
		path = strings.TrimSuffix(path, "/")
		path = strings.TrimSuffix(path, "/amp")
		path = strings.TrimSuffix(path, ".amp")
		if rest, ok := strings.CutPrefix(path, "/amp/"); ok {
			path = "/" + rest
		}
	}
	if p, err := url.PathUnescape(path); err == nil {
		u.Path, u.RawPath = p, path
		if u.EscapedPath() != path {
			u.RawPath = ""
		}
	}

	q := u.Query()
	for k, vs := range q {
		lk := strings.ToLower(k)
		if tracking(lk) || selfRef(lk, vs, self) || lk == "amp" || lk == "outputtype" && len(vs) == 1 && strings.EqualFold(vs[0], "amp") {
			delete(q, k)
		}
	}
	u.RawQuery = encodeSorted(q)
	u.ForceQuery = false
	return u.String()
}

// tracking reports whether a (lower-case) query parameter only says who
// sent the reader.
func tracking(lk string) bool {
	if trackingParams[lk] {
		return true
	}
	for _, p := range trackingPrefixes {
		if strings.HasPrefix(lk, p) {
			return true
		}
	}
	return false
}

// selfHosts lists the hosts (without www. and the like) a ref parameter
// may name to be the site's own tagging: u's and ownHosts' (URLs or hosts).
func selfHosts(u *url.URL, ownHosts []string) []string {
	out := []string{siteHost(u)}
	for _, h := range ownHosts {
		if o, err := url.Parse(h); err == nil && o.Host != "" {
			out = append(out, siteHost(o))
		} else if h != "" {
			out = append(out, siteHost(&url.URL{Host: h}))
		}
	}
	return out
}

// selfRef reports whether a (lower-case) parameter with values vs is a
// ref naming one of the hosts.
func selfRef(lk string, vs []string, hosts []string) bool {
	if !selfRefParams[lk] || len(vs) != 1 {
		return false
	}
	v := strings.TrimSpace(vs[0])
	if v == "" {
		return false
	}
	if lk == "ref_src" {
		return strings.HasPrefix(strings.ToLower(v), "twsrc")
	}
	var h string
	if o, err := url.Parse(v); err == nil && o.Host != "" {
		h = siteHost(o)
	} else {
		h = siteHost(&url.URL{Host: v})
	}
	for _, s := range hosts {
		if h == s {
			return true
		}
	}
	return false
}

// PublicLink is the address a card links to: the URL as the site serves it
// (host, path and other parameters kept), without tracking parameters
// (ref and referrer as in CanonicalURL), fragment, userinfo and
// credentials (redact.IsSecretName). CanonicalURL, which also folds hosts
// and paths, is only a key.
func PublicLink(raw string, ownHosts ...string) string {
	raw = strings.TrimSpace(raw)
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" || (u.Scheme != "http" && u.Scheme != "https") {
		return raw
	}
	u.User = nil
	u.Fragment, u.RawFragment = "", ""
	if u.RawQuery != "" {
		q := u.Query()
		self := selfHosts(u, ownHosts)
		changed := false
		for k, vs := range q {
			// A credential in a link (an item link that repeats the feed's
			// API key) is not for the chats the link is sent to.
			if lk := strings.ToLower(k); tracking(lk) || selfRef(lk, vs, self) || redact.IsSecretName(k) {
				delete(q, k)
				changed = true
			}
		}
		if changed {
			u.RawQuery = encodeSorted(q)
		}
	}
	return u.String()
}

// encodeSorted is url.Values.Encode with a bare key kept bare ("?print"
// rather than "?print=").
func encodeSorted(q url.Values) string {
	keys := make([]string, 0, len(q))
	for k := range q {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var b strings.Builder
	for _, k := range keys {
		vs := q[k]
		sort.Strings(vs)
		for _, v := range vs {
			if b.Len() > 0 {
				b.WriteByte('&')
			}
			b.WriteString(url.QueryEscape(k))
			if v != "" {
				b.WriteByte('=')
				b.WriteString(url.QueryEscape(v))
			}
		}
	}
	return b.String()
}

// DeclaredURL returns the URL a page declares for itself, from
// <link rel="canonical"> or else <meta property="og:url">, resolved against
// base; "" when there is none, when it is not http(s), when it is on
// another site, or when it points at the site's front page from a deeper
// page (a common template mistake).
func DeclaredURL(body []byte, base string) string {
	b, err := url.Parse(base)
	if err != nil {
		return ""
	}
	var canonical, og string
	z := html.NewTokenizer(bytes.NewReader(body))
scan:
	for {
		switch z.Next() {
		case html.ErrorToken:
			break scan
		case html.StartTagToken, html.SelfClosingTagToken:
			name, hasAttr := z.TagName()
			switch atom.Lookup(name) {
			case atom.Body:
				break scan
			case atom.Link, atom.Meta:
				attrs := map[string]string{}
				for hasAttr {
					var k, v []byte
					k, v, hasAttr = z.TagAttr()
					attrs[string(k)] = string(v)
				}
				if atom.Lookup(name) == atom.Link && hasToken(attrs["rel"], "canonical") && canonical == "" {
					canonical = attrs["href"]
				} else if strings.EqualFold(attrs["property"], "og:url") && og == "" {
					og = attrs["content"]
				}
			}
		}
	}
	for _, c := range []string{canonical, og} {
		c = strings.TrimSpace(c)
		if c == "" {
			continue
		}
		u, err := b.Parse(c)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			continue
		}
		if strings.Trim(u.Path, "/") == "" && strings.Trim(b.Path, "/") != "" {
			continue
		}
		if siteHost(u) != siteHost(b) {
			// Another site's URL: a syndicated copy naming its original.
			// It is grouped with it by its text, not taken for it.
			continue
		}
		return u.String()
	}
	return ""
}

// siteHost is the host as CanonicalURL writes it (no www., m., amp., port).
func siteHost(u *url.URL) string {
	h := strings.TrimSuffix(strings.ToLower(u.Hostname()), ".")
	for _, p := range hostPrefixes {
		if rest, ok := strings.CutPrefix(h, p); ok && strings.Contains(rest, ".") {
			return rest
		}
	}
	return h
}

func hasToken(list, tok string) bool {
	for _, f := range strings.Fields(list) {
		if strings.EqualFold(f, tok) {
			return true
		}
	}
	return false
}
