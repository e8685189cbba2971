package telegram

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"newsdigest/adapters/telegram/faketelegram"
	"newsdigest/digest"
)

// syncBuffer collects log output from several goroutines.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// recorder is a CommandHandler that records requests and answers with
// reply(req).
type recorder struct {
	mu    sync.Mutex
	reqs  []digest.CommandRequest
	reply func(digest.CommandRequest) digest.CommandReply
}

func (r *recorder) Handle(_ context.Context, req digest.CommandRequest) (digest.CommandReply, error) {
	r.mu.Lock()
	r.reqs = append(r.reqs, req)
	r.mu.Unlock()
	if r.reply == nil {
		return digest.CommandReply{Text: "ok " + req.Name}, nil
	}
	return r.reply(req), nil
}

func (r *recorder) requests() []digest.CommandRequest {
	r.mu.Lock()
	defer r.mu.Unlock()
	return slices.Clone(r.reqs)
}

type harness struct {
	srv  *faketelegram.Server
	bot  *Bot
	logs *syncBuffer
}

func newFake(t *testing.T, opts faketelegram.Options) *faketelegram.Server {
	t.Helper()
	srv := faketelegram.New(opts)
	t.Cleanup(srv.Close)
	if ok, err := srv.SpecsLoaded(); !ok {
		t.Logf("Bot API specs not found, parameters not checked: %v", err)
	}
	return srv
}

// newBot builds a bot against srv; cfg's Token and APIURL are filled in.
func newBot(t *testing.T, srv *faketelegram.Server, cfg Config, h digest.CommandHandler) (*Bot, *syncBuffer) {
	t.Helper()
	logs := &syncBuffer{}
	if cfg.Token == "" {
		cfg.Token = srv.Token()
	}
	cfg.APIURL = srv.URL()
	if cfg.PollTimeout == 0 {
		cfg.PollTimeout = 2 * time.Second
	}
	if cfg.Workers == 0 {
		cfg.Workers = 1 // updates in order, so "ignored" can be asserted
	}
	b, err := New(cfg, h, slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug})))
	if err != nil {
		t.Fatal(err)
	}
	return b, logs
}

// start runs the bot until the test ends.
func start(t *testing.T, srv *faketelegram.Server, cfg Config, h digest.CommandHandler) *harness {
	t.Helper()
	b, logs := newBot(t, srv, cfg, h)
	ctx, cancel := context.WithCancel(context.Background())
	hs := &harness{srv: srv, bot: b, logs: logs}
	if err := b.Start(ctx); err != nil {
		t.Fatalf("Start: %v", err)
	}
	t.Cleanup(func() {
		cancel()
		if err := b.Close(); err != nil {
			t.Errorf("Close: %v", err)
		}
		if v := srv.Violations(); len(v) > 0 {
			t.Errorf("Bot API violations:\n%s", strings.Join(v, "\n"))
		}
		if strings.Contains(logs.String(), srv.Token()) {
			t.Errorf("the token appears in the log")
		}
	})
	return hs
}

// eventually polls cond until it holds or 10 s pass.
func eventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

var (
	private = faketelegram.Chat{ID: 42, Type: "private"}
	group   = faketelegram.Chat{ID: -1001234567890, Type: "supergroup", Title: "News fans", IsForum: true}
	channel = faketelegram.Chat{ID: -1009876543210, Type: "channel", Title: "Daily news"}
)

func send(t *testing.T, srv *faketelegram.Server, chat faketelegram.Chat, from int64, thread int, text string) {
	t.Helper()
	if _, err := srv.SendUpdate(faketelegram.CommandUpdate(chat, from, thread, text)); err != nil {
		t.Fatal(err)
	}
}

func plainTexts(srv *faketelegram.Server, chat int64) []string {
	var out []string
	for _, m := range srv.Messages(fmt.Sprint(chat)) {
		out = append(out, m.Plain)
	}
	return out
}

func TestStartRegistersCommands(t *testing.T) {
	srv := newFake(t, faketelegram.Options{})
	start(t, srv, Config{}, &recorder{})
	var names []string
	for _, c := range srv.Commands() {
		names = append(names, c.Command)
		if c.Description == "" {
			t.Errorf("command %s has no description", c.Command)
		}
	}
	want := []string{"trending", "article", "digest", "subscribe", "unsubscribe", "sources", "source", "help", "start"}
	if !slices.Equal(names, want) {
		t.Fatalf("registered %v, want %v", names, want)
	}
	eventually(t, "a long poll", func() bool { return srv.Calls("getUpdates") > 0 })
	if srv.Calls("deleteWebhook") != 1 {
		t.Fatalf("deleteWebhook called %d times before polling, want 1", srv.Calls("deleteWebhook"))
	}
}

func cardsFor(req digest.CommandRequest) digest.CommandReply {
	switch req.Name {
	case "trending":
		c := sampleCard()
		c.Headline = "Trending over " + req.Args["hours"] + " hours"
		return digest.CommandReply{Text: "Trending now:", Cards: []digest.Card{c}}
	case "article":
		c := sampleCard()
		c.Headline = "Found: " + req.Args["keyword"]
		return digest.CommandReply{Cards: []digest.Card{c}}
	case "subscribe":
		if !req.IsAdmin {
			return digest.CommandReply{Text: "Only chat administrators can subscribe.", IsError: true}
		}
		return digest.CommandReply{Text: "Subscribed at " + req.Args["time"] + " " + req.Args["timezone"]}
	}
	return digest.CommandReply{Text: "ok " + req.Name}
}

func TestCommandsAnswered(t *testing.T) {
	srv := newFake(t, faketelegram.Options{PerChatInterval: -1})
	rec := &recorder{reply: cardsFor}
	start(t, srv, Config{PerChatInterval: time.Millisecond}, rec)

	send(t, srv, private, 7, 0, "/trending 12")
	send(t, srv, private, 7, 0, "/article foo bar")
	send(t, srv, private, 7, 0, "/trending@otherbot 99")
	send(t, srv, private, 7, 0, "/trending@NewsDigest_Bot")
	// Workers is 1: updates are handled in order, so once the fourth is
	// answered the third has been ignored.
	eventually(t, "three replies", func() bool { return len(srv.Messages("42")) >= 3 })

	got := plainTexts(srv, 42)
	if len(got) != 3 {
		t.Fatalf("got %d replies, want 3 (the @otherbot one ignored): %q", len(got), got)
	}
	for i, want := range []string{"Trending over 12 hours", "Found: foo bar", "Trending over  hours"} {
		if !strings.Contains(got[i], want) {
			t.Errorf("reply %d = %q, want it to contain %q", i, got[i], want)
		}
	}
	if !strings.HasPrefix(got[0], "Trending now:") {
		t.Errorf("reply text should come before the cards: %q", got[0])
	}
	reqs := rec.requests()
	if len(reqs) != 3 || reqs[0].Args["hours"] != "12" || reqs[1].Args["keyword"] != "foo bar" || reqs[2].Args["hours"] != "" {
		t.Fatalf("requests = %+v", reqs)
	}
	if !reqs[0].IsAdmin || reqs[0].ChatType != "private" || reqs[0].UserID != "7" || reqs[0].ChatID != "42" {
		t.Errorf("private request = %+v", reqs[0])
	}
	if m := srv.Messages("42")[0]; m.ParseMode != "HTML" || !strings.Contains(string(m.LinkPreview), sampleCard().URL[:20]) {
		t.Errorf("reply parse mode %q, preview %s", m.ParseMode, m.LinkPreview)
	}
}

func TestBadArgumentsGetUsage(t *testing.T) {
	srv := newFake(t, faketelegram.Options{PerChatInterval: -1})
	rec := &recorder{}
	start(t, srv, Config{PerChatInterval: time.Millisecond}, rec)
	send(t, srv, private, 7, 0, "/trending abc")
	send(t, srv, private, 7, 0, "/article")
	send(t, srv, private, 7, 0, "/subscribe 08:00")
	send(t, srv, private, 7, 0, "/trending 500")
	send(t, srv, private, 7, 0, "/subscribe 08:00 UTC 99999999999999999999")
	eventually(t, "five replies", func() bool { return len(srv.Messages("42")) == 5 })
	want := []string{
		"Bad arguments: unexpected \"abc\".\nUsage: /trending [hours] [language:de]",
		"Bad arguments: keyword is required.\nUsage: /article <keyword> [language:de]",
		"Bad arguments: timezone is required.\nUsage: /subscribe HH:MM Area/City [max_stories] [keywords] [languages:de,en]",
		"Bad arguments: hours must be a whole number from 1 to 168, not \"500\".\nUsage: /trending [hours] [language:de]",
		"Bad arguments: max_stories must be a whole number from 1 to 25, not \"99999999999999999999\".\nUsage: /subscribe HH:MM Area/City [max_stories] [keywords] [languages:de,en]",
	}
	if got := plainTexts(srv, 42); !slices.Equal(got, want) {
		t.Fatalf("replies = %q, want %q", got, want)
	}
	if n := len(rec.requests()); n != 0 {
		t.Fatalf("handler called %d times for bad arguments", n)
	}
}

func TestGroupAdminsAndChannels(t *testing.T) {
	srv := newFake(t, faketelegram.Options{PerChatInterval: -1, GroupPerMinute: -1})
	srv.SetChatMember(group.ID, 6, "administrator")
	rec := &recorder{reply: cardsFor}
	start(t, srv, Config{PerChatInterval: time.Millisecond, GroupPerMinute: 1000}, rec)

	send(t, srv, group, 5, 0, "/subscribe 08:00 Europe/Berlin 5 ai, climate")
	send(t, srv, group, 6, 77, "/subscribe@newsdigest_bot 07:30 Europe/Paris")
	send(t, srv, channel, 0, 0, "/subscribe 09:00 Asia/Tokyo")
	eventually(t, "three replies", func() bool {
		return len(srv.Messages(fmt.Sprint(group.ID))) == 2 && len(srv.Messages(fmt.Sprint(channel.ID))) == 1
	})
	reqs := rec.requests()
	if len(reqs) != 3 {
		t.Fatalf("%d requests, want 3", len(reqs))
	}
	member, admin, ch := reqs[0], reqs[1], reqs[2]
	if member.IsAdmin || member.Args["time"] != "08:00" || member.Args["timezone"] != "Europe/Berlin" ||
		member.Args["max_stories"] != "5" || member.Args["keywords"] != "ai, climate" || member.ChatType != "supergroup" {
		t.Errorf("member request = %+v", member)
	}
	if !admin.IsAdmin || admin.ThreadID != "77" || admin.Args["max_stories"] != "" {
		t.Errorf("admin request = %+v", admin)
	}
	if !ch.IsAdmin || ch.ChatType != "channel" {
		t.Errorf("channel request = %+v", ch)
	}
	if n := srv.Calls("getChatMember"); n != 2 {
		t.Errorf("getChatMember called %d times, want 2 (not for the channel)", n)
	}
	msgs := srv.Messages(fmt.Sprint(group.ID))
	if !strings.Contains(msgs[0].Plain, "Only chat administrators") || msgs[0].ThreadID != 0 {
		t.Errorf("member reply = %+v", msgs[0])
	}
	if msgs[1].ThreadID != 77 {
		t.Errorf("topic reply went to thread %d, want 77", msgs[1].ThreadID)
	}
	if ok, _ := srv.SpecsLoaded(); ok && !slices.Contains(srv.NewerParams(), "sendMessage.message_thread_id") {
		t.Errorf("newer params = %v, want sendMessage.message_thread_id", srv.NewerParams())
	}
}

func TestWebhook(t *testing.T) {
	srv := newFake(t, faketelegram.Options{})
	rec := &recorder{reply: cardsFor}
	mux := http.NewServeMux()
	hook := httptest.NewServer(mux)
	t.Cleanup(hook.Close)
	const secret = "s3cret_Token-1"
	h := start(t, srv, Config{WebhookURL: hook.URL + "/telegram/webhook", WebhookSecret: secret}, rec)
	mux.Handle("/telegram/webhook", h.bot.WebhookHandler())
	if u, s := srv.Webhook(); u != hook.URL+"/telegram/webhook" || s != secret {
		t.Fatalf("webhook = %q %q", u, s)
	}
	if ok, _ := srv.SpecsLoaded(); ok && !slices.Contains(srv.NewerParams(), "setWebhook.secret_token") {
		t.Errorf("secret_token not sent: newer params %v", srv.NewerParams())
	}

	send(t, srv, private, 7, 0, "/trending 3")
	if got := plainTexts(srv, 42); len(got) != 1 || !strings.Contains(got[0], "Trending over 3 hours") {
		t.Fatalf("replies = %q", got)
	}

	body := `{"update_id":99,"message":{"message_id":1,"date":1,"chat":{"id":42,"type":"private"},"from":{"id":7,"is_bot":false},"text":"/trending 1"}}`
	for _, header := range []string{"", "wrong", secret + "x"} {
		req, _ := http.NewRequest(http.MethodPost, hook.URL+"/telegram/webhook", strings.NewReader(body))
		if header != "" {
			req.Header.Set("X-Telegram-Bot-Api-Secret-Token", header)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusForbidden {
			t.Errorf("secret %q: status %d, want 403", header, resp.StatusCode)
		}
	}
	if n := len(rec.requests()); n != 1 {
		t.Fatalf("handler called %d times, want 1 (forged requests refused)", n)
	}
	if srv.Calls("getUpdates") != 0 {
		t.Errorf("getUpdates called in webhook mode")
	}
}

func TestPollingResumesAfterRateLimit(t *testing.T) {
	srv := newFake(t, faketelegram.Options{})
	srv.InjectFault(faketelegram.Fault{Method: "getUpdates", Count: 2, Kind: faketelegram.RateLimit, RetryAfter: 1})
	rec := &recorder{}
	h := start(t, srv, Config{}, rec)
	send(t, srv, private, 7, 0, "/help")
	eventually(t, "the reply after the 429s", func() bool { return len(srv.Messages("42")) == 1 })
	if left := srv.FaultsLeft(); left != 0 {
		t.Fatalf("%d injected 429s not reached", left)
	}
	if !strings.Contains(h.logs.String(), "retry_in=1s") {
		t.Errorf("retry_after not honoured; log:\n%s", h.logs.String())
	}
	if srv.Pending() > 1 {
		t.Errorf("%d updates left unconfirmed", srv.Pending())
	}
}

func TestTokenNeverInErrorsOrLogs(t *testing.T) {
	const token = "987654:AAF-super-secret-token"
	dead := httptest.NewServer(http.NotFoundHandler())
	dead.Close() // connection refused: a *url.Error with the URL in it
	logs := &syncBuffer{}
	b, err := New(Config{Token: token, APIURL: dead.URL, HTTPTimeout: time.Second}, &recorder{}, slog.New(slog.NewTextHandler(logs, nil)))
	if err != nil {
		t.Fatal(err)
	}
	errs := []error{b.Start(context.Background())}
	_, err = b.Send(context.Background(), digest.Delivery{Key: "k", ChatID: "42", Payload: []byte(`{"text":"x","parse_mode":"HTML"}`)})
	errs = append(errs, err)

	hang := newFake(t, faketelegram.Options{Token: token})
	hang.InjectFault(faketelegram.Fault{Method: "sendMessage", Count: 1, Kind: faketelegram.Hang})
	b2, err := New(Config{Token: token, APIURL: hang.URL(), HTTPTimeout: 200 * time.Millisecond}, &recorder{}, slog.New(slog.NewTextHandler(logs, nil)))
	if err != nil {
		t.Fatal(err)
	}
	_, err = b2.Send(context.Background(), digest.Delivery{Key: "k", ChatID: "42", Payload: []byte(`{"text":"x","parse_mode":"HTML"}`)})
	errs = append(errs, err)
	b2.handleUpdate(context.Background(), update{Message: &message{Chat: chat{ID: -100, Type: "group"}, From: &user{ID: 1}, Text: "/subscribe 08:00 UTC"}})

	for i, err := range errs {
		if err == nil {
			t.Fatalf("call %d: no error", i)
		}
		if strings.Contains(err.Error(), token) || strings.Contains(fmt.Sprintf("%+v", err), token) {
			t.Errorf("call %d: token in error %q", i, err)
		}
		var te *digest.TemporaryError
		if !errors.As(err, &te) {
			t.Errorf("call %d: %v is not a TemporaryError", i, err)
		}
		if !strings.HasPrefix(err.Error(), "telegram: ") {
			t.Errorf("call %d: error %q lacks the package prefix", i, err)
		}
	}
	if !strings.Contains(errs[0].Error(), "<token>") {
		t.Errorf("expected the URL with the token scrubbed in %q", errs[0])
	}
	if strings.Contains(logs.String(), token) {
		t.Errorf("token in logs:\n%s", logs.String())
	}
}

func TestSendMapsErrors(t *testing.T) {
	srv := newFake(t, faketelegram.Options{})
	b, _ := newBot(t, srv, Config{HTTPTimeout: 300 * time.Millisecond}, &recorder{})
	payload := must(ReplyMessages(digest.CommandReply{Text: "hello"})[0].MarshalPayload())
	tooLong := must(Message{Text: strings.Repeat("x", 5000), ParseMode: "HTML"}.MarshalPayload())
	tests := []struct {
		chat    string
		fault   faketelegram.FaultKind
		payload []byte
		check   func(error) bool
	}{
		{"1", faketelegram.RateLimit, payload, func(err error) bool {
			var rl *digest.RateLimitedError
			return errors.As(err, &rl) && rl.RetryAfter == 3*time.Second
		}},
		{"2", faketelegram.Blocked, payload, func(err error) bool { return errors.Is(err, digest.ErrChatGone) }},
		{"-3", faketelegram.Kicked, payload, func(err error) bool { return errors.Is(err, digest.ErrChatGone) }},
		{"4", faketelegram.ChatNotFound, payload, func(err error) bool { return errors.Is(err, digest.ErrChatGone) }},
		{"-5", faketelegram.Migrated, payload, func(err error) bool {
			var me *digest.MigratedError
			return errors.As(err, &me) && me.NewChatID == "-1005"
		}},
		{"6", faketelegram.ServerError, payload, func(err error) bool {
			var te *digest.TemporaryError
			return errors.As(err, &te)
		}},
		{"7", faketelegram.Hang, payload, func(err error) bool {
			var te *digest.TemporaryError
			return errors.As(err, &te)
		}},
		{"8", 0, tooLong, func(err error) bool {
			var te *digest.TemporaryError
			var rl *digest.RateLimitedError
			var me *digest.MigratedError
			return err != nil && !errors.As(err, &te) && !errors.As(err, &rl) && !errors.As(err, &me) && !errors.Is(err, digest.ErrChatGone)
		}},
		{"9", 0, payload, func(err error) bool { return err == nil }},
	}
	for _, tt := range tests {
		if tt.fault != 0 {
			srv.InjectFault(faketelegram.Fault{ChatID: tt.chat, Count: 1, Kind: tt.fault, RetryAfter: 3, MigrateTo: -1005})
		}
		id, err := b.Send(context.Background(), digest.Delivery{Key: "k" + tt.chat, ChatID: tt.chat, Payload: tt.payload})
		if !tt.check(err) {
			t.Errorf("chat %s fault %d: err = %v", tt.chat, tt.fault, err)
		}
		if err == nil && id == "" {
			t.Errorf("chat %s: no message ID", tt.chat)
		}
	}
	if v := srv.Violations(); len(v) != 1 || !strings.Contains(v[0], "5000 UTF-16 units") {
		t.Errorf("violations = %q, want just the too-long text", v)
	}
}

func TestDigestDeliveredInOrderWithinLimits(t *testing.T) {
	srv := newFake(t, faketelegram.Options{PerChatInterval: 20 * time.Millisecond})
	b, _ := newBot(t, srv, Config{PerChatInterval: 20 * time.Millisecond}, &recorder{})
	long := strings.Repeat("word ", 39)
	d := digestOf(30, long)
	d.Sub.ChatID = "-1001"
	d.Sub.ThreadID = "5"
	payloads := must(b.RenderDigest(d))
	if len(payloads) < 3 {
		t.Fatalf("want a digest of several parts, got %d", len(payloads))
	}
	ids := make([]string, len(payloads))
	for i, p := range payloads {
		// Sent one after another, as delivery does for one chat.
		id, err := b.Send(context.Background(), digest.Delivery{Key: digest.DeliveryKey(1, d.Scheduled, i), ChatID: "-1001", ThreadID: "5", Payload: p})
		if err != nil {
			t.Fatalf("part %d: %v", i, err)
		}
		ids[i] = id
	}
	got := srv.Messages("-1001")
	if len(got) != len(payloads) {
		t.Fatalf("%d messages delivered, want %d", len(got), len(payloads))
	}
	for i, m := range got {
		if fmt.Sprint(m.MessageID) != ids[i] || m.ThreadID != 5 {
			t.Errorf("part %d: id %d thread %d, want %s thread 5", i, m.MessageID, m.ThreadID, ids[i])
		}
	}
	if v := srv.Violations(); len(v) != 0 {
		t.Fatalf("violations: %q", v)
	}
	if srv.RateLimited() != 0 {
		t.Fatalf("%d 429s provoked", srv.RateLimited())
	}
	if ok, _ := srv.SpecsLoaded(); ok && !slices.Equal(srv.NewerParams(), []string{"sendMessage.link_preview_options", "sendMessage.message_thread_id"}) {
		t.Errorf("params newer than Bot API 5.5: %v", srv.NewerParams())
	}
}

func TestWrongTokenFailsStartAndConfigHidesSecrets(t *testing.T) {
	srv := newFake(t, faketelegram.Options{})
	cfg := Config{Token: "111:wrong-token-value", APIURL: srv.URL(), WebhookSecret: "hook-secret-value"}
	b, err := New(cfg, nil, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	err = b.Start(context.Background())
	var ae *APIError
	if !errors.As(err, &ae) || ae.Code != http.StatusUnauthorized {
		t.Fatalf("Start with a wrong token: %v, want a 401 APIError", err)
	}
	logs := &syncBuffer{}
	slog.New(slog.NewJSONHandler(logs, nil)).Info("config", "telegram", cfg)
	for _, s := range []string{fmt.Sprintf("%v %+v %s", cfg, cfg, cfg), logs.String()} {
		if strings.Contains(s, "wrong-token-value") || strings.Contains(s, "hook-secret-value") {
			t.Fatalf("secret shown: %s", s)
		}
	}
}

func TestWebhookRejectsBadRequests(t *testing.T) {
	srv := newFake(t, faketelegram.Options{})
	rec := &recorder{}
	b, _ := newBot(t, srv, Config{WebhookURL: "https://bot.example/hook", WebhookSecret: "abc"}, rec)
	h := b.WebhookHandler()
	tests := []struct {
		method, secret, body string
		want                 int
	}{
		{http.MethodGet, "abc", "", http.StatusMethodNotAllowed},
		{http.MethodPost, "abc", "{not json", http.StatusBadRequest},
		{http.MethodPost, "ab", `{"update_id":1}`, http.StatusForbidden},
		{http.MethodPost, "abc", `{"update_id":1}`, http.StatusOK},
	}
	for _, tt := range tests {
		req := httptest.NewRequest(tt.method, "/telegram/webhook", strings.NewReader(tt.body))
		req.Header.Set("X-Telegram-Bot-Api-Secret-Token", tt.secret)
		w := httptest.NewRecorder()
		h.ServeHTTP(w, req)
		if w.Code != tt.want {
			t.Errorf("%s secret %q body %q: %d, want %d", tt.method, tt.secret, tt.body, w.Code, tt.want)
		}
	}
	// A forged request is refused on its header: its body is never read.
	body := &watchedBody{}
	req := httptest.NewRequest(http.MethodPost, "/telegram/webhook", body)
	req.Header.Set("X-Telegram-Bot-Api-Secret-Token", "forged")
	w := httptest.NewRecorder()
	h.ServeHTTP(w, req)
	if w.Code != http.StatusForbidden || body.read {
		t.Errorf("forged secret: status %d, body read %v; want 403 unread", w.Code, body.read)
	}
	if _, err := New(Config{Token: "1:x", WebhookURL: "https://bot.example/hook"}, rec, nil); err == nil {
		t.Error("webhook mode without a secret token was accepted")
	}
}

// watchedBody is a request body that records being read (and never ends).
type watchedBody struct{ read bool }

func (b *watchedBody) Read(p []byte) (int, error) {
	b.read = true
	p[0] = ' '
	return 1, nil
}
