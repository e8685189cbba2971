package fetch

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"strings"
	"testing"
	"time"
)

// TestIsPublicSpecialPurpose checks the entries of IANA's IPv4 and IPv6
// special-purpose address registries, and the addresses that hide an IPv4
// address in an IPv6 one.
func TestIsPublicSpecialPurpose(t *testing.T) {
	for _, tc := range []struct {
		addr string
		want bool
	}{
		// IPv4-compatible IPv6 (deprecated): [::127.0.0.1] is loopback.
		{"::127.0.0.1", false},
		{"::8.8.8.8", false}, // deprecated form; never a source's address
		// NAT64 well-known prefix: judged by the IPv4 address inside.
		{"64:ff9b::127.0.0.1", false},
		{"64:ff9b::a9fe:a9fe", false}, // 169.254.169.254
		{"64:ff9b::10.0.0.1", false},
		{"64:ff9b::8.8.8.8", true},
		{"64:ff9b:1::1", false}, // local-use NAT64
		// 6to4: judged by the IPv4 address in bits 16-47.
		{"2002:7f00:1::1", false},    // 127.0.0.1
		{"2002:c612:1::1", false},    // 198.18.0.1 benchmarking
		{"2002:c000:0201::1", false}, // 192.0.2.1 documentation
		{"2002:0808:0808::1", true},  // 8.8.8.8
		// Documentation.
		{"192.0.2.10", false}, {"198.51.100.7", false}, {"203.0.113.200", false},
		{"2001:db8::1", false}, {"3fff::1", false},
		// Other IETF and reserved ranges.
		{"192.0.0.8", false}, {"192.88.99.1", false}, {"198.19.255.1", false},
		{"240.1.2.3", false}, {"100::1", false}, {"2001::1", false}, {"2001:2::1", false},
		{"fec0::1", false}, {"ff02::1", false}, {"::", false}, {"4000::1", false},
		// Public.
		{"1.1.1.1", true}, {"2a00:1450:4001::200e", true}, {"2620:4f:8000::1", true},
	} {
		if got := IsPublic(netip.MustParseAddr(tc.addr)); got != tc.want {
			t.Errorf("IsPublic(%s) = %v, want %v", tc.addr, got, tc.want)
		}
	}
}

// TestErrorsSayPrefixOnce: every error of Get names the package and the URL
// once ("fetch: URL: disallowed by robots.txt", not "fetch: URL: fetch: …").
func TestErrorsSayPrefixOnce(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/robots.txt":
			fmt.Fprint(w, "User-agent: *\nDisallow: /private\n")
		case "/moved":
			http.Redirect(w, r, "/private/a", http.StatusFound)
		case "/gone":
			http.Error(w, "gone", http.StatusGone)
		case "/busy":
			w.Header().Set("Retry-After", "120")
			http.Error(w, "busy", http.StatusServiceUnavailable)
		case "/image":
			w.Header().Set("Content-Type", "image/png")
			w.Write([]byte("\x89PNG"))
		case "/big":
			w.Header().Set("Content-Type", "text/html")
			w.Write(bytes.Repeat([]byte("a"), 100<<10))
		}
	}))
	defer srv.Close()
	down := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "down", http.StatusBadGateway) // robots.txt too
	}))
	defer down.Close()
	f := testFetcher(Options{MaxBodyBytes: 64 << 10})
	blocked := New(Options{HostGap: -1})
	for _, tc := range []struct {
		f    *Fetcher
		url  string
		want error
	}{
		{f, srv.URL + "/private/a", ErrDisallowed},
		{f, srv.URL + "/moved", ErrDisallowed},
		{f, srv.URL + "/gone", nil},
		{f, srv.URL + "/image", ErrContentType},
		{f, srv.URL + "/big", ErrTooLarge},
		{f, srv.URL + "/busy", nil},
		{f, srv.URL + "/busy", nil}, // held off by the earlier Retry-After
		{f, down.URL + "/a", nil},
		{blocked, srv.URL + "/a", ErrBlockedAddress},
	} {
		_, err := tc.f.Get(context.Background(), Request{URL: tc.url})
		if err == nil {
			t.Errorf("%s: no error", tc.url)
			continue
		}
		if tc.want != nil && !errors.Is(err, tc.want) {
			t.Errorf("%s: err = %v, want %v", tc.url, err, tc.want)
		}
		msg := err.Error()
		if n := strings.Count(msg, "fetch:"); n != 1 {
			t.Errorf("%s: %q says \"fetch:\" %d times, want once", tc.url, msg, n)
		}
		if !strings.Contains(msg, strings.TrimPrefix(tc.url, "http://")) {
			t.Errorf("%s: %q does not name the URL", tc.url, msg)
		}
		if n := strings.Count(msg, strings.TrimPrefix(srv.URL, "http://")+"/"); n > 2 {
			t.Errorf("%s: %q names the URL %d times", tc.url, msg, n)
		}
	}
}

func TestFreshFor(t *testing.T) {
	now := time.Date(2026, 3, 8, 12, 0, 0, 0, time.UTC)
	date := now.Format(http.TimeFormat)
	for _, tc := range []struct {
		h    http.Header
		want time.Duration
	}{
		{http.Header{}, 0},
		{http.Header{"Cache-Control": {"public, max-age=1800"}}, 30 * time.Minute},
		{http.Header{"Cache-Control": {"max-age=600, no-cache"}}, 0},
		{http.Header{"Cache-Control": {"no-store"}, "Expires": {now.Add(time.Hour).Format(http.TimeFormat)}}, 0},
		{http.Header{"Expires": {now.Add(2 * time.Hour).Format(http.TimeFormat)}, "Date": {date}}, 2 * time.Hour},
		{http.Header{"Expires": {"0"}}, 0},
		{http.Header{"Expires": {now.Add(-time.Hour).Format(http.TimeFormat)}}, 0},
		{http.Header{"Cache-Control": {"max-age=60"}, "Expires": {now.Add(time.Hour).Format(http.TimeFormat)}}, time.Hour},
		{http.Header{"Cache-Control": {"max-age=99999999999"}}, maxRetryAfter},
	} {
		if got := freshFor(tc.h, now); got != tc.want {
			t.Errorf("freshFor(%v) = %s, want %s", tc.h, got, tc.want)
		}
	}
}
