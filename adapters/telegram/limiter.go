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
// Telegram counts a message when it arrives, some time between when it
// left here and when its answer came back, so a message may leave only a
// window after the answer of the one perSecond places before it (and a
// chat's next message a chat gap after its last answer): no latency and
// no late goroutine can put more than perSecond into any second.
type limiter struct {
	step     time.Duration // planned spacing of requests, globally
	minGap   time.Duration // least spacing, when catching up
	window   time.Duration // at most len(recent) requests in any window
	chatGap  time.Duration
	groupN   int
	groupWin time.Duration

	gate  prioGate      // a lock that waiters queue on in order, command replies first, cancellable
	freed chan struct{} // a pending slot was answered
	last  time.Time     // when the last request passed the gate
	plan  time.Time     // when the last request was planned to pass

	mu       sync.Mutex
	recent   []time.Time // ring: when each of the last perSecond requests was answered (pending: not yet)
	next     int         // oldest entry of recent
	chatNext map[string]time.Time
	groups   map[string][]time.Time
	reserved int
}

// The global window is a second and a millisecond (the answered-time ring
// needs no slack for jitter); a chat's next message waits 50 ms more than
// its gap after the last one's answer.
const (
	globalWindow = time.Second + time.Millisecond
	margin       = 50 * time.Millisecond
)

// pending marks a ring slot whose request has not been answered yet.
var pending = time.Unix(1<<40, 0)

// pass is a request let through the gate; done takes it back.
type pass struct {
	at   time.Time // when it passed
	slot int
	chat string
}

func newLimiter(perSecond int, chatGap time.Duration, groupPerMinute int) *limiter {
	return &limiter{
		step:     globalWindow / time.Duration(perSecond),
		minGap:   time.Second / time.Duration(2*perSecond),
		window:   globalWindow,
		freed:    make(chan struct{}, 1),
		recent:   make([]time.Time, perSecond),
		chatGap:  chatGap + margin,
		groupN:   groupPerMinute,
		groupWin: time.Minute + margin,
		chatNext: map[string]time.Time{},
		groups:   map[string][]time.Time{},
	}
}

// Classes of the gate: a command's reply goes before queued digest sends,
// so that a big digest does not hold up an answer someone waits for.
const (
	classReply = iota
	classDigest
)

// replyKey marks a context whose sends are command replies.
type replyKey struct{}

func replyClass(ctx context.Context) int {
	if ctx.Value(replyKey{}) != nil {
		return classReply
	}
	return classDigest
}

// prioGate is a lock whose waiters queue in order within their class,
// replies first; a waiter whose context ends leaves the queue.
type prioGate struct {
	mu    sync.Mutex
	held  bool
	queue [2][]chan struct{}
}

func (g *prioGate) lock(ctx context.Context, class int) error {
	g.mu.Lock()
	if !g.held {
		g.held = true
		g.mu.Unlock()
		return nil
	}
	ch := make(chan struct{})
	g.queue[class] = append(g.queue[class], ch)
	g.mu.Unlock()
	select {
	case <-ch:
		return nil
	case <-ctx.Done():
		g.mu.Lock()
		for i, x := range g.queue[class] {
			if x == ch {
				g.queue[class] = append(g.queue[class][:i], g.queue[class][i+1:]...)
				g.mu.Unlock()
				return ctx.Err()
			}
		}
		g.mu.Unlock()
		g.unlock() // handed over as ctx ended: pass it on
		return ctx.Err()
	}
}

// unlock hands the lock to the next waiter, replies first.
func (g *prioGate) unlock() {
	g.mu.Lock()
	defer g.mu.Unlock()
	for c := range g.queue {
		if len(g.queue[c]) > 0 {
			ch := g.queue[c][0]
			g.queue[c] = g.queue[c][1:]
			close(ch)
			return
		}
	}
	g.held = false
}

// isGroup: groups, supergroups and channels have negative chat IDs.
func isGroup(chat string) bool { return strings.HasPrefix(chat, "-") }

// wait blocks until a message to chat may be sent and returns its pass;
// the caller calls done with it once the message was answered or failed.
func (l *limiter) wait(ctx context.Context, chat string) (pass, error) {
	if !sleepUntil(ctx, l.reserve(chat, time.Now())) {
		return pass{}, ctx.Err()
	}
	ready := time.Now()
	if err := l.gate.lock(ctx, replyClass(ctx)); err != nil {
		return pass{}, err
	}
	defer l.gate.unlock()
	var plan time.Time
	for {
		var at time.Time
		l.mu.Lock()
		at, plan = l.target(ready)
		l.mu.Unlock()
		if at.Equal(pending) { // the slot's request is unanswered yet
			select {
			case <-l.freed:
				continue
			case <-ctx.Done():
				return pass{}, ctx.Err()
			}
		}
		if !sleepUntil(ctx, at) {
			return pass{}, ctx.Err()
		}
		break
	}
	now := time.Now()
	l.last, l.plan = now, plan
	l.mu.Lock()
	slot := l.next
	l.recent[slot] = pending
	l.next = (l.next + 1) % len(l.recent)
	l.mu.Unlock()
	l.issued(chat, now)
	return pass{at: now, slot: slot, chat: chat}, nil
}

// done records that the message of a pass was answered (or failed) at
// now: Telegram has counted it by then, if it ever will.
func (l *limiter) done(p pass, now time.Time) {
	l.mu.Lock()
	l.recent[p.slot] = now
	if t := now.Add(l.chatGap); t.After(l.chatNext[p.chat]) {
		l.chatNext[p.chat] = t
	}
	l.mu.Unlock()
	select {
	case l.freed <- struct{}{}:
	default:
	}
}

// target says when the request holding the gate, ready since ready, may
// pass, and when it was planned to; at is pending while the request whose
// slot it takes is unanswered. The plan continues from the previous
// request while requests queue; after an idle spell it starts again from
// when this one was ready. l.gate and l.mu are held.
func (l *limiter) target(ready time.Time) (at, plan time.Time) {
	plan = l.plan.Add(l.step)
	if ready.After(plan) {
		plan = ready
	}
	at = plan
	if t := l.last.Add(l.minGap); t.After(at) {
		at = t
	}
	r := l.recent[l.next]
	if r.Equal(pending) {
		return pending, plan
	}
	if t := r.Add(l.window); t.After(at) {
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
