package telegram

import (
	"fmt"
	"testing"
	"time"
)

func TestLimiterGlobalSpacing(t *testing.T) {
	l := newLimiter(30, time.Second, 20)
	now := l.base
	var prev time.Time
	for i := range 90 {
		at := l.reserve(fmt.Sprint(i+1), now)
		if i > 0 && at.Sub(prev) < time.Second/30 {
			t.Fatalf("send %d only %s after the previous", i, at.Sub(prev))
		}
		prev = at
	}
	// Any 30 consecutive sends span more than a second.
	if span := prev.Sub(now); span < 89*time.Second/30 {
		t.Fatalf("90 sends span %s", span)
	}
}

func TestLimiterPerChatDoesNotBlockOthers(t *testing.T) {
	l := newLimiter(30, time.Second, 20)
	now := l.base
	a1 := l.reserve("1", now)
	a2 := l.reserve("1", now)
	b1 := l.reserve("2", now)
	if a2.Sub(a1) < time.Second {
		t.Fatalf("two messages to one chat %s apart", a2.Sub(a1))
	}
	if b1.Sub(now) > 100*time.Millisecond {
		t.Fatalf("another chat waited %s behind a busy one", b1.Sub(now))
	}
}

func TestLimiterGroupPerMinute(t *testing.T) {
	l := newLimiter(30, time.Second, 20)
	now := l.base
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
	if last.Sub(now) > 25*time.Second {
		t.Fatalf("21 messages to a private chat took until %s", last.Sub(now))
	}
}

func TestLimiterPenalize(t *testing.T) {
	l := newLimiter(30, time.Second, 20)
	l.penalize("7", 5*time.Second)
	if at := l.reserve("7", time.Now()); time.Until(at) < 4*time.Second {
		t.Fatalf("reserved %s from now after a 5 s retry_after", time.Until(at))
	}
}
