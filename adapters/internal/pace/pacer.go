package pace

import (
	"context"
	"sync"
	"time"
)

// Class is a request's place in the queue of a Pacer: Urgent requests
// (control requests, command replies) go before Bulk ones (digest sends),
// so that a backlog of sends never starves them.
type Class int

const (
	Urgent Class = iota
	Bulk
)

// Window is the platforms' second and a millisecond: the answered-time
// ring makes it safe whatever the latency, so it needs no slack for jitter.
const Window = time.Second + time.Millisecond

// pending marks a ring slot whose request has not been answered yet.
var pending = time.Unix(1<<40, 0)

// Pacer is a bot's global request budget: at most perSecond requests in
// any Window. It lets requests go one at a time along a plan of one every
// step (Window/perSecond); one that left late (a slow timer on a busy
// machine) is caught up by letting the next ones go sooner, down to
// minGap apart, so lateness does not add up.
//
// Safety comes from the window, counted so that no jitter can break it:
// a platform counts a request when it arrives, some time between when it
// left here and when its answer came back. So a request may go only a
// window after the answer (or failure) of the request perSecond places
// before it: in any window the platform sees at most perSecond, whatever
// the latency and however late a goroutine ran. Waiting requests are
// served Urgent class first.
type Pacer struct {
	step, minGap, window time.Duration

	mu      sync.Mutex
	recent  []time.Time // ring: when each of the last perSecond requests was answered (pending: not yet)
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

// New makes a budget of perSecond requests in any Window (at least one).
func New(perSecond int) *Pacer {
	perSecond = max(perSecond, 1)
	return &Pacer{
		step:   Window / time.Duration(perSecond),
		minGap: time.Second / time.Duration(2*perSecond),
		window: Window,
		recent: make([]time.Time, perSecond),
	}
}

// earliest is when the next request may go, and when it was planned to
// (ready is when it began to wait); at is pending while the request that
// frees the slot is unanswered. The plan continues from the previous
// request while requests queue; after an idle spell it starts again from
// when this one was ready. p.mu is held.
func (p *Pacer) earliest(ready time.Time) (at, plan time.Time) {
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
func (p *Pacer) grant(now, plan time.Time) int {
	p.last, p.plan = now, plan
	slot := p.next
	p.recent[slot] = pending
	p.next = (p.next + 1) % len(p.recent)
	if p.onGrant != nil {
		p.onGrant(now)
	}
	return slot
}

// Wait blocks until the caller may make one request of class c; the
// caller then calls Done or DoneAt with the slot once the request is
// answered or failed. Every slot must be given back so: one never given
// back stalls the budget a ring's length later.
func (p *Pacer) Wait(ctx context.Context, c Class) (int, error) {
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

// Done records that the request of a slot was answered (or failed): from
// now on the platform has counted it, if it ever will.
func (p *Pacer) Done(slot int) { p.DoneAt(slot, time.Now()) }

// DoneAt records that the request of a slot was answered at t.
func (p *Pacer) DoneAt(slot int, t time.Time) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.recent[slot] = t
	p.arm(time.Now())
}

// arm schedules dispatch for the head of the queues. p.mu is held.
func (p *Pacer) arm(now time.Time) {
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

// head is the waiter served next, Urgent first; nil if none. p.mu is held.
func (p *Pacer) head() *waiter {
	for _, q := range p.queues {
		if len(q) > 0 {
			return q[0]
		}
	}
	return nil
}

// dispatch lets the waiting requests go whose time has come, Urgent first.
func (p *Pacer) dispatch() {
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
		c := Urgent
		if len(p.queues[c]) == 0 {
			c = Bulk
		}
		p.queues[c] = p.queues[c][1:]
		w.slot = p.grant(now, plan)
		w.granted = true
		close(w.ch)
	}
}

// Block holds every request until t (a global 429).
func (p *Pacer) Block(t time.Time) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if t.After(p.blocked) {
		p.blocked = t
	}
}

// Waiting is how many requests of class c wait.
func (p *Pacer) Waiting(c Class) int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return len(p.queues[c])
}
