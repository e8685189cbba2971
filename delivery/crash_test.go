package delivery

import (
	"context"
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"newsdigest/digest"
	"newsdigest/store/sqlite"
)

// lossyMessenger wraps fakeMessenger for crash tests: at its killAt-th
// call the process "dies" (kill cancels the engine's context), either before
// the platform took the message or after, with the answer lost, as with a
// real kill between the platform call and the record. Sends in flight on
// other goroutines at that moment lose their answers too.
type lossyMessenger struct {
	*fakeMessenger
	mu     sync.Mutex
	calls  int
	killAt int  // 0: never
	after  bool // die after the platform took the message
	kill   func()
	lost   map[string]int // keys delivered whose answer was lost, and how often
}

func (m *lossyMessenger) Send(ctx context.Context, d digest.Delivery) (string, error) {
	m.mu.Lock()
	m.calls++
	die := m.calls == m.killAt
	m.mu.Unlock()
	if die && !m.after {
		m.kill()
		return "", ctx.Err()
	}
	id, err := m.fakeMessenger.Send(context.WithoutCancel(ctx), d)
	if err != nil {
		return "", err
	}
	if die {
		m.kill()
	}
	if ctx.Err() != nil {
		m.mu.Lock()
		m.lost[d.Key]++
		m.mu.Unlock()
		return "", ctx.Err() // delivered, answer lost
	}
	return id, nil
}

// checkDelivered asserts what each chat got: every part in order, exactly
// once when the platform is idempotent, else with extra copies only right
// after the original, and only as many as the crashes that part was in
// flight at (lost counts, per key, the sends whose answer a crash lost).
func checkDelivered(t *testing.T, msgs []sent, chats []string, parts int, idem bool, lost map[string]int) {
	t.Helper()
	per := map[string][]int{}
	for _, s := range msgs {
		n, err := strconv.Atoi(s.Key[strings.LastIndex(s.Key, ":")+1:])
		if err != nil {
			t.Fatalf("key %s", s.Key)
		}
		per[s.Chat] = append(per[s.Chat], n)
	}
	dups := 0
	copies := map[string]int{}
	for _, s := range msgs {
		copies[s.Key]++
	}
	for k, n := range copies {
		if n > 1 && n-1 > lost[k] {
			t.Errorf("part %s arrived %d times but was in flight at only %d crashes", k, n, lost[k])
		}
	}
	for _, chat := range chats {
		got := per[chat]
		var seq []int
		for i, p := range got {
			if i > 0 && got[i-1] == p {
				dups++
				continue
			}
			seq = append(seq, p)
		}
		want := make([]int, parts)
		for i := range want {
			want[i] = i
		}
		if fmt.Sprint(seq) != fmt.Sprint(want) {
			t.Errorf("chat %s got parts %v, want %v in order", chat, got, want)
		}
	}
	if idem && dups > 0 {
		t.Errorf("%d duplicates on an idempotent platform", dups)
	}
	events := 0
	for _, n := range lost {
		events += n
	}
	t.Logf("%d duplicates; %d sends were in flight at a crash", dups, events)
}

// seedSQLite creates the database at path with one 08:00 Berlin
// subscription per chat, due at berlin08, and n stories first seen before it
// (with a summary of three lines of lineLen characters; 0 for short ones).
func seedSQLite(t *testing.T, path string, p digest.Platform, chats []string, n, lineLen int) {
	t.Helper()
	ctx := context.Background()
	st, err := sqlite.Open(ctx, path, sqlite.WithLogger(quiet()))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	for _, chat := range chats {
		_, err := st.SaveSubscription(ctx, digest.Subscription{Platform: p, ChatID: chat, Time: "08:00", TimeZone: "Europe/Berlin",
			MaxStories: n, Active: true, NextRun: berlin08, Cutoff: berlin08.Add(-24 * time.Hour)})
		if err != nil {
			t.Fatal(err)
		}
	}
	for i := 1; i <= n; i++ {
		summary := []string{"Line."}
		if lineLen > 0 {
			line := strings.Repeat(fmt.Sprintf("Story %d says more. ", i), lineLen/20+1)[:lineLen]
			summary = []string{line, line, line}
		}
		_, err := st.AddArticle(ctx, digest.StoredArticle{URL: fmt.Sprintf("https://example.com/%d", i), Headline: fmt.Sprintf("S%d", i),
			Summary: summary, FirstSeen: berlin08.Add(-time.Duration(i) * time.Minute), ContentHash: fmt.Sprint("h", i)})
		if err != nil {
			t.Fatal(err)
		}
	}
}

// outbox reads every part of every subscription from the database.
func outbox(t testing.TB, st digest.Store) []digest.Delivery {
	t.Helper()
	ctx := context.Background()
	subs, err := st.Subscriptions(ctx, "")
	if err != nil {
		t.Fatal(err)
	}
	var out []digest.Delivery
	for _, sub := range subs {
		ds, err := st.Deliveries(ctx, sub.ID, time.Time{}, berlin08.Add(48*time.Hour))
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, ds...)
	}
	return out
}

func allFinal(ds []digest.Delivery) bool {
	for _, d := range ds {
		if !terminal(d.State) {
			return false
		}
	}
	return len(ds) > 0
}

// TestCrashRestartCancel stops the engine at random points of multi-part
// digests to several chats and restarts it on the same SQLite file until
// everything is final.
func TestCrashRestartCancel(t *testing.T) {
	for _, idem := range []bool{true, false} {
		for seed := uint64(1); seed <= 3; seed++ {
			t.Run(fmt.Sprintf("idempotent=%v/seed=%d", idem, seed), func(t *testing.T) {
				path := filepath.Join(t.TempDir(), "bot.db")
				clock := &fakeClock{t: berlin08.Add(time.Second)}
				chats := []string{"100", "101", "102", "103"}
				seedSQLite(t, path, digest.Telegram, chats, 10, 0)
				rnd := rand.New(rand.NewPCG(seed, 42))
				fm := newFakeMessenger(digest.Telegram, idem)
				m := &lossyMessenger{fakeMessenger: fm, lost: map[string]int{}}
				var final []digest.Delivery
				// Six runs die at random points (the first maybe while
				// planning), the seventh finishes.
				for run := 0; run < 7; run++ {
					st, err := sqlite.Open(context.Background(), path, sqlite.WithLogger(quiet()))
					if err != nil {
						t.Fatal(err)
					}
					o := testOptions(clock)
					o.Concurrency = 2
					// A restart under the same instance ID takes its parts back
					// at once; run 3 is another instance, which waits out the
					// dead one's lease.
					o.Owner = "instance-a"
					if run == 3 {
						o.Owner = "instance-b"
					}
					o.Lease = 150 * time.Millisecond
					o.SendTimeout = 50 * time.Millisecond
					e := New(st, []digest.Messenger{m}, o)
					ctx, cancel := context.WithCancel(context.Background())
					m.mu.Lock()
					m.kill, m.killAt, m.after = cancel, 0, rnd.IntN(2) == 0
					if run > 0 && run < 6 {
						m.killAt = m.calls + 1 + rnd.IntN(4)
					}
					m.mu.Unlock()
					done := make(chan error, 1)
					go func() { done <- e.Run(ctx) }()
					if run == 0 {
						time.Sleep(time.Duration(rnd.IntN(3000)) * time.Microsecond)
						cancel()
					} else {
						// Until killed, or until there is nothing left to kill.
						waitFor(t, "a kill or every part final", func() bool { return ctx.Err() != nil || allFinal(outbox(t, st)) })
						cancel()
					}
					if err := <-done; err != nil {
						t.Fatal(err)
					}
					cancel()
					final = outbox(t, st)
					st.Close()
				}
				if len(final) != 4*5 {
					t.Fatalf("%d parts planned, want 20", len(final))
				}
				for _, d := range final {
					if d.State != digest.Sent {
						t.Errorf("part %s is %s: %s", d.Key, d.State, d.Error)
					}
				}
				checkDelivered(t, fm.sent(), chats, 5, idem, m.lost)
			})
		}
	}
}

// TestTwoInstancesShareOutbox runs two engines with their own store
// handles on one SQLite file: each part goes out exactly once, in order,
// one at a time per chat, whichever instance plans or sends it.
func TestTwoInstancesShareOutbox(t *testing.T) {
	path := filepath.Join(t.TempDir(), "bot.db")
	var chats []string
	for i := 0; i < 12; i++ {
		chats = append(chats, fmt.Sprint(700+i))
	}
	seedSQLite(t, path, digest.Telegram, chats, 6, 0) // 3 parts per chat
	clock := &fakeClock{t: berlin08.Add(time.Second)}
	m := newFakeMessenger(digest.Telegram, false)
	m.delay = time.Millisecond
	var stores []*sqlite.Store
	for i, owner := range []string{"instance-a", "instance-b"} {
		st, err := sqlite.Open(context.Background(), path, sqlite.WithLogger(quiet()))
		if err != nil {
			t.Fatal(err)
		}
		defer st.Close()
		stores = append(stores, st)
		o := testOptions(clock)
		o.Owner = owner
		o.Concurrency = 3 + i
		start(t, New(st, []digest.Messenger{m}, o))
	}
	waitFor(t, "every part final", func() bool { return allFinal(outbox(t, stores[0])) && len(outbox(t, stores[0])) == 36 })
	owners := map[string]int{}
	for _, d := range outbox(t, stores[1]) {
		if d.State != digest.Sent || d.Attempts != 1 {
			t.Errorf("part %s: %s after %d attempts", d.Key, d.State, d.Attempts)
		}
		owners[d.Owner]++
	}
	t.Logf("parts sent per instance: %v", owners)
	checkDelivered(t, m.sent(), chats, 3, true, nil)
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.maxChat != 1 {
		t.Errorf("%d sends in flight to one chat at once", m.maxChat)
	}
}
