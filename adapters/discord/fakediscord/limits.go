package fakediscord

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// window counts events in a strict sliding window: at most n in any span
// of length d, counted at arrival (no burst beyond n, and no refill that a
// token bucket would allow).
type window struct {
	n     int
	d     time.Duration
	times []time.Time // accepted events still in the window, oldest first
}

// admit records an event at now if it fits, else says how long until it
// would.
func (w *window) admit(now time.Time) (bool, time.Duration) {
	i := 0
	for i < len(w.times) && now.Sub(w.times[i]) >= w.d {
		i++
	}
	w.times = w.times[i:]
	if len(w.times) >= w.n {
		return false, w.times[len(w.times)-w.n].Add(w.d).Sub(now)
	}
	w.times = append(w.times, now)
	return true, 0
}

// resetAfter is when the oldest event in the window leaves it.
func (w *window) resetAfter(now time.Time) time.Duration {
	if len(w.times) == 0 {
		return 0
	}
	return w.times[0].Add(w.d).Sub(now)
}

// RouteLimit is a per-route rate limit: N requests per Window for each
// value of the route's major parameter (a channel, a guild, an
// application), answered with X-RateLimit-* headers as Discord does.
type RouteLimit struct {
	// Pattern is a method and a path after /api/v9 in which * matches one
	// segment, as for Fail: "POST /channels/*/messages".
	Pattern string
	N       int
	Window  time.Duration
}

// WithRouteLimit adds a per-route limit (checked in the order given; the
// first matching one applies).
func WithRouteLimit(l RouteLimit) Option {
	return func(s *Server) { s.routeLimits = append(s.routeLimits, l) }
}

// routeBucket finds the limit of a request and the key of its bucket: the
// pattern and the path segments the pattern's wildcards matched (the major
// parameter and any other ID), as discordgo keys its buckets by URL.
func (s *Server) routeBucket(method string, segs []string) (RouteLimit, string, bool) {
	for _, l := range s.routeLimits {
		if l.N <= 0 {
			continue
		}
		m, path, _ := strings.Cut(l.Pattern, " ")
		ps := strings.Split(strings.Trim(path, "/"), "/")
		if (m != "*" && m != method) || len(ps) != len(segs) {
			continue
		}
		key, ok := l.Pattern, true
		for i, p := range ps {
			switch {
			case p == "*":
				key += "|" + segs[i]
			case p != segs[i]:
				ok = false
			}
		}
		if ok {
			return l, key, true
		}
	}
	return RouteLimit{}, "", false
}

// admitGlobal applies the global limit to a request: a strict sliding
// second. s.mu is held.
func (s *Server) admitGlobal(now time.Time) (bool, time.Duration) {
	if s.rate <= 0 {
		return true, 0
	}
	ok, wait := s.global.admit(now)
	if ok {
		s.granted = append(s.granted, now)
	}
	return ok, wait
}

// admitRoute applies a request's per-route limit, writing the
// X-RateLimit-* headers of its bucket; a refused request gets its 429.
func (s *Server) admitRoute(w http.ResponseWriter, method string, segs []string) bool {
	l, key, ok := s.routeBucket(method, segs)
	if !ok {
		return true
	}
	now := time.Now()
	s.mu.Lock()
	b := s.routes[key]
	if b == nil {
		b = &window{n: l.N, d: l.Window}
		s.routes[key] = b
	}
	admitted, wait := b.admit(now)
	remaining := l.N - len(b.times)
	reset := b.resetAfter(now)
	if !admitted {
		s.rateLimited++
		s.routeLimited++
	}
	s.mu.Unlock()
	h := w.Header()
	h.Set("X-RateLimit-Bucket", bucketHash(l.Pattern))
	h.Set("X-RateLimit-Limit", strconv.Itoa(l.N))
	if !admitted {
		writeRateLimited(w, wait, false, "user")
		return false
	}
	h.Set("X-RateLimit-Remaining", strconv.Itoa(remaining))
	h.Set("X-RateLimit-Reset-After", strconv.FormatFloat(reset.Seconds(), 'f', 3, 64))
	h.Set("X-RateLimit-Reset", strconv.FormatFloat(float64(now.Add(reset).UnixMilli())/1000, 'f', 3, 64))
	return true
}

// bucketHash is an opaque bucket name per route, like Discord's.
func bucketHash(pattern string) string {
	var h uint32 = 2166136261
	for i := 0; i < len(pattern); i++ {
		h = (h ^ uint32(pattern[i])) * 16777619
	}
	return fmt.Sprintf("%08x", h)
}

// GlobalPeak is the most requests the global limit admitted in any span
// of one second (a test of a pacer asserts it is at most the rate).
func (s *Server) GlobalPeak() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	peak, j := 0, 0
	for i, t := range s.granted {
		for t.Sub(s.granted[j]) >= time.Second {
			j++
		}
		peak = max(peak, i-j+1)
	}
	return peak
}

// RouteLimited counts the 429s of the per-route limits.
func (s *Server) RouteLimited() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.routeLimited
}
