package telegram

import (
	"context"
	"strings"
	"sync"
	"time"
)

func secs(n int) time.Duration { return time.Duration(n) * time.Second }

// limiter is Telegram's send budget: a global rate (30 messages a second),
// one message a second per chat and 20 a minute per group. Send waits in
// two steps: first for its chat (a reservation, so a busy chat never holds
// up the others), then at a global gate that lets one request through at a
// time. The gate follows a plan of one request every step (window/rate);
// a request that left late (a slow timer on a busy machine) is caught up
// by letting the next ones go sooner, down to minGap apart, so lateness
// does not add up over a thousand sends. Safety comes from the window:
// never more than perSecond requests, counted at the moment they really
// left, in any window; Telegram counts arrivals, not our plans.
type limiter struct {
	step     time.Duration // planned spacing of requests, globally
	minGap   time.Duration // least spacing, when catching up
	window   time.Duration // at most len(recent) requests in any window
	chatGap  time.Duration
	groupN   int
	groupWin time.Duration

	gate   chan struct{} // a lock that waiters queue on in order, cancellable
	last   time.Time     // when the last request passed the gate
	plan   time.Time     // when the last request was planned to pass
	recent []time.Time   // ring of the last perSecond pass times
	next   int           // oldest entry of recent

	mu       sync.Mutex
	chatNext map[string]time.Time
	groups   map[string][]time.Time
	reserved int
}

// slack absorbs the jitter between the moment a request passes the gate
// and the moment Telegram counts it: the global window is 3% longer than a
// second; a chat's next message waits 50 ms more than 1 s.
const (
	globalSlack = 1.03
	margin      = 50 * time.Millisecond
)

func newLimiter(perSecond int, chatGap time.Duration, groupPerMinute int) *limiter {
	return &limiter{
		step:     time.Duration(float64(time.Second) * globalSlack / float64(perSecond)),
		minGap:   time.Second / time.Duration(2*perSecond),
		window:   time.Duration(float64(time.Second) * globalSlack),
		recent:   make([]time.Time, perSecond),
		chatGap:  chatGap + margin,
		groupN:   groupPerMinute,
		groupWin: time.Minute + margin,
		gate:     make(chan struct{}, 1),
		chatNext: map[string]time.Time{},
		groups:   map[string][]time.Time{},
	}
}

// isGroup: groups, supergroups and channels have negative chat IDs.
func isGroup(chat string) bool { return strings.HasPrefix(chat, "-") }

// wait blocks until a message to chat may be sent and returns the moment
// it passed the gate.
func (l *limiter) wait(ctx context.Context, chat string) (time.Time, error) {
	if !sleepUntil(ctx, l.reserve(chat, time.Now())) {
		return time.Time{}, ctx.Err()
	}
	ready := time.Now()
	select {
	case l.gate <- struct{}{}:
	case <-ctx.Done():
		return time.Time{}, ctx.Err()
	}
	defer func() { <-l.gate }()
	at, plan := l.target(ready)
	if !sleepUntil(ctx, at) {
		return time.Time{}, ctx.Err()
	}
	now := time.Now()
	l.last, l.plan = now, plan
	l.recent[l.next] = now
	l.next = (l.next + 1) % len(l.recent)
	l.issued(chat, now)
	return now, nil
}

// target says when the request holding the gate, ready since ready, may
// pass, and when it was planned to. The plan continues from the previous
// request while requests queue; after an idle spell it starts again from
// when this one was ready. l.gate is held.
func (l *limiter) target(ready time.Time) (at, plan time.Time) {
	plan = l.plan.Add(l.step)
	if ready.After(plan) {
		plan = ready
	}
	at = plan
	if t := l.last.Add(l.minGap); t.After(at) {
		at = t
	}
	if t := l.recent[l.next].Add(l.window); t.After(at) {
		at = t
	}
	return at, plan
}

func sleepUntil(ctx context.Context, t time.Time) bool {
	d := time.Until(t)
	if d <= 0 {
		return ctx.Err() == nil
	}
	return sleep(ctx, d)
}

// reserve books the earliest moment at or after now when a message to
// chat fits the chat's budgets, and returns it.
func (l *limiter) reserve(chat string, now time.Time) time.Time {
	l.mu.Lock()
	defer l.mu.Unlock()
	at := now
	if next := l.chatNext[chat]; next.After(at) {
		at = next
	}
	if isGroup(chat) && l.groupN > 0 {
		times := l.groups[chat]
		for len(times) > 0 && now.Sub(times[0]) >= l.groupWin {
			times = times[1:]
		}
		if len(times) >= l.groupN {
			if t := times[len(times)-l.groupN].Add(l.groupWin); t.After(at) {
				at = t
			}
		}
		l.groups[chat] = append(times, at)
	}
	l.chatNext[chat] = at.Add(l.chatGap)
	if l.reserved++; l.reserved%512 == 0 {
		l.prune(now)
	}
	return at
}

// issued moves a chat's bookings to when its message really left, if the
// global gate held it back.
func (l *limiter) issued(chat string, at time.Time) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if t := at.Add(l.chatGap); t.After(l.chatNext[chat]) {
		l.chatNext[chat] = t
	}
	if ts := l.groups[chat]; len(ts) > 0 && at.After(ts[len(ts)-1]) {
		ts[len(ts)-1] = at
	}
}

// penalize holds a chat back after Telegram answered 429 with retry_after.
func (l *limiter) penalize(chat string, retryAfter time.Duration) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if t := time.Now().Add(retryAfter); t.After(l.chatNext[chat]) {
		l.chatNext[chat] = t
	}
}

// prune forgets chats whose budgets are back to full. l.mu is held.
func (l *limiter) prune(now time.Time) {
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
