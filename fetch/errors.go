package fetch

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// Errors the fetcher returns, wrapped once as "fetch: URL: …"; match them
// with errors.Is.
var (
	// ErrTooLarge: the body (after decompression) is bigger than MaxBodyBytes.
	ErrTooLarge = errors.New("body exceeds the size cap")
	// ErrBlockedAddress: the host resolved to a private, loopback,
	// link-local, unique-local, CGNAT or otherwise non-public address and
	// Options.AllowPrivate is off.
	ErrBlockedAddress = errors.New("address is not public")
	// ErrDisallowed: the site's robots.txt forbids the URL to our user agent.
	ErrDisallowed = errors.New("disallowed by robots.txt")
	// ErrContentType: the response is not one of the allowed types.
	ErrContentType = errors.New("content type not allowed")
	// ErrRedirectLoop: a redirect led back to a URL already visited.
	ErrRedirectLoop = errors.New("redirect loop")
	// ErrTooManyRedirects: more than Options.MaxRedirects redirects.
	ErrTooManyRedirects = errors.New("too many redirects")
)

// StatusError is a response with a status other than 2xx or 304. Its text
// is the status alone; the fetcher wraps it with the URL.
type StatusError struct {
	URL  string
	Code int
	// RetryAfter is how long the server asked us to wait (from a
	// Retry-After header on 429 or 503, in seconds or as an HTTP date);
	// zero when it did not say.
	RetryAfter time.Duration
}

func (e *StatusError) Error() string {
	s := fmt.Sprintf("HTTP %d %s", e.Code, http.StatusText(e.Code))
	if e.RetryAfter > 0 {
		s += fmt.Sprintf(" (retry after %s)", e.RetryAfter)
	}
	return s
}

// Temporary reports whether trying again later may succeed.
func (e *StatusError) Temporary() bool {
	return e.Code == http.StatusTooManyRequests || e.Code == http.StatusRequestTimeout || e.Code >= 500
}

// maxRetryAfter bounds what a server can ask for, so that a typo on its side
// does not silence a source for a year.
const maxRetryAfter = 7 * 24 * time.Hour

// parseRetryAfter reads a Retry-After value: delay seconds or an HTTP date.
// It returns 0 for an absent, malformed or past value.
func parseRetryAfter(v string, now time.Time) time.Duration {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0
	}
	var d time.Duration
	if n, err := strconv.ParseInt(v, 10, 64); err == nil {
		if n <= 0 {
			return 0
		}
		if n > int64(maxRetryAfter/time.Second) {
			return maxRetryAfter
		}
		d = time.Duration(n) * time.Second
	} else if t, err := http.ParseTime(v); err == nil {
		d = t.Sub(now)
	}
	if d <= 0 {
		return 0
	}
	return min(d, maxRetryAfter)
}

// freshFor reads how long a response stays fresh from Cache-Control
// max-age and Expires (the longer, as miniflux does), bounded by
// maxRetryAfter; 0 for none, a past date, no-cache or no-store.
func freshFor(h http.Header, now time.Time) time.Duration {
	var maxAge time.Duration
	for _, cc := range h.Values("Cache-Control") {
		for _, d := range strings.Split(cc, ",") {
			k, v, _ := strings.Cut(strings.TrimSpace(d), "=")
			switch strings.ToLower(strings.TrimSpace(k)) {
			case "no-cache", "no-store":
				return 0
			case "max-age":
				if n, err := strconv.ParseInt(strings.Trim(strings.TrimSpace(v), `"`), 10, 64); err == nil && n > 0 {
					maxAge = time.Duration(min(n, int64(maxRetryAfter/time.Second))) * time.Second
				}
			}
		}
	}
	var expires time.Duration
	if e := h.Get("Expires"); e != "" {
		if t, err := http.ParseTime(e); err == nil {
			base := now
			if d, err := http.ParseTime(h.Get("Date")); err == nil {
				base = d
			}
			expires = t.Sub(base)
		}
	}
	return min(max(maxAge, expires, 0), maxRetryAfter)
}
