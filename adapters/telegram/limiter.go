package telegram

import (
	"context"
	"strings"
	"sync"
	"time"
)

func secs(n int) time.Duration { return time.Duration(n) * time.Second }

// limiter is Telegram's send budget: a global rate (30 messages a second),
// one message a second per chat and 20 a minute per group. A caller
// reserves the earliest moment all three allow and sleeps until then, so
// many goroutines together stay just under the limits instead of
// provoking 429s. Global sends are spaced evenly on a grid of slots; a
// caller held back by its chat takes a later free slot without holding up
// the others.
type limiter struct {
	mu       sync.Mutex
	interval time.Duration // between two global slots
	chatGap  time.Duration
	groupN   int
	groupWin time.Duration
	base     time.Time
	slots    map[int64]bool // taken global slot indices
	chatNext map[string]time.Time
	groups   map[string][]time.Time
	reserved int
}

// margin absorbs the jitter between our clock and the moment the request
// reaches Telegram, which counts arrivals.
const margin = 50 * time.Millisecond

func newLimiter(perSecond int, chatGap time.Duration, groupPerMinute int) *limiter {
	// 2% under the global rate: 30 sends then span 1.02 s, not exactly 1 s.
	iv := time.Duration(float64(time.Second) / float64(perSecond) * 1.02)
	return &limiter{
		interval: iv,
		chatGap:  chatGap + margin,
		groupN:   groupPerMinute,
		groupWin: time.Minute + margin,
		base:     time.Now(),
		slots:    map[int64]bool{},
		chatNext: map[string]time.Time{},
		groups:   map[string][]time.Time{},
	}
}

// isGroup: groups, supergroups and channels have negative chat IDs.
func isGroup(chat string) bool { return strings.HasPrefix(chat, "-") }

// wait blocks until a message to chat may be sent.
func (l *limiter) wait(ctx context.Context, chat string) error {
	d := time.Until(l.reserve(chat, time.Now()))
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// reserve books the earliest moment at or after now when a message to
// chat fits every budget, and returns it.
func (l *limiter) reserve(chat string, now time.Time) time.Time {
	l.mu.Lock()
	defer l.mu.Unlock()
	earliest := now
	if next := l.chatNext[chat]; next.After(earliest) {
		earliest = next
	}
	group := isGroup(chat) && l.groupN > 0
	var times []time.Time
	if group {
		times = l.groups[chat]
		for len(times) > 0 && now.Sub(times[0]) >= l.groupWin {
			times = times[1:]
		}
		if len(times) >= l.groupN {
			if t := times[len(times)-l.groupN].Add(l.groupWin); t.After(earliest) {
				earliest = t
			}
		}
	}
	k := int64((earliest.Sub(l.base) + l.interval - 1) / l.interval)
	for l.slots[k] {
		k++
	}
	l.slots[k] = true
	at := l.base.Add(time.Duration(k) * l.interval)
	l.chatNext[chat] = at.Add(l.chatGap)
	if group {
		l.groups[chat] = append(times, at)
	}
	if l.reserved++; l.reserved%512 == 0 {
		l.prune(now)
	}
	return at
}

// penalize holds a chat back after Telegram answered 429 with retry_after.
func (l *limiter) penalize(chat string, retryAfter time.Duration) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if t := time.Now().Add(retryAfter); t.After(l.chatNext[chat]) {
		l.chatNext[chat] = t
	}
}

// prune forgets slots and chats in the past. l.mu is held.
func (l *limiter) prune(now time.Time) {
	cur := int64(now.Sub(l.base) / l.interval)
	for k := range l.slots {
		if k < cur {
			delete(l.slots, k)
		}
	}
	for c, t := range l.chatNext {
		if t.Before(now) {
			delete(l.chatNext, c)
		}
	}
	for c, ts := range l.groups {
		if len(ts) == 0 || now.Sub(ts[len(ts)-1]) >= l.groupWin {
			delete(l.groups, c)
		}
	}
}
