package discord

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// discordAPIPath is the path prefix of every discordgo endpoint.
const discordAPIPath = "/api/v" + "9"

// pacedKey marks a request whose global slot was already taken (Send).
type pacedKey struct{}

// transport points discordgo's REST calls at the configured API base
// (Discord, a REST proxy, or a fake) without touching its global endpoint
// variables, and makes every call except interaction callbacks wait for
// the bot's global request budget.
type transport struct {
	base   *url.URL
	next   http.RoundTripper
	global *pacer
}

func (t *transport) RoundTrip(req *http.Request) (*http.Response, error) {
	r := req.Clone(req.Context())
	path := strings.TrimPrefix(req.URL.Path, discordAPIPath)
	r.URL.Scheme, r.URL.Host, r.Host = t.base.Scheme, t.base.Host, t.base.Host
	r.URL.Path = strings.TrimSuffix(t.base.Path, "/") + path
	r.URL.RawPath = ""
	if !isCallback(path) && req.Context().Value(pacedKey{}) == nil {
		if err := t.global.wait(req.Context()); err != nil {
			return nil, err
		}
	}
	resp, err := t.next.RoundTrip(r)
	if err == nil && resp.StatusCode == http.StatusTooManyRequests && resp.Header.Get("X-RateLimit-Global") != "" {
		t.global.block(time.Now().Add(headerRetryAfter(resp.Header)))
	}
	return resp, err
}

// isCallback reports whether a path is an interaction callback, which
// Discord exempts from the global limit.
func isCallback(path string) bool {
	return strings.HasPrefix(path, "/interactions/") && strings.HasSuffix(path, "/callback")
}

// headerRetryAfter reads Retry-After (seconds), defaulting to one second.
func headerRetryAfter(h http.Header) time.Duration {
	if s, err := strconv.ParseFloat(h.Get("Retry-After"), 64); err == nil && s >= 0 {
		return time.Duration(s * float64(time.Second))
	}
	return time.Second
}
