package telegram

import (
	"context"
	"newsdigest/adapters/internal/pace"
	"strings"
	"sync"
	"time"
)

func secs(n int) time.Duration { return time.Duration(n) * time.Second }

// limiter is Telegram's send budget: a global rate (30 messages a second),
// one message a second per chat and 20 a minute per group. Send waits in
// two steps: first for its chat (a reservation, so a busy chat never holds
// up the others), then for the global budget (pace.Pacer, command replies
// first), which counts each message from its answer, so that no latency
// and no late goroutine can put more than perSecond into any second. A
// chat's next message likewise waits a chat gap after its last answer.
type limiter struct {
	global   *pace.Pacer
	chatGap  time.Duration
	groupN   int
	groupWin time.Duration

	mu       sync.Mutex
	chatNext map[string]time.Time
	groups   map[string][]time.Time
	reserved int
}

// A chat's next message waits 50 ms more than its gap after the last
// one's answer.
const margin = 50 * time.Millisecond

// pass is a request let through the budget; done takes it back.
type pass struct {
	at   time.Time // when it passed
	slot int
	chat string
}

func newLimiter(perSecond int, chatGap time.Duration, groupPerMinute int) *limiter {
	return &limiter{
		global:   pace.New(perSecond),
		chatGap:  chatGap + margin,
		groupN:   groupPerMinute,
		groupWin: time.Minute + margin,
		chatNext: map[string]time.Time{},
		groups:   map[string][]time.Time{},
	}
}

// replyKey marks a context whose sends are command replies: they go
// before queued digest sends, so that a big digest does not hold up an
// answer someone waits for.
type replyKey struct{}

func replyClass(ctx context.Context) pace.Class {
	if ctx.Value(replyKey{}) != nil {
		return pace.Urgent
	}
	return pace.Bulk
}

// isGroup: groups, supergroups and channels have negative chat IDs.
func isGroup(chat string) bool { return strings.HasPrefix(chat, "-") }

// wait blocks until a message to chat may be sent and returns its pass;
// the caller calls done with it once the message was answered or failed.
func (l *limiter) wait(ctx context.Context, chat string) (pass, error) {
	if !sleepUntil(ctx, l.reserve(chat, time.Now())) {
		return pass{}, ctx.Err()
	}
	slot, err := l.global.Wait(ctx, replyClass(ctx))
	if err != nil {
		return pass{}, err
	}
	now := time.Now()
	l.issued(chat, now)
	return pass{at: now, slot: slot, chat: chat}, nil
}

// done records that the message of a pass was answered (or failed) at
// now: Telegram has counted it by then, if it ever will.
func (l *limiter) done(p pass, now time.Time) {
	l.global.DoneAt(p.slot, now)
	l.mu.Lock()
	defer l.mu.Unlock()
	if t := now.Add(l.chatGap); t.After(l.chatNext[p.chat]) {
		l.chatNext[p.chat] = t
	}
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
