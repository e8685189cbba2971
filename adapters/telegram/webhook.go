package telegram

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"
)

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
