package discord

import (
	"context"
	"sync"
	"testing"
	"time"
)

// The pacer never lets more than rate requests go in any window, counted
// at the moment each was let go (which the window's slack keeps within a
// strict sliding second at Discord).
func TestPacerWindow(t *testing.T) {
	t.Parallel()
	const rate = 100
	p := newPacer(rate)
	var at []time.Time
	p.onGrant = func(t time.Time) { at = append(at, t) }
	var wg sync.WaitGroup
	for range 25 { // a backlog, as the delivery engine's senders make
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 10 {
				slot, err := p.wait(context.Background(), bulk)
				if err != nil {
					t.Error(err)
					return
				}
				p.done(slot)
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
	p := newPacer(1)
	ctx := context.Background()
	first, err := p.wait(ctx, bulk) // unanswered: everything else waits
	if err != nil {
		t.Fatal(err)
	}
	got := make(chan string, 12)
	queued := func(c, n int) {
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
			if slot, err := p.wait(ctx, bulk); err == nil {
				got <- "bulk"
				p.done(slot)
			}
		}()
	}
	queued(bulk, 10)
	go func() {
		if slot, err := p.wait(ctx, urgent); err == nil {
			got <- "urgent"
			p.done(slot)
		}
	}()
	queued(urgent, 1)
	p.done(first)
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
	p := newPacer(1)
	slot, err := p.wait(context.Background(), bulk)
	if err != nil {
		t.Fatal(err)
	}
	p.done(slot)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	if _, err := p.wait(ctx, bulk); err == nil {
		t.Fatal("a second request within the second at 1/s was let go")
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if n := len(p.queues[bulk]); n != 0 {
		t.Errorf("%d cancelled waiters left in the queue", n)
	}
}

// A request not answered yet holds its place in the window: Discord may
// count it at any moment until its answer, so the request rate places
// after it waits for that answer, however long it takes.
func TestPacerWaitsForAnswers(t *testing.T) {
	t.Parallel()
	p := newPacer(2)
	a, err := p.wait(context.Background(), bulk)
	if err != nil {
		t.Fatal(err)
	}
	b, err := p.wait(context.Background(), bulk)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 1500*time.Millisecond)
	defer cancel()
	if _, err := p.wait(ctx, bulk); err == nil {
		t.Fatal("a third request went while the first was unanswered, with a budget of 2")
	}
	p.done(b)
	p.done(a)
	answered := time.Now()
	c, err := p.wait(context.Background(), bulk)
	if err != nil {
		t.Fatal(err)
	}
	p.done(c)
	if d := time.Since(answered); d < p.window-10*time.Millisecond {
		t.Errorf("the third request went %s after the first was answered; want a window (%s)", d, p.window)
	}
}
