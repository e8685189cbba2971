package ingest

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"regexp"
	"strings"
	"testing"
	"unicode/utf8"

	"newsdigest/fetch"
)

// TestStoredFieldsCapped: a feed item with a 1 MiB headline, a 64 KiB
// author and a 2 MiB body is stored cut to the documented caps; an item
// whose link is over MaxURLBytes is refused, the others still stored.
func TestStoredFieldsCapped(t *testing.T) {
	page, err := os.ReadFile("testdata/article.html")
	if err != nil {
		t.Fatal(err)
	}
	// The real article's paragraphs, repeated past the body cap.
	var paras []string
	for _, m := range regexp.MustCompile(`(?s)<p>(.*?)</p>`).FindAllSubmatch(page, -1) {
		paras = append(paras, "<p>"+string(m[1])+"</p>")
	}
	if len(paras) == 0 {
		t.Fatal("no paragraphs in testdata/article.html")
	}
	text := strings.Join(paras, "\n")
	body := strings.Repeat(text, 2<<20/len(text)+1)
	headline := strings.Repeat("Europa plumes ", 1<<20/14)
	author := strings.Repeat("Ann ", 16<<10)
	longLink := "/europa?" + strings.Repeat("x", 3000)
	var srv *httptest.Server
	srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/robots.txt" {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "application/rss+xml")
		item := func(guid, link, title string) string {
			return fmt.Sprintf(`<item><title>%s</title><link>%s%s</link><guid>%s</guid><author>%s</author><description><![CDATA[%s]]></description></item>`,
				title, srv.URL, link, guid, author, body)
		}
		fmt.Fprintf(w, `<?xml version="1.0"?><rss version="2.0"><channel><title>Big</title>%s%s</channel></rss>`,
			item("long-link", longLink, "Another story"), item("big", "/europa", headline))
	}))
	defer srv.Close()
	src := feedSource(1, "Big", srv.URL+"/feed.rss")
	st := newMemStore(src)
	ing := newTestIngester(t, st, fetch.Options{MaxBodyBytes: 16 << 20})
	res, err := ing.FetchSource(context.Background(), src)
	if err != nil {
		t.Fatal(err)
	}
	if res.New != 1 || res.Failed != 1 {
		t.Fatalf("result %+v: want the long-link item refused and the other stored", res)
	}
	a := st.all()[0]
	if n := utf8.RuneCountInString(a.Headline); n > MaxHeadlineRunes || n < MaxHeadlineRunes/2 || !strings.HasSuffix(a.Headline, "…") {
		t.Errorf("headline of %d runes, want at most %d, cut with …", n, MaxHeadlineRunes)
	}
	if n := utf8.RuneCountInString(a.Dateline.Author); n > MaxNameRunes {
		t.Errorf("author of %d runes, want at most %d", n, MaxNameRunes)
	}
	if len(a.Body) > MaxBodyBytes || len(a.Body) < MaxBodyBytes/2 || !utf8.ValidString(a.Body) {
		t.Errorf("body of %d bytes, want at most %d, valid UTF-8", len(a.Body), MaxBodyBytes)
	}
	for _, l := range a.Summary {
		if utf8.RuneCountInString(l) > MaxSummaryRunes {
			t.Errorf("summary line of %d runes", utf8.RuneCountInString(l))
		}
	}
	if len(a.URL) > MaxURLBytes || len(a.Link) > MaxURLBytes {
		t.Errorf("URL %d, link %d bytes", len(a.URL), len(a.Link))
	}
}

func TestCutRunes(t *testing.T) {
	for _, tc := range []struct {
		in   string
		n    int
		want string
	}{
		{"short", 10, "short"},
		{"Ünïcödé wörds ärë kept whole", 20, "Ünïcödé wörds ärë…"},
		{"abcdefghijklmnopqrstuvwxyz", 10, "abcdefghi…"},
	} {
		if got := cutRunes(tc.in, tc.n); got != tc.want || utf8.RuneCountInString(got) > tc.n {
			t.Errorf("cutRunes(%q, %d) = %q, want %q", tc.in, tc.n, got, tc.want)
		}
	}
}
