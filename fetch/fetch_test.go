package fetch

import (
	"bytes"
	"compress/flate"
	"compress/gzip"
	"compress/zlib"
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/andybalholm/brotli"
)

// testFetcher allows loopback (httptest) and drops the host gap.
func testFetcher(o Options) *Fetcher {
	o.AllowPrivate = true
	if o.HostGap == 0 {
		o.HostGap = -1
	}
	if o.Timeout == 0 {
		o.Timeout = 5 * time.Second
	}
	return New(o)
}

const page = `<!doctype html><html><head><title>T</title></head><body><p>Hello, world.</p></body></html>`

func TestGetSendsHeadersAndReturnsBody(t *testing.T) {
	var got http.Header
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/robots.txt" {
			http.NotFound(w, r)
			return
		}
		got = r.Header.Clone()
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Header().Set("ETag", `"v1"`)
		w.Header().Set("Last-Modified", "Wed, 21 Oct 2015 07:28:00 GMT")
		fmt.Fprint(w, page)
	}))
	defer srv.Close()
	f := testFetcher(Options{UserAgent: "newsdigest/1.2 (+https://github.com/newsdigest/newsdigest)"})
	resp, err := f.Get(context.Background(), Request{URL: srv.URL + "/a"})
	if err != nil {
		t.Fatal(err)
	}
	if string(resp.Body) != page || resp.ETag != `"v1"` || resp.LastModified == "" || resp.URL != srv.URL+"/a" {
		t.Errorf("response = %+v", resp)
	}
	if ua := got.Get("User-Agent"); ua != "newsdigest/1.2 (+https://github.com/newsdigest/newsdigest)" {
		t.Errorf("User-Agent = %q", ua)
	}
	if got.Get("If-None-Match") != "" || !strings.Contains(got.Get("Accept-Encoding"), "br") {
		t.Errorf("headers = %v", got)
	}
	if p := resp.Page(); p.URL != resp.URL || p.ContentType != "text/html; charset=utf-8" || len(p.Body) != len(page) {
		t.Errorf("Page() = %+v", p)
	}
}

func TestConditionalGet(t *testing.T) {
	var bodies atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/robots.txt" {
			http.NotFound(w, r)
			return
		}
		if r.Header.Get("If-None-Match") == `"v1"` || r.Header.Get("If-Modified-Since") == "Wed, 21 Oct 2015 07:28:00 GMT" {
			w.WriteHeader(http.StatusNotModified)
			return
		}
		bodies.Add(1)
		w.Header().Set("Content-Type", "application/rss+xml")
		w.Header().Set("ETag", `"v1"`)
		fmt.Fprint(w, "<rss/>")
	}))
	defer srv.Close()
	f := testFetcher(Options{})
	ctx := context.Background()
	first, err := f.Get(ctx, Request{URL: srv.URL + "/feed"})
	if err != nil || first.NotModified {
		t.Fatalf("first = %+v, %v", first, err)
	}
	for _, req := range []Request{
		{URL: srv.URL + "/feed", ETag: first.ETag},
		{URL: srv.URL + "/feed", LastModified: "Wed, 21 Oct 2015 07:28:00 GMT"},
	} {
		again, err := f.Get(ctx, req)
		if err != nil {
			t.Fatal(err)
		}
		if !again.NotModified || again.Body != nil || again.StatusCode != 304 {
			t.Errorf("conditional %+v: got %+v", req, again)
		}
		if again.ETag != req.ETag || again.LastModified != req.LastModified {
			t.Errorf("validators not carried over: %+v", again)
		}
	}
	if bodies.Load() != 1 {
		t.Errorf("bodies served = %d, want 1", bodies.Load())
	}
}

func TestContentEncodings(t *testing.T) {
	encode := map[string]func([]byte) []byte{
		"gzip": func(b []byte) []byte {
			var buf bytes.Buffer
			w := gzip.NewWriter(&buf)
			w.Write(b)
			w.Close()
			return buf.Bytes()
		},
		"br": func(b []byte) []byte {
			var buf bytes.Buffer
			w := brotli.NewWriter(&buf)
			w.Write(b)
			w.Close()
			return buf.Bytes()
		},
		"deflate": func(b []byte) []byte { // zlib-wrapped, as the RFC says
			var buf bytes.Buffer
			w := zlib.NewWriter(&buf)
			w.Write(b)
			w.Close()
			return buf.Bytes()
		},
		"raw-deflate": func(b []byte) []byte { // what many servers send instead
			var buf bytes.Buffer
			w, _ := flate.NewWriter(&buf, flate.DefaultCompression)
			w.Write(b)
			w.Close()
			return buf.Bytes()
		},
	}
	want := []byte(strings.Repeat(page, 50))
	for name, enc := range encode {
		t.Run(name, func(t *testing.T) {
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", "text/html")
				w.Header().Set("Content-Encoding", strings.TrimPrefix(name, "raw-"))
				w.Write(enc(want))
			}))
			defer srv.Close()
			resp, err := testFetcher(Options{}).Get(context.Background(), Request{URL: srv.URL})
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(resp.Body, want) {
				t.Errorf("decoded %d bytes, want %d", len(resp.Body), len(want))
			}
		})
	}
}

func TestStatusErrorsAndRetryAfter(t *testing.T) {
	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	tests := []struct {
		code       int
		retryAfter string
		want       time.Duration
	}{
		{429, "120", 2 * time.Minute},
		{503, now.Add(90 * time.Second).Format(http.TimeFormat), 90 * time.Second},
		{503, "", 0},
		{429, "soon", 0},
		{404, "60", 0}, // Retry-After only means something on 429 and 503
		{500, "", 0},
	}
	for _, tt := range tests {
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if tt.retryAfter != "" {
				w.Header().Set("Retry-After", tt.retryAfter)
			}
			w.WriteHeader(tt.code)
		}))
		_, err := testFetcher(Options{Clock: func() time.Time { return now }}).Get(context.Background(), Request{URL: srv.URL + "/x"})
		srv.Close()
		var se *StatusError
		if !errors.As(err, &se) {
			t.Errorf("%d: err = %v, want *StatusError", tt.code, err)
			continue
		}
		if se.Code != tt.code || se.RetryAfter != tt.want {
			t.Errorf("%d %q: got code %d retry %v, want %v", tt.code, tt.retryAfter, se.Code, se.RetryAfter, tt.want)
		}
	}
}

// TestRetryAfterHoldsTheHost: after a 429 with Retry-After, other URLs of
// the same host are not requested until then.
func TestRetryAfterHoldsTheHost(t *testing.T) {
	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	var hits atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/robots.txt" {
			http.NotFound(w, r)
			return
		}
		hits.Add(1)
		w.Header().Set("Retry-After", "600")
		w.WriteHeader(http.StatusTooManyRequests)
	}))
	defer srv.Close()
	clock := now
	f := testFetcher(Options{Clock: func() time.Time { return clock }})
	ctx := context.Background()
	if _, err := f.Get(ctx, Request{URL: srv.URL + "/feed"}); err == nil {
		t.Fatal("no error")
	}
	clock = now.Add(4 * time.Minute)
	_, err := f.Get(ctx, Request{URL: srv.URL + "/other-page"})
	var se *StatusError
	if !errors.As(err, &se) || se.Code != 429 || se.RetryAfter != 6*time.Minute {
		t.Errorf("err = %v, want a 429 with 6m left", err)
	}
	if hits.Load() != 1 {
		t.Errorf("host called %d times while it asked us to wait", hits.Load())
	}
	clock = now.Add(11 * time.Minute)
	f.Get(ctx, Request{URL: srv.URL + "/other-page"})
	if hits.Load() != 2 {
		t.Errorf("host not called again after Retry-After: %d calls", hits.Load())
	}
}

func TestParseRetryAfter(t *testing.T) {
	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	tests := map[string]time.Duration{
		"0":                              0,
		"-5":                             0,
		"30":                             30 * time.Second,
		"999999999999":                   maxRetryAfter,
		"Sun, 01 Mar 2026 12:00:30 GMT":  30 * time.Second,
		"Sun, 01 Mar 2026 11:00:00 GMT":  0, // in the past
		"Sunday, 01-Mar-26 12:01:00 GMT": time.Minute,
		"garbage":                        0,
	}
	for in, want := range tests {
		if got := parseRetryAfter(in, now); got != want {
			t.Errorf("parseRetryAfter(%q) = %v, want %v", in, got, want)
		}
	}
}

func TestContentTypeAllowList(t *testing.T) {
	for ct, ok := range map[string]bool{
		"text/html; charset=ISO-8859-1": true,
		"application/feed+json":         true,
		"APPLICATION/ATOM+XML":          true,
		"text/plain":                    true,
		"image/png":                     false,
		"application/pdf":               false,
		"application/octet-stream":      false,
	} {
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", ct)
			fmt.Fprint(w, "x")
		}))
		_, err := testFetcher(Options{}).Get(context.Background(), Request{URL: srv.URL})
		srv.Close()
		if ok != (err == nil) || !ok && !errors.Is(err, ErrContentType) {
			t.Errorf("%q: err = %v", ct, err)
		}
	}
}

// TestBodyCap streams 50 MiB and checks that the fetcher stops at the cap
// without holding the page in memory.
func TestBodyCap(t *testing.T) {
	const huge = 50 << 20
	chunk := bytes.Repeat([]byte("<p>filler text</p>\n"), 1<<12)
	var sent atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		if r.URL.Query().Has("length") {
			w.Header().Set("Content-Length", fmt.Sprint(huge))
		}
		for n := 0; n < huge; n += len(chunk) {
			if _, err := w.Write(chunk); err != nil {
				return
			}
			sent.Add(int64(len(chunk)))
		}
	}))
	defer srv.Close()
	f := testFetcher(Options{MaxBodyBytes: 1 << 20})
	for _, q := range []string{"", "?length"} {
		sent.Store(0)
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		_, err := f.Get(context.Background(), Request{URL: srv.URL + "/big" + q})
		runtime.ReadMemStats(&after)
		if !errors.Is(err, ErrTooLarge) {
			t.Fatalf("%q: err = %v, want ErrTooLarge", q, err)
		}
		if alloc := after.TotalAlloc - before.TotalAlloc; alloc > 16<<20 {
			t.Errorf("%q: allocated %d MiB for a 1 MiB cap", q, alloc>>20)
		}
	}
}

func TestRedirects(t *testing.T) {
	var srv *httptest.Server
	srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/old":
			http.Redirect(w, r, "/mid", http.StatusMovedPermanently)
		case "/mid":
			http.Redirect(w, r, srv.URL+"/new", http.StatusFound)
		case "/new":
			w.Header().Set("Content-Type", "text/html")
			fmt.Fprint(w, page)
		case "/loop-a":
			http.Redirect(w, r, "/loop-b", http.StatusFound)
		case "/loop-b":
			http.Redirect(w, r, "/loop-a", http.StatusFound)
		case "/robots.txt":
			http.NotFound(w, r)
		default: // /chain/N redirects to /chain/N+1 forever
			var n int
			fmt.Sscanf(r.URL.Path, "/chain/%d", &n)
			http.Redirect(w, r, fmt.Sprintf("/chain/%d", n+1), http.StatusFound)
		}
	}))
	defer srv.Close()
	f := testFetcher(Options{MaxRedirects: 5})
	ctx := context.Background()
	resp, err := f.Get(ctx, Request{URL: srv.URL + "/old"})
	if err != nil || resp.URL != srv.URL+"/new" {
		t.Fatalf("final URL = %v, %v; want %s/new", resp, err, srv.URL)
	}
	if _, err := f.Get(ctx, Request{URL: srv.URL + "/loop-a"}); !errors.Is(err, ErrRedirectLoop) {
		t.Errorf("loop: err = %v", err)
	}
	if _, err := f.Get(ctx, Request{URL: srv.URL + "/chain/0"}); !errors.Is(err, ErrTooManyRedirects) {
		t.Errorf("chain: err = %v", err)
	}
}

func TestTricklingServerBoundedByTimeout(t *testing.T) {
	stop := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		for {
			select {
			case <-stop:
				return
			case <-r.Context().Done():
				return
			case <-time.After(20 * time.Millisecond):
			}
			w.Write([]byte("<"))
			w.(http.Flusher).Flush()
		}
	}))
	defer srv.Close()
	defer close(stop)
	_, err := testFetcher(Options{Timeout: 300 * time.Millisecond}).Get(context.Background(), Request{URL: srv.URL})
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("err = %v, want a deadline error", err)
	}
}

func TestPrivateAddressRefusedAtDial(t *testing.T) {
	var hits atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { hits.Add(1) }))
	defer srv.Close()
	f := New(Options{HostGap: -1}) // AllowPrivate off
	for _, u := range []string{srv.URL + "/", strings.Replace(srv.URL, "127.0.0.1", "localhost", 1) + "/"} {
		_, err := f.Get(context.Background(), Request{URL: u})
		if !errors.Is(err, ErrBlockedAddress) {
			t.Errorf("%s: err = %v, want ErrBlockedAddress", u, err)
		}
	}
	if hits.Load() != 0 {
		t.Errorf("server got %d requests", hits.Load())
	}
}

func TestIsPublic(t *testing.T) {
	for s, want := range map[string]bool{
		"8.8.8.8": true, "2606:4700::1111": true, "93.184.216.34": true,
		"127.0.0.1": false, "10.1.2.3": false, "172.20.0.1": false, "192.168.1.1": false,
		"169.254.169.254": false, "100.64.0.1": false, "0.0.0.0": false, "::1": false,
		"fd00::1": false, "fe80::1": false, "::ffff:127.0.0.1": false, "::ffff:8.8.8.8": true,
		"224.0.0.1": false, "255.255.255.255": false,
	} {
		if got := IsPublic(netip.MustParseAddr(s)); got != want {
			t.Errorf("IsPublic(%s) = %v, want %v", s, got, want)
		}
	}
}

func TestRobotsHonouredAndCached(t *testing.T) {
	var robots, pages atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/robots.txt" {
			robots.Add(1)
			fmt.Fprint(w, "User-agent: *\nDisallow: /\n\nUser-agent: newsdigest\nDisallow: /private\n")
			return
		}
		pages.Add(1)
		w.Header().Set("Content-Type", "text/html")
		fmt.Fprint(w, page)
	}))
	defer srv.Close()
	f := testFetcher(Options{})
	ctx := context.Background()
	if _, err := f.Get(ctx, Request{URL: srv.URL + "/private/a"}); !errors.Is(err, ErrDisallowed) {
		t.Errorf("err = %v, want ErrDisallowed", err)
	}
	for range 3 {
		if _, err := f.Get(ctx, Request{URL: srv.URL + "/public"}); err != nil {
			t.Fatal(err)
		}
	}
	if robots.Load() != 1 || pages.Load() != 3 {
		t.Errorf("robots.txt fetched %d times, pages %d; want 1 and 3", robots.Load(), pages.Load())
	}
	// Another agent falls under "*", which disallows everything.
	g := testFetcher(Options{UserAgent: "otherbot/1"})
	if _, err := g.Get(ctx, Request{URL: srv.URL + "/public"}); !errors.Is(err, ErrDisallowed) {
		t.Errorf("other agent: err = %v", err)
	}
}

func TestRobotsUnavailable(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/robots.txt" {
			w.Header().Set("Retry-After", "60")
			w.WriteHeader(http.StatusServiceUnavailable)
			return
		}
		t.Errorf("page fetched although robots.txt was unavailable: %s", r.URL)
	}))
	defer srv.Close()
	_, err := testFetcher(Options{}).Get(context.Background(), Request{URL: srv.URL + "/a"})
	var se *StatusError
	if !errors.As(err, &se) || se.Code != 503 || se.RetryAfter != time.Minute {
		t.Errorf("err = %v, want a 503 StatusError with a minute's Retry-After", err)
	}
}

func TestPerHostLimit(t *testing.T) {
	var inFlight, maxInFlight atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/robots.txt" {
			http.NotFound(w, r)
			return
		}
		n := inFlight.Add(1)
		defer inFlight.Add(-1)
		for {
			m := maxInFlight.Load()
			if n <= m || maxInFlight.CompareAndSwap(m, n) {
				break
			}
		}
		time.Sleep(10 * time.Millisecond)
		w.Header().Set("Content-Type", "text/plain")
		fmt.Fprint(w, "ok")
	}))
	defer srv.Close()
	for _, perHost := range []int32{1, 2} {
		maxInFlight.Store(0)
		f := testFetcher(Options{PerHost: int(perHost)})
		var wg sync.WaitGroup
		for i := range 6 {
			wg.Go(func() {
				if _, err := f.Get(context.Background(), Request{URL: fmt.Sprintf("%s/%d", srv.URL, i)}); err != nil {
					t.Error(err)
				}
			})
		}
		wg.Wait()
		if m := maxInFlight.Load(); m > perHost || m < 1 {
			t.Errorf("PerHost %d: max in flight = %d", perHost, m)
		}
	}
}

// TestHostGapReservesStarts checks the gap with a frozen clock: each
// acquire reserves the next start one gap after the previous one, so the
// later callers wait (here: on real timers, a few milliseconds).
func TestHostGapReservesStarts(t *testing.T) {
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	clock := func() time.Time { return t0 }
	g := &hostGate{slots: make(chan struct{}, 4)}
	const gap = 5 * time.Millisecond
	for i := range 3 {
		release, err := g.acquire(context.Background(), gap, clock)
		if err != nil {
			t.Fatal(err)
		}
		release()
		if want := t0.Add(time.Duration(i+1) * gap); !g.nextStart.Equal(want) {
			t.Errorf("after %d acquires next start = %v, want %v", i+1, g.nextStart, want)
		}
	}
	g.robots = &Robots{CrawlDelay: time.Second}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := g.acquire(ctx, gap, clock); err == nil {
		t.Error("acquire on a cancelled context succeeded")
	}
	g.nextStart = time.Time{}
	release, err := g.acquire(context.Background(), gap, clock)
	if err != nil {
		t.Fatal(err)
	}
	release()
	if want := t0.Add(time.Second); !g.nextStart.Equal(want) {
		t.Errorf("Crawl-delay not applied: next start %v, want %v", g.nextStart, want)
	}
}

func TestBadURLs(t *testing.T) {
	f := testFetcher(Options{})
	for _, u := range []string{"", "ftp://x/y", "/relative", "http://%zz", "file:///etc/passwd"} {
		if _, err := f.Get(context.Background(), Request{URL: u}); err == nil {
			t.Errorf("%q: no error", u)
		}
	}
}
