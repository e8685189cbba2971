package extract

import (
	"slices"
	"sort"
	"strings"
)

// Rule is one site's extraction rule: CSS selectors for the article body
// and, optionally, for parts inside it to drop.
type Rule struct {
	Domain string // "example.com" also matches "news.example.com"
	Body   string
	Remove string
}

// Rules is a table of site rules sorted by domain.
type Rules []Rule

// DefaultRules returns the rules for sites whose markup the general
// extractor gets wrong, a fresh table each call (Options.Rules nil means
// these). Each entry describes the site's real structure, not a page.
func DefaultRules() Rules { return slices.Clone(defaultRules) }

var defaultRules = Rules{
	{Domain: "bbc.co.uk", Body: `article [data-component="text-block"], article [data-component="subheadline-block"]`},
	{Domain: "bbc.com", Body: `article [data-component="text-block"], article [data-component="subheadline-block"]`},
	{Domain: "reuters.com", Body: `[data-testid^="paragraph-"]`},
}.Sorted()

// Sorted returns the rules sorted by domain, for lookups and stable output.
func (r Rules) Sorted() Rules {
	out := append(Rules(nil), r...)
	sort.Slice(out, func(i, j int) bool { return out[i].Domain < out[j].Domain })
	return out
}

// For returns the rule for a host: an exact domain match or the longest
// parent domain; ok is false when none matches.
func (r Rules) For(host string) (Rule, bool) {
	host = strings.TrimPrefix(strings.ToLower(host), "www.")
	for host != "" {
		i := sort.Search(len(r), func(i int) bool { return r[i].Domain >= host })
		if i < len(r) && r[i].Domain == host {
			return r[i], true
		}
		_, rest, ok := strings.Cut(host, ".")
		if !ok || !strings.Contains(rest, ".") {
			break
		}
		host = rest
	}
	return Rule{}, false
}
