// Package telegram is the Telegram adapter: it renders cards and digests
// as Telegram HTML, answers commands that arrive by long polling or by
// webhook, and sends digests within Telegram's flood limits. It speaks to
// the Bot API through go-telegram-bot-api, kept behind a narrow interface.
package telegram

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"newsdigest/digest"
)

// DefaultAPIURL is Telegram's own Bot API server.
const DefaultAPIURL = "https://api.telegram.org"

// Config configures a Bot.
type Config struct {
	// Token is the bot token (from TELEGRAM_TOKEN). It is never logged and
	// is scrubbed from every error.
	Token string
	// APIURL is the Bot API server (default DefaultAPIURL); a self-hosted
	// server works the same: requests go to APIURL+"/bot<token>/<method>".
	APIURL string
	// WebhookURL, when set, switches from long polling to a webhook: Start
	// registers it with WebhookSecret as secret_token, and WebhookHandler
	// serves it at WebhookPath on the caller's mux.
	WebhookURL    string
	WebhookSecret string
	WebhookPath   string // default "/telegram/webhook"
	// PollTimeout is getUpdates' long-poll timeout (default 50 s).
	PollTimeout time.Duration
	// HTTPTimeout bounds each call; getUpdates gets PollTimeout on top
	// (default 30 s).
	HTTPTimeout time.Duration
	// BotUsername is the bot's @username without "@"; Start takes it from
	// getMe. Commands addressed to other bots (/trending@other) are ignored.
	BotUsername string
	// MessagesPerSecond is the global send budget (default 30);
	// PerChatInterval the least gap between messages to one chat (default
	// 1 s); GroupPerMinute the budget of one group (default 20).
	MessagesPerSecond int
	PerChatInterval   time.Duration
	GroupPerMinute    int
	// Workers bounds the commands handled at once in polling mode (default 8).
	Workers int
	// Now is the clock for CommandRequest.Now (default time.Now).
	Now func() time.Time
	// HTTPClient is the client for Bot API calls (default: a new one);
	// timeouts come from contexts, so it needs none.
	HTTPClient *http.Client
}

func (c *Config) defaults() {
	if c.APIURL == "" {
		c.APIURL = DefaultAPIURL
	}
	if c.WebhookPath == "" {
		c.WebhookPath = "/telegram/webhook"
	}
	if c.PollTimeout <= 0 {
		c.PollTimeout = 50 * time.Second
	}
	if c.HTTPTimeout <= 0 {
		c.HTTPTimeout = 30 * time.Second
	}
	if c.MessagesPerSecond <= 0 {
		c.MessagesPerSecond = 30
	}
	if c.PerChatInterval <= 0 {
		c.PerChatInterval = time.Second
	}
	if c.GroupPerMinute <= 0 {
		c.GroupPerMinute = 20
	}
	if c.Workers <= 0 {
		c.Workers = 8
	}
	if c.Now == nil {
		c.Now = time.Now
	}
	if c.HTTPClient == nil {
		c.HTTPClient = &http.Client{}
	}
}

// Bot is the Telegram adapter. It implements digest.Messenger.
type Bot struct {
	cfg     Config
	handler digest.CommandHandler
	log     *slog.Logger
	api     api
	limit   *limiter

	mu       sync.RWMutex
	username string
	runCtx   context.Context
	stopPoll context.CancelFunc
	pollDone chan struct{}

	wg  sync.WaitGroup
	sem chan struct{}
}

var _ digest.Messenger = (*Bot)(nil)

// New builds a Bot; it makes no network call (Start does). h may be nil
// for a Bot that only sends (digest.Messenger): commands are then ignored.
func New(cfg Config, h digest.CommandHandler, log *slog.Logger) (*Bot, error) {
	cfg.defaults()
	if cfg.Token == "" {
		return nil, errors.New("telegram: no bot token (set TELEGRAM_TOKEN)")
	}
	if u, err := url.Parse(cfg.APIURL); err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return nil, fmt.Errorf("telegram: api url %q is not an http(s) URL", cfg.APIURL)
	}
	if cfg.WebhookURL != "" {
		if !validSecret(cfg.WebhookSecret) {
			return nil, errors.New("telegram: webhook mode needs a secret token of 1-256 characters A-Z, a-z, 0-9, _ and -")
		}
		if !strings.HasPrefix(cfg.WebhookPath, "/") {
			return nil, fmt.Errorf("telegram: webhook path %q must start with /", cfg.WebhookPath)
		}
	}
	if log == nil {
		log = slog.Default()
	}
	return &Bot{
		cfg:      cfg,
		handler:  h,
		log:      log.With("platform", "telegram"),
		api:      newLibAPI(cfg.Token, cfg.APIURL, cfg.HTTPClient),
		limit:    newLimiter(cfg.MessagesPerSecond, cfg.PerChatInterval, cfg.GroupPerMinute),
		username: strings.TrimPrefix(cfg.BotUsername, "@"),
		sem:      make(chan struct{}, cfg.Workers),
	}, nil
}

func validSecret(t string) bool {
	if len(t) < 1 || len(t) > 256 {
		return false
	}
	for _, r := range t {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '_' || r == '-') {
			return false
		}
	}
	return true
}

// Platform implements digest.Messenger.
func (b *Bot) Platform() digest.Platform { return digest.Telegram }

// RenderDigest implements digest.Messenger.
func (b *Bot) RenderDigest(d digest.DigestView) ([][]byte, error) { return RenderDigest(d) }

// Username is the bot's @username (without "@"), known after Start.
func (b *Bot) Username() string {
	b.mu.RLock()
	defer b.mu.RUnlock()
	return b.username
}

// Start checks the token with getMe, registers the commands with
// setMyCommands, and sets up receiving updates: with a WebhookURL it
// registers the webhook (WebhookHandler serves it); otherwise it starts
// long polling in the background until ctx ends or Close. It returns once
// the bot is running, or with the error that kept it from starting.
func (b *Bot) Start(ctx context.Context) error {
	b.mu.Lock()
	b.runCtx = ctx
	b.mu.Unlock()
	if err := b.getMe(ctx); err != nil {
		return err
	}
	if err := b.setCommands(ctx); err != nil {
		return err
	}
	if b.cfg.WebhookURL != "" {
		return b.setWebhook(ctx)
	}
	// getUpdates fails with 409 while a webhook is set.
	if _, err := b.call(ctx, tgbotapi.DeleteWebhookConfig{}); err != nil {
		return fmt.Errorf("telegram: delete webhook before polling: %w", err)
	}
	pctx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	b.mu.Lock()
	b.stopPoll, b.pollDone = cancel, done
	b.mu.Unlock()
	go func() {
		defer close(done)
		if err := b.poll(pctx); err != nil {
			b.log.Error("telegram polling stopped", "err", err)
		}
	}()
	return nil
}

// Close stops polling and waits for the commands in progress.
func (b *Bot) Close() error {
	b.mu.Lock()
	stop, done := b.stopPoll, b.pollDone
	b.mu.Unlock()
	if stop != nil {
		stop()
		<-done
	}
	b.wg.Wait()
	return nil
}

// call runs a typed library config with the call timeout.
func (b *Bot) call(ctx context.Context, c tgbotapi.Chattable) (json.RawMessage, error) {
	ctx, cancel := context.WithTimeout(ctx, b.cfg.HTTPTimeout)
	defer cancel()
	return b.api.request(ctx, c)
}

// raw runs a method with raw parameters with the call timeout.
func (b *Bot) raw(ctx context.Context, method string, p tgbotapi.Params) (json.RawMessage, error) {
	ctx, cancel := context.WithTimeout(ctx, b.cfg.HTTPTimeout)
	defer cancel()
	return b.api.call(ctx, method, p)
}

func (b *Bot) getMe(ctx context.Context) error {
	res, err := b.raw(ctx, "getMe", nil)
	if err != nil {
		return fmt.Errorf("telegram: check the bot token: %w", err)
	}
	var me struct {
		ID       int64  `json:"id"`
		Username string `json:"username"`
	}
	if err := json.Unmarshal(res, &me); err != nil {
		return fmt.Errorf("telegram: getMe: decode result: %w", err)
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.username != "" && !strings.EqualFold(b.username, me.Username) {
		b.log.Warn("configured bot username differs from getMe; using getMe's", "configured", b.username, "username", me.Username)
	}
	b.username = me.Username
	b.log.Info("telegram bot authenticated", "username", me.Username, "bot_id", me.ID)
	return nil
}

// BotCommands converts digest.Commands into Telegram's command list:
// the commands for Telegram, with descriptions cut to 256 characters.
func BotCommands() []tgbotapi.BotCommand {
	var out []tgbotapi.BotCommand
	for _, c := range digest.Commands {
		if !forTelegram(c) {
			continue
		}
		desc := c.Description
		if utf16Len(desc) > 256 {
			desc = truncateUTF16(desc, 255) + "…"
		}
		out = append(out, tgbotapi.BotCommand{Command: c.Name, Description: desc})
	}
	return out
}

func forTelegram(c digest.CommandSpec) bool {
	if len(c.Platforms) == 0 {
		return true
	}
	for _, p := range c.Platforms {
		if p == digest.Telegram {
			return true
		}
	}
	return false
}

func (b *Bot) setCommands(ctx context.Context) error {
	if _, err := b.call(ctx, tgbotapi.NewSetMyCommands(BotCommands()...)); err != nil {
		return fmt.Errorf("telegram: register commands: %w", err)
	}
	return nil
}

// allowedUpdates are the update kinds the bot reads.
const allowedUpdates = `["message","channel_post"]`

func (b *Bot) setWebhook(ctx context.Context) error {
	p := tgbotapi.Params{
		"url":             b.cfg.WebhookURL,
		"secret_token":    b.cfg.WebhookSecret,
		"allowed_updates": allowedUpdates,
	}
	if _, err := b.raw(ctx, "setWebhook", p); err != nil {
		return fmt.Errorf("telegram: set webhook: %w", err)
	}
	host := ""
	if u, err := url.Parse(b.cfg.WebhookURL); err == nil {
		host = u.Host // the path may be secret: log the host only
	}
	b.log.Info("telegram webhook registered", "host", host)
	return nil
}

// poll receives updates with getUpdates until ctx ends: our own loop,
// because the library's GetUpdatesChan ignores retry_after and sleeps a
// fixed 3 s after any error. Updates are confirmed by the next offset.
func (b *Bot) poll(ctx context.Context) error {
	defer b.wg.Wait()
	offset := 0
	backoff := time.Second
	for ctx.Err() == nil {
		updates, err := b.getUpdates(ctx, offset)
		if err != nil {
			if ctx.Err() != nil {
				break
			}
			var ae *APIError
			if errors.As(err, &ae) && (ae.Code == http.StatusUnauthorized || ae.Code == http.StatusNotFound) {
				return err // a revoked token or a wrong API URL: retrying cannot help
			}
			wait := backoff
			var rl *digest.RateLimitedError
			if errors.As(err, &rl) {
				wait = rl.RetryAfter
			} else {
				backoff = min(backoff*2, time.Minute)
			}
			b.log.Warn("telegram getUpdates failed", "err", err, "retry_in", wait)
			if !sleep(ctx, wait) {
				break
			}
			continue
		}
		backoff = time.Second
		for _, u := range updates {
			if u.UpdateID >= offset {
				offset = u.UpdateID + 1
			}
			b.dispatch(ctx, u)
		}
	}
	return nil
}

func sleep(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	}
}

func (b *Bot) getUpdates(ctx context.Context, offset int) ([]update, error) {
	p := tgbotapi.Params{
		"timeout":         strconv.Itoa(int(b.cfg.PollTimeout / time.Second)),
		"allowed_updates": allowedUpdates,
	}
	if offset > 0 {
		p["offset"] = strconv.Itoa(offset)
	}
	// The client must wait longer than Telegram holds the poll.
	ctx, cancel := context.WithTimeout(ctx, b.cfg.PollTimeout+b.cfg.HTTPTimeout)
	defer cancel()
	res, err := b.api.call(ctx, "getUpdates", p)
	if err != nil {
		return nil, fmt.Errorf("telegram: poll at offset %d: %w", offset, err)
	}
	var us []update
	if err := json.Unmarshal(res, &us); err != nil {
		return nil, fmt.Errorf("telegram: getUpdates: decode result: %w", err)
	}
	return us, nil
}

// dispatch handles an update on a worker, at most Workers at once.
func (b *Bot) dispatch(ctx context.Context, u update) {
	select {
	case b.sem <- struct{}{}:
	case <-ctx.Done():
		return
	}
	b.wg.Add(1)
	go func() {
		defer func() { <-b.sem; b.wg.Done() }()
		b.handleUpdate(ctx, u)
	}()
}

// WebhookHandler serves Telegram's webhook POSTs for the caller's mux (at
// Config.WebhookPath). A request without the right
// X-Telegram-Bot-Api-Secret-Token header gets 403. The update is handled
// before the answer, so Telegram's connection limit bounds the work.
func (b *Bot) WebhookHandler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost {
			w.Header().Set("Allow", http.MethodPost)
			http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
			return
		}
		if !secretMatches(r.Header.Get("X-Telegram-Bot-Api-Secret-Token"), b.cfg.WebhookSecret) {
			b.log.Warn("telegram webhook request with a wrong secret token refused", "remote", r.RemoteAddr)
			http.Error(w, "forbidden", http.StatusForbidden)
			return
		}
		var u update
		if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, 1<<20)).Decode(&u); err != nil {
			http.Error(w, "bad update", http.StatusBadRequest)
			return
		}
		ctx := context.WithoutCancel(r.Context())
		b.mu.RLock()
		if b.runCtx != nil {
			ctx = b.runCtx
		}
		b.mu.RUnlock()
		b.handleUpdate(ctx, u) // the HTTP server's Shutdown waits for it
		w.WriteHeader(http.StatusOK)
	})
}

// String describes the config without its secrets, for %v and %+v.
func (c Config) String() string {
	return fmt.Sprintf("telegram.Config{APIURL:%s Webhook:%t WebhookPath:%s PollTimeout:%s HTTPTimeout:%s BotUsername:%s MessagesPerSecond:%d}",
		c.APIURL, c.WebhookURL != "", c.WebhookPath, c.PollTimeout, c.HTTPTimeout, c.BotUsername, c.MessagesPerSecond)
}

// LogValue keeps the token and webhook secret out of structured logs.
func (c Config) LogValue() slog.Value { return slog.StringValue(c.String()) }
