package delivery

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"newsdigest/digest"
)

// fakeClock is an injectable clock.
type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *fakeClock) Set(t time.Time) {
	c.mu.Lock()
	c.t = t
	c.mu.Unlock()
}

func (c *fakeClock) Add(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

// sent is one message as the fake platform got it.
type sent struct {
	Chat    string
	Key     string
	Payload string
}

// payload is what the fake messenger renders: the headlines of one part.
type payload struct {
	Sub       int64
	Scheduled time.Time
	Part      int
	Late      bool
	Empty     bool
	Headlines []string
}

// fakeMessenger renders PerPart cards per message and records sends. When
// idem is set it drops a repeated key the way Discord's enforce_nonce does.
type fakeMessenger struct {
	platform digest.Platform
	idem     bool
	perPart  int
	// fail, when set, decides the outcome of each call before it is
	// recorded; a nil error lets it through.
	fail func(d digest.Delivery, call int) error
	// delay, when set, is how long a send takes.
	delay time.Duration

	mu       sync.Mutex
	calls    map[string]int
	msgs     []sent
	inFlight map[string]int
	maxChat  int // most sends in flight to one chat at once
	cur, top int // sends in flight, and their peak
}

func newFakeMessenger(p digest.Platform, idem bool) *fakeMessenger {
	return &fakeMessenger{platform: p, idem: idem, perPart: 2, calls: map[string]int{}, inFlight: map[string]int{}}
}

func (m *fakeMessenger) Platform() digest.Platform { return m.platform }
func (m *fakeMessenger) Idempotent() bool          { return m.idem }

func (m *fakeMessenger) RenderDigest(v digest.DigestView) ([][]byte, error) {
	var out [][]byte
	if len(v.Cards) == 0 {
		b, _ := json.Marshal(payload{Sub: v.Sub.ID, Scheduled: v.Scheduled, Late: v.Late, Empty: true})
		return [][]byte{b}, nil
	}
	for i := 0; i < len(v.Cards); i += m.perPart {
		p := payload{Sub: v.Sub.ID, Scheduled: v.Scheduled, Part: len(out), Late: v.Late}
		for _, c := range v.Cards[i:min(i+m.perPart, len(v.Cards))] {
			p.Headlines = append(p.Headlines, c.Headline)
		}
		b, _ := json.Marshal(p)
		out = append(out, b)
	}
	return out, nil
}

func (m *fakeMessenger) Send(ctx context.Context, d digest.Delivery) (string, error) {
	m.mu.Lock()
	m.calls[d.Key]++
	call := m.calls[d.Key]
	m.inFlight[d.ChatID]++
	m.maxChat = max(m.maxChat, m.inFlight[d.ChatID])
	m.cur++
	m.top = max(m.top, m.cur)
	m.mu.Unlock()
	defer func() {
		m.mu.Lock()
		m.inFlight[d.ChatID]--
		m.cur--
		m.mu.Unlock()
	}()
	if m.delay > 0 {
		select {
		case <-ctx.Done():
			return "", ctx.Err()
		case <-time.After(m.delay):
		}
	}
	if err := ctx.Err(); err != nil {
		return "", err
	}
	if m.fail != nil {
		if err := m.fail(d, call); err != nil {
			return "", err
		}
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.idem {
		for _, s := range m.msgs {
			if s.Key == d.Key {
				return "msg-" + d.Key, nil
			}
		}
	}
	m.msgs = append(m.msgs, sent{Chat: d.ChatID, Key: d.Key, Payload: string(d.Payload)})
	return "msg-" + d.Key, nil
}

func (m *fakeMessenger) sent() []sent {
	m.mu.Lock()
	defer m.mu.Unlock()
	return append([]sent(nil), m.msgs...)
}

func (m *fakeMessenger) count() int {
	m.mu.Lock()
	defer m.mu.Unlock()
	return len(m.msgs)
}

// quiet discards logs, unless DELIVERY_TEST_LOG is set (to debug a test).
func quiet() *slog.Logger {
	if os.Getenv("DELIVERY_TEST_LOG") != "" {
		return slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelDebug}))
	}
	return slog.New(slog.NewTextHandler(io.Discard, nil))
}

func testOptions(c *fakeClock) Options {
	return Options{
		Clock:        c.Now,
		Log:          quiet(),
		BackoffBase:  time.Millisecond,
		BackoffMax:   5 * time.Millisecond,
		PollInterval: 2 * time.Millisecond,
		Lease:        time.Minute,
		SendTimeout:  10 * time.Second,
	}
}

func mustTime(s string) time.Time {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		panic(err)
	}
	return t
}

// story builds a story with n sources, first seen at seen.
func story(id int64, headline string, seen time.Time, sources int) digest.Story {
	st := digest.Story{ID: id, FirstSeen: seen, LastSeen: seen}
	for i := 0; i < sources; i++ {
		a := digest.StoredArticle{ID: id*100 + int64(i), Source: fmt.Sprintf("src%d", i), Headline: headline,
			URL: fmt.Sprintf("https://example.com/%d/%d", id, i), FirstSeen: seen.Add(time.Duration(i) * time.Minute), StoryID: id,
			Summary: []string{"Line about " + headline + "."}}
		st.Articles = append(st.Articles, a)
	}
	st.Lead = st.Articles[0]
	return st
}

// subscribe adds an active subscription with NextRun set from now.
func subscribe(t *testing.T, s *memStore, p digest.Platform, chat, hhmm, zone string, now time.Time, mod func(*digest.Subscription)) digest.Subscription {
	t.Helper()
	sub := digest.Subscription{Platform: p, ChatID: chat, Time: hhmm, TimeZone: zone, MaxStories: 10, Active: true}
	if mod != nil {
		mod(&sub)
	}
	sub, err := s.SaveSubscription(context.Background(), sub)
	if err != nil {
		t.Fatal(err)
	}
	return sub
}

// waitFor polls cond until it holds or 30 seconds pass.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(2 * time.Millisecond)
	}
}

// settled reports whether every planned part is final.
func settled(s *memStore) bool {
	for _, d := range s.all() {
		if !terminal(d.State) {
			return false
		}
	}
	return true
}

// start runs the engine until the test ends; the returned func stops it
// and waits for Run to return.
func start(t *testing.T, e *Engine) func() {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- e.Run(ctx) }()
	stopped := false
	stop := func() {
		if stopped {
			return
		}
		stopped = true
		cancel()
		if err := <-done; err != nil {
			t.Errorf("Run: %v", err)
		}
	}
	t.Cleanup(stop)
	return stop
}

func decode(t *testing.T, s string) payload {
	t.Helper()
	var p payload
	if err := json.Unmarshal([]byte(s), &p); err != nil {
		t.Fatalf("payload %q: %v", s, err)
	}
	return p
}

func headlines(t *testing.T, msgs []sent) []string {
	var out []string
	for _, m := range msgs {
		out = append(out, decode(t, m.Payload).Headlines...)
	}
	return out
}

func join(s []string) string { return strings.Join(s, ",") }
