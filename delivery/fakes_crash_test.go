package delivery

import (
	"context"
	"encoding/json"
	"math/rand/v2"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"newsdigest/adapters/discord"
	"newsdigest/adapters/discord/fakediscord"
	"newsdigest/adapters/telegram"
	"newsdigest/adapters/telegram/faketelegram"
	"newsdigest/digest"
	"newsdigest/store/sqlite"
)

// platformUnderTest is a real adapter against its fake, for the crash test.
type platformUnderTest struct {
	// messenger makes a new adapter, as a restarted process would.
	messenger func() digest.Messenger
	idem      bool
	// received returns, per chat, the keys of the messages the fake
	// accepted, in order; parts maps what the fake recorded back to keys.
	received   func(chats []string, parts []digest.Delivery) map[string][]string
	violations func() []string
}

// fastDiscord is a fake Discord whose limits no test run reaches, and a
// maker of real adapters against it (a restarted process makes a new one).
func fastDiscord(t *testing.T) (*fakediscord.Server, func() digest.Messenger) {
	srv := fakediscord.New(t, fakediscord.WithRate(1000), fakediscord.WithChannelRate(0, time.Second))
	return srv, func() digest.Messenger {
		bot, err := discord.New(discord.Config{Token: fakediscord.Token, APIURL: srv.APIURL(), RequestsPerSecond: 1000,
			ChannelMessages: 1000, ChannelWindow: time.Millisecond}, noCommands{}, quiet())
		if err != nil {
			t.Fatal(err)
		}
		return bot
	}
}

// fastTelegram is fastDiscord for Telegram.
func fastTelegram(t *testing.T) (*faketelegram.Server, func() digest.Messenger) {
	srv := faketelegram.New(faketelegram.Options{GlobalPerSecond: 1000, PerChatInterval: -1, GroupPerMinute: -1})
	t.Cleanup(srv.Close)
	return srv, func() digest.Messenger {
		bot, err := telegram.New(telegram.Config{Token: srv.Token(), APIURL: srv.URL(), MessagesPerSecond: 1000,
			PerChatInterval: time.Millisecond, GroupPerMinute: 100000}, noCommands{}, quiet())
		if err != nil {
			t.Fatal(err)
		}
		return bot
	}
}

func discordUnderTest(t *testing.T) platformUnderTest {
	srv, messenger := fastDiscord(t)
	return platformUnderTest{
		messenger: messenger,
		idem:      true, // the nonce with enforce_nonce
		received: func(chats []string, parts []digest.Delivery) map[string][]string {
			byNonce := map[string]string{}
			for _, d := range parts {
				byNonce[discord.Nonce(d.Key)] = d.Key
			}
			out := map[string][]string{}
			for _, c := range chats {
				for _, m := range srv.Messages(c) {
					out[c] = append(out[c], byNonce[m.Nonce])
				}
			}
			return out
		},
		violations: srv.Violations,
	}
}

// afterKill drops what the fakes rightly flag when a client dies in the
// middle of writing a request: a truncated body.
func afterKill(v []string) []string {
	var out []string
	for _, x := range v {
		if !strings.Contains(x, "unexpected EOF") {
			out = append(out, x)
		}
	}
	return out
}

func telegramUnderTest(t *testing.T) platformUnderTest {
	srv, messenger := fastTelegram(t)
	return platformUnderTest{
		messenger: messenger,
		received: func(chats []string, parts []digest.Delivery) map[string][]string {
			byText := map[string]string{}
			for _, d := range parts {
				var m struct{ Text string }
				if err := json.Unmarshal(d.Payload, &m); err != nil {
					t.Fatalf("payload of %s: %v", d.Key, err)
				}
				byText[d.ChatID+"\x00"+m.Text] = d.Key
			}
			out := map[string][]string{}
			for _, c := range chats {
				for _, m := range srv.Messages(c) {
					out[c] = append(out[c], byText[c+"\x00"+m.Text])
				}
			}
			return out
		},
		violations: func() []string { return afterKill(srv.Violations()) },
	}
}

// TestCrashAgainstFakes runs the engine with the real adapters against the
// fake Discord and the fake Telegram, stops it at random points of
// multi-part digests, restarts it on the same SQLite file, and checks at
// the fakes: Discord got every part exactly once, Telegram every part in
// order with extra copies only of parts in flight at a stop.
func TestCrashAgainstFakes(t *testing.T) {
	for _, tc := range []struct {
		name     string
		platform digest.Platform
		make     func(*testing.T) platformUnderTest
	}{
		{"discord", digest.Discord, discordUnderTest},
		{"telegram", digest.Telegram, telegramUnderTest},
	} {
		t.Run(tc.name, func(t *testing.T) {
			pt := tc.make(t)
			path := filepath.Join(t.TempDir(), "bot.db")
			chats := []string{"1001", "1002", "1003"}
			if tc.platform == digest.Discord {
				chats = []string{"300000000000000001", "300000000000000002", "300000000000000003"}
			}
			seedSQLite(t, path, tc.platform, chats, 24, 300)
			clock := &fakeClock{t: berlin08.Add(time.Second)}
			rnd := rand.New(rand.NewPCG(7, uint64(len(tc.name))))
			inFlight := map[string]int{} // key -> stops it was in flight at
			attempts := map[string]int{}
			var final []digest.Delivery
			for run := 0; run < 8; run++ {
				st, err := sqlite.Open(context.Background(), path, sqlite.WithLogger(quiet()))
				if err != nil {
					t.Fatal(err)
				}
				o := testOptions(clock)
				o.Concurrency = 3
				// Restarts keep their instance ID, so they take their parts
				// back at once. No send timeouts: a timed-out send is another
				// ambiguous attempt, not a crash (see the package doc).
				o.Owner = "instance-a"
				o.Lease = time.Minute
				o.SendTimeout = 20 * time.Second
				e := New(st, []digest.Messenger{pt.messenger()}, o)
				ctx, cancel := context.WithCancel(context.Background())
				done := make(chan error, 1)
				go func() { done <- e.Run(ctx) }()
				if run < 7 {
					time.Sleep(time.Duration(rnd.IntN(40000)) * time.Microsecond)
				} else {
					waitFor(t, "every part final", func() bool { return allFinal(outbox(t, st)) })
				}
				cancel()
				if err := <-done; err != nil {
					t.Fatal(err)
				}
				final = outbox(t, st)
				for _, d := range final {
					// In flight at this stop: left Sending by an attempt of this run.
					if d.State == digest.Sending && d.Attempts != attempts[d.Key] {
						inFlight[d.Key]++
					}
					attempts[d.Key] = d.Attempts
				}
				st.Close()
			}
			perChat := map[string]int{}
			for _, d := range final {
				if d.State != digest.Sent {
					t.Errorf("part %s is %s: %s", d.Key, d.State, d.Error)
				}
				perChat[d.ChatID]++
			}
			if perChat[chats[0]] < 2 {
				t.Fatalf("digests of %d parts: the test needs several", perChat[chats[0]])
			}
			got := pt.received(chats, final)
			var msgs []sent
			for _, c := range chats {
				for _, k := range got[c] {
					if k == "" {
						t.Fatalf("chat %s got a message that is no part of its digest", c)
					}
					msgs = append(msgs, sent{Chat: c, Key: k})
				}
			}
			checkDelivered(t, msgs, chats, perChat[chats[0]], pt.idem, inFlight)
			if v := pt.violations(); len(v) > 0 {
				t.Errorf("the fake saw violations: %q", v)
			}
			t.Logf("%d parts per chat; in flight at stops: %v", perChat[chats[0]], inFlight)
		})
	}
}

// TestDeletedChannelAtFakeDiscord: a channel deleted on Discord disables
// its subscription through the real adapter's ErrChatGone; the other
// channel still gets its digest.
func TestDeletedChannelAtFakeDiscord(t *testing.T) {
	srv := fakediscord.New(t)
	bot, err := discord.New(discord.Config{Token: fakediscord.Token, APIURL: srv.APIURL()}, noCommands{}, quiet())
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "bot.db")
	chats := []string{"400000000000000001", "400000000000000002"}
	seedSQLite(t, path, digest.Discord, chats, 3, 0)
	srv.DeleteChannel(chats[0])
	st, err := sqlite.Open(context.Background(), path, sqlite.WithLogger(quiet()))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	start(t, New(st, []digest.Messenger{bot}, testOptions(&fakeClock{t: berlin08.Add(time.Second)})))
	waitFor(t, "every part final", func() bool { return allFinal(outbox(t, st)) && len(outbox(t, st)) == 2 })
	// The part is final a moment before the subscription is disabled.
	waitFor(t, "the deleted channel's subscription disabled with its reason", func() bool {
		gone, err := st.Subscription(context.Background(), digest.Discord, chats[0], "")
		return err == nil && !gone.Active && gone.Failure != ""
	})
	ok, err := st.Subscription(context.Background(), digest.Discord, chats[1], "")
	if err != nil {
		t.Fatal(err)
	}
	if !ok.Active || len(srv.Messages(chats[1])) != 1 || len(srv.Messages(chats[0])) != 0 {
		t.Errorf("other channel: active=%v, %d messages; deleted one %d", ok.Active, len(srv.Messages(chats[1])), len(srv.Messages(chats[0])))
	}
}
