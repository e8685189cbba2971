package telegram

import (
	"context"
	"fmt"
	"newsdigest/adapters/internal/pace"
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
	const minGap = time.Second / (2 * 1000) // half a step, when catching up
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
		if gap := passed[i].Sub(passed[i-1]); gap < minGap {
			t.Fatalf("sends %d and %d passed %s apart, want at least %s", i-1, i, gap, minGap)
		}
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := l.wait(ctx, "x"); err == nil {
		t.Fatal("wait with a cancelled context returned nil")
	}
}

// A command's reply waiting behind a backlog of digest sends goes next,
// not after them.
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
	queued := func(class pace.Class, n int) {
		for l.global.Waiting(class) < n {
			time.Sleep(time.Millisecond)
		}
	}
	for i := range 5 {
		go send(ctx, "digest", fmt.Sprint(1+i))
	}
	queued(pace.Bulk, 5)
	go send(context.WithValue(ctx, replyKey{}, true), "reply", "9")
	queued(pace.Urgent, 1)
	l.done(first, time.Now())
	// At 1/s the sends go a second apart: the order is the budget's.
	var order []string
	for range 2 {
		order = append(order, <-got)
	}
	if order[0] != "reply" || order[1] != "digest" {
		t.Errorf("order %v; want the reply, then the queued digest sends", order)
	}
}
