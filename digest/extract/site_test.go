package extract

import (
	"strings"
	"testing"

	"golang.org/x/net/html"
)

func TestDisplaySite(t *testing.T) {
	tests := []struct{ head, url, want string }{
		// og:site_name is a section here; twitter:site names the outlet.
		{`<meta property="og:site_name" content="U.S."><meta name="twitter:site" content="@Reuters">`, "https://www.reuters.com/article/x", "Reuters"},
		{`<meta property="og:site_name" content="BBC News">`, "https://www.bbc.com/news/1", "BBC News"},
		{`<meta property="og:site_name" content="AJENews"><script type="application/ld+json">{"@type":"NewsArticle","publisher":{"@type":"Organization","name":"Al Jazeera"}}</script>`, "https://www.aljazeera.com/a", "Al Jazeera"},
		// No name matches the host: the page's own first choice stays.
		{`<meta property="og:site_name" content="The Daily Planet">`, "https://dp.example/a", "The Daily Planet"},
		{`<meta property="og:site_name" content="U.S.">`, "", "U.S."},
	}
	for _, tt := range tests {
		doc, err := html.Parse(strings.NewReader("<html><head>" + tt.head + "</head><body></body></html>"))
		if err != nil {
			t.Fatal(err)
		}
		if got := displaySite(collectMeta(doc), tt.url); got != tt.want {
			t.Errorf("displaySite(%s, %s) = %q, want %q", tt.head, tt.url, got, tt.want)
		}
	}
}
