package fetch

import (
	"context"
	"sync"
	"time"
)

// hostGate keeps the politeness of one host: at most perHost requests in
// flight and a minimum gap between the starts of two requests.
type hostGate struct {
	slots chan struct{}

	mu        sync.Mutex
	nextStart time.Time // no request starts before this
	retryAt   time.Time // the host asked (Retry-After) not to be called before this
	robots    *Robots
	robotsAt  time.Time     // when robots was fetched
	robotsRun chan struct{} // closed when an in-progress robots fetch ends
}

func (f *Fetcher) gate(host string) *hostGate {
	f.mu.Lock()
	defer f.mu.Unlock()
	g := f.hosts[host]
	if g == nil {
		g = &hostGate{slots: make(chan struct{}, f.opts.PerHost)}
		f.hosts[host] = g
	}
	return g
}

// acquire waits for a free slot and for the host's gap, then reserves the
// next start time. The returned func releases the slot.
func (g *hostGate) acquire(ctx context.Context, gap time.Duration, now func() time.Time) (func(), error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	select {
	case g.slots <- struct{}{}:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	release := func() { <-g.slots }
	g.mu.Lock()
	if g.robots != nil && g.robots.CrawlDelay > gap {
		gap = g.robots.CrawlDelay
	}
	t := now()
	start := g.nextStart
	if start.Before(t) {
		start = t
	}
	g.nextStart = start.Add(gap)
	g.mu.Unlock()
	if wait := start.Sub(t); wait > 0 {
		timer := time.NewTimer(wait)
		defer timer.Stop()
		select {
		case <-timer.C:
		case <-ctx.Done():
			release()
			return nil, ctx.Err()
		}
	}
	return release, nil
}

// holdOff records a host's Retry-After so that other requests to it (other
// sources and article pages on the same site) wait too.
func (g *hostGate) holdOff(until time.Time) {
	g.mu.Lock()
	defer g.mu.Unlock()
	if until.After(g.retryAt) {
		g.retryAt = until
	}
}

// heldOff returns how long the host asked us to keep away, or 0.
func (g *hostGate) heldOff(now time.Time) time.Duration {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.retryAt.Sub(now)
}
