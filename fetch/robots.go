package fetch

import (
	"bufio"
	"bytes"
	"strconv"
	"strings"
	"time"
)

// Robots is a parsed robots.txt (RFC 9309) reduced to the rules that apply
// to one user agent.
type Robots struct {
	rules []robotsRule
	// CrawlDelay is the group's Crawl-delay, if any (not in RFC 9309, but
	// widely used; the fetcher widens its gap to the host accordingly).
	CrawlDelay time.Duration
}

type robotsRule struct {
	allow   bool
	pattern string
}

// maxCrawlDelay bounds a Crawl-delay so one site cannot stall a worker.
const maxCrawlDelay = time.Minute

// ParseRobots reads robots.txt and keeps the groups for agent, the product
// token of our User-Agent ("newsdigest"), matched case-insensitively; when
// no group names it, the "*" groups apply. Several groups for the same agent
// are merged, as the RFC says. Unknown lines are ignored.
func ParseRobots(body []byte, agent string) *Robots {
	agent = strings.ToLower(agent)
	type group struct {
		agents []string
		rules  []robotsRule
		delay  time.Duration
	}
	var groups []*group
	var cur *group
	inRules := false
	sc := bufio.NewScanner(bytes.NewReader(body))
	sc.Buffer(make([]byte, 0, 4096), 1<<20)
	for sc.Scan() {
		line := sc.Text()
		if i := strings.IndexByte(line, '#'); i >= 0 {
			line = line[:i]
		}
		key, val, ok := strings.Cut(line, ":")
		if !ok {
			continue
		}
		key = strings.ToLower(strings.TrimSpace(key))
		val = strings.TrimSpace(val)
		switch key {
		case "user-agent", "useragent", "user agent":
			if cur == nil || inRules {
				cur = &group{}
				groups = append(groups, cur)
				inRules = false
			}
			cur.agents = append(cur.agents, strings.ToLower(val))
		case "allow", "disallow":
			if cur == nil {
				continue // rules before any user-agent line belong to nobody
			}
			inRules = true
			if val == "" {
				continue // "Disallow:" with nothing means allow all
			}
			cur.rules = append(cur.rules, robotsRule{allow: key == "allow", pattern: normalizeEncoding(val)})
		case "crawl-delay":
			if cur == nil {
				continue
			}
			inRules = true
			if s, err := strconv.ParseFloat(val, 64); err == nil && s > 0 {
				cur.delay = min(time.Duration(s*float64(time.Second)), maxCrawlDelay)
			}
		default:
			// sitemap and others do not end a group's user-agent lines
			// under RFC 9309, but do end them in practice; treat as rules.
			if cur != nil && key != "sitemap" {
				inRules = true
			}
		}
	}
	matches := func(want func(string) bool) *Robots {
		var r *Robots
		for _, g := range groups {
			for _, a := range g.agents {
				if want(a) {
					if r == nil {
						r = &Robots{}
					}
					r.rules = append(r.rules, g.rules...)
					r.CrawlDelay = max(r.CrawlDelay, g.delay)
					break
				}
			}
		}
		return r
	}
	if r := matches(func(a string) bool {
		a, _, _ = strings.Cut(a, "/")
		return a != "" && a != "*" && a == agent
	}); r != nil {
		return r
	}
	if r := matches(func(a string) bool { return a == "*" }); r != nil {
		return r
	}
	return &Robots{}
}

// Allowed reports whether the path (with its query, as sent on the wire,
// e.g. "/news/a?id=1") may be fetched: the longest matching pattern wins,
// and Allow wins a tie; no match means allowed. /robots.txt is always allowed.
func (r *Robots) Allowed(path string) bool {
	if path == "" {
		path = "/"
	}
	if path == "/robots.txt" || r == nil {
		return true
	}
	path = normalizeEncoding(path)
	best, allow := -1, true
	for _, rule := range r.rules {
		if !matchPattern(rule.pattern, path) {
			continue
		}
		n := len(rule.pattern)
		if n > best || (n == best && rule.allow) {
			best, allow = n, rule.allow
		}
	}
	return allow
}

// matchPattern matches a robots.txt path pattern: '*' is any run of
// characters, a final '$' anchors the end, anything else is a prefix match.
// Greedy leftmost search is exact for patterns with only '*'.
func matchPattern(pattern, path string) bool {
	anchored := strings.HasSuffix(pattern, "$")
	if anchored {
		pattern = pattern[:len(pattern)-1]
	}
	parts := strings.Split(pattern, "*")
	if !strings.HasPrefix(path, parts[0]) {
		return false
	}
	rest := path[len(parts[0]):]
	if len(parts) == 1 {
		return !anchored || rest == ""
	}
	for _, p := range parts[1 : len(parts)-1] {
		i := strings.Index(rest, p)
		if i < 0 {
			return false
		}
		rest = rest[i+len(p):]
	}
	last := parts[len(parts)-1]
	if anchored {
		return strings.HasSuffix(rest, last)
	}
	return strings.Contains(rest, last)
}

// normalizeEncoding writes a robots.txt pattern or a path in the one form
// they are compared in (RFC 9309 §2.2.2): non-ASCII bytes (UTF-8)
// percent-encoded, a percent-encoded unreserved character (A-Z a-z 0-9
// - . _ ~) decoded, other percent-encodings kept with upper-case hex, a
// bare "%" encoded as %25. So
// "Disallow: /ü" matches /%C3%BC and "Disallow: /~joe" matches /%7Ejoe.
func normalizeEncoding(s string) string {
	const hex = "0123456789ABCDEF"
	clean := true
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 || s[i] == '%' {
			clean = false
			break
		}
	}
	if clean {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 8)
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= 0x80:
			b.WriteByte('%')
			b.WriteByte(hex[c>>4])
			b.WriteByte(hex[c&15])
		case c == '%' && i+2 < len(s) && isHex(s[i+1]) && isHex(s[i+2]):
			v := unhex(s[i+1])<<4 | unhex(s[i+2])
			if unreserved(v) {
				b.WriteByte(v)
			} else {
				b.WriteByte('%')
				b.WriteByte(hex[v>>4])
				b.WriteByte(hex[v&15])
			}
			i += 2
		case c == '%':
			b.WriteString("%25") // a bare "%" is the character itself
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}

func isHex(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}

func unhex(c byte) byte {
	switch {
	case c >= 'a':
		return c - 'a' + 10
	case c >= 'A':
		return c - 'A' + 10
	}
	return c - '0'
}

func unreserved(c byte) bool {
	return 'A' <= c && c <= 'Z' || 'a' <= c && c <= 'z' || '0' <= c && c <= '9' ||
		c == '-' || c == '.' || c == '_' || c == '~'
}
