package telegram

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"newsdigest/digest"
)

// allowedUpdates are the update kinds the bot reads.
const allowedUpdates = `["message","channel_post","callback_query"]`

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
