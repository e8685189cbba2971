package fetch

import (
	"strings"
	"testing"
)

const robotsExample = `# a comment
User-agent: *
Disallow: /private/
Disallow: /*.pdf$
Allow: /private/open/
Crawl-delay: 2

User-agent: NewsDigest
User-agent: otherbot
Disallow: /nodigest
Allow: /nodigest/but-this
Disallow: /search?*q=
Disallow: /fish*.php

User-agent: newsdigest/2.0
Disallow: /merged-group

Sitemap: https://example.com/sitemap.xml
`

func TestRobotsAllowed(t *testing.T) {
	ours := ParseRobots([]byte(robotsExample), "newsdigest")
	other := ParseRobots([]byte(robotsExample), "somebot")
	tests := []struct {
		r    *Robots
		path string
		want bool
	}{
		{ours, "/", true},
		{ours, "/private/x", true}, // our group replaces "*"
		{ours, "/nodigest", false},
		{ours, "/nodigest/page", false},
		{ours, "/nodigest/but-this/page", true}, // longer allow wins
		{ours, "/search?q=x", false},
		{ours, "/search?lang=en&q=x", false},
		{ours, "/search", true},
		{ours, "/fish.php", false},
		{ours, "/fishheads/catfish.php?parameters", false},
		{ours, "/Fish.PHP", true}, // paths are case-sensitive
		{ours, "/merged-group/x", false},
		{ours, "/robots.txt", true},
		{other, "/private/x", false},
		{other, "/private/open/x", true},
		{other, "/doc.pdf", false},
		{other, "/doc.pdf?x=1", true}, // $ anchors the end
		{other, "/nodigest", true},
		{ParseRobots(nil, "newsdigest"), "/anything", true},
		{ParseRobots([]byte("Disallow: /\n"), "newsdigest"), "/x", true}, // no user-agent line: no group
		{ParseRobots([]byte("User-agent: *\nDisallow:\n"), "newsdigest"), "/x", true},
		{ParseRobots([]byte("User-agent: *\nDisallow: /\n"), "newsdigest"), "/x", false},
		{ParseRobots([]byte("user-agent: *\ndisallow: /a\nallow: /a\n"), "newsdigest"), "/a", true}, // tie: allow
		{ParseRobots([]byte("User-agent: *\r\nDisallow: /a # why\r\n"), "newsdigest"), "/a/b", false},
		{ParseRobots([]byte("User-agent: *\nDisallow: /*\n"), "newsdigest"), "/", false},
		{ParseRobots([]byte("User-agent: *\nDisallow: /a*b*c$\n"), "newsdigest"), "/axxbyyc", false},
		{ParseRobots([]byte("User-agent: *\nDisallow: /a*b*c$\n"), "newsdigest"), "/axxbyycd", true},
	}
	for i, tt := range tests {
		if got := tt.r.Allowed(tt.path); got != tt.want {
			t.Errorf("%d: Allowed(%q) = %v, want %v", i, tt.path, got, tt.want)
		}
	}
	if ours.CrawlDelay != 0 || other.CrawlDelay.Seconds() != 2 {
		t.Errorf("crawl delays = %v, %v; want 0 and 2s", ours.CrawlDelay, other.CrawlDelay)
	}
}

func TestMatchPattern(t *testing.T) {
	tests := []struct {
		pattern, path string
		want          bool
	}{
		{"/", "/x", true},
		{"/x$", "/x", true},
		{"/x$", "/xy", false},
		{"*", "/anything", true},
		{"/*/b", "/a/b", true},
		{"/*/b", "/a/c", false},
		{"/a*a*a", "/aaa", true}, // each '*' may match nothing
		{"/a*a*a", "/aa", false},
		{"/a*a*a$", "/aab", false},
		{"/a*a*a", "/a_a_a", true},
		{"*.php$", "/x.php", true},
		{"*.php$", "/x.php5", false},
		{"/$", "/", true},
		{"/$", "/x", false},
	}
	for _, tt := range tests {
		if got := matchPattern(tt.pattern, tt.path); got != tt.want {
			t.Errorf("matchPattern(%q, %q) = %v, want %v", tt.pattern, tt.path, got, tt.want)
		}
	}
}

func FuzzRobots(f *testing.F) {
	f.Add([]byte(robotsExample), "/nodigest/x")
	f.Add([]byte("User-agent: *\nDisallow: /*$$\n"), "/$")
	f.Add([]byte("User-agent:\nAllow: ***\n"), "")
	f.Fuzz(func(t *testing.T, body []byte, path string) {
		r := ParseRobots(body, "newsdigest")
		_ = r.Allowed(path)
		if !r.Allowed("/robots.txt") {
			t.Error("robots.txt itself must stay allowed")
		}
	})
}

// TestRobotsPercentEncoding: rules and paths are compared after RFC 9309
// §2.2.2's normalisation, the examples of its table included.
func TestRobotsPercentEncoding(t *testing.T) {
	r := ParseRobots([]byte("User-agent: *\nDisallow: /ü\nDisallow: /~joe\nDisallow: /foo/bar/%62%61%7A\n"+
		"Disallow: /a%2fb\nDisallow: /q?u=https://x.y\nDisallow: /ツ\n"), "newsdigest")
	for _, tc := range []struct {
		path string
		want bool
	}{
		{"/%C3%BC", false}, {"/%c3%bc", false}, {"/ü", false},
		{"/%7Ejoe", false}, {"/%7ejoe/page", false}, {"/~joe", false},
		{"/foo/bar/baz", false}, {"/foo/bar/%62az", false},
		{"/a%2Fb", false}, {"/a/b", true}, // an encoded "/" is not a "/"
		{"/q?u=https://x.y", false},
		{"/%E3%83%84", false},
		{"/%C3%BD", true}, {"/joe", true}, {"/%7E", true},
	} {
		if got := r.Allowed(tc.path); got != tc.want {
			t.Errorf("Allowed(%q) = %v, want %v", tc.path, got, tc.want)
		}
	}
}

// FuzzNormalizeEncoding: the normal form is a fixed point, ASCII only, and
// keeps a rule matching the path it was written for.
func FuzzNormalizeEncoding(f *testing.F) {
	for _, s := range []string{"/ü", "/%7Ejoe", "/a%2fb", "/%", "/%e3%83%84?q=%41", "/*.pdf$"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		n := normalizeEncoding(s)
		if normalizeEncoding(n) != n {
			t.Errorf("normalizeEncoding(%q) = %q is not a fixed point", s, n)
		}
		for i := 0; i < len(n); i++ {
			if n[i] >= 0x80 {
				t.Fatalf("normalizeEncoding(%q) = %q has a non-ASCII byte", s, n)
			}
		}
		if !strings.ContainsAny(s, "*$") && !matchPattern(normalizeEncoding(s), n) {
			t.Errorf("rule %q does not match its own path", s)
		}
	})
}
