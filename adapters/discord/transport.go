package discord

import (
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"newsdigest/adapters/internal/pace"
)

// discordAPIPath is the path prefix of every discordgo endpoint.
const discordAPIPath = "/api/v" + "9"

// pacedKey marks a request whose global slot was already taken (Send).
type pacedKey struct{}

// transport points discordgo's REST calls at the configured API base
// (Discord, a REST proxy, or a fake) without touching its global endpoint
// variables, and makes every call except interaction callbacks wait for
// the bot's global request budget: digest sends (marked with pacedKey,
// paced by Send itself as bulk) after everything else (the gateway URL,
// the token check, command registration, command answers), which goes
// first.
type transport struct {
	base   *url.URL
	next   http.RoundTripper
	global *pacer
}

func (t *transport) RoundTrip(req *http.Request) (*http.Response, error) {
	r := req.Clone(req.Context())
	r.URL = actualURL(t.base, req.URL)
	r.Host = r.URL.Host
	path := strings.TrimPrefix(r.URL.Path, strings.TrimSuffix(t.base.Path, "/"))
	if !isCallback(path) && req.Context().Value(pacedKey{}) == nil {
		slot, err := t.global.wait(req.Context(), urgent)
		if err != nil {
			return nil, err
		}
		ctx, answered := pace.AnswerClock(r.Context())
		r = r.WithContext(ctx)
		defer func() { t.global.doneAt(slot, answered()) }() // Discord has counted it
	}
	resp, err := t.next.RoundTrip(r)
	if err == nil && resp.StatusCode == http.StatusTooManyRequests && resp.Header.Get("X-RateLimit-Global") != "" {
		t.global.block(time.Now().Add(headerRetryAfter(resp.Header)))
	}
	return resp, err
}

// actualURL is where a request for u really goes: discordgo builds its
// URLs on discord.com/api/v9, which is replaced by the configured base; a
// URL already on the base's host is kept.
func actualURL(base, u *url.URL) *url.URL {
	out := *u
	if u.Host == base.Host && u.Scheme == base.Scheme {
		return &out
	}
	out.Scheme, out.Host = base.Scheme, base.Host
	out.Path = strings.TrimSuffix(base.Path, "/") + strings.TrimPrefix(u.Path, discordAPIPath)
	out.RawPath = ""
	return &out
}

// requested makes an error of the HTTP client name the URL actually
// requested instead of the discord.com one discordgo built.
func requested(base *url.URL, err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		if u, perr := url.Parse(ue.URL); perr == nil {
			ue.URL = actualURL(base, u).String()
		}
	}
	return err
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
