package ingest

import (
	"context"
	"os"
	"strings"
	"testing"

	"newsdigest/fetch"
)

// TestControlCharactersStripped: a feed and an article page carrying NUL,
// ANSI escape sequences (clear screen, window title, colours, a C1 CSI)
// and backspaces are stored without them.
func TestControlCharactersStripped(t *testing.T) {
	feed, err := os.ReadFile("testdata/controlchars.json")
	if err != nil {
		t.Fatal(err)
	}
	page, err := os.ReadFile("testdata/controlchars.html")
	if err != nil {
		t.Fatal(err)
	}
	s := newSite(t, nil)
	s.handle("/feed.json", textHandler("application/feed+json", strings.ReplaceAll(string(feed), `"/a/`, `"`+s.URL+`/a/`)))
	s.handle("/a/page", textHandler("text/html; charset=utf-8", string(page)))
	src := feedSource(3, "Town", s.URL+"/feed.json")
	st := newMemStore(src)
	ing := newTestIngester(t, st, fetch.Options{})
	ing.FullTextWords, ing.MinBodyWords = 40, 20
	if _, err := ing.FetchSource(context.Background(), src); err != nil {
		t.Fatal(err)
	}
	arts := st.all()
	if len(arts) != 2 {
		t.Fatalf("%d articles stored, want 2", len(arts))
	}
	for _, a := range arts {
		fields := append([]string{a.Headline, a.Body, a.Dateline.Author}, a.Summary...)
		for _, f := range fields {
			if i := strings.IndexFunc(f, func(r rune) bool {
				return r != '\n' && r != '\t' && (r < 0x20 || r == 0x7f || r >= 0x80 && r <= 0x9f)
			}); i >= 0 {
				t.Errorf("stored field keeps control %U: %q", []rune(f[i:])[0], f)
			}
			if strings.Contains(f, "pwned") || strings.Contains(f, "owned") || strings.Contains(f, "[2J") {
				t.Errorf("stored field keeps an escape sequence's text: %q", f)
			}
		}
	}
	byHead := map[string]string{}
	for _, a := range arts {
		byHead[a.Headline] = a.Body
	}
	body, ok := byHead["Council approves budget"]
	if !ok {
		t.Fatalf("headlines = %q, want the feed's without its escapes", keysOf(byHead))
	}
	if !strings.Contains(body, "Members voted nine to four") && !strings.Contains(body, "Members voted  nine to four") {
		t.Errorf("feed body = %q", body)
	}
	if b := byHead["Bridge reopens"]; !strings.Contains(b, "Drivers had used a long detour") && !strings.Contains(b, "Drivers  had used a long detour") {
		t.Errorf("page body = %q", b)
	}
}

func keysOf(m map[string]string) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}
