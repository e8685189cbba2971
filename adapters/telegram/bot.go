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
	"net/url"
	"strings"
	"sync"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"newsdigest/digest"
)

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

	// answerAfter bounds the wait for a press's handler before the
	// callback query is answered anyway (callbackAnswerAfter).
	answerAfter time.Duration
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

		answerAfter: callbackAnswerAfter,
	}, nil
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
			if b.cfg.OnFatal != nil {
				b.cfg.OnFatal(fmt.Errorf("telegram: polling stopped: %w", err))
			}
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
