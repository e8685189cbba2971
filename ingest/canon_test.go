package ingest

import (
	"net/url"
	"testing"
)

func TestCanonicalURL(t *testing.T) {
	tests := []struct{ in, want string }{
		{"https://example.com/news/a", "https://example.com/news/a"},
		{"  HTTPS://WWW.Example.COM/News/A/  ", "https://example.com/News/A"},
		{"https://m.example.com/news/a", "https://example.com/news/a"},
		{"https://mobile.example.com/news/a", "https://example.com/news/a"},
		{"https://amp.example.com/news/a", "https://example.com/news/a"},
		{"https://m.com/a", "https://m.com/a"}, // a bare domain keeps its name
		{"https://www.example.com/", "https://example.com"},
		{"https://example.com", "https://example.com"},
		{"http://example.com:80/a", "http://example.com/a"},
		{"https://example.com:443/a", "https://example.com/a"},
		{"https://example.com:8443/a", "https://example.com:8443/a"},
		{"http://127.0.0.1:8080/a/", "http://127.0.0.1:8080/a"},
		{"http://[::1]:80/a", "http://[::1]/a"},
		{"https://example.com/a#comments", "https://example.com/a"},
		{"https://example.com/a?utm_source=tw&utm_medium=social&id=7", "https://example.com/a?id=7"},
		{"https://example.com/a?fbclid=xyz&gclid=1&dclid=2&msclkid=3&mc_cid=4&mc_eid=5", "https://example.com/a"},
		{"https://example.com/a?ref_src=twsrc%5Etfw&igshid=9&_ga=1.2&yclid=5", "https://example.com/a"},
		{"https://example.com/a?b=2&a=1&c=3", "https://example.com/a?a=1&b=2&c=3"},
		{"https://example.com/a?z=1&UTM_Campaign=x", "https://example.com/a?z=1"},
		{"https://example.com/news/a/amp", "https://example.com/news/a"},
		{"https://example.com/news/a/amp/", "https://example.com/news/a"},
		{"https://example.com/news/a.amp", "https://example.com/news/a"},
		{"https://example.com/amp/news/a", "https://example.com/news/a"},
		{"https://example.com/news/a?amp", "https://example.com/news/a"},
		{"https://example.com/news/a?amp=1", "https://example.com/news/a"},
		{"https://example.com/news/a?outputType=amp", "https://example.com/news/a"},
		{"https://example.com/news/a?outputType=print", "https://example.com/news/a?outputType=print"},
		{"https://example.com/news/a?print", "https://example.com/news/a?print"},
		{"https://example.com/caf%C3%A9/", "https://example.com/caf%C3%A9"},
		{"https://example.com/a%2Fb", "https://example.com/a%2Fb"},
		{"https://example.com/search?q=a+b", "https://example.com/search?q=a+b"},
		{"https://user:pw@example.com/a", "https://example.com/a"},
		{"https://example.com./a", "https://example.com/a"},
		{"mailto:x@example.com", "mailto:x@example.com"},
		{"/relative/path", "/relative/path"},
		{"", ""},
	}
	for _, tt := range tests {
		if got := CanonicalURL(tt.in); got != tt.want {
			t.Errorf("CanonicalURL(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestDeclaredURL(t *testing.T) {
	base := "https://www.example.com/news/2024/story?utm_source=rss"
	tests := []struct{ name, html, want string }{
		{"canonical", `<html><head><link rel="canonical" href="https://example.com/news/2024/story"></head></html>`, "https://example.com/news/2024/story"},
		{"relative canonical", `<head><LINK REL="Canonical" HREF="/news/2024/story-x"></head>`, "https://www.example.com/news/2024/story-x"},
		{"og:url", `<head><meta property="og:url" content="https://example.com/s/1"/></head>`, "https://example.com/s/1"},
		{"canonical wins over og", `<head><meta property="og:url" content="https://example.com/og"><link rel="canonical" href="https://example.com/canon"></head>`, "https://example.com/canon"},
		{"front page ignored", `<head><link rel="canonical" href="https://example.com/"></head>`, ""},
		{"front page then og", `<head><link rel="canonical" href="/"><meta property="og:url" content="https://example.com/s/2"></head>`, "https://example.com/s/2"},
		{"not http", `<head><link rel="canonical" href="javascript:alert(1)"></head>`, ""},
		{"in body ignored", `<head></head><body><link rel="canonical" href="https://example.com/late"></body>`, ""},
		{"none", `<p>text</p>`, ""},
		{"mobile host is the same site", `<head><link rel="canonical" href="https://m.example.com/s/3"></head>`, "https://m.example.com/s/3"},
		{"other site ignored", `<head><link rel="canonical" href="https://wire.example.org/s/3"></head>`, ""},
	}
	for _, tt := range tests {
		if got := DeclaredURL([]byte(tt.html), base); got != tt.want {
			t.Errorf("%s: DeclaredURL = %q, want %q", tt.name, got, tt.want)
		}
	}
}

func FuzzCanonicalURL(f *testing.F) {
	for _, s := range []string{"https://WWW.a.com/x/amp/?utm_x=1&b=2#f", "http://[::1]:80/", "https://a.com/%zz", "https://m.a.b/amp/amp"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		c := CanonicalURL(s)
		if CanonicalURL(c) != c {
			u, err := url.Parse(s)
			if err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != "" {
				t.Errorf("not idempotent: %q -> %q -> %q", s, c, CanonicalURL(c))
			}
		}
	})
}

func TestPublicLink(t *testing.T) {
	for in, want := range map[string]string{
		"https://www.bbc.com/news/newsbeat-50470672?utm_source=rss&utm_medium=feed#top": "https://www.bbc.com/news/newsbeat-50470672",
		"https://m.example.com/a/1/?id=7&fbclid=abc":                                    "https://m.example.com/a/1/?id=7",
		"https://example.com/a?page=2":                                                  "https://example.com/a?page=2",
		"https://user:pw@example.com/a":                                                 "https://example.com/a",
		"https://example.com/a?id=7&apikey=KEY&access_token=T":                          "https://example.com/a?id=7",
		"not a url": "not a url",
	} {
		if got := PublicLink(in); got != want {
			t.Errorf("PublicLink(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestRefKeptUnlessSelf: ref and referrer are dropped only when they name
// the site's own host or the feed's (miniflux's rule); any other value may
// select content and is kept, in the key and in the link users click.
func TestRefKeptUnlessSelf(t *testing.T) {
	const feed = "https://feeds.example.net/rss.xml"
	for _, tc := range []struct{ in, canon, link string }{
		{"https://example.com/a?ref=example.com", "https://example.com/a", "https://example.com/a"},
		{"https://www.example.com/a?ref=www.example.com", "https://example.com/a", "https://www.example.com/a"},
		{"https://example.com/a?ref=https://example.com/", "https://example.com/a", "https://example.com/a"},
		{"https://example.com/a?ref=feeds.example.net", "https://example.com/a", "https://example.com/a"},
		{"https://example.com/a?referrer=Example.COM&id=2", "https://example.com/a?id=2", "https://example.com/a?id=2"},
		{"https://example.com/a?ref=rss", "https://example.com/a?ref=rss", "https://example.com/a?ref=rss"},
		{"https://example.com/a?ref=other.org", "https://example.com/a?ref=other.org", "https://example.com/a?ref=other.org"},
		{"https://example.com/search?referrer=sidebar", "https://example.com/search?referrer=sidebar", "https://example.com/search?referrer=sidebar"},
		{"https://example.com/a?ref_src=partner", "https://example.com/a?ref_src=partner", "https://example.com/a?ref_src=partner"},
	} {
		if got := CanonicalURL(tc.in, feed); got != tc.canon {
			t.Errorf("CanonicalURL(%q) = %q, want %q", tc.in, got, tc.canon)
		}
		if got := PublicLink(tc.in, feed); got != tc.link {
			t.Errorf("PublicLink(%q) = %q, want %q", tc.in, got, tc.link)
		}
	}
}
