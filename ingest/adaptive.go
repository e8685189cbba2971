package ingest

import (
	"bytes"
	"context"
	"regexp"
	"strconv"
	"sync"
	"time"
)

// A source without an interval of its own is polled as often as it
// publishes: its articles of the last week, spread evenly, between
// AdaptiveMin and AdaptiveMax apart (the rule of Miniflux's
// entry-frequency scheduler, with bounds for news). Whatever the interval,
// a feed that says how long it stays fresh (RSS <ttl>, Cache-Control
// max-age, Expires) is not asked again before then, up to MaxHint.
const (
	AdaptiveMin = 5 * time.Minute
	AdaptiveMax = time.Hour
	// adaptiveWindow is the stretch of recent articles the rate is read
	// from, and ratesTTL how long one reading of all sources is reused.
	adaptiveWindow = 7 * 24 * time.Hour
	ratesTTL       = 10 * time.Minute
	// MaxHint bounds how long a feed's own hint (RSS <ttl>, Cache-Control
	// max-age, Expires) may hold the next fetch off.
	MaxHint = 6 * time.Hour
)

// ttlRe finds an RSS channel's <ttl> (minutes), before its first item.
var ttlRe = regexp.MustCompile(`(?i)<ttl>\s*(\d{1,9})\s*</ttl>`)

// feedTTL is an RSS feed's <ttl>: how many minutes the channel may be
// cached before it is asked for again (RSS 2.0); 0 when absent. Only the
// channel's own element counts, not one inside an item.
func feedTTL(body []byte) time.Duration {
	head := body
	if i := bytes.Index(head, []byte("<item")); i >= 0 {
		head = head[:i]
	}
	m := ttlRe.FindSubmatch(head)
	if m == nil {
		return 0
	}
	n, err := strconv.Atoi(string(m[1]))
	if err != nil || n <= 0 {
		return 0
	}
	return min(time.Duration(n)*time.Minute, MaxHint)
}

// AdaptiveInterval is the polling interval of a source that stored
// perWeek articles (first fetch left out) in the last seven days: a week
// divided by them, within [AdaptiveMin, AdaptiveMax]; AdaptiveMax for a
// source that stored none (but DefaultInterval for one first read this
// week, which has no rate to go by yet).
func AdaptiveInterval(perWeek int) time.Duration {
	if perWeek <= 0 {
		return AdaptiveMax
	}
	return min(AdaptiveMax, max(AdaptiveMin, adaptiveWindow/time.Duration(perWeek)))
}

// weekly counts the articles each source stored in the last week, read
// from the store's window index at most every ratesTTL: new ones, and
// those of a first fetch (a back catalogue, not delivered).
type weekly struct {
	mu      sync.Mutex
	at      time.Time
	counts  map[int64]int
	backlog map[int64]int
}

// interval is the wait before a source's next pass after a successful
// one: its own Interval, or the adaptive one. A store error falls back to
// the default interval.
func (i *Ingester) interval(ctx context.Context, srcID int64, own time.Duration, now time.Time) time.Duration {
	if own > 0 {
		return max(own, MinInterval)
	}
	i.rates.mu.Lock()
	defer i.rates.mu.Unlock()
	if i.rates.counts == nil || now.Sub(i.rates.at) >= ratesTTL || now.Before(i.rates.at) {
		refs, err := i.Store.WindowArticles(ctx, now.Add(-adaptiveWindow), now, true)
		if err != nil {
			i.Log.Warn("ingest: reading recent articles for adaptive polling failed", "err", err)
			return DefaultInterval
		}
		counts, backlog := make(map[int64]int), make(map[int64]int)
		for _, r := range refs {
			if r.Backlog {
				backlog[r.SourceID]++
			} else {
				counts[r.SourceID]++
			}
		}
		i.rates.counts, i.rates.backlog, i.rates.at = counts, backlog, now
	}
	n := i.rates.counts[srcID]
	if n == 0 && i.rates.backlog[srcID] > 0 {
		// First read this week and nothing new since: no rate to go by yet.
		return DefaultInterval
	}
	return AdaptiveInterval(n)
}

// forget drops the reading of the rates, so that the next interval reads
// the store again (after a pass stored articles).
func (w *weekly) forget() {
	w.mu.Lock()
	w.counts = nil
	w.mu.Unlock()
}
