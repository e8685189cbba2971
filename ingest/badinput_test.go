package ingest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"newsdigest/digest"
	"newsdigest/fetch"
)

// TestBadSources: each bad input gives a per-source error naming the
// source, a recorded failure with a backoff, and nothing stored.
func TestBadSources(t *testing.T) {
	pages := loadBenchPages(t, 1)
	tests := []struct {
		name    string
		handler http.HandlerFunc
		wantErr string
		is      error
	}{
		{"malformed XML", textHandler("application/rss+xml",
			`<?xml version="1.0"?><rss version="2.0"><channel><title>x</title><item><title>a</title><link>http://x/1</link></item`),
			"parsing feed", nil},
		{"HTML error page", textHandler("text/html; charset=utf-8",
			`<!DOCTYPE html><html><head><title>502 Bad Gateway</title></head><body><h1>502 Bad Gateway</h1><hr>nginx</body></html>`),
			`HTML page titled "502 Bad Gateway"`, ErrNotFeed},
		{"empty body", textHandler("application/rss+xml", ""), "empty body", ErrNotFeed},
		{"JSON that is no feed", textHandler("application/json", `{"error":"rate limited"}`), "JSON Feed version", ErrNotFeed},
		{"unknown charset", textHandler("application/rss+xml",
			"<?xml version=\"1.0\" encoding=\"x-no-such-charset\"?><rss version=\"2.0\"><channel><title>caf\xe9</title></channel></rss>"),
			`unknown character encoding "x-no-such-charset"`, nil},
		{"redirect loop", func(w http.ResponseWriter, r *http.Request) {
			http.Redirect(w, r, "/feed2", http.StatusFound)
		}, "redirect loop", fetch.ErrRedirectLoop},
		{"server error", func(w http.ResponseWriter, r *http.Request) {
			http.Error(w, "boom", http.StatusInternalServerError)
		}, "HTTP 500", nil},
		{"timeout", func(w http.ResponseWriter, r *http.Request) {
			select {
			case <-r.Context().Done():
			case <-time.After(5 * time.Second):
			}
		}, "deadline exceeded", context.DeadlineExceeded},
		{"trickling server", func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "application/rss+xml")
			w.Write([]byte(`<?xml version="1.0"?><rss version="2.0"><channel>`))
			for range 200 {
				select {
				case <-r.Context().Done():
					return
				case <-time.After(20 * time.Millisecond):
				}
				w.Write([]byte(" "))
				w.(http.Flusher).Flush()
			}
		}, "deadline exceeded", context.DeadlineExceeded},
		{"50 MiB feed", func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "application/rss+xml")
			chunk := bytes.Repeat([]byte("<!-- padding padding padding -->\n"), 2048)
			for n := 0; n < 50<<20; n += len(chunk) {
				if _, err := w.Write(chunk); err != nil {
					return
				}
			}
		}, "size cap", fetch.ErrTooLarge},
		{"image instead of feed", func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "image/png")
			w.Write([]byte("\x89PNG\r\n\x1a\n"))
		}, "content type", fetch.ErrContentType},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newSite(t, pages)
			s.handle("/feed", tt.handler)
			s.handle("/feed2", func(w http.ResponseWriter, r *http.Request) { http.Redirect(w, r, "/feed", http.StatusFound) })
			src := feedSource(7, "Bad Source", s.URL+"/feed")
			st := newMemStore(src)
			ing := newTestIngester(t, st, fetch.Options{Timeout: 400 * time.Millisecond, MaxBodyBytes: 1 << 20})
			now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
			ing.Clock = func() time.Time { return now }
			_, err := ing.FetchSource(context.Background(), src)
			if err == nil {
				t.Fatal("no error")
			}
			if !strings.Contains(err.Error(), "Bad Source") && !strings.Contains(err.Error(), s.URL) {
				t.Errorf("error names neither source nor URL: %v", err)
			}
			if tt.wantErr != "" && !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("err = %v, want it to mention %q", err, tt.wantErr)
			}
			if tt.is != nil && !errors.Is(err, tt.is) {
				t.Errorf("err = %v, want errors.Is %v", err, tt.is)
			}
			state := st.source(7).State
			if state.Failures != 1 || state.LastError == "" || state.Primed || state.Failed != 1 {
				t.Errorf("state = %+v", state)
			}
			if wait := state.NextFetch.Sub(now); wait < 15*time.Minute || wait > 6*time.Hour {
				t.Errorf("next fetch in %v, want a backoff of at least the interval", wait)
			}
			if n := len(st.all()); n != 0 {
				t.Errorf("%d articles stored", n)
			}
			// A second failure waits longer (doubling, jitter aside).
			_, _ = ing.FetchSource(context.Background(), st.source(7))
			if s2 := st.source(7).State; s2.Failures != 2 || s2.NextFetch.Sub(now) <= 20*time.Minute {
				t.Errorf("second failure: %+v", s2)
			}
		})
	}
}

var headRe = regexp.MustCompile(`(?i)<head[^>]*>`)

func textHandler(ctype, body string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", ctype)
		fmt.Fprint(w, body)
	}
}

// TestBadArticlePages: pages behind a feed that fail (a login wall, a 50 MiB
// page, a 404, robots.txt) are counted and skipped; the good ones are
// stored, the source succeeds, and a page with an unknown charset is read.
func TestBadArticlePages(t *testing.T) {
	pages := loadBenchPages(t, 2)
	s := newSite(t, pages)
	s.handle("/login", textHandler("text/html", `<html><head><title>Sign in</title></head><body>
<form action="/session" method="post"><p>Please sign in to continue reading.</p>
<input name="user"><input type="password" name="pw"><button>Sign in</button></form></body></html>`))
	s.handle("/huge", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		chunk := bytes.Repeat([]byte("<p>padding padding padding padding padding padding padding.</p>\n"), 1024)
		for n := 0; n < 50<<20; n += len(chunk) {
			if _, err := w.Write(chunk); err != nil {
				return
			}
		}
	})
	s.handle("/private/story", textHandler("text/html", string(pages[1].HTML)))
	s.handle("/robots.txt", textHandler("text/plain", "User-agent: *\nDisallow: /private/\n"))
	odd := headRe.ReplaceAllString(string(pages[1].HTML), `$0<meta charset="x-unknown-charset">`)
	s.handle("/odd-charset", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=x-unknown-charset")
		fmt.Fprint(w, odd)
	})
	items := []feedItem{
		{GUID: "1", Link: s.URL + "/a/" + pages[0].ID, Title: "Good", HTML: "<p>teaser</p>", Published: t0},
		{GUID: "2", Link: s.URL + "/login", Title: "Walled", HTML: "<p>Subscribers only.</p>", Published: t0},
		{GUID: "3", Link: s.URL + "/huge", Title: "Huge", HTML: "", Published: t0},
		{GUID: "4", Link: s.URL + "/gone", Title: "Gone", HTML: "", Published: t0},
		{GUID: "5", Link: s.URL + "/private/story", Title: "Disallowed", HTML: "", Published: t0},
		{GUID: "6", Link: s.URL + "/odd-charset", Title: "Odd charset", HTML: "", Published: t0},
	}
	s.serveDoc("/feed.rss", "application/rss+xml", rss20(s.URL, items))
	src := feedSource(1, "Mixed", s.URL+"/feed.rss")
	st := newMemStore(src)
	res, err := newTestIngester(t, st, fetch.Options{MaxBodyBytes: 1 << 20}).FetchSource(context.Background(), src)
	if err != nil {
		t.Fatal(err)
	}
	if res.New != 2 || res.Failed != 4 {
		t.Errorf("res = %+v; want 2 new (good, odd charset), 4 failed", res)
	}
	got := map[string]bool{}
	for _, a := range st.all() {
		got[a.Headline] = true
	}
	if !got["Good"] || !got["Odd charset"] || got["Walled"] {
		t.Errorf("stored %v", got)
	}
	if state := st.source(1).State; state.Failures != 0 || !state.Primed || state.Failed != 4 || state.Fetched != 2 {
		t.Errorf("state = %+v", state)
	}
}

// TestRetryAfter: a 429 or 503 with Retry-After holds the source back at
// least that long.
func TestRetryAfter(t *testing.T) {
	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	for _, h := range []http.HandlerFunc{
		func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Retry-After", "10800")
			w.WriteHeader(http.StatusTooManyRequests)
		},
		func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Retry-After", now.Add(3*time.Hour).Format(http.TimeFormat))
			w.WriteHeader(http.StatusServiceUnavailable)
		},
	} {
		s := newSite(t, nil)
		s.handle("/feed", h)
		src := feedSource(1, "Busy", s.URL+"/feed")
		st := newMemStore(src)
		ing := newTestIngester(t, st, fetch.Options{Clock: func() time.Time { return now }})
		ing.Clock = func() time.Time { return now }
		_, err := ing.FetchSource(context.Background(), src)
		var se *fetch.StatusError
		if !errors.As(err, &se) || se.RetryAfter != 3*time.Hour {
			t.Errorf("err = %v", err)
		}
		if next := st.source(1).State.NextFetch; !next.Equal(now.Add(3 * time.Hour)) {
			t.Errorf("next fetch %v, want %v", next, now.Add(3*time.Hour))
		}
	}
}

// TestPanickingSourceRecovered: a panic inside one source's pass becomes
// that source's error.
func TestPanickingSourceRecovered(t *testing.T) {
	pages := loadBenchPages(t, 1)
	s := newSite(t, pages)
	s.serveDoc("/feed.rss", "application/rss+xml", rss20(s.URL, itemsFor(s.URL, pages, true, t0)))
	src := feedSource(1, "Explosive", s.URL+"/feed.rss")
	st := newMemStore(src)
	ing := newTestIngester(t, st, fetch.Options{})
	ing.Summarize = func(string) []string { panic("summarizer bug") }
	_, err := ing.FetchSource(context.Background(), src)
	if err == nil || !strings.Contains(err.Error(), "summarizer bug") {
		t.Fatalf("err = %v", err)
	}
	if st.source(1).State.Failures != 1 {
		t.Errorf("panic not recorded: %+v", st.source(1).State)
	}
}

func TestPrivateSourceRefusedWithoutAllowPrivate(t *testing.T) {
	s := newSite(t, nil)
	s.serveDoc("/feed.rss", "application/rss+xml", rss20(s.URL, nil))
	src := feedSource(1, "Intranet", s.URL+"/feed.rss")
	st := newMemStore(src)
	ing := &Ingester{Store: st, Fetcher: fetch.New(fetch.Options{}), Extract: paragraphExtractor, Log: quietLog(t)}
	if _, err := ing.FetchSource(context.Background(), src); !errors.Is(err, fetch.ErrBlockedAddress) {
		t.Errorf("err = %v, want ErrBlockedAddress", err)
	}
	if s.hitCount("/feed.rss") != 0 {
		t.Error("the private server was reached")
	}
}

// TestOneFailingSourceDoesNotStopOthers runs three sources under Run: one
// fails, one panics, one works; the working one is stored.
func TestOneFailingSourceDoesNotStopOthers(t *testing.T) {
	pages := loadBenchPages(t, 3)
	s := newSite(t, pages)
	s.serveDoc("/good.rss", "application/rss+xml", rss20(s.URL, itemsFor(s.URL, pages, true, t0)))
	s.handle("/down.rss", func(w http.ResponseWriter, r *http.Request) { http.Error(w, "down", http.StatusBadGateway) })
	s.serveDoc("/bad.rss", "application/rss+xml", rss20(s.URL, []feedItem{{GUID: "x", Link: s.URL + "/boom", Title: "Boom",
		HTML: "<p>" + strings.Repeat("word ", 200) + "</p>", Published: t0}}))
	st := newMemStore(feedSource(1, "Down", s.URL+"/down.rss"), feedSource(2, "Good", s.URL+"/good.rss"), feedSource(3, "Panics", s.URL+"/bad.rss"))
	ing := newTestIngester(t, st, fetch.Options{})
	ing.Tick = 10 * time.Millisecond
	ing.Workers = 2
	summarize := ing.Summarize
	ing.Summarize = func(body string) []string {
		if strings.HasPrefix(body, "word word") {
			panic("bad input")
		}
		return summarize(body)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	done := make(chan error, 1)
	go func() { done <- ing.Run(ctx) }()
	for ctx.Err() == nil && (st.source(1).State.LastFetch.IsZero() || st.source(2).State.LastFetch.IsZero() || st.source(3).State.LastFetch.IsZero()) {
		time.Sleep(5 * time.Millisecond)
	}
	cancel()
	if err := <-done; !errors.Is(err, context.Canceled) {
		t.Errorf("Run returned %v", err)
	}
	if st.source(2).State.Fetched != int64(len(pages)) || st.source(2).State.Failures != 0 {
		t.Errorf("good source: %+v", st.source(2).State)
	}
	for _, id := range []int64{1, 3} {
		if s := st.source(id).State; s.Failures != 1 || s.LastError == "" {
			t.Errorf("source %d: %+v", id, s)
		}
	}
	// Each source was fetched once: the failures wait out their backoff.
	if n := s.hitCount("/down.rss"); n != 1 {
		t.Errorf("failing source fetched %d times", n)
	}
}

// TestHTMLListing reads a section front with a link selector.
func TestHTMLListing(t *testing.T) {
	pages := loadBenchPages(t, 4)
	s := newSite(t, pages)
	var b strings.Builder
	b.WriteString(`<html><head><title>Latest</title></head><body><nav><a href="/about">About</a></nav><ul class="latest">`)
	for _, p := range pages {
		fmt.Fprintf(&b, `<li><a href="../a/%s?utm_campaign=front">%s</a></li>`, p.ID, pageTitle(p))
	}
	fmt.Fprintf(&b, `<li><a href="../a/%s#comments">dup</a></li><li><a href="mailto:x@y">mail</a></li>`, pages[0].ID)
	b.WriteString(`</ul></body></html>`)
	s.serveDoc("/news/", "text/html; charset=utf-8", b.String())
	src := digest.Source{ID: 4, Name: "Front", URL: s.URL + "/news/", Kind: digest.KindHTML, LinkSelector: "ul.latest li"}
	st := newMemStore(src)
	res, err := newTestIngester(t, st, fetch.Options{}).FetchSource(context.Background(), src)
	if err != nil {
		t.Fatal(err)
	}
	if res.Items != len(pages) || res.New != len(pages) {
		t.Errorf("res = %+v", res)
	}
	if s.hitCount("/about") != 0 {
		t.Error("a link outside the selector was followed")
	}
	for _, a := range st.all() {
		if !strings.HasPrefix(a.ItemKey, "4/link:"+s.URL+"/a/") {
			t.Errorf("item key %q", a.ItemKey)
		}
	}
	bad := src
	bad.LinkSelector = "div.nothing-here"
	if _, err := newTestIngester(t, newMemStore(bad), fetch.Options{}).FetchSource(context.Background(), bad); err == nil || !strings.Contains(err.Error(), "matched no links") {
		t.Errorf("selector matching nothing: err = %v", err)
	}
}

// TestDeclaredCanonicalUsed: an AMP page that names its canonical URL is
// stored under it, and the canonical page's item is then known.
func TestDeclaredCanonicalUsed(t *testing.T) {
	pages := loadBenchPages(t, 1)
	s := newSite(t, pages)
	amp := headRe.ReplaceAllString(string(pages[0].HTML), `$0<link rel="canonical" href="/story/one">`)
	s.handle("/amp/story/one-amp-variant", textHandler("text/html", amp))
	items := []feedItem{{GUID: "amp-1", Link: s.URL + "/amp/story/one-amp-variant", Title: "One", Published: t0}}
	s.serveDoc("/feed.rss", "application/rss+xml", rss20(s.URL, items))
	src := feedSource(1, "AMP", s.URL+"/feed.rss")
	st := newMemStore(src)
	if _, err := newTestIngester(t, st, fetch.Options{}).FetchSource(context.Background(), src); err != nil {
		t.Fatal(err)
	}
	if arts := st.all(); len(arts) != 1 || arts[0].URL != s.URL+"/story/one" {
		t.Fatalf("stored %+v", arts)
	}
	if known, _ := st.Known(context.Background(), digest.ItemKeys{URL: CanonicalURL(s.URL + "/story/one/?utm_source=x")}); !known {
		t.Error("the canonical URL is not known")
	}
}

// TestUnknownEncodingLabelOnUTF8 reads a feed whose declared encoding is
// unknown but whose bytes are UTF-8.
func TestUnknownEncodingLabelOnUTF8(t *testing.T) {
	body := `<?xml version="1.0" encoding="x-mystery"?><rss version="2.0"><channel><title>Café</title>` +
		`<item><title>Déjà vu</title><link>http://example.com/1</link><guid>1</guid></item></channel></rss>`
	items, err := parseFeed(feedSource(1, "x", "http://example.com/feed"), digest.Page{URL: "http://example.com/feed", Body: []byte(body)})
	if err != nil || len(items) != 1 || items[0].Title != "Déjà vu" {
		t.Errorf("items = %+v, err = %v", items, err)
	}
}
