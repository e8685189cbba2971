package telegram

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"
)

func TestLimiterPerChatDoesNotBlockOthers(t *testing.T) {
	l := newLimiter(30, time.Second, 20)
	now := time.Now()
	a1 := l.reserve("1", now)
	a2 := l.reserve("1", now)
	b1 := l.reserve("2", now)
	if a2.Sub(a1) < time.Second {
		t.Fatalf("two messages to one chat %s apart", a2.Sub(a1))
	}
	if !b1.Equal(now) {
		t.Fatalf("another chat booked at %s, behind a busy one", b1.Sub(now))
	}
}

func TestLimiterGroupPerMinute(t *testing.T) {
	l := newLimiter(30, time.Second, 20)
	now := time.Now()
	var first, last time.Time
	for i := range 21 {
		at := l.reserve("-100", now)
		if i == 0 {
			first = at
		}
		last = at
	}
	if last.Sub(first) < time.Minute {
		t.Fatalf("21st message to a group %s after the first, want at least a minute", last.Sub(first))
	}
	// A private chat has no per-minute budget.
	for range 21 {
		last = l.reserve("100", now)
	}
	if last.Sub(now) > 22*time.Second {
		t.Fatalf("21 messages to a private chat booked until %s", last.Sub(now))
	}
}

func TestLimiterIssuedMovesBooking(t *testing.T) {
	l := newLimiter(30, time.Second, 20)
	now := time.Now()
	l.reserve("-7", now)
	late := now.Add(3 * time.Second) // the gate held the message back
	l.issued("-7", late)
	if next := l.reserve("-7", now); next.Sub(late) < time.Second {
		t.Fatalf("next message booked %s after the late one, want a second", next.Sub(late))
	}
	if ts := l.groups["-7"]; !ts[0].Equal(late) {
		t.Fatalf("group log holds %v, want the moment it left", ts)
	}
}

func TestLimiterPenalize(t *testing.T) {
	l := newLimiter(30, time.Second, 20)
	l.penalize("7", 5*time.Second)
	if at := l.reserve("7", time.Now()); time.Until(at) < 4*time.Second {
		t.Fatalf("booked %s from now after a 5 s retry_after", time.Until(at))
	}
}

// TestLimiterGateSpacing lets 12 goroutines through the global gate at a
// fast rate and checks the gaps between the moments they passed.
func TestLimiterGateSpacing(t *testing.T) {
	l := newLimiter(1000, time.Millisecond, 20)
	var mu sync.Mutex
	var passed []time.Time
	var wg sync.WaitGroup
	for i := range 12 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			p, err := l.wait(context.Background(), fmt.Sprint(i))
			if err != nil {
				t.Error(err)
				return
			}
			l.done(p, time.Now())
			mu.Lock()
			passed = append(passed, p.at)
			mu.Unlock()
		}()
	}
	wg.Wait()
	slices.SortFunc(passed, time.Time.Compare)
	for i := 1; i < len(passed); i++ {
		if gap := passed[i].Sub(passed[i-1]); gap < l.minGap {
			t.Fatalf("sends %d and %d passed %s apart, want at least %s", i-1, i, gap, l.minGap)
		}
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := l.wait(ctx, "x"); err == nil {
		t.Fatal("wait with a cancelled context returned nil")
	}
}

// TestLimiterWindow passes 25 sends through a gate of 10 per 103 ms and
// checks that no 11 of them fall within the window.
func TestLimiterWindow(t *testing.T) {
	l := newLimiter(10, time.Millisecond, 20)
	l.step, l.minGap, l.window = 10*time.Millisecond, 5*time.Millisecond, 103*time.Millisecond // the shape of 30/s, faster
	var passed []time.Time
	for i := range 25 {
		p, err := l.wait(context.Background(), fmt.Sprint(i))
		if err != nil {
			t.Fatal(err)
		}
		l.done(p, time.Now())
		passed = append(passed, p.at)
	}
	for i := 10; i < len(passed); i++ {
		if span := passed[i].Sub(passed[i-10]); span < l.window {
			t.Fatalf("sends %d..%d passed within %s, want at least %s", i-10, i, span, l.window)
		}
	}
}

func TestLimiterTarget(t *testing.T) {
	l := newLimiter(30, time.Second, 20)
	t0 := time.Date(2026, 1, 1, 8, 0, 0, 0, time.UTC)
	step := l.step
	tests := []struct {
		name             string
		plan, last       time.Time
		ready            time.Time
		wantAt, wantPlan time.Time
	}{
		{"on time: one step later", t0, t0, t0, t0.Add(step), t0.Add(step)},
		{"late by 10ms: caught up on the next", t0, t0.Add(10 * time.Millisecond), t0, t0.Add(step), t0.Add(step)},
		{"late by 30ms: at least minGap after it", t0, t0.Add(30 * time.Millisecond), t0, t0.Add(30*time.Millisecond + l.minGap), t0.Add(step)},
		{"idle: the plan restarts when ready", t0, t0, t0.Add(time.Minute), t0.Add(time.Minute), t0.Add(time.Minute)},
	}
	for _, tt := range tests {
		l.plan, l.last = tt.plan, tt.last
		at, plan := l.target(tt.ready)
		if !at.Equal(tt.wantAt) || !plan.Equal(tt.wantPlan) {
			t.Errorf("%s: at %s plan %s, want %s %s", tt.name, at.Sub(t0), plan.Sub(t0), tt.wantAt.Sub(t0), tt.wantPlan.Sub(t0))
		}
	}
	// The window: 30 requests answered in the last second hold the next back.
	for i := range l.recent {
		l.recent[i] = t0.Add(time.Duration(i) * time.Millisecond)
	}
	l.next, l.plan, l.last = 0, t0, t0.Add(29*time.Millisecond)
	if at, _ := l.target(t0); !at.Equal(t0.Add(l.window)) {
		t.Errorf("after a burst of 30: at %s, want %s", at.Sub(t0), l.window)
	}
	// An unanswered request holds its slot: Telegram may count it any time
	// until its answer.
	l.recent[0] = pending
	if at, _ := l.target(t0); !at.Equal(pending) {
		t.Errorf("with the oldest slot unanswered: at %s, want to wait for its answer", at.Sub(t0))
	}
}

// A command's reply waiting behind a backlog of digest sends goes next
// but one (the send holding the gate goes first), not after them.
func TestLimiterRepliesFirst(t *testing.T) {
	l := newLimiter(1, time.Millisecond, 20)
	ctx := context.Background()
	first, err := l.wait(ctx, "0") // unanswered: the next must wait for it
	if err != nil {
		t.Fatal(err)
	}
	got := make(chan string, 8)
	send := func(ctx context.Context, label, chat string) {
		if p, err := l.wait(ctx, chat); err == nil {
			got <- label
			l.done(p, time.Now())
		}
	}
	queued := func(class, n int) {
		for {
			l.gate.mu.Lock()
			k := len(l.gate.queue[class])
			l.gate.mu.Unlock()
			if k >= n {
				return
			}
			time.Sleep(time.Millisecond)
		}
	}
	go send(ctx, "digest", "1") // holds the gate, waiting for the first's answer
	for {
		l.gate.mu.Lock()
		held := l.gate.held
		l.gate.mu.Unlock()
		if held {
			break
		}
		time.Sleep(time.Millisecond)
	}
	for i := range 4 {
		go send(ctx, "digest", fmt.Sprint(2+i))
	}
	queued(classDigest, 4)
	go send(context.WithValue(ctx, replyKey{}, true), "reply", "9")
	queued(classReply, 1)
	l.done(first, time.Now())
	// At 1/s the sends go a second apart: the order is the gate's.
	var order []string
	for range 3 {
		order = append(order, <-got)
	}
	if order[0] != "digest" || order[1] != "reply" || order[2] != "digest" {
		t.Errorf("order %v; want the gate's holder, then the reply, then the queued digest sends", order)
	}
}
