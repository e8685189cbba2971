package ingest

import (
	"sync"
	"time"
)

// Items whose page gave no article are not fetched again at every pass
// that finds them in the feed (a busy feed changes every few minutes, and
// a paywalled or deleted page would be asked for each time):
const (
	// retryFirst is the wait after a failure that may pass (a timeout, a
	// 503); it doubles with each one, up to retryMax.
	retryFirst = 10 * time.Minute
	retryMax   = 6 * time.Hour
	// retryGone is the wait after a page that held no article, answered
	// 404 or similar, or was dropped by a keyword after it was read.
	retryGone = 24 * time.Hour
	// retryKeep bounds the book: entries past their wait are dropped once
	// it holds this many.
	retryKeep = 4096
)

// retryBook remembers, per item, when its page may be asked for again.
// It lives in memory: after a restart each such page is asked for once.
type retryBook struct {
	mu sync.Mutex
	m  map[string]retryEntry
}

type retryEntry struct {
	until     time.Time
	tries     int
	transient bool
}

// wait reports whether the item's page must not be asked for yet, and
// whether it failed for a reason that may pass (then the feed's
// validators must be kept, so that a later pass still sees the item).
func (b *retryBook) wait(key string, now time.Time) (skip, transient bool) {
	b.mu.Lock()
	defer b.mu.Unlock()
	e, ok := b.m[key]
	return ok && now.Before(e.until), e.transient
}

// failed records a failure: transient ones back off, others wait retryGone.
func (b *retryBook) failed(key string, now time.Time, transient bool) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.m == nil {
		b.m = make(map[string]retryEntry)
	}
	e := b.m[key]
	e.tries++
	wait := retryGone
	if transient {
		wait = retryFirst << min(e.tries-1, 10)
		wait = min(wait, retryMax)
	}
	e.until, e.transient = now.Add(wait), transient
	b.m[key] = e
	if len(b.m) > retryKeep {
		for k, x := range b.m {
			if !now.Before(x.until) {
				delete(b.m, k)
			}
		}
	}
}
