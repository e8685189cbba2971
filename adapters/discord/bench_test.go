package discord

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"newsdigest/adapters/discord/fakediscord"
	"newsdigest/digest"
)

// fanOut sends one message to each of n channels from many goroutines and
// returns the elapsed time and the errors.
func fanOut(tb testing.TB, b *Bot, n, workers int) (time.Duration, []error) {
	tb.Helper()
	msgs, err := b.RenderDigest(view(1))
	if err != nil {
		tb.Fatal(err)
	}
	jobs := make(chan int)
	var mu sync.Mutex
	var errs []error
	var wg sync.WaitGroup
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	start := time.Now()
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range jobs {
				d := digest.Delivery{Key: fmt.Sprintf("%d:2025-02-19T07:00:00Z:0", i), ChatID: fmt.Sprint(100000 + i), Payload: msgs[0]}
				if _, err := b.Send(ctx, d); err != nil {
					mu.Lock()
					errs = append(errs, err)
					mu.Unlock()
				}
			}
		}()
	}
	for i := 0; i < n; i++ {
		jobs <- i
	}
	close(jobs)
	wg.Wait()
	return time.Since(start), errs
}

// Many goroutines sending at once stay within the global budget: no 429,
// nothing lost (a scaled-down BenchmarkSend1000Channels).
func TestSendFanOutWithinBudget(t *testing.T) {
	t.Parallel()
	srv := fakediscord.New(t, fakediscord.WithRate(400))
	b := newBot(t, srv, &recorder{}, func(c *Config) { c.RequestsPerSecond = 400 })
	_, errs := fanOut(t, b, 150, 50)
	if len(errs) > 0 {
		t.Fatalf("%d sends failed, first: %v", len(errs), errs[0])
	}
	if srv.MessageCount() != 150 || srv.RateLimited() != 0 {
		t.Errorf("%d messages, %d 429s; want 150 and 0", srv.MessageCount(), srv.RateLimited())
	}
	noViolations(t, srv)
}

// BenchmarkSend1000Channels sends a one-message digest to 1,000 channels
// through Send from 200 goroutines against the fake at Discord's 50
// requests/s: the floor is 20 s. Run with
//
//	go test ./adapters/discord -run '^$' -bench Send1000 -benchtime 1x
func BenchmarkSend1000Channels(bm *testing.B) {
	for i := 0; i < bm.N; i++ {
		srv := fakediscord.New(bm)
		b, err := New(Config{Token: fakediscord.Token, APIURL: srv.APIURL()}, &recorder{}, nil)
		if err != nil {
			bm.Fatal(err)
		}
		elapsed, errs := fanOut(bm, b, 1000, 200)
		if len(errs) > 0 {
			bm.Fatalf("%d sends failed, first: %v", len(errs), errs[0])
		}
		if got := srv.MessageCount(); got != 1000 {
			bm.Fatalf("%d messages delivered, want 1000", got)
		}
		bm.ReportMetric(elapsed.Seconds(), "s/1000msgs")
		bm.ReportMetric(elapsed.Seconds()/20, "x_floor")
		bm.ReportMetric(float64(srv.RateLimited()), "429s")
		if v := srv.Violations(); len(v) > 0 {
			bm.Errorf("violations: %v", v[:min(3, len(v))])
		}
		srv.Close()
	}
}
