package extract

import (
	"fmt"

	"github.com/andybalholm/cascadia"
	"golang.org/x/net/html"
)

// matcher adapts a cascadia selector group to goquery.Matcher.
type matcher struct{ cascadia.SelectorGroup }

func (m matcher) MatchAll(n *html.Node) []*html.Node { return cascadia.QueryAll(n, m.SelectorGroup) }

func (m matcher) Filter(nodes []*html.Node) []*html.Node {
	var out []*html.Node
	for _, n := range nodes {
		if m.Match(n) {
			out = append(out, n)
		}
	}
	return out
}

// compileSelector compiles a CSS selector group for goquery.
func compileSelector(s string) (matcher, error) {
	sel, err := cascadia.ParseGroup(s)
	if err != nil {
		return matcher{}, fmt.Errorf("css selector %q: %w", s, err)
	}
	return matcher{sel}, nil
}
