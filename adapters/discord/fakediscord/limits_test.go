package fakediscord

import (
	"testing"
	"time"
)

// The global limit is a strict sliding second: a token bucket with a burst
// of n would let requests through half a second after a full burst, this
// does not; and 51 evenly spaced requests within a second are refused.
func TestWindowIsStrict(t *testing.T) {
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	w := window{n: 50, d: time.Second}
	for i := range 50 {
		if ok, _ := w.admit(t0.Add(time.Duration(i) * time.Millisecond)); !ok {
			t.Fatalf("request %d of a burst of 50 refused", i)
		}
	}
	if ok, wait := w.admit(t0.Add(500 * time.Millisecond)); ok || wait != 500*time.Millisecond {
		t.Errorf("half a second after a full burst: admitted %v, wait %s; want refused for 500ms", ok, wait)
	}
	if ok, _ := w.admit(t0.Add(time.Second)); !ok {
		t.Error("a second after the first: refused")
	}

	even := window{n: 50, d: time.Second}
	step := 19900 * time.Microsecond // 51 requests in 995 ms
	refused := 0
	for i := range 51 {
		if ok, _ := even.admit(t0.Add(time.Duration(i) * step)); !ok {
			refused++
		}
	}
	if refused != 1 {
		t.Errorf("51 requests spread over 995 ms: %d refused, want 1", refused)
	}
}

func TestRouteBucketKeys(t *testing.T) {
	s := &Server{routeLimits: []RouteLimit{{Pattern: "POST /channels/*/messages", N: 5, Window: 5 * time.Second},
		{Pattern: "PUT /applications/*/commands", N: 2, Window: time.Second}}}
	_, a, ok1 := s.routeBucket("POST", []string{"channels", "1", "messages"})
	_, b, ok2 := s.routeBucket("POST", []string{"channels", "2", "messages"})
	l, c, ok3 := s.routeBucket("PUT", []string{"applications", "9", "commands"})
	if !ok1 || !ok2 || !ok3 || a == b || l.N != 2 || c == a {
		t.Errorf("buckets %q %q %q (%v %v %v), limit %+v", a, b, c, ok1, ok2, ok3, l)
	}
	if _, _, ok := s.routeBucket("GET", []string{"users", "@me"}); ok {
		t.Error("a route without a limit has a bucket")
	}
}
