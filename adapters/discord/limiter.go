package discord

import (
	"context"
	"sync"
	"time"
)

// Request classes of the global budget: control requests (the gateway URL,
// the token check, command registration, command answers) go before
// digest sends, so that a backlog of sends never starves them.
const (
	urgent = iota
	bulk
)

// window is Discord's second and a millisecond: the ring below makes it
// safe whatever the latency, so it needs no slack for jitter.
const window = time.Second + time.Millisecond

// pending marks a ring slot whose request has not been answered yet.
var pending = time.Unix(1<<40, 0)

// pacer is the bot's global request budget. It lets requests go one at a
// time along a plan of one every step (window/rate); one that left late (a
// slow timer on a busy machine) is caught up by letting the next ones go
// sooner, down to minGap apart, so lateness does not add up.
//
// Safety comes from the window, counted so that no jitter can break it:
// Discord counts a request when it arrives, some time between when it
// left here and when its answer came back. So a request may go only a
// window after the answer (or failure) of the request rate places before
// it: in any window Discord sees at most rate, whatever the latency and
// however late a goroutine ran. Waiting requests are served urgent class
// first.
type pacer struct {
	step, minGap, window time.Duration

	mu      sync.Mutex
	recent  []time.Time // ring: when each of the last rate requests was answered (pending: not yet)
	next    int         // oldest entry of recent
	last    time.Time   // the last grant
	plan    time.Time   // when the last grant was planned
	blocked time.Time   // nothing before this (a global 429)
	queues  [2][]*waiter
	timer   *time.Timer
	armed   time.Time // when timer fires, zero if not armed

	onGrant func(time.Time) // tests: called with p.mu held
}

type waiter struct {
	ch      chan struct{}
	ready   time.Time // when it began to wait
	granted bool
	slot    int
}

func newPacer(perSecond int) *pacer {
	if perSecond <= 0 {
		perSecond = 50
	}
	return &pacer{
		step:   window / time.Duration(perSecond),
		minGap: time.Second / time.Duration(2*perSecond),
		window: window,
		recent: make([]time.Time, perSecond),
	}
}

// earliest is when the next request may go, and when it was planned to
// (ready is when it began to wait); at is pending while the request that
// frees the slot is unanswered. p.mu is held.
func (p *pacer) earliest(ready time.Time) (at, plan time.Time) {
	plan = p.plan.Add(p.step)
	if ready.After(plan) {
		plan = ready
	}
	at = plan
	if t := p.last.Add(p.minGap); t.After(at) {
		at = t
	}
	if r := p.recent[p.next]; r.Equal(pending) {
		return pending, plan
	} else if t := r.Add(p.window); t.After(at) {
		at = t
	}
	if p.blocked.After(at) {
		at = p.blocked
	}
	return at, plan
}

// grant records a request leaving now and returns its slot. p.mu is held.
func (p *pacer) grant(now, plan time.Time) int {
	p.last, p.plan = now, plan
	slot := p.next
	p.recent[slot] = pending
	p.next = (p.next + 1) % len(p.recent)
	if p.onGrant != nil {
		p.onGrant(now)
	}
	return slot
}

// wait blocks until the caller may make one request of class c; the
// caller then calls done with the slot once the request is answered or
// failed.
func (p *pacer) wait(ctx context.Context, c int) (int, error) {
	if err := ctx.Err(); err != nil {
		return 0, err
	}
	p.mu.Lock()
	now := time.Now()
	if p.head() == nil {
		if at, plan := p.earliest(now); !at.After(now) {
			slot := p.grant(now, plan)
			p.mu.Unlock()
			return slot, nil
		}
	}
	w := &waiter{ch: make(chan struct{}), ready: now}
	p.queues[c] = append(p.queues[c], w)
	p.arm(now)
	p.mu.Unlock()
	select {
	case <-w.ch:
		return w.slot, nil
	case <-ctx.Done():
		p.mu.Lock()
		defer p.mu.Unlock()
		if w.granted {
			return w.slot, nil // granted as ctx ended: the caller sees ctx soon enough
		}
		for i, x := range p.queues[c] {
			if x == w {
				p.queues[c] = append(p.queues[c][:i], p.queues[c][i+1:]...)
				break
			}
		}
		return 0, ctx.Err()
	}
}

// done records that the request of a slot was answered (or failed): from
// now on Discord has counted it, if it ever will.
func (p *pacer) done(slot int) { p.doneAt(slot, time.Now()) }

// doneAt records that the request of a slot was answered at t.
func (p *pacer) doneAt(slot int, t time.Time) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.recent[slot] = t
	p.arm(time.Now())
}

// arm schedules dispatch for the head of the queues. p.mu is held.
func (p *pacer) arm(now time.Time) {
	if p.head() == nil {
		return
	}
	at, _ := p.earliest(p.head().ready)
	if at.Equal(pending) || (!p.armed.IsZero() && !at.Before(p.armed)) {
		return // done will arm it; or armed soon enough
	}
	p.armed = at
	d := max(at.Sub(now), 0)
	if p.timer == nil {
		p.timer = time.AfterFunc(d, p.dispatch)
	} else {
		p.timer.Reset(d)
	}
}

// head is the waiter served next, urgent first; nil if none. p.mu is held.
func (p *pacer) head() *waiter {
	for _, q := range p.queues {
		if len(q) > 0 {
			return q[0]
		}
	}
	return nil
}

// dispatch lets the waiting requests go whose time has come, urgent first.
func (p *pacer) dispatch() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.armed = time.Time{}
	for {
		now := time.Now()
		w := p.head()
		if w == nil {
			return
		}
		at, plan := p.earliest(w.ready)
		if at.After(now) {
			p.arm(now)
			return
		}
		c := urgent
		if len(p.queues[c]) == 0 {
			c = bulk
		}
		p.queues[c] = p.queues[c][1:]
		w.slot = p.grant(now, plan)
		w.granted = true
		close(w.ch)
	}
}

// block holds every request until t (a global 429).
func (p *pacer) block(t time.Time) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if t.After(p.blocked) {
		p.blocked = t
	}
}

func sleepUntil(ctx context.Context, t time.Time) error {
	d := time.Until(t)
	if d <= 0 {
		return ctx.Err()
	}
	timer := time.NewTimer(d)
	defer timer.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-timer.C:
		return nil
	}
}

// channelPacer keeps each channel within n messages per window, and
// within what Discord's rate limit headers said about it.
type channelPacer struct {
	n      int
	window time.Duration

	mu    sync.Mutex
	chans map[string]*chanState
}

type chanState struct {
	sent    []time.Time // send times within the window
	pending int         // acquired, not yet sent
	blocked time.Time   // no sends before this (a 429, or remaining 0)
}

// channelSlack lengthens a channel's window a little; safety against
// latency comes from committing a message when it was answered (Send).
const channelSlack = 50 * time.Millisecond

func newChannelPacer(n int, window time.Duration) *channelPacer {
	return &channelPacer{n: n, window: window + channelSlack, chans: map[string]*chanState{}}
}

// acquire blocks until one more message may go to the channel; the caller
// then calls commit with the moment its message was answered (or failed),
// or release when it does not send it.
func (c *channelPacer) acquire(ctx context.Context, ch string) error {
	if c.n <= 0 {
		return nil
	}
	for {
		c.mu.Lock()
		st := c.chans[ch]
		if st == nil {
			st = &chanState{}
			c.chans[ch] = st
		}
		now := time.Now()
		for len(st.sent) > 0 && now.Sub(st.sent[0]) >= c.window {
			st.sent = st.sent[1:]
		}
		var at time.Time
		switch {
		case now.Before(st.blocked):
			at = st.blocked
		case len(st.sent)+st.pending < c.n:
			st.pending++
			c.mu.Unlock()
			return nil
		case len(st.sent) > 0:
			at = st.sent[0].Add(c.window)
		default:
			at = now.Add(c.window / time.Duration(c.n)) // all slots pending: look again soon
		}
		c.mu.Unlock()
		if err := sleepUntil(ctx, at); err != nil {
			return err
		}
	}
}

func (c *channelPacer) commit(ch string, at time.Time) {
	if c.n <= 0 {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	st := c.chans[ch]
	st.pending--
	st.sent = append(st.sent, at)
	c.prune(at)
}

func (c *channelPacer) release(ch string) {
	if c.n <= 0 {
		return
	}
	c.mu.Lock()
	c.chans[ch].pending--
	c.mu.Unlock()
}

// block holds the channel until t.
func (c *channelPacer) block(ch string, t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	st := c.chans[ch]
	if st == nil {
		st = &chanState{}
		c.chans[ch] = st
	}
	if t.After(st.blocked) {
		st.blocked = t
	}
}

// prune forgets idle channels once the map grows, so that a bot serving
// many channels keeps only the recent ones.
func (c *channelPacer) prune(now time.Time) {
	if len(c.chans) < 4096 {
		return
	}
	for id, st := range c.chans {
		if st.pending == 0 && now.After(st.blocked) && (len(st.sent) == 0 || now.Sub(st.sent[len(st.sent)-1]) >= c.window) {
			delete(c.chans, id)
		}
	}
}
