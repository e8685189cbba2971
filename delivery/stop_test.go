package delivery

import (
	"context"
	"fmt"
	"testing"
	"time"

	"newsdigest/digest"
)

// TestStopFinishesInFlightOnly: Stop lets the send in flight finish and be
// recorded, starts no further part, and a restart sends the rest once.
func TestStopFinishesInFlightOnly(t *testing.T) {
	st := newMemStore()
	clock := &fakeClock{t: berlin08.Add(time.Second)}
	sub := subscribe(t, st, digest.Discord, "c1", "08:00", "Europe/Berlin", clock.Now(), func(s *digest.Subscription) {
		s.NextRun = berlin08
		s.Cutoff = berlin08.Add(-24 * time.Hour)
	})
	for i := int64(1); i <= 6; i++ { // 3 parts of 2 stories
		st.stories = append(st.stories, story(i, fmt.Sprintf("S%d", i), berlin08.Add(-time.Duration(i)*time.Minute), 1))
	}
	m := newFakeMessenger(digest.Discord, false)
	m.delay = 300 * time.Millisecond
	opt := testOptions(clock)
	opt.Owner = "one"
	e := New(st, []digest.Messenger{m}, opt)
	done := make(chan error, 1)
	go func() { done <- e.Run(context.Background()) }()
	waitFor(t, "first part in flight", func() bool {
		for _, d := range st.all() {
			if d.State == digest.Sending {
				return true
			}
		}
		return false
	})
	e.Stop()
	select {
	case err := <-done:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("Run did not return after Stop")
	}
	var sentParts, planned int
	for _, d := range st.all() {
		switch d.State {
		case digest.Sent:
			sentParts++
		case digest.Planned:
			planned++
		}
	}
	if sentParts != 1 || planned != 2 || m.count() != 1 {
		t.Fatalf("after Stop: %d sent, %d planned, %d sends; want the part in flight finished and 2 left", sentParts, planned, m.count())
	}
	// A restart by the same owner resumes at once and sends each part once.
	e2 := New(st, []digest.Messenger{m}, opt)
	stop := start(t, e2)
	waitFor(t, "rest sent", func() bool { return m.count() == 3 && settled(st) })
	stop()
	if got := keysOf(m.sent()); fmt.Sprint(got) != "[0 1 2]" {
		t.Errorf("parts sent %v, want [0 1 2] once each, in order", got)
	}
	_ = sub
}
