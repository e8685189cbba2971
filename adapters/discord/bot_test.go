package discord

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"

	"newsdigest/adapters/discord/fakediscord"
	"newsdigest/digest"
)

// handlerFunc adapts a function to digest.CommandHandler.
type handlerFunc func(ctx context.Context, req digest.CommandRequest) (digest.CommandReply, error)

func (f handlerFunc) Handle(ctx context.Context, req digest.CommandRequest) (digest.CommandReply, error) {
	return f(ctx, req)
}

// recorder is a handler that records the requests it got.
type recorder struct {
	mu    sync.Mutex
	reqs  []digest.CommandRequest
	reply func(req digest.CommandRequest) (digest.CommandReply, error)
}

func (r *recorder) Handle(ctx context.Context, req digest.CommandRequest) (digest.CommandReply, error) {
	r.mu.Lock()
	r.reqs = append(r.reqs, req)
	r.mu.Unlock()
	return r.reply(req)
}

func (r *recorder) requests() []digest.CommandRequest {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]digest.CommandRequest(nil), r.reqs...)
}

func testLogger(t *testing.T) *slog.Logger {
	return slog.New(slog.NewTextHandler(testWriter{t}, &slog.HandlerOptions{Level: slog.LevelWarn}))
}

type testWriter struct{ t *testing.T }

func (w testWriter) Write(p []byte) (int, error) {
	w.t.Log(strings.TrimSpace(string(p)))
	return len(p), nil
}

func newBot(t *testing.T, srv *fakediscord.Server, h digest.CommandHandler, edit func(*Config)) *Bot {
	t.Helper()
	cfg := Config{Token: fakediscord.Token, APIURL: srv.APIURL(), HTTPTimeout: 5 * time.Second}
	if edit != nil {
		edit(&cfg)
	}
	b, err := New(cfg, h, testLogger(t))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func startBot(t *testing.T, srv *fakediscord.Server, h digest.CommandHandler, edit func(*Config)) *Bot {
	t.Helper()
	b := newBot(t, srv, h, edit)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := b.Start(ctx); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = b.Close() })
	return b
}

func noViolations(t *testing.T, srv *fakediscord.Server) {
	t.Helper()
	if v := srv.Violations(); len(v) > 0 {
		t.Errorf("fake Discord saw %d violations:\n%s", len(v), strings.Join(v, "\n"))
	}
}

func waitCtx(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	t.Cleanup(cancel)
	return ctx
}

func TestStartRegistersCommands(t *testing.T) {
	t.Parallel()
	srv := fakediscord.New(t)
	startBot(t, srv, &recorder{}, func(c *Config) { c.GuildID = "555" })
	if got := srv.Commands(""); len(got) != 0 {
		t.Errorf("registered %d global commands with a guild configured", len(got))
	}
	raw := srv.Commands("555")
	byName := map[string]map[string]any{}
	for _, r := range raw {
		var c map[string]any
		if err := json.Unmarshal(r, &c); err != nil {
			t.Fatal(err)
		}
		byName[c["name"].(string)] = c
	}
	for _, want := range []string{"trending", "article", "digest", "subscribe", "unsubscribe", "sources"} {
		if byName[want] == nil {
			t.Errorf("command %q not registered", want)
		}
	}
	if byName["help"] != nil || byName["start"] != nil {
		t.Error("Telegram-only commands registered on Discord")
	}
	if p := byName["subscribe"]["default_member_permissions"]; p != float64(discordgo.PermissionManageChannels) {
		t.Errorf("subscribe default_member_permissions = %v, want Manage Channels", p)
	}
	if p, ok := byName["trending"]["default_member_permissions"]; ok {
		t.Errorf("trending has default_member_permissions %v", p)
	}
	hours := byName["trending"]["options"].([]any)[0].(map[string]any)
	if hours["type"] != float64(4) || hours["min_value"] != float64(1) || hours["max_value"] != float64(168) {
		t.Errorf("trending hours option = %v", hours)
	}
	kw := byName["article"]["options"].([]any)[0].(map[string]any)
	if kw["type"] != float64(3) || kw["required"] != true {
		t.Errorf("article keyword option = %v", kw)
	}
	if _, _, intents := srv.GatewayStats(); intents != int(discordgo.IntentsGuilds) {
		t.Errorf("identified with intents %d, want Guilds only (%d)", intents, discordgo.IntentsGuilds)
	}
	if !srv.SchemaChecked() {
		t.Log("schema checks were off (spec not found)")
	}
	noViolations(t, srv)
}

func TestStartRejectsBadTokenClearly(t *testing.T) {
	t.Parallel()
	srv := fakediscord.New(t, fakediscord.WithToken("the-right-token"))
	b := newBot(t, srv, &recorder{}, func(c *Config) { c.Token = "a-wrong-secret" })
	err := b.Start(waitCtx(t))
	if err == nil || !strings.Contains(err.Error(), "401") {
		t.Fatalf("Start = %v, want a 401 error", err)
	}
	if strings.Contains(err.Error(), "a-wrong-secret") || strings.Contains(fmt.Sprint(b.cfg), "a-wrong-secret") {
		t.Errorf("the token leaked: %v / %v", err, b.cfg)
	}
	if srv.Connected() {
		t.Error("the gateway was opened with a rejected token")
	}
}

func trendingCards(n int) []digest.Card { return cards(n, nil) }

func TestTrendingAnswersWithEmbeds(t *testing.T) {
	t.Parallel()
	srv := fakediscord.New(t)
	rec := &recorder{reply: func(req digest.CommandRequest) (digest.CommandReply, error) {
		return digest.CommandReply{Text: "Trending now", Cards: trendingCards(3)}, nil
	}}
	startBot(t, srv, rec, nil)
	in, err := srv.SendInteraction(fakediscord.CommandInteraction{Name: "trending", Options: map[string]any{"hours": 12},
		GuildID: "555", ChannelID: "42", UserID: "7", Permissions: fakediscord.PermSendMessages})
	if err != nil {
		t.Fatal(err)
	}
	got, err := srv.WaitInteraction(waitCtx(t), in.ID, func(i fakediscord.Interaction) bool { return i.Callback != nil })
	if err != nil {
		t.Fatal(err)
	}
	cb := got.Callback
	if cb.Type != 4 || cb.Content != "Trending now" || len(cb.Embeds) != 3 || cb.Ephemeral() {
		t.Errorf("callback type %d content %q embeds %d ephemeral %v", cb.Type, cb.Content, len(cb.Embeds), cb.Ephemeral())
	}
	if cb.Embeds[0].URL != "https://www.devdiscourse.com/article/1" {
		t.Errorf("first embed %+v", cb.Embeds[0])
	}
	reqs := rec.requests()
	if len(reqs) != 1 {
		t.Fatalf("%d handler calls", len(reqs))
	}
	r := reqs[0]
	if r.Name != "trending" || r.Args["hours"] != "12" || r.ChatID != "42" || r.GuildID != "555" || r.UserID != "7" ||
		r.ChatType != "guild" || r.IsAdmin || r.Platform != digest.Discord || r.Now.IsZero() {
		t.Errorf("request %+v", r)
	}
	noViolations(t, srv)
}

func TestSlowCommandIsDeferredThenEdited(t *testing.T) {
	t.Parallel()
	srv := fakediscord.New(t)
	release := make(chan struct{})
	rec := &recorder{reply: func(req digest.CommandRequest) (digest.CommandReply, error) {
		<-release
		return digest.CommandReply{Cards: trendingCards(12)}, nil
	}}
	startBot(t, srv, rec, func(c *Config) { c.DeferAfter = 20 * time.Millisecond })
	in, err := srv.SendInteraction(fakediscord.CommandInteraction{Name: "digest", GuildID: "555", ChannelID: "42", UserID: "7"})
	if err != nil {
		t.Fatal(err)
	}
	ctx := waitCtx(t)
	got, err := srv.WaitInteraction(ctx, in.ID, func(i fakediscord.Interaction) bool { return i.Callback != nil })
	if err != nil {
		t.Fatal(err)
	}
	if got.Callback.Type != 5 || !got.Callback.Ephemeral() {
		t.Errorf("callback type %d ephemeral %v, want a deferred ephemeral answer for /digest", got.Callback.Type, got.Callback.Ephemeral())
	}
	close(release)
	got, err = srv.WaitInteraction(ctx, in.ID, func(i fakediscord.Interaction) bool { return len(i.Edits) == 1 && len(i.Followups) == 1 })
	if err != nil {
		t.Fatal(err)
	}
	if n := len(got.Edits[0].Embeds); n != 10 {
		t.Errorf("edit has %d embeds, want 10", n)
	}
	if f := got.Followups[0]; len(f.Embeds) != 2 || !f.Ephemeral() {
		t.Errorf("follow-up has %d embeds, ephemeral %v; want 2, true", len(f.Embeds), f.Ephemeral())
	}
	noViolations(t, srv)
}

func TestAdminCommands(t *testing.T) {
	t.Parallel()
	srv := fakediscord.New(t)
	rec := &recorder{reply: func(req digest.CommandRequest) (digest.CommandReply, error) {
		return digest.CommandReply{Text: "Subscribed: daily at 08:00 Europe/Berlin.", Ephemeral: true}, nil
	}}
	startBot(t, srv, rec, nil)
	opts := map[string]any{"time": "08:00", "timezone": "Europe/Berlin"}
	tests := []struct {
		name      string
		perms     int64
		wantCalls int
		wantText  string
	}{
		{"member without Manage Channels is refused", fakediscord.PermSendMessages, 0, "needs the Manage Channels permission"},
		{"Manage Channels may", fakediscord.PermManageChannels, 1, "Subscribed"},
		{"Administrator may", fakediscord.PermAdministrator, 2, "Subscribed"},
	}
	for _, tt := range tests {
		in, err := srv.SendInteraction(fakediscord.CommandInteraction{Name: "subscribe", Options: opts, GuildID: "555", ChannelID: "42", UserID: "7", Permissions: tt.perms})
		if err != nil {
			t.Fatal(err)
		}
		got, err := srv.WaitInteraction(waitCtx(t), in.ID, func(i fakediscord.Interaction) bool { return i.Callback != nil })
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(got.Callback.Content, tt.wantText) || !got.Callback.Ephemeral() {
			t.Errorf("%s: answer %q ephemeral %v", tt.name, got.Callback.Content, got.Callback.Ephemeral())
		}
		reqs := rec.requests()
		if len(reqs) != tt.wantCalls {
			t.Errorf("%s: handler called %d times, want %d", tt.name, len(reqs), tt.wantCalls)
		}
		if tt.wantCalls > 0 {
			r := reqs[len(reqs)-1]
			if !r.IsAdmin || r.Args["time"] != "08:00" || r.Args["timezone"] != "Europe/Berlin" {
				t.Errorf("%s: request %+v", tt.name, r)
			}
		}
	}
	noViolations(t, srv)
}

func TestHandlerErrorAnswersPolitely(t *testing.T) {
	t.Parallel()
	srv := fakediscord.New(t)
	startBot(t, srv, handlerFunc(func(ctx context.Context, req digest.CommandRequest) (digest.CommandReply, error) {
		if req.Name == "article" {
			panic("boom")
		}
		return digest.CommandReply{}, errors.New("store down")
	}), nil)
	for _, name := range []string{"trending", "article"} {
		in, err := srv.SendInteraction(fakediscord.CommandInteraction{Name: name, Options: map[string]any{"keyword": "x"}, GuildID: "555", ChannelID: "42", UserID: "7"})
		if err != nil {
			t.Fatal(err)
		}
		got, err := srv.WaitInteraction(waitCtx(t), in.ID, func(i fakediscord.Interaction) bool { return i.Callback != nil })
		if err != nil {
			t.Fatal(err)
		}
		if got.Callback.Content != internalErrorText || !got.Callback.Ephemeral() {
			t.Errorf("%s: answer %q ephemeral %v", name, got.Callback.Content, got.Callback.Ephemeral())
		}
	}
	noViolations(t, srv)
}

func TestResumeAfterReconnect(t *testing.T) {
	t.Parallel()
	srv := fakediscord.New(t)
	rec := &recorder{reply: func(req digest.CommandRequest) (digest.CommandReply, error) {
		return digest.CommandReply{Text: "ok"}, nil
	}}
	startBot(t, srv, rec, nil)
	srv.Reconnect()
	ctx := waitCtx(t)
	if err := srv.WaitGateway(ctx, func(ids, resumes int, connected bool) bool { return resumes == 1 && connected }); err != nil {
		t.Fatal(err)
	}
	in, err := srv.SendInteraction(fakediscord.CommandInteraction{Name: "trending", GuildID: "555", ChannelID: "42", UserID: "7"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := srv.WaitInteraction(ctx, in.ID, func(i fakediscord.Interaction) bool { return i.Callback != nil }); err != nil {
		t.Fatal(err)
	}
	if ids, _, _ := srv.GatewayStats(); ids != 1 {
		t.Errorf("identified %d times; a resume must not identify again", ids)
	}
	noViolations(t, srv)
}

// An interaction dispatched while the client reconnects is replayed after
// the resume and answered once.
func TestInteractionDuringReconnectIsReplayed(t *testing.T) {
	t.Parallel()
	srv := fakediscord.New(t)
	rec := &recorder{reply: func(req digest.CommandRequest) (digest.CommandReply, error) {
		return digest.CommandReply{Text: "ok"}, nil
	}}
	startBot(t, srv, rec, nil)
	srv.Reconnect()
	in, err := srv.SendInteraction(fakediscord.CommandInteraction{Name: "trending", GuildID: "555", ChannelID: "42", UserID: "7"})
	if err != nil {
		t.Fatal(err)
	}
	ctx := waitCtx(t)
	if err := srv.WaitGateway(ctx, func(ids, resumes int, connected bool) bool { return resumes == 1 && connected }); err != nil {
		t.Fatal(err)
	}
	if _, err := srv.WaitInteraction(ctx, in.ID, func(i fakediscord.Interaction) bool { return i.Callback != nil }); err != nil {
		t.Fatal(err)
	}
	if n := len(rec.requests()); n != 1 {
		t.Errorf("handler ran %d times, want 1", n)
	}
	noViolations(t, srv)
}

func TestRequestFromInteraction(t *testing.T) {
	now := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	srv := fakediscord.New(t)
	tests := []struct {
		name  string
		in    fakediscord.CommandInteraction
		check func(digest.CommandRequest) bool
	}{
		{"dm is its user's own", fakediscord.CommandInteraction{Name: "subscribe", DM: true, ChannelID: "9", UserID: "3"},
			func(r digest.CommandRequest) bool {
				return r.ChatType == "dm" && r.IsAdmin && r.UserID == "3" && r.GuildID == ""
			}},
		{"administrator bit", fakediscord.CommandInteraction{Name: "sources", GuildID: "1", ChannelID: "9", UserID: "3", Permissions: fakediscord.PermAdministrator},
			func(r digest.CommandRequest) bool { return r.IsAdmin && r.ChatType == "guild" }},
		{"no permission", fakediscord.CommandInteraction{Name: "sources", GuildID: "1", ChannelID: "9", UserID: "3"},
			func(r digest.CommandRequest) bool { return !r.IsAdmin }},
		{"guild locale first", fakediscord.CommandInteraction{Name: "subscribe", GuildID: "1", ChannelID: "9", UserID: "3", Locale: "uk", GuildLocale: "de"},
			func(r digest.CommandRequest) bool { return r.Locale == "de" }},
		{"user locale in a dm", fakediscord.CommandInteraction{Name: "trending", DM: true, ChannelID: "9", UserID: "3", Locale: "pt-BR"},
			func(r digest.CommandRequest) bool { return r.Locale == "pt-BR" }},
		{"option types", fakediscord.CommandInteraction{Name: "subscribe", GuildID: "1", ChannelID: "9", UserID: "3", Options: map[string]any{"max_stories": 5, "keywords": "ai, chips", "flag": true}},
			func(r digest.CommandRequest) bool {
				return r.Args["max_stories"] == "5" && r.Args["keywords"] == "ai, chips" && r.Args["flag"] == "true"
			}},
	}
	for _, tt := range tests {
		var i discordgo.Interaction
		if err := json.Unmarshal(srv.PrepareInteraction(tt.in).Body, &i); err != nil {
			t.Fatal(err)
		}
		if r := (&Bot{}).commandRequest(&i, now); !tt.check(r) || !r.Now.Equal(now) {
			t.Errorf("%s: request %+v", tt.name, r)
		}
	}
}

func TestShardOneDoesNotRegister(t *testing.T) {
	t.Parallel()
	srv := fakediscord.New(t)
	b := startBot(t, srv, &recorder{}, func(c *Config) { c.ShardID, c.ShardCount = 1, 2 })
	if srv.Requests("PUT /applications/{id}/commands") != 0 || len(srv.Commands("")) != 0 {
		t.Error("shard 1 registered commands; only shard 0 should")
	}
	if b.AppID() != fakediscord.AppID {
		t.Errorf("app ID %q from READY, want %q", b.AppID(), fakediscord.AppID)
	}
	if !srv.Connected() {
		t.Error("shard 1 is not connected")
	}
}

func TestNewRejectsBadConfig(t *testing.T) {
	tests := []struct {
		name string
		cfg  Config
		want string
	}{
		{"no token", Config{}, "no token"},
		{"bad api url", Config{Token: "x", APIURL: "ftp://x"}, "api url"},
		{"shard out of range", Config{Token: "x", ShardID: 2, ShardCount: 2}, "shard"},
		{"bad public key", Config{Token: "x", PublicKey: "zz"}, "public key"},
	}
	for _, tt := range tests {
		_, err := New(tt.cfg, &recorder{}, nil)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: err = %v, want one about %q", tt.name, err, tt.want)
		}
	}
}

// A 500 on the registration at start is retried: Start goes on and
// registers the commands, and digests are sent meanwhile.
func TestStartRetriesRegistration(t *testing.T) {
	t.Parallel()
	srv := fakediscord.New(t)
	srv.Fail("PUT /applications/*/commands", 2, fakediscord.ServerError(500))
	b := newBot(t, srv, &recorder{}, func(c *Config) { c.StartBackoff = 300 * time.Millisecond })
	t.Cleanup(func() { _ = b.Close() })
	started := make(chan error, 1)
	go func() { started <- b.Start(waitCtx(t)) }()
	msgs, err := b.RenderDigest(view(1))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := b.Send(waitCtx(t), digest.Delivery{Key: "k", ChatID: "77", Payload: msgs[0]}); err != nil {
		t.Fatalf("a send while the registration is retried: %v", err)
	}
	select {
	case err := <-started:
		t.Fatalf("Start returned %v before its retries: the registration was not retried", err)
	default:
	}
	if err := <-started; err != nil {
		t.Fatalf("Start after two 500s: %v", err)
	}
	if n := srv.Requests("PUT /applications/{id}/commands"); n != 3 || len(srv.Commands("")) == 0 {
		t.Errorf("%d registration requests, %d commands registered; want 3 and the commands", n, len(srv.Commands("")))
	}
	noViolations(t, srv)
}

// An error of a start-up step names the URL actually requested (the
// configured API base), not discord.com.
func TestStartErrorNamesRequestedURL(t *testing.T) {
	t.Parallel()
	srv := fakediscord.New(t)
	srv.Fail("PUT /applications/*/commands", 1, fakediscord.Fault{Status: 400, Code: 50035, Message: "Invalid Form Body"})
	b := newBot(t, srv, &recorder{}, nil)
	t.Cleanup(func() { _ = b.Close() })
	err := b.Start(waitCtx(t))
	if err == nil {
		t.Fatal("Start succeeded with the registration refused (400)")
	}
	if !strings.Contains(err.Error(), srv.URL+"/api/v9/applications/") || strings.Contains(err.Error(), "discord.com") {
		t.Errorf("Start = %v; want it to name %s", err, srv.URL)
	}

	// A timeout: the http.Client's error is rewritten too.
	srv2 := fakediscord.New(t)
	srv2.Fail("GET /users/@me", 1, fakediscord.Hang())
	b2 := newBot(t, srv2, &recorder{}, func(c *Config) { c.HTTPTimeout = 200 * time.Millisecond })
	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	err = b2.Start(ctx)
	if err == nil || !strings.Contains(err.Error(), srv2.URL+"/api/v9/users/@me") || strings.Contains(err.Error(), "discord.com") {
		t.Errorf("Start = %v; want a timeout naming %s", err, srv2.URL)
	}
}

// Many digest sends queued in the global budget do not hold up the
// registration of a (re)starting bot: it goes first.
func TestRegistrationNotStarvedBySends(t *testing.T) {
	t.Parallel()
	srv := fakediscord.New(t, fakediscord.WithRate(5), fakediscord.WithChannelRate(0, 0))
	b := newBot(t, srv, &recorder{}, func(c *Config) { c.RequestsPerSecond = 5; c.HTTPTimeout = 2 * time.Second })
	t.Cleanup(func() { _ = b.Close() })
	msgs, err := b.RenderDigest(view(1))
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var wg sync.WaitGroup
	for i := range 200 { // 40 s of sends at 5/s: far more than the HTTP timeout
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, _ = b.Send(ctx, digest.Delivery{Key: fmt.Sprint("k", i), ChatID: fmt.Sprint(5000 + i), Payload: msgs[0]})
		}()
	}
	time.Sleep(100 * time.Millisecond)
	begin := time.Now()
	if err := b.Start(waitCtx(t)); err != nil {
		t.Fatalf("Start behind 200 queued sends: %v", err)
	}
	took := time.Since(begin)
	sent := srv.MessageCount()
	cancel()
	wg.Wait()
	if sent > 40 { // 8 s of sends: Start took that long, or waited behind them
		t.Errorf("%d sends went before Start was done (%s): the control requests waited behind them", sent, took)
	}
	if srv.RateLimited() != 0 {
		t.Errorf("%d 429s", srv.RateLimited())
	}
}
