// Package fetch is the bot's one HTTP client: it fetches feeds and pages the
// way a well-behaved crawler does (a named User-Agent, per-host limits,
// robots.txt, Retry-After, conditional GET, a body cap) and refuses
// non-public addresses unless told otherwise.
package fetch

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"mime"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"newsdigest/digest"
	"newsdigest/redact"
)

// DefaultUserAgent names the bot and its home page.
const DefaultUserAgent = "newsdigest/dev (+https://github.com/newsdigest/newsdigest)"

// Options tune a Fetcher; zero fields take the defaults shown.
type Options struct {
	UserAgent      string        // DefaultUserAgent
	ConnectTimeout time.Duration // 10s: TCP and TLS handshakes
	Timeout        time.Duration // 30s: a whole request, body included
	MaxBodyBytes   int64         // 5 MiB, after decompression
	PerHost        int           // 2 requests in flight per host
	HostGap        time.Duration // 1s between request starts to one host; negative for none
	MaxRedirects   int           // 10
	RobotsTTL      time.Duration // 24h: how long a host's robots.txt is cached
	// AllowPrivate lets requests reach private, loopback, link-local,
	// unique-local and CGNAT addresses. Off by default; tests and
	// self-hosted sources turn it on (config: fetch.allow_private).
	AllowPrivate bool
	Log          *slog.Logger     // slog.Default()
	Clock        func() time.Time // time.Now
}

func (o Options) withDefaults() Options {
	if o.UserAgent == "" {
		o.UserAgent = DefaultUserAgent
	}
	if o.ConnectTimeout <= 0 {
		o.ConnectTimeout = 10 * time.Second
	}
	if o.Timeout <= 0 {
		o.Timeout = 30 * time.Second
	}
	if o.MaxBodyBytes <= 0 {
		o.MaxBodyBytes = 5 << 20
	}
	if o.PerHost <= 0 {
		o.PerHost = 2
	}
	if o.HostGap == 0 {
		o.HostGap = time.Second
	} else if o.HostGap < 0 {
		o.HostGap = 0
	}
	if o.MaxRedirects <= 0 {
		o.MaxRedirects = 10
	}
	if o.RobotsTTL <= 0 {
		o.RobotsTTL = 24 * time.Hour
	}
	if o.Log == nil {
		o.Log = slog.Default()
	}
	if o.Clock == nil {
		o.Clock = time.Now
	}
	return o
}

// Fetcher fetches with one shared http.Client. Safe for concurrent use.
type Fetcher struct {
	opts   Options
	client *http.Client
	agent  string // product token for robots.txt

	mu    sync.Mutex
	hosts map[string]*hostGate
}

// New returns a Fetcher with its own transport.
func New(opts Options) *Fetcher {
	opts = opts.withDefaults()
	dialer := &net.Dialer{Timeout: opts.ConnectTimeout, KeepAlive: 30 * time.Second}
	if !opts.AllowPrivate {
		dialer.Control = controlPublic
	}
	tr := &http.Transport{
		// No proxy from the environment: the address check must see the
		// real peer, not a proxy.
		Proxy:                 nil,
		DialContext:           dialer.DialContext,
		ForceAttemptHTTP2:     true,
		MaxIdleConns:          100,
		MaxIdleConnsPerHost:   opts.PerHost,
		IdleConnTimeout:       90 * time.Second,
		TLSHandshakeTimeout:   opts.ConnectTimeout,
		ExpectContinueTimeout: time.Second,
		// We ask for gzip, deflate and br ourselves and decode in readBody,
		// so that the size cap counts decoded bytes.
		DisableCompression: true,
	}
	f := &Fetcher{opts: opts, hosts: map[string]*hostGate{}}
	f.agent, _, _ = strings.Cut(opts.UserAgent, "/")
	f.agent = strings.TrimSpace(f.agent)
	f.client = &http.Client{Transport: tr, CheckRedirect: f.checkRedirect}
	return f
}

// Options returns the effective options.
func (f *Fetcher) Options() Options { return f.opts }

// Request is one GET.
type Request struct {
	URL string
	// ETag and LastModified, from an earlier Response, make the request
	// conditional: an unchanged resource answers NotModified.
	ETag         string
	LastModified string
	// Accept overrides the default Accept header.
	Accept string
}

// Response is a successful fetch (2xx or 304).
type Response struct {
	// URL is the final URL after redirects.
	URL         string
	StatusCode  int
	ContentType string
	// Body is the decoded (decompressed) body, at most MaxBodyBytes; nil
	// when NotModified.
	Body         []byte
	ETag         string
	LastModified string
	// NotModified is true on 304: nothing changed since ETag/LastModified.
	NotModified bool
	// FreshFor is how long the server says the response stays fresh: the
	// longer of Cache-Control max-age and Expires (against the response's
	// Date), 0 when it said neither or said no-cache or no-store. The
	// poller takes it as a floor for the next fetch.
	FreshFor time.Duration
}

// Page returns the response as a digest.Page for the extractor.
func (r *Response) Page() digest.Page {
	return digest.Page{URL: r.URL, ContentType: r.ContentType, Body: r.Body, Name: r.URL}
}

const defaultAccept = "text/html,application/xhtml+xml,application/rss+xml,application/atom+xml," +
	"application/feed+json,application/xml;q=0.9,text/xml;q=0.9,application/json;q=0.8,text/plain;q=0.5"

// Get fetches one URL politely: robots.txt first (cached per host), then a
// slot and the gap for the host, then the request under the total timeout.
// Its errors name the URL with its credentials redacted (package redact).
func (f *Fetcher) Get(ctx context.Context, req Request) (*Response, error) {
	resp, err := f.get(ctx, req)
	return resp, redact.Error(err)
}

func (f *Fetcher) get(ctx context.Context, req Request) (*Response, error) {
	u, err := url.Parse(req.URL)
	if err != nil {
		return nil, fmt.Errorf("fetch: bad URL %q: %w", req.URL, err)
	}
	if u.Scheme != "http" && u.Scheme != "https" || u.Host == "" {
		return nil, fmt.Errorf("fetch: bad URL %q: only absolute http and https URLs", req.URL)
	}
	ctx, cancel := context.WithTimeout(ctx, f.opts.Timeout)
	defer cancel()

	if err := f.checkRobots(ctx, u); err != nil {
		return nil, fmt.Errorf("fetch: %s: %w", u, err)
	}
	g := f.gate(hostKey(u))
	if wait := g.heldOff(f.opts.Clock()); wait > 0 {
		// The host said Retry-After on an earlier request: do not call it
		// before then; answer as it would.
		return nil, fmt.Errorf("fetch: %s: %w", u, &StatusError{URL: u.String(), Code: http.StatusTooManyRequests, RetryAfter: wait})
	}
	release, err := g.acquire(ctx, f.opts.HostGap, f.opts.Clock)
	if err != nil {
		return nil, fmt.Errorf("fetch: %s: waiting for the host: %w", u, err)
	}
	defer release()

	hreq, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return nil, fmt.Errorf("fetch: %s: %w", u, err)
	}
	accept := req.Accept
	if accept == "" {
		accept = defaultAccept
	}
	hreq.Header.Set("User-Agent", f.opts.UserAgent)
	hreq.Header.Set("Accept", accept)
	hreq.Header.Set("Accept-Encoding", "gzip, deflate, br")
	if req.ETag != "" {
		hreq.Header.Set("If-None-Match", req.ETag)
	}
	if req.LastModified != "" {
		hreq.Header.Set("If-Modified-Since", req.LastModified)
	}
	resp, err := f.client.Do(hreq)
	if err != nil {
		return nil, fmt.Errorf("fetch: %s: %w", u, unwrapURLError(err))
	}
	defer resp.Body.Close()
	out := &Response{
		URL:          resp.Request.URL.String(),
		StatusCode:   resp.StatusCode,
		ContentType:  resp.Header.Get("Content-Type"),
		ETag:         resp.Header.Get("ETag"),
		LastModified: resp.Header.Get("Last-Modified"),
		FreshFor:     freshFor(resp.Header, f.opts.Clock()),
	}
	switch {
	case resp.StatusCode == http.StatusNotModified:
		f.opts.Log.Debug("fetch: not modified", "url", out.URL)
		out.NotModified = true
		if out.ETag == "" {
			out.ETag = req.ETag
		}
		if out.LastModified == "" {
			out.LastModified = req.LastModified
		}
		return out, nil
	case resp.StatusCode < 200 || resp.StatusCode > 299:
		se := &StatusError{URL: out.URL, Code: resp.StatusCode}
		if resp.StatusCode == http.StatusTooManyRequests || resp.StatusCode == http.StatusServiceUnavailable {
			se.RetryAfter = parseRetryAfter(resp.Header.Get("Retry-After"), f.opts.Clock())
			if se.RetryAfter > 0 {
				f.gate(hostKey(resp.Request.URL)).holdOff(f.opts.Clock().Add(se.RetryAfter))
			}
		}
		return nil, fmt.Errorf("fetch: %s: %w", out.URL, se)
	}
	if out.ContentType != "" && !allowedType(out.ContentType) {
		return nil, fmt.Errorf("fetch: %s: %q: %w", out.URL, out.ContentType, ErrContentType)
	}
	if resp.ContentLength > f.opts.MaxBodyBytes && resp.Header.Get("Content-Encoding") == "" {
		return nil, fmt.Errorf("fetch: %s: Content-Length %d over %d bytes: %w", out.URL, resp.ContentLength, f.opts.MaxBodyBytes, ErrTooLarge)
	}
	body, err := readBody(resp, f.opts.MaxBodyBytes)
	if err != nil {
		return nil, fmt.Errorf("fetch: %s: reading the body: %w", out.URL, err)
	}
	if out.ContentType == "" {
		out.ContentType = http.DetectContentType(body)
		if !allowedType(out.ContentType) {
			return nil, fmt.Errorf("fetch: %s: sniffed %q: %w", out.URL, out.ContentType, ErrContentType)
		}
	}
	out.Body = body
	f.opts.Log.Debug("fetch: fetched", "url", out.URL, "status", out.StatusCode, "content_type", out.ContentType, "bytes", len(body))
	return out, nil
}

// allowedTypes are the media types of feeds and pages.
var allowedTypes = map[string]bool{
	"text/html":             true,
	"application/xhtml+xml": true,
	"application/xml":       true,
	"text/xml":              true,
	"application/rss+xml":   true,
	"application/atom+xml":  true,
	"application/rdf+xml":   true,
	"application/feed+json": true,
	"application/json":      true,
	"text/plain":            true,
}

func allowedType(ct string) bool {
	mt, _, err := mime.ParseMediaType(ct)
	if err != nil {
		mt, _, _ = strings.Cut(strings.ToLower(ct), ";")
		mt = strings.TrimSpace(mt)
	}
	return allowedTypes[mt]
}

func hostKey(u *url.URL) string { return strings.ToLower(u.Host) }

// checkRedirect keeps the final URL, stops loops and long chains, and checks
// robots.txt of the host redirected to.
func (f *Fetcher) checkRedirect(req *http.Request, via []*http.Request) error {
	if len(via) > f.opts.MaxRedirects {
		return fmt.Errorf("after %d: %w", f.opts.MaxRedirects, ErrTooManyRedirects)
	}
	next := req.URL.String()
	for _, v := range via {
		if v.URL.String() == next {
			return fmt.Errorf("%s visited twice: %w", next, ErrRedirectLoop)
		}
	}
	if req.URL.Scheme != "http" && req.URL.Scheme != "https" {
		return fmt.Errorf("redirect to %q: only http and https", next)
	}
	req.Header.Set("User-Agent", f.opts.UserAgent)
	if err := f.checkRobots(req.Context(), req.URL); err != nil {
		return fmt.Errorf("redirect to %s: %w", next, err)
	}
	return nil
}

// unwrapURLError drops *url.Error's "Get \"url\":" prefix (we name the URL
// ourselves) while keeping the chain for errors.Is.
func unwrapURLError(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		return ue.Err
	}
	return err
}
