package pace

import (
	"context"
	"sync"
	"testing"
	"time"
)

// The pacer never lets more than rate requests go in any window, counted
// at the moment each was let go (which the window's slack keeps within a
// strict sliding second at the platform).
func TestPacerWindow(t *testing.T) {
	t.Parallel()
	const rate = 100
	p := New(rate)
	var at []time.Time
	p.onGrant = func(t time.Time) { at = append(at, t) }
	var wg sync.WaitGroup
	for range 25 { // a backlog, as the delivery engine's senders make
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 10 {
				slot, err := p.Wait(context.Background(), Bulk)
				if err != nil {
					t.Error(err)
					return
				}
				p.Done(slot)
			}
		}()
	}
	wg.Wait()
	if p.window <= time.Second {
		t.Fatalf("window %s: no slack over a second", p.window)
	}
	for i := rate; i < len(at); i++ {
		if d := at[i].Sub(at[i-rate]); d < p.window {
			t.Fatalf("requests %d and %d went %s apart: %d in less than %s", i-rate, i, d, rate+1, p.window)
		}
	}
	// How close to the floor is measured by the fan-out benchmarks
	// (delivery), not asserted here: a timing bound flakes on a busy machine.
	total, floor := at[len(at)-1].Sub(at[0]), time.Duration(len(at)-1)*time.Second/rate
	t.Logf("%d requests in %s, %.3fx the floor", len(at), total, total.Seconds()/floor.Seconds())
}

// A control request (registration, a command answer) waiting behind a
// backlog of digest sends goes next, not after them.
func TestPacerServesUrgentFirst(t *testing.T) {
	t.Parallel()
	p := New(1)
	ctx := context.Background()
	first, err := p.Wait(ctx, Bulk) // unanswered: everything else waits
	if err != nil {
		t.Fatal(err)
	}
	got := make(chan string, 12)
	queued := func(c Class, n int) {
		for {
			p.mu.Lock()
			k := len(p.queues[c])
			p.mu.Unlock()
			if k >= n {
				return
			}
			time.Sleep(time.Millisecond)
		}
	}
	for range 10 {
		go func() {
			if slot, err := p.Wait(ctx, Bulk); err == nil {
				got <- "bulk"
				p.Done(slot)
			}
		}()
	}
	queued(Bulk, 10)
	go func() {
		if slot, err := p.Wait(ctx, Urgent); err == nil {
			got <- "urgent"
			p.Done(slot)
		}
	}()
	queued(Urgent, 1)
	p.Done(first)
	// At 1/s the next grant is a second after this one: the order is the
	// grants' order.
	if g := <-got; g != "urgent" {
		t.Errorf("after a backlog of 10 sends, the next request to go was %s, want the urgent one", g)
	}
	if g := <-got; g != "bulk" {
		t.Errorf("then %s", g)
	}
}

// A waiter whose context ends leaves the queue and takes no slot.
func TestPacerCancel(t *testing.T) {
	t.Parallel()
	p := New(1)
	slot, err := p.Wait(context.Background(), Bulk)
	if err != nil {
		t.Fatal(err)
	}
	p.Done(slot)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	if _, err := p.Wait(ctx, Bulk); err == nil {
		t.Fatal("a second request within the second at 1/s was let go")
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if n := len(p.queues[Bulk]); n != 0 {
		t.Errorf("%d cancelled waiters left in the queue", n)
	}
}

// A request not answered yet holds its place in the window: the platform may
// count it at any moment until its answer, so the request rate places
// after it waits for that answer, however long it takes.
func TestPacerWaitsForAnswers(t *testing.T) {
	t.Parallel()
	p := New(2)
	a, err := p.Wait(context.Background(), Bulk)
	if err != nil {
		t.Fatal(err)
	}
	b, err := p.Wait(context.Background(), Bulk)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 1500*time.Millisecond)
	defer cancel()
	if _, err := p.Wait(ctx, Bulk); err == nil {
		t.Fatal("a third request went while the first was unanswered, with a budget of 2")
	}
	p.Done(b)
	p.Done(a)
	answered := time.Now()
	c, err := p.Wait(context.Background(), Bulk)
	if err != nil {
		t.Fatal(err)
	}
	p.Done(c)
	if d := time.Since(answered); d < p.window-10*time.Millisecond {
		t.Errorf("the third request went %s after the first was answered; want a window (%s)", d, p.window)
	}
}

// TestPacerWindowFast passes 25 requests through a budget of 10 per
// 103 ms and checks that no 11 of them fall within the window.
func TestPacerWindowFast(t *testing.T) {
	p := New(10)
	p.step, p.minGap, p.window = 10*time.Millisecond, 5*time.Millisecond, 103*time.Millisecond // the shape of 30/s, faster
	var passed []time.Time
	for range 25 {
		slot, err := p.Wait(context.Background(), Bulk)
		if err != nil {
			t.Fatal(err)
		}
		passed = append(passed, time.Now())
		p.Done(slot)
	}
	for i := 10; i < len(passed); i++ {
		if span := passed[i].Sub(passed[i-10]); span < p.window {
			t.Fatalf("requests %d..%d passed within %s, want at least %s", i-10, i, span, p.window)
		}
	}
}

func TestPacerEarliest(t *testing.T) {
	p := New(30)
	t0 := time.Date(2026, 1, 1, 8, 0, 0, 0, time.UTC)
	step := p.step
	tests := []struct {
		name             string
		plan, last       time.Time
		ready            time.Time
		wantAt, wantPlan time.Time
	}{
		{"on time: one step later", t0, t0, t0, t0.Add(step), t0.Add(step)},
		{"late by 10ms: caught up on the next", t0, t0.Add(10 * time.Millisecond), t0, t0.Add(step), t0.Add(step)},
		{"late by 30ms: at least minGap after it", t0, t0.Add(30 * time.Millisecond), t0, t0.Add(30*time.Millisecond + p.minGap), t0.Add(step)},
		{"idle: the plan restarts when ready", t0, t0, t0.Add(time.Minute), t0.Add(time.Minute), t0.Add(time.Minute)},
	}
	for _, tt := range tests {
		p.plan, p.last = tt.plan, tt.last
		at, plan := p.earliest(tt.ready)
		if !at.Equal(tt.wantAt) || !plan.Equal(tt.wantPlan) {
			t.Errorf("%s: at %s plan %s, want %s %s", tt.name, at.Sub(t0), plan.Sub(t0), tt.wantAt.Sub(t0), tt.wantPlan.Sub(t0))
		}
	}
	// The window: 30 requests answered in the last second hold the next back.
	for i := range p.recent {
		p.recent[i] = t0.Add(time.Duration(i) * time.Millisecond)
	}
	p.next, p.plan, p.last = 0, t0, t0.Add(29*time.Millisecond)
	if at, _ := p.earliest(t0); !at.Equal(t0.Add(p.window)) {
		t.Errorf("after a burst of 30: at %s, want %s", at.Sub(t0), p.window)
	}
	// A global 429 holds everything back until it ends.
	p.blocked = t0.Add(5 * time.Second)
	if at, _ := p.earliest(t0); !at.Equal(p.blocked) {
		t.Errorf("blocked until 5s: at %s", at.Sub(t0))
	}
	p.blocked = time.Time{}
	// An unanswered request holds its slot: the platform may count it any
	// time until its answer.
	p.recent[0] = pending
	if at, _ := p.earliest(t0); !at.Equal(pending) {
		t.Errorf("with the oldest slot unanswered: at %s, want to wait for its answer", at.Sub(t0))
	}
}
