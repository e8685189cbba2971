package telegram

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"newsdigest/adapters/telegram/faketelegram"
	"newsdigest/digest"
)

// BenchmarkSend1000Chats sends a one-message digest to 1,000 chats through
// Send from 100 goroutines against the fake, which enforces 30 messages a
// second and answers 429 beyond it. The floor those limits allow is 33.3 s.
//
//	go test -run XXX -bench Send1000Chats -benchtime 1x ./adapters/telegram/
func BenchmarkSend1000Chats(b *testing.B) {
	const chats, workers = 1000, 100
	floor := time.Duration(chats) * time.Second / 30
	srv := faketelegram.New(faketelegram.Options{})
	defer srv.Close()
	bot, err := New(Config{Token: srv.Token(), APIURL: srv.URL()}, &recorder{}, slog.New(slog.DiscardHandler))
	if err != nil {
		b.Fatal(err)
	}
	d := digestOf(1, "One summary line.")
	payload := must(bot.RenderDigest(d))[0]
	var elapsed time.Duration
	var limited atomic.Int64
	for n := range b.N {
		jobs := make(chan string)
		var wg sync.WaitGroup
		var failed atomic.Int64
		begin := time.Now()
		for range workers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for chat := range jobs {
					for {
						_, err := bot.Send(context.Background(), digest.Delivery{Key: chat, ChatID: chat, Payload: payload})
						var rl *digest.RateLimitedError
						if errors.As(err, &rl) {
							limited.Add(1)
							time.Sleep(rl.RetryAfter) // as delivery would
							continue
						}
						if err != nil {
							failed.Add(1)
						}
						break
					}
				}
			}()
		}
		for i := range chats {
			jobs <- fmt.Sprint(n*chats + i + 1)
		}
		close(jobs)
		wg.Wait()
		elapsed += time.Since(begin)
		if failed.Load() > 0 {
			b.Fatalf("%d sends failed", failed.Load())
		}
	}
	if got := srv.Delivered(); got != chats*b.N {
		b.Fatalf("%d messages delivered, want %d", got, chats*b.N)
	}
	if v := srv.Violations(); len(v) > 0 {
		b.Fatalf("violations: %q", v)
	}
	per := elapsed / time.Duration(b.N)
	b.ReportMetric(per.Seconds(), "s/1000chats")
	b.ReportMetric(per.Seconds()/floor.Seconds(), "x_floor")
	b.ReportMetric(float64(srv.RateLimited())/float64(b.N), "429s/op")
	b.ReportMetric(float64(limited.Load())/float64(b.N), "retries/op")
}
