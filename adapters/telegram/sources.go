package telegram

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"strconv"
	"strings"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"newsdigest/digest"
)

// subcommand picks a command's form: for a command with subcommands, the
// one named by the first word of args ("/source add URL" → add, "URL"),
// else the command itself with all of args.
func subcommand(spec digest.CommandSpec, args string) (digest.CommandSpec, string, error) {
	if len(spec.Subcommands) == 0 {
		return spec, args, nil
	}
	word, rest, _ := strings.Cut(args, " ")
	word = strings.ToLower(word)
	var names []string
	for _, sub := range spec.Subcommands {
		if sub.Name == word {
			return sub, strings.TrimSpace(rest), nil
		}
		names = append(names, sub.Name)
	}
	if word == "" {
		return spec, "", fmt.Errorf("%w: say what to do: %s", errUsage, strings.Join(names, ", "))
	}
	return spec, "", fmt.Errorf("%w: %.40q is not one of %s", errUsage, word, strings.Join(names, ", "))
}

// positional is a form without its file option, which a document brings
// rather than a word.
func positional(spec digest.CommandSpec) digest.CommandSpec {
	var opts []digest.OptionSpec
	for _, o := range spec.Options {
		if !o.Attachment {
			opts = append(opts, o)
		}
	}
	spec.Options = opts
	return spec
}

// attachmentOption is a form's file option, if it has one.
func attachmentOption(spec digest.CommandSpec) (digest.OptionSpec, bool) {
	for _, o := range spec.Options {
		if o.Attachment {
			return o, true
		}
	}
	return digest.OptionSpec{}, false
}

// maxBotDownload is the largest file the Bot API lets a bot download.
const maxBotDownload = 20 << 20

// attachment makes a request's Attachment of a document: Open refuses a
// file whose stated size is over the limit (or over the Bot API's 20 MB)
// before any call, then asks getFile for its path and downloads it from
// the file storage, stopping at the limit.
func (b *Bot) attachment(d document) *digest.Attachment {
	return &digest.Attachment{Name: d.FileName, Size: d.FileSize, Open: func(ctx context.Context, max int64) ([]byte, error) {
		if d.FileSize > max || d.FileSize > maxBotDownload {
			return nil, fmt.Errorf("telegram: document %q of %d bytes, limit %d: %w", d.FileName, d.FileSize, min(max, maxBotDownload), digest.ErrTooLarge)
		}
		res, err := b.raw(ctx, "getFile", tgbotapi.Params{"file_id": d.FileID})
		if err != nil {
			return nil, fmt.Errorf("telegram: document %q: %w", d.FileName, err)
		}
		var f struct {
			FileSize int64  `json:"file_size"`
			FilePath string `json:"file_path"`
		}
		if err := json.Unmarshal(res, &f); err != nil || f.FilePath == "" {
			return nil, fmt.Errorf("telegram: document %q: getFile gave no file path", d.FileName)
		}
		if f.FileSize > max {
			return nil, fmt.Errorf("telegram: document %q of %d bytes, limit %d: %w", d.FileName, f.FileSize, max, digest.ErrTooLarge)
		}
		dctx, cancel := context.WithTimeout(ctx, b.cfg.HTTPTimeout)
		defer cancel()
		data, err := b.api.download(dctx, f.FilePath, max)
		if err != nil {
			return nil, fmt.Errorf("telegram: document %q: %w", d.FileName, err)
		}
		return data, nil
	}}
}

// sendDocument sends a reply's file (multipart sendDocument) within the
// send budget.
func (b *Bot) sendDocument(ctx context.Context, chatID, thread string, f digest.File) error {
	p := tgbotapi.Params{"chat_id": chatID}
	if thread != "" {
		p["message_thread_id"] = thread
	}
	_, err := b.paced(ctx, chatID, func(ctx context.Context) (json.RawMessage, error) {
		ctx, cancel := context.WithTimeout(ctx, b.cfg.HTTPTimeout)
		defer cancel()
		return b.api.upload(ctx, "sendDocument", p, "document", f.Name, f.Data)
	})
	if err != nil {
		return fmt.Errorf("telegram: send document %q: %w", f.Name, err)
	}
	return nil
}

// callbackAnswerAfter is how long a press waits for the handler before
// the callback query is answered anyway (the client shows a spinner until
// then; Telegram drops answers after about 15 s).
const callbackAnswerAfter = 5 * time.Second

// maxAlert is the length of a callback answer's text.
const maxAlert = 200

// handlePress answers a button press: the handler gets a request named
// digest.Pressed with Args["button"] = the button's callback_data, in the
// chat of the message the button is on, IsAdmin from getChatMember for the
// presser. The callback query is always answered; an error reply (a
// refusal) is shown to the presser alone as an alert and changes nothing,
// any other reply replaces the message's text, and its buttons unless the
// reply brings new ones.
func (b *Bot) handlePress(ctx context.Context, q *callbackQuery) {
	log := b.log.With("callback_query", q.ID)
	answered := false
	answer := func(text string) {
		if answered {
			return
		}
		answered = true
		p := tgbotapi.Params{"callback_query_id": q.ID}
		if text != "" {
			if utf16Len(text) > maxAlert {
				text = truncateUTF16(text, maxAlert-1) + "…"
			}
			p["text"] = text
			p["show_alert"] = "true"
		}
		if _, err := b.raw(context.WithoutCancel(ctx), "answerCallbackQuery", p); err != nil {
			log.Warn("telegram answerCallbackQuery failed", "err", err)
		}
	}
	defer answer("")
	m := q.Message
	if m == nil || q.Data == "" {
		return // an inline-mode message or a game: not ours
	}
	chatID := strconv.FormatInt(m.Chat.ID, 10)
	log = log.With("chat_id", chatID, "button", q.Data)
	thread := ""
	if m.IsTopicMessage && m.MessageThreadID != 0 {
		thread = strconv.Itoa(m.MessageThreadID)
	}
	req := digest.CommandRequest{
		Platform: digest.Telegram, Name: digest.Pressed, Args: map[string]string{"button": q.Data},
		ChatID: chatID, ThreadID: thread, ChatType: m.Chat.Type, UserID: strconv.FormatInt(q.From.ID, 10),
		Now: b.cfg.Now(),
	}
	req.IsAdmin = b.presserAdmin(ctx, log, m.Chat, q.From.ID)

	type result struct {
		rep digest.CommandReply
		err error
	}
	done := make(chan result, 1)
	go func() {
		defer func() {
			if p := recover(); p != nil {
				done <- result{err: fmt.Errorf("handler panic: %v", p)}
			}
		}()
		rep, err := b.handler.Handle(ctx, req)
		done <- result{rep, err}
	}()
	var res result
	select {
	case res = <-done:
	case <-time.After(b.answerAfter):
		answer("")
		res = <-done
	}
	if res.err != nil {
		log.Error("telegram press failed", "err", res.err)
		answer("Something went wrong; please try again later.")
		return
	}
	if res.rep.IsError {
		if !answered {
			answer(res.rep.Text)
			return
		}
		b.reply(ctx, log, chatID, thread, res.rep) // too late for an alert
		return
	}
	answer("")
	msgs := ReplyMessages(res.rep)
	if err := b.editMessage(ctx, m, msgs[0]); err == nil {
		msgs = msgs[1:]
	} else {
		// The reply cannot replace the message (a caption too long for the
		// photo it was on, a message no longer editable): the buttons go
		// and the reply is sent as new messages, so that it is not lost.
		log.Warn("telegram: replace the pressed message; sending the reply instead", "err", err)
		b.dropKeyboard(ctx, log, m)
	}
	b.sendReply(ctx, log, chatID, thread, msgs, res.rep.File)
}

// errNoCaption: a reply too long for the caption of the photo pressed.
var errNoCaption = errors.New("the reply does not fit a photo's caption")

// dropKeyboard removes the buttons of a message (editMessageReplyMarkup
// without reply_markup), best effort.
func (b *Bot) dropKeyboard(ctx context.Context, log *slog.Logger, on *message) {
	p := tgbotapi.Params{"chat_id": strconv.FormatInt(on.Chat.ID, 10), "message_id": strconv.Itoa(on.MessageID)}
	if _, err := b.raw(ctx, "editMessageReplyMarkup", p); err != nil {
		log.Warn("telegram: remove the pressed message's buttons", "err", err)
	}
}

// editMessage replaces a message's text (or a photo's caption) and its
// keyboard: without ReplyMarkup the buttons go.
func (b *Bot) editMessage(ctx context.Context, on *message, m Message) error {
	method := "editMessageText"
	p := tgbotapi.Params{"chat_id": strconv.FormatInt(on.Chat.ID, 10), "message_id": strconv.Itoa(on.MessageID)}
	if len(on.Photo) > 0 {
		// The HTML is at least as long as its visible text: within the
		// caption limit it fits for sure.
		if utf16Len(m.Text) > MaxCaptionLen {
			return errNoCaption
		}
		method = "editMessageCaption"
		p["caption"] = m.Text
	} else {
		p["text"] = m.Text
		if err := p.AddInterface("link_preview_options", &LinkPreviewOptions{IsDisabled: true}); err != nil {
			return err
		}
	}
	p.AddNonEmpty("parse_mode", m.ParseMode)
	if m.ReplyMarkup != nil {
		if err := p.AddInterface("reply_markup", m.ReplyMarkup); err != nil {
			return fmt.Errorf("telegram: %s: encode buttons: %w", method, err)
		}
	}
	_, err := b.raw(ctx, method, p)
	var ae *APIError
	if errors.As(err, &ae) && strings.Contains(ae.Message, "message is not modified") {
		return nil // pressed twice: already so
	}
	if err != nil {
		return fmt.Errorf("telegram: %s in %s: %w", method, p["chat_id"], err)
	}
	return nil
}

// presserAdmin decides IsAdmin for a press: true in a private chat, else
// what getChatMember says of the presser (in a channel too: anyone who
// sees a channel's post can press its buttons).
func (b *Bot) presserAdmin(ctx context.Context, log *slog.Logger, c chat, userID int64) bool {
	if c.Type == "private" {
		return true
	}
	cfg := tgbotapi.GetChatMemberConfig{ChatConfigWithUser: tgbotapi.ChatConfigWithUser{ChatID: c.ID, UserID: userID}}
	res, err := b.call(ctx, cfg)
	if err != nil {
		log.Warn("telegram getChatMember failed; treating the presser as no admin", "err", fmt.Errorf("telegram: %w", err))
		return false
	}
	var member struct {
		Status string `json:"status"`
	}
	if err := json.Unmarshal(res, &member); err != nil {
		return false
	}
	return member.Status == "creator" || member.Status == "administrator"
}
