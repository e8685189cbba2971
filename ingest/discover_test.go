package ingest

import (
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"newsdigest/digest"
	"newsdigest/fetch"
)

// realPages are article pages of the bench (Zyte's set, MIT) kept in
// testdata, served as a news site's articles.
var realPages = map[string]string{
	"/2019/11/18/new-york-state-attorney-general-investigating-wework-and-former-ceo/": "06e5123e4ef7cfb4533250dc45d1e03d0838fc66223f45c583c4d12f48b4da85",
	"/2019/11/19/nasa-finds-water-plumes-above-europa/":                                "14cc2a0ca59c62a8c9f205a171e9ccf4ef4cf69b0c642f51c8c65c051b39024f",
	"/science-and-health/2019/11/8/delhi-india-air-pollution-quality-cause":            "16c30add7e96315e9cc957d85aa876ccb6b70055f0ddab51547a586117cc1f56",
}

func readTestPage(t *testing.T, id string) []byte {
	t.Helper()
	f, err := os.Open(filepath.Join("testdata", "extraction", "html", id+".html.gz"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	b, err := io.ReadAll(zr)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// newsSite serves a home page (home), the real article pages, and
// extra paths.
func newsSite(t *testing.T, home string, extra map[string]string) *httptest.Server {
	t.Helper()
	pages := map[string][]byte{}
	for p, id := range realPages {
		pages[p] = readTestPage(t, id)
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch {
		case r.URL.Path == "/":
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			fmt.Fprint(w, strings.ReplaceAll(home, "SITE", "http://"+r.Host))
		case extra[r.URL.Path] != "":
			w.Header().Set("Content-Type", "application/rss+xml")
			fmt.Fprint(w, strings.ReplaceAll(extra[r.URL.Path], "SITE", "http://"+r.Host))
		case pages[r.URL.Path] != nil:
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			w.Write(pages[r.URL.Path])
		default:
			http.NotFound(w, r)
		}
	}))
	t.Cleanup(srv.Close)
	return srv
}

const siteFeed = `<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>Tech Wire</title><link>SITE/</link>
<item><title>New York State attorney general investigating WeWork</title><link>SITE/2019/11/18/new-york-state-attorney-general-investigating-wework-and-former-ceo/</link><pubDate>PUBDATE</pubDate></item>
<item><title>NASA finds water plumes above Europa</title><link>SITE/2019/11/19/nasa-finds-water-plumes-above-europa/</link><pubDate>PUBDATE</pubDate></item>
</channel></rss>`

// The home page of a site without a feed, modelled on a news front page:
// a header and navigation, the article list, a footer.
const listingHome = `<!doctype html><html><head><title>Tech Wire – news</title></head><body>
<header><nav><a href="SITE/">Home</a> <a href="SITE/category/science/">Science and health news</a> <a href="SITE/about-us-and-our-team/">About us and our team</a></nav></header>
<main><h2>Latest</h2><ul>
<li><a href="SITE/2019/11/18/new-york-state-attorney-general-investigating-wework-and-former-ceo/">New York State attorney general investigating WeWork and former CEO</a></li>
<li><a href="SITE/2019/11/19/nasa-finds-water-plumes-above-europa/">NASA finds water plumes above the surface of Europa</a></li>
<li><a href="SITE/science-and-health/2019/11/8/delhi-india-air-pollution-quality-cause">Why Delhi's air pollution is so bad</a></li>
<li><a href="SITE/tag/space/">More on space</a></li>
</ul></main>
<footer><a href="SITE/privacy-policy-and-cookies/">Privacy policy and cookies</a></footer></body></html>`

func testFetcher() *fetch.Fetcher {
	return fetch.New(fetch.Options{AllowPrivate: true, HostGap: -1, Timeout: 5 * time.Second, PerHost: 8})
}

func extractCheck(p digest.Page) error {
	_, err := paragraphExtractor(p, "")
	if err == nil && len(p.Body) < 2000 {
		return errors.New("too short")
	}
	return err
}

func TestDiscover(t *testing.T) {
	feed := strings.ReplaceAll(siteFeed, "PUBDATE", time.Now().Add(-48*time.Hour).Format(time.RFC1123Z))
	linked := newsSite(t, `<!doctype html><html><head><title>Tech Wire</title><link rel="alternate" type="application/rss+xml" title="RSS" href="/news.rss"></head><body><p>Home</p></body></html>`,
		map[string]string{"/news.rss": feed})
	usual := newsSite(t, `<!doctype html><html><head><title>Tech Wire</title></head><body><p>Home</p></body></html>`, map[string]string{"/feed": feed})
	listing := newsSite(t, listingHome, nil)
	nothing := newsSite(t, `<!doctype html><html><head><title>A shop</title></head><body><p>Buy things.</p><a href="/cart">Cart</a></body></html>`, nil)
	ctx := context.Background()
	f := testFetcher()

	tests := []struct {
		name, url, via string
		kind           digest.SourceKind
		wantURL        string
		perWeek        int
	}{
		{"a feed URL", linked.URL + "/news.rss", "feed", digest.KindFeed, linked.URL + "/news.rss", 2},
		{"a home page that links its feed", linked.URL + "/", "feed linked from the page", digest.KindFeed, linked.URL + "/news.rss", 2},
		{"a home page with a feed at /feed", usual.URL + "/", "feed at a usual path", digest.KindFeed, usual.URL + "/feed", 2},
		{"a home page without feed lists articles", listing.URL + "/", "listing page", digest.KindHTML, listing.URL + "/", 0},
	}
	for _, tt := range tests {
		d, err := Discover(ctx, f, tt.url, extractCheck)
		if err != nil {
			t.Errorf("%s: %v", tt.name, err)
			continue
		}
		if d.Via != tt.via || d.Source.Kind != tt.kind || d.Source.URL != tt.wantURL || d.PerWeek != tt.perWeek || d.Newest == "" {
			t.Errorf("%s: %+v", tt.name, d)
		}
		if tt.kind == digest.KindFeed && d.Source.Name != "Tech Wire" {
			t.Errorf("%s: name %q, want the feed's title", tt.name, d.Source.Name)
		}
		if tt.kind == digest.KindHTML && (d.Source.LinkSelector != AutoLinks || d.Items != 3) {
			t.Errorf("%s: selector %q, %d items; want auto links to the 3 articles", tt.name, d.Source.LinkSelector, d.Items)
		}
	}
	if _, err := Discover(ctx, f, nothing.URL+"/", extractCheck); !errors.Is(err, ErrNoSource) {
		t.Errorf("a page neither feed nor listing: %v", err)
	}
	if _, err := Discover(ctx, f, "ftp://example.com/feed", extractCheck); err == nil {
		t.Error("an ftp address was accepted")
	}
	private := fetch.New(fetch.Options{HostGap: -1, Timeout: 5 * time.Second})
	if _, err := Discover(ctx, private, linked.URL+"/", extractCheck); !errors.Is(err, fetch.ErrBlockedAddress) {
		t.Errorf("a loopback address without allow_private: %v", err)
	}
}

func TestAutoLinksSkipFurniture(t *testing.T) {
	page := digest.Page{URL: "https://techwire.example/", Body: []byte(strings.ReplaceAll(listingHome, "SITE", "https://techwire.example"))}
	c, err := parseListing(digest.Source{ID: 1, LinkSelector: AutoLinks}, page, 50)
	if err != nil {
		t.Fatal(err)
	}
	if len(c) != 3 {
		t.Fatalf("links %+v, want the three articles", c)
	}
	for _, x := range c {
		if strings.Contains(x.Link, "category") || strings.Contains(x.Link, "privacy") || strings.Contains(x.Link, "/tag/") {
			t.Errorf("furniture link %s taken", x.Link)
		}
	}
}

// A feed of 100,000 items is refused by the fetcher's size cap before it
// is parsed, with an error that says so.
func TestDiscoverHugeFeed(t *testing.T) {
	var b strings.Builder
	b.WriteString(`<?xml version="1.0"?><rss version="2.0"><channel><title>Big</title>`)
	for i := range 100000 {
		fmt.Fprintf(&b, `<item><title>Item %d</title><link>https://big.example/a/%d</link></item>`, i, i)
	}
	b.WriteString(`</channel></rss>`)
	feed := b.String()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/rss+xml")
		io.WriteString(w, feed)
	}))
	defer srv.Close()
	_, err := Discover(context.Background(), testFetcher(), srv.URL+"/big.rss", extractCheck)
	if !errors.Is(err, fetch.ErrTooLarge) {
		t.Fatalf("a 100,000-item feed (%d MiB): %v, want the size cap", len(feed)>>20, err)
	}
}
