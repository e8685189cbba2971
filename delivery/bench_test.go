package delivery

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"newsdigest/adapters/discord"
	"newsdigest/adapters/discord/fakediscord"
	"newsdigest/adapters/telegram"
	"newsdigest/adapters/telegram/faketelegram"
	"newsdigest/digest"
	"newsdigest/store/postgres"
	"newsdigest/store/postgres/pgtest"
	"newsdigest/store/sqlite"
)

// noCommands answers no command: the benchmarks only send.
type noCommands struct{}

func (noCommands) Handle(context.Context, digest.CommandRequest) (digest.CommandReply, error) {
	return digest.CommandReply{}, nil
}

// platformFake is what the fan-out benchmark reads from a fake platform.
type platformFake struct {
	messages    func(chat string) []time.Time // when a chat got its messages
	rateLimited func() int                    // 429s the fake answered
	violations  func() []string
	detail      func() string // what the fake says about its 429s, if anything
}

// benchStore returns how the instances of one run open their shared store:
// one SQLite file, or with NEWSDIGEST_BENCH_STORE=postgres one fresh schema
// of the server named by NEWSDIGEST_TEST_POSTGRES.
func benchStore(b *testing.B) func() (digest.Store, error) {
	if os.Getenv("NEWSDIGEST_BENCH_STORE") == "postgres" {
		dsn := pgtest.Schema(b)
		return func() (digest.Store, error) {
			return postgres.Open(context.Background(), dsn, postgres.WithLogger(quiet()))
		}
	}
	path := filepath.Join(b.TempDir(), "bot.db")
	return func() (digest.Store, error) {
		return sqlite.Open(context.Background(), path, sqlite.WithLogger(quiet()))
	}
}

// fanout sends a one-message digest, due at 08:00 UTC, to n chats of one
// platform through one engine per messenger (instances sharing one SQLite
// file, each with its own handle), and reports the time from the engines'
// start to the last message against the floor.
func fanout(b *testing.B, ms []digest.Messenger, fake platformFake, n int, perSecond float64, chatID func(i int) string) {
	ctx := context.Background()
	m := ms[0]
	for range b.N {
		b.StopTimer()
		open := benchStore(b)
		st, err := open()
		if err != nil {
			b.Fatal(err)
		}
		due := mustTime("2025-06-10T08:00:00Z")
		var chats []string
		for i := range n {
			chat := chatID(i)
			chats = append(chats, chat)
			_, err := st.SaveSubscription(ctx, digest.Subscription{Platform: m.Platform(), ChatID: chat, Time: "08:00", TimeZone: "UTC",
				MaxStories: 10, Active: true, NextRun: due, Cutoff: due.Add(-24 * time.Hour)})
			if err != nil {
				b.Fatal(err)
			}
		}
		_, err = st.AddArticle(ctx, digest.StoredArticle{URL: "https://example.com/a", Headline: "Parliament passes the budget",
			Summary: []string{"The vote was close.", "The opposition walked out.", "It takes effect in July."}, Source: "Example",
			FirstSeen: due.Add(-time.Hour)})
		if err != nil {
			b.Fatal(err)
		}
		clock := &fakeClock{t: due}
		var engines []*Engine
		for i, m := range ms {
			est := st
			if i > 0 {
				if est, err = open(); err != nil {
					b.Fatal(err)
				}
				defer est.Close()
			}
			engines = append(engines, New(est, []digest.Messenger{m}, Options{Clock: clock.Now, Log: quiet(), Owner: fmt.Sprint("instance-", i)}))
		}
		runCtx, cancel := context.WithCancel(ctx)
		done := make(chan error, len(engines))
		b.StartTimer()
		begin := time.Now()
		for _, e := range engines {
			go func() { done <- e.Run(runCtx) }()
		}
		deadline := begin.Add(3 * time.Duration(float64(n)/perSecond*float64(time.Second)))
		var allPlanned time.Duration
		for {
			ds, err := st.PendingDeliveries(ctx, m.Platform())
			if err != nil {
				b.Fatal(err)
			}
			if allPlanned == 0 {
				subs, _ := st.Subscriptions(ctx, "")
				planned := 0
				for _, s := range subs {
					if s.Cutoff.Equal(due) {
						planned++
					}
				}
				if planned == n {
					allPlanned = time.Since(begin)
				}
			}
			if allPlanned > 0 && len(ds) == 0 {
				break
			}
			if time.Now().After(deadline) {
				b.Fatalf("not done after %s: %d parts pending", time.Since(begin), len(ds))
			}
			time.Sleep(20 * time.Millisecond)
		}
		elapsed := time.Since(begin)
		b.StopTimer()
		cancel()
		for range engines {
			<-done
		}
		lost, dup := 0, 0
		var first, last time.Time
		perSec := map[int]int{}
		for _, c := range chats {
			at := fake.messages(c)
			for _, t := range at {
				perSec[int(t.Sub(begin)/time.Second)]++
				if first.IsZero() || t.Before(first) {
					first = t
				}
				if t.After(last) {
					last = t
				}
			}
			switch k := len(at); {
			case k == 0:
				lost++
			case k > 1:
				dup += k - 1
			}
		}
		if v := fake.violations(); len(v) > 0 {
			b.Errorf("the fake saw %d violations, first: %s", len(v), v[0])
		}
		floor := float64(n) / perSecond
		b.Logf("all %d digests planned after %s; first message after %s, last after %s", n, allPlanned.Round(time.Millisecond),
			first.Sub(begin).Round(time.Millisecond), elapsed.Round(time.Millisecond))
		var rates []int
		for i := 0; i <= int(elapsed/time.Second); i++ {
			rates = append(rates, perSec[i])
		}
		b.Logf("messages per second: %v", rates)
		if fake.detail != nil {
			b.Logf("%s", fake.detail())
		}
		b.ReportMetric(elapsed.Seconds(), "s")
		b.ReportMetric(elapsed.Seconds()/floor, "x_floor")
		// The sending alone, from the first message to the last, against
		// its own floor: what the pacing costs, without the planning that
		// comes before and beside it.
		b.ReportMetric(last.Sub(first).Seconds()/(float64(n-1)/perSecond), "x_floor_sending")
		b.ReportMetric(float64(lost), "lost")
		b.ReportMetric(float64(dup), "duplicated")
		b.ReportMetric(float64(fake.rateLimited()), "429s")
		st.Close()
	}
}

// BenchmarkFanoutDiscord: 1,000 channels, one message each, against the fake
// Discord at 50 requests/s (429 beyond): the floor is 20 s.
//
//	go test ./delivery -run '^$' -bench FanoutDiscord -benchtime 1x
func BenchmarkFanoutDiscord(b *testing.B) { fanoutDiscord(b, 1) }

// BenchmarkFanoutDiscordInstances: the same with two and three instances
// sharing the database, each adapter given its share of the bot's 50
// requests/s (25 each; 17, 17 and 16): the budget is the bot's, not the
// process's.
//
//	go test ./delivery -run '^$' -bench FanoutDiscordInstances -benchtime 1x
func BenchmarkFanoutDiscordInstances(b *testing.B) {
	for _, n := range []int{2, 3} {
		b.Run(fmt.Sprint(n), func(b *testing.B) { fanoutDiscord(b, n) })
	}
}

// BenchmarkFanoutDiscordUnpaced: the same with the global limit lifted
// (fake and adapter at 100,000 requests/s), to show what the engine alone
// sends while it plans, beside the paced runs.
//
//	go test ./delivery -run '^$' -bench FanoutDiscordUnpaced -benchtime 1x
func BenchmarkFanoutDiscordUnpaced(b *testing.B) { fanoutDiscordAt(b, 1, 100000) }

func fanoutDiscord(b *testing.B, instances int) { fanoutDiscordAt(b, instances, 50) }

func fanoutDiscordAt(b *testing.B, instances, rate int) {
	srv := fakediscord.New(b, fakediscord.WithRate(rate))
	var ms []digest.Messenger
	for i := range instances {
		// The bot's 50 requests/s split as evenly as whole numbers allow
		// (17, 17, 16 for three), as an operator would configure them.
		share := rate / instances
		if i < rate%instances {
			share++
		}
		bot, err := discord.New(discord.Config{Token: fakediscord.Token, APIURL: srv.APIURL(), RequestsPerSecond: share}, noCommands{}, quiet())
		if err != nil {
			b.Fatal(err)
		}
		ms = append(ms, bot)
	}
	fanout(b, ms, platformFake{
		messages: func(c string) []time.Time {
			var at []time.Time
			for _, m := range srv.Messages(c) {
				at = append(at, m.At)
			}
			return at
		},
		rateLimited: srv.RateLimited,
		violations:  srv.Violations,
		detail: func() string {
			return fmt.Sprintf("429s: %d global, %d per route; most requests admitted in one second: %d", srv.RateLimited()-srv.RouteLimited(), srv.RouteLimited(), srv.GlobalPeak())
		},
	}, 1000, 50, func(i int) string { return fmt.Sprint(200000 + i) })
}

// BenchmarkFanoutTelegram: 1,000 private chats, one message each, against the
// fake Bot API at 30 messages/s (429 beyond): the floor is 33.3 s.
//
//	go test ./delivery -run '^$' -bench FanoutTelegram -benchtime 1x
func BenchmarkFanoutTelegram(b *testing.B) {
	srv := faketelegram.New(faketelegram.Options{})
	defer srv.Close()
	bot, err := telegram.New(telegram.Config{Token: srv.Token(), APIURL: srv.URL()}, noCommands{}, quiet())
	if err != nil {
		b.Fatal(err)
	}
	fanout(b, []digest.Messenger{bot}, platformFake{
		messages: func(c string) []time.Time {
			var at []time.Time
			for _, m := range srv.Messages(c) {
				at = append(at, m.At)
			}
			return at
		},
		rateLimited: srv.RateLimited,
		violations:  srv.Violations,
	}, 1000, 30, func(i int) string { return fmt.Sprint(500000 + i) })
}
