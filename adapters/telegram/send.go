package telegram

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

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

// send posts m with sendMessage within the send budget. The parameters
// newer than Bot API 5.5 go through the library's raw call.
func (b *Bot) send(ctx context.Context, chatID, thread string, m Message) (string, error) {
	if chatID == "" {
		return "", errors.New("telegram: sendMessage: no chat ID")
	}
	p := tgbotapi.Params{"chat_id": chatID, "text": m.Text}
	p.AddNonEmpty("parse_mode", m.ParseMode)
	if thread != "" {
		p["message_thread_id"] = thread
	}
	if m.LinkPreview != nil {
		if err := p.AddInterface("link_preview_options", m.LinkPreview); err != nil {
			return "", fmt.Errorf("telegram: sendMessage to %s: encode link preview: %w", chatID, err)
		}
	}
	ps, err := b.limit.wait(ctx, chatID)
	if err != nil {
		return "", fmt.Errorf("telegram: to chat %s: wait for the send budget: %w", chatID, &digest.TemporaryError{Platform: digest.Telegram, Err: err})
	}
	tctx, answered := answerClock(ctx)
	res, err := b.raw(tctx, "sendMessage", p)
	b.limit.done(ps, answered()) // answered or failed: counted by Telegram, if ever
	if err != nil {
		var rl *digest.RateLimitedError
		if errors.As(err, &rl) {
			b.limit.penalize(chatID, rl.RetryAfter)
		}
		return "", fmt.Errorf("telegram: to chat %s: %w", chatID, err)
	}
	var sent struct {
		MessageID int64 `json:"message_id"`
	}
	if err := json.Unmarshal(res, &sent); err != nil {
		return "", fmt.Errorf("telegram: sendMessage to %s: decode result: %w", chatID, err)
	}
	return strconv.FormatInt(sent.MessageID, 10), nil
}
