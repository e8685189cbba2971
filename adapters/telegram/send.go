package telegram

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"newsdigest/adapters/internal/pace"
	"newsdigest/digest"
)

// Send implements digest.Messenger: it posts one rendered message (a
// Message in JSON) to d.ChatID, in forum topic d.ThreadID if set. It waits
// for the send budget first, so it may be called from many goroutines.
func (b *Bot) Send(ctx context.Context, d digest.Delivery) (string, error) {
	var m Message
	if err := json.Unmarshal(d.Payload, &m); err != nil {
		return "", fmt.Errorf("telegram: delivery %s: decode payload: %w", d.Key, err)
	}
	id, err := b.send(ctx, d.ChatID, d.ThreadID, m)
	if err != nil {
		return "", fmt.Errorf("%w (delivery %s)", err, d.Key)
	}
	return id, nil
}

// send posts m with sendMessage (sendPhoto when it has a photo) within the
// send budget. The parameters newer than Bot API 5.5 go through the
// library's raw call. A photo Telegram cannot fetch is sent as text with
// its link preview instead.
func (b *Bot) send(ctx context.Context, chatID, thread string, m Message) (string, error) {
	if m.Photo != "" {
		id, err := b.sendOne(ctx, chatID, thread, m)
		var ae *APIError
		if err == nil || !errors.As(err, &ae) || !photoRefused(ae) {
			return id, err
		}
		m.Photo = ""
	}
	return b.sendOne(ctx, chatID, thread, m)
}

// photoRefused reports Telegram's answers to a photo URL it could not use
// (the page's server refused it, it is not an image, it is too large).
func photoRefused(e *APIError) bool {
	if e.Code != 400 {
		return false
	}
	d := strings.ToLower(e.Message)
	return strings.Contains(d, "wrong file identifier") || strings.Contains(d, "failed to get http url content") ||
		strings.Contains(d, "wrong type of the web page content") || strings.Contains(d, "image_process_failed") ||
		strings.Contains(d, "photo_invalid_dimensions") || strings.Contains(d, "wrong remote file")
}

func (b *Bot) sendOne(ctx context.Context, chatID, thread string, m Message) (string, error) {
	method := "sendMessage"
	if chatID == "" {
		return "", errors.New("telegram: sendMessage: no chat ID")
	}
	p := tgbotapi.Params{"chat_id": chatID, "text": m.Text}
	if m.Photo != "" {
		method = "sendPhoto"
		p = tgbotapi.Params{"chat_id": chatID, "photo": m.Photo, "caption": m.Text}
		m.LinkPreview = nil // a photo has no link preview
	}
	p.AddNonEmpty("parse_mode", m.ParseMode)
	if thread != "" {
		p["message_thread_id"] = thread
	}
	if m.ReplyMarkup != nil {
		if err := p.AddInterface("reply_markup", m.ReplyMarkup); err != nil {
			return "", fmt.Errorf("telegram: %s to %s: encode buttons: %w", method, chatID, err)
		}
	}
	if m.LinkPreview != nil {
		if err := p.AddInterface("link_preview_options", m.LinkPreview); err != nil {
			return "", fmt.Errorf("telegram: sendMessage to %s: encode link preview: %w", chatID, err)
		}
	}
	res, err := b.paced(ctx, chatID, func(ctx context.Context) (json.RawMessage, error) { return b.raw(ctx, method, p) })
	if err != nil {
		return "", err
	}
	var sent struct {
		MessageID int64 `json:"message_id"`
	}
	if err := json.Unmarshal(res, &sent); err != nil {
		return "", fmt.Errorf("telegram: %s to %s: decode result: %w", method, chatID, err)
	}
	return strconv.FormatInt(sent.MessageID, 10), nil
}

// paced makes one call that posts to chatID within the send budget: it
// waits for the budget, makes the call, gives the budget back the moment
// the call was answered (or failed: counted by Telegram, if ever), and
// holds the chat back after a 429. Every call that posts a message goes
// through it.
func (b *Bot) paced(ctx context.Context, chatID string, call func(context.Context) (json.RawMessage, error)) (json.RawMessage, error) {
	ps, err := b.limit.wait(ctx, chatID)
	if err != nil {
		return nil, fmt.Errorf("telegram: to chat %s: wait for the send budget: %w", chatID, &digest.TemporaryError{Platform: digest.Telegram, Err: err})
	}
	tctx, answered := pace.AnswerClock(ctx)
	res, err := call(tctx)
	b.limit.done(ps, answered())
	if err != nil {
		var rl *digest.RateLimitedError
		if errors.As(err, &rl) {
			b.limit.penalize(chatID, rl.RetryAfter)
		}
		return nil, fmt.Errorf("telegram: to chat %s: %w", chatID, err)
	}
	return res, nil
}
