package delivery

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"newsdigest/adapters/discord"
	"newsdigest/adapters/discord/fakediscord"
	"newsdigest/adapters/telegram"
	"newsdigest/adapters/telegram/faketelegram"
	"newsdigest/digest"
	"newsdigest/store/sqlite"
)

// The restart test runs the bot's delivery side (the engine with the real
// Discord and Telegram adapters, both started as `bot run` starts them) in
// a child process against the fakes served by the parent, at the
// platforms' default budgets. The parent kills the child with SIGKILL in
// the middle of the digest (the store is left as the kill leaves it),
// restarts the bot in-process with a 500 on the first command
// registration, and checks at the fakes.
const envRestartChild = "DELIVERY_RESTART_CHILD"

// restartSetup is what the child is told.
type restartSetup struct {
	DB, DiscordAPI, TelegramAPI, TelegramToken string
}

// pong answers every command.
type pong struct{}

func (pong) Handle(context.Context, digest.CommandRequest) (digest.CommandReply, error) {
	return digest.CommandReply{Text: "pong"}, nil
}

// restartBots makes the adapters as a (re)started process does, with the
// default budgets, and starts them; started gets Discord's Start result.
func restartBots(ctx context.Context, tb testing.TB, s restartSetup, started chan<- error) []digest.Messenger {
	d, err := discord.New(discord.Config{Token: fakediscord.Token, APIURL: s.DiscordAPI}, pong{}, quiet())
	if err != nil {
		tb.Fatal(err)
	}
	tg, err := telegram.New(telegram.Config{Token: s.TelegramToken, APIURL: s.TelegramAPI}, pong{}, quiet())
	if err != nil {
		tb.Fatal(err)
	}
	go func() { started <- d.Start(ctx) }()
	go func() { _ = tg.Start(ctx) }()
	return []digest.Messenger{d, tg}
}

func restartOptions() Options {
	o := testOptions(&fakeClock{t: berlin08.Add(time.Second)})
	o.Owner = "instance-1" // a restart under its configured ID takes its parts back at once
	o.Lease = 2 * time.Minute
	o.SendTimeout = time.Minute // no timeouts: they would be another source of repeats
	o.PollInterval = 20 * time.Millisecond
	return o
}

// TestRestartChild is the child's body; it does nothing in a normal run.
func TestRestartChild(t *testing.T) {
	raw := os.Getenv(envRestartChild)
	if raw == "" {
		t.Skip("only run as the child of the restart test")
	}
	var s restartSetup
	if err := json.Unmarshal([]byte(raw), &s); err != nil {
		t.Fatal(err)
	}
	st, err := sqlite.Open(context.Background(), s.DB, sqlite.WithLogger(quiet()))
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	ms := restartBots(ctx, t, s, make(chan error, 1))
	New(st, ms, restartOptions()).Run(ctx) // until killed
}

// seedRestart subscribes the chats of both platforms to a one-message
// digest due at 08:00 Berlin.
func seedRestart(tb testing.TB, path string, chats map[digest.Platform][]string) {
	ctx := context.Background()
	st, err := sqlite.Open(ctx, path, sqlite.WithLogger(quiet()))
	if err != nil {
		tb.Fatal(err)
	}
	defer st.Close()
	for p, cs := range chats {
		for _, c := range cs {
			if _, err := st.SaveSubscription(ctx, digest.Subscription{Platform: p, ChatID: c, Time: "08:00", TimeZone: "Europe/Berlin",
				MaxStories: 3, Active: true, NextRun: berlin08, Cutoff: berlin08.Add(-24 * time.Hour)}); err != nil {
				tb.Fatal(err)
			}
		}
	}
	for i := 1; i <= 3; i++ {
		if _, err := st.AddArticle(ctx, digest.StoredArticle{URL: fmt.Sprintf("https://example.com/%d", i), Headline: fmt.Sprintf("Story %d", i),
			Summary: []string{"It happened.", "People said things.", "More is expected."}, Source: "Example",
			FirstSeen: berlin08.Add(-time.Duration(i) * time.Hour), ContentHash: fmt.Sprint("h", i)}); err != nil {
			tb.Fatal(err)
		}
	}
}

// restartFigures is what one run measured.
type restartFigures struct {
	registered, answered    time.Duration // after the restart
	sentWhileRegistering    int           // Discord messages between the restart and the registration
	discordBefore, tgBefore int           // messages before the kill
	tgRepeats, tgInFlight   int
	discord429, tg429       int
	total                   time.Duration // from the restart to the last part
}

// restartMidDigest runs the scenario with nd Discord channels and nt
// Telegram chats, killing the child once killAt Discord messages arrived.
func restartMidDigest(tb testing.TB, nd, nt, killAt int) restartFigures {
	var f restartFigures
	dsrv := fakediscord.New(tb) // Discord's limits: 50/s strict, 5 per 5 s per channel
	tsrv := faketelegram.New(faketelegram.Options{})
	tb.Cleanup(tsrv.Close)
	chats := map[digest.Platform][]string{}
	for i := range nd {
		chats[digest.Discord] = append(chats[digest.Discord], fmt.Sprint(310000000000000000+i))
	}
	for i := range nt {
		chats[digest.Telegram] = append(chats[digest.Telegram], fmt.Sprint(700000+i))
	}
	path := filepath.Join(tb.TempDir(), "bot.db")
	seedRestart(tb, path, chats)
	setup := restartSetup{DB: path, DiscordAPI: dsrv.APIURL(), TelegramAPI: tsrv.URL(), TelegramToken: tsrv.Token()}
	raw, _ := json.Marshal(setup)

	cmd := exec.Command(os.Args[0], "-test.run=^TestRestartChild$", "-test.count=1")
	cmd.Env = append(os.Environ(), envRestartChild+"="+string(raw))
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		tb.Fatal(err)
	}
	deadline := time.Now().Add(2 * time.Minute)
	for dsrv.MessageCount() < killAt {
		if time.Now().After(deadline) {
			_ = cmd.Process.Kill()
			tb.Fatalf("the child never reached %d Discord messages; its output:\n%s", killAt, out.String())
		}
		time.Sleep(2 * time.Millisecond)
	}
	if err := cmd.Process.Kill(); err != nil { // SIGKILL: no cleanup at all
		tb.Fatal(err)
	}
	_ = cmd.Wait()
	if ps := cmd.ProcessState; ps == nil || ps.Success() {
		tb.Fatalf("child not killed\n%s", out.String())
	}
	f.discordBefore, f.tgBefore = dsrv.MessageCount(), tsrv.Delivered()

	// Restart on the store as the kill left it.
	st, err := sqlite.Open(context.Background(), path, sqlite.WithLogger(quiet()))
	if err != nil {
		tb.Fatal(err)
	}
	defer st.Close()
	inFlight := map[string]int{}
	for _, d := range outbox(tb, st) {
		if d.State == digest.Sending {
			inFlight[d.Key] = 1
			if d.Platform == digest.Telegram {
				f.tgInFlight++
			}
		}
	}
	dsrv.Fail("PUT /applications/*/commands", 1, fakediscord.ServerError(500))
	restart := time.Now()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	started := make(chan error, 1)
	ms := restartBots(ctx, tb, setup, started)
	e := New(st, ms, restartOptions())
	done := make(chan error, 1)
	go func() { done <- e.Run(ctx) }()

	select {
	case err := <-started:
		if err != nil {
			tb.Fatalf("Discord did not start after the restart: %v", err)
		}
	case <-time.After(30 * time.Second):
		tb.Fatal("Discord not started 30 s after the restart")
	}
	f.registered = time.Since(restart)
	f.sentWhileRegistering = dsrv.MessageCount() - f.discordBefore
	if n := dsrv.Requests("PUT /applications/{id}/commands"); n < 3 { // the child's, the 500, the retry
		tb.Errorf("%d registration requests; want the child's, the failed one and its retry", n)
	}
	in, err := dsrv.SendInteraction(fakediscord.CommandInteraction{Name: "trending", GuildID: "555", ChannelID: "42", UserID: "7",
		Permissions: fakediscord.PermSendMessages})
	if err != nil {
		tb.Fatal(err)
	}
	actx, acancel := context.WithTimeout(ctx, 10*time.Second)
	got, err := dsrv.WaitInteraction(actx, in.ID, func(i fakediscord.Interaction) bool { return i.Callback != nil })
	acancel()
	if err != nil || got.Callback.Content != "pong" {
		tb.Fatalf("the command after the restart: %v, %+v", err, got.Callback)
	}
	f.answered = time.Since(restart)

	wctx, wcancel := context.WithTimeout(ctx, 3*time.Minute)
	defer wcancel()
	for !allFinal(outbox(tb, st)) {
		if wctx.Err() != nil {
			tb.Fatal("not every part final 3 minutes after the restart")
		}
		time.Sleep(50 * time.Millisecond)
	}
	f.total = time.Since(restart)
	cancel()
	if err := <-done; err != nil {
		tb.Fatal(err)
	}
	for _, m := range ms {
		if c, ok := m.(interface{ Close() error }); ok {
			_ = c.Close()
		}
	}

	final := outbox(tb, st)
	for _, d := range final {
		if d.State != digest.Sent {
			tb.Errorf("part %s is %s: %s", d.Key, d.State, d.Error)
		}
	}
	// Discord: every part exactly once (nonces).
	for _, c := range chats[digest.Discord] {
		if n := len(dsrv.Messages(c)); n != 1 {
			tb.Errorf("Discord channel %s got %d messages, want 1", c, n)
		}
	}
	// Telegram: every part, repeated only if it was in flight at the kill.
	byChat := map[string]string{}
	for _, d := range final {
		if d.Platform == digest.Telegram {
			byChat[d.ChatID] = d.Key
		}
	}
	for _, c := range chats[digest.Telegram] {
		n := len(tsrv.Messages(c))
		switch {
		case n == 0:
			tb.Errorf("Telegram chat %s got nothing", c)
		case n > 1 && (n > 2 || inFlight[byChat[c]] == 0):
			tb.Errorf("Telegram chat %s got %d copies; its part was in flight at the kill: %v", c, n, inFlight[byChat[c]] == 1)
		case n == 2:
			f.tgRepeats++
		}
	}
	if v := afterKill(dsrv.Violations()); len(v) > 0 {
		tb.Errorf("fake Discord saw violations: %q", v)
	}
	if v := afterKill(tsrv.Violations()); len(v) > 0 {
		tb.Errorf("fake Telegram saw violations: %q", v)
	}
	f.discord429, f.tg429 = dsrv.RateLimited(), tsrv.RateLimited()
	return f
}

func logRestart(tb testing.TB, nd, nt int, f restartFigures) {
	tb.Logf("%d Discord channels, %d Telegram chats; killed after %d Discord and %d Telegram messages", nd, nt, f.discordBefore, f.tgBefore)
	tb.Logf("after the restart: commands registered (through a 500) in %s, a command answered in %s; %d Discord messages sent meanwhile; every part final in %s",
		f.registered.Round(time.Millisecond), f.answered.Round(time.Millisecond), f.sentWhileRegistering, f.total.Round(time.Millisecond))
	tb.Logf("Telegram: %d parts in flight at the kill, %d repeated; 429s: Discord %d, Telegram %d", f.tgInFlight, f.tgRepeats, f.discord429, f.tg429)
}

// TestRestartMidDigest is the scenario at a scale that keeps the package's
// tests short; BenchmarkRestartMidDigest runs it with 1,000 of each.
func TestRestartMidDigest(t *testing.T) {
	if os.Getenv(envRestartChild) != "" {
		t.Skip("in the child")
	}
	const nd, nt = 150, 90
	f := restartMidDigest(t, nd, nt, nd/3)
	logRestart(t, nd, nt, f)
	if f.registered > 10*time.Second || f.answered > 12*time.Second {
		t.Errorf("commands registered %s and answered %s after the restart; want within seconds", f.registered, f.answered)
	}
	if f.sentWhileRegistering == 0 && f.discordBefore < nd {
		t.Error("no digest went to Discord while the registration was retried: the 500 held up the deliveries")
	}
}

// BenchmarkRestartMidDigest: the restart scenario with 1,000 Discord
// channels and 1,000 Telegram chats at the default budgets (kill after 400
// Discord messages). It takes about 40 s, too long for `go test ./...`:
//
//	go test ./delivery -run '^$' -bench RestartMidDigest -benchtime 1x
func BenchmarkRestartMidDigest(b *testing.B) {
	const nd, nt = 1000, 1000
	for range b.N {
		f := restartMidDigest(b, nd, nt, 400)
		logRestart(b, nd, nt, f)
		b.ReportMetric(f.registered.Seconds(), "s_to_registered")
		b.ReportMetric(f.answered.Seconds(), "s_to_answer")
		b.ReportMetric(float64(f.sentWhileRegistering), "sent_while_registering")
		b.ReportMetric(float64(f.tgRepeats), "telegram_repeats")
		b.ReportMetric(float64(f.discord429+f.tg429), "429s")
		b.ReportMetric(f.total.Seconds(), "s_after_restart")
	}
}
