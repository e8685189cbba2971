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

// parsedCommand is "/name@bot args" split up.
type parsedCommand struct {
	name, bot, args string
}

// parseCommand splits a message text that starts with a command. ok is
// false for text that is not a command.
func parseCommand(text string) (parsedCommand, bool) {
	if !strings.HasPrefix(text, "/") {
		return parsedCommand{}, false
	}
	head, args, _ := strings.Cut(text[1:], " ")
	if i := strings.IndexAny(head, "\n\t"); i >= 0 {
		args = head[i+1:] + " " + args
		head = head[:i]
	}
	name, bot, _ := strings.Cut(head, "@")
	if name == "" {
		return parsedCommand{}, false
	}
	return parsedCommand{name: strings.ToLower(name), bot: bot, args: strings.TrimSpace(args)}, true
}

func commandSpec(name string) (digest.CommandSpec, bool) {
	for _, c := range digest.Commands {
		if c.Name == name && forTelegram(c) {
			return c, true
		}
	}
	return digest.CommandSpec{}, false
}

// errUsage says that a command's arguments do not fit its spec.
var errUsage = errors.New("bad arguments")

// mapArgs maps positional arguments to the spec's option names, in order:
// an integer option takes one number (an optional one is skipped when the
// next word is not a number); a string option takes one word, or, if it is
// the last option, the rest of the text.
// "/subscribe 08:00 Europe/Berlin 5 ai, climate" → time, timezone,
// max_stories=5, keywords="ai, climate".
//
// Any option may also be given by name, anywhere, as name:value
// ("/subscribe 08:00 UTC images:false"): the only way to set a yes/no one.
func mapArgs(spec digest.CommandSpec, text string) (map[string]string, error) {
	args := map[string]string{}
	var positional []string
	for _, w := range strings.Fields(text) {
		name, val, ok := strings.Cut(w, ":")
		if o, known := optionNamed(spec, name); ok && known && val != "" {
			if o.Type == digest.OptBool {
				if _, err := strconv.ParseBool(val); err != nil {
					return nil, fmt.Errorf("%w: %s must be true or false", errUsage, name)
				}
			}
			args[name] = val
			continue
		}
		positional = append(positional, w)
	}
	rest := strings.Join(positional, " ")
	// Yes/no options have no place in positional text: they keep their
	// defaults on Telegram.
	var opts []digest.OptionSpec
	for _, o := range spec.Options {
		if _, named := args[o.Name]; o.Type != digest.OptBool && !named && !namedOnly(o.Name) {
			opts = append(opts, o)
		}
	}
	if len(opts) == 0 {
		return args, nil // "/start <deep-link payload>": extra words are not an error
	}
	for i, opt := range opts {
		if rest == "" {
			if opt.Required {
				return nil, fmt.Errorf("%w: %s is required", errUsage, opt.Name)
			}
			continue
		}
		word, after, _ := strings.Cut(rest, " ")
		switch {
		case opt.Type == digest.OptInteger:
			n, err := strconv.Atoi(word)
			if err != nil && !isNumber(word) {
				if opt.Required {
					return nil, fmt.Errorf("%w: %s must be a number", errUsage, opt.Name)
				}
				continue
			}
			// A number too big for an int is still the count, out of range,
			// not a keyword.
			if err != nil || (opt.Min != 0 && n < opt.Min) || (opt.Max != 0 && n > opt.Max) {
				return nil, fmt.Errorf("%w: %s must be a whole number from %d to %d, not %.20q", errUsage, opt.Name, opt.Min, opt.Max, word)
			}
			args[opt.Name] = word
			rest = strings.TrimSpace(after)
		case i == len(opts)-1:
			args[opt.Name] = rest
			rest = ""
		default:
			args[opt.Name] = word
			rest = strings.TrimSpace(after)
		}
	}
	if rest != "" {
		return nil, fmt.Errorf("%w: unexpected %q", errUsage, rest)
	}
	return args, nil
}

// updateTTL is how long an update's ID is remembered: Telegram keeps an
// unconfirmed update for 24 hours.
const updateTTL = 25 * time.Hour

// firstSeen reports whether update u is new to every process sharing the
// store (true without Config.FirstSeen, or when the store cannot say: a
// command answered twice beats one never answered). Update IDs are per
// bot, so the key names the bot's ID (the token's public part).
func (b *Bot) firstSeen(ctx context.Context, u update) bool {
	if b.cfg.FirstSeen == nil {
		return true
	}
	botID, _, _ := strings.Cut(b.cfg.Token, ":")
	ctx, cancel := context.WithTimeout(ctx, time.Second)
	defer cancel()
	first, err := b.cfg.FirstSeen(ctx, fmt.Sprintf("telegram:update:%s:%d", botID, u.UpdateID), updateTTL)
	if err != nil {
		b.log.Warn("telegram: checking an update against the store failed; handling it", "update_id", u.UpdateID, "err", err)
		return true
	}
	if !first {
		b.log.Info("telegram: update already handled; skipped", "update_id", u.UpdateID)
	}
	return first
}

// optionNamed finds a command's option by name.
func optionNamed(spec digest.CommandSpec, name string) (digest.OptionSpec, bool) {
	for _, o := range spec.Options {
		if o.Name == name {
			return o, true
		}
	}
	return digest.OptionSpec{}, false
}

// isNumber reports whether word is an optionally signed run of ASCII digits.
func isNumber(word string) bool {
	word = strings.TrimLeft(word, "+-")
	if word == "" {
		return false
	}
	for _, r := range word {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

// namedOnly reports options that are given only as name:value, never by
// position ("languages:de,en"), so that the last positional option
// (keywords) still takes the rest of the text.
func namedOnly(name string) bool {
	return name == "languages" || name == "language"
}

// handleUpdate answers a command in a message or channel post.
func (b *Bot) handleUpdate(ctx context.Context, u update) {
	if u.CallbackQuery != nil {
		// A press delivered twice (a webhook retry, a second process) is
		// handled, and answered, once.
		if b.handler != nil && b.firstSeen(ctx, u) {
			b.handlePress(ctx, u.CallbackQuery)
		}
		return
	}
	m := u.Message
	if m == nil {
		m = u.ChannelPost
	}
	if m == nil || b.handler == nil {
		return
	}
	text := m.Text
	if m.Document != nil {
		text = m.Caption // a file sent with the command as its caption
	}
	pc, ok := parseCommand(text)
	if !ok {
		return
	}
	if !b.firstSeen(ctx, u) {
		return
	}
	if pc.bot != "" && !strings.EqualFold(pc.bot, b.Username()) {
		return // addressed to another bot
	}
	chatID := strconv.FormatInt(m.Chat.ID, 10)
	thread := ""
	if m.IsTopicMessage && m.MessageThreadID != 0 {
		thread = strconv.Itoa(m.MessageThreadID)
	}
	log := b.log.With("chat_id", chatID, "command", pc.name)
	spec, ok := commandSpec(pc.name)
	if !ok {
		if m.Chat.Type == "private" || pc.bot != "" {
			b.reply(ctx, log, chatID, thread, digest.CommandReply{Text: "Unknown command. Send /help for the list.", IsError: true})
		}
		return // in a group it may be another bot's command
	}
	form, rest, err := subcommand(spec, pc.args)
	var args map[string]string
	if err == nil {
		args, err = mapArgs(positional(form), rest)
	}
	if err != nil {
		text := "Usage: " + form.Usage
		if why, ok := strings.CutPrefix(err.Error(), errUsage.Error()+": "); ok {
			text = "Bad arguments: " + why + ".\n" + text
		}
		b.reply(ctx, log, chatID, thread, digest.CommandReply{Text: text, IsError: true})
		return
	}
	if form.Name != spec.Name {
		args["subcommand"] = form.Name
	}
	req := digest.CommandRequest{
		Platform: digest.Telegram,
		Name:     spec.Name,
		Args:     args,
		ChatID:   chatID,
		ThreadID: thread,
		ChatType: m.Chat.Type,
		Now:      b.cfg.Now(),
	}
	if o, ok := attachmentOption(form); ok {
		if m.Document == nil {
			if o.Required {
				b.reply(ctx, log, chatID, thread, digest.CommandReply{Text: "Send the file as a document with " + form.Usage + " as its caption.", IsError: true})
				return
			}
		} else {
			args[o.Name] = m.Document.FileName
			req.Attachment = b.attachment(*m.Document)
		}
	}
	if m.From != nil {
		req.UserID = strconv.FormatInt(m.From.ID, 10)
		req.Locale = m.From.LanguageCode
	}
	req.IsAdmin = b.isAdmin(ctx, log, m, spec)
	log.Debug("telegram command", "chat_type", req.ChatType, "is_admin", req.IsAdmin)
	rep, err := b.handler.Handle(ctx, req)
	if err != nil {
		log.Error("telegram command failed", "err", err)
		rep = digest.CommandReply{Text: "Something went wrong; please try again later.", IsError: true}
	}
	b.reply(ctx, log, chatID, thread, rep)
}

// isAdmin decides CommandRequest.IsAdmin: true in a private chat and for a
// channel post (only a channel's admins can post); in a group, true for
// the anonymous admin (sender_chat is the group itself) and otherwise as
// getChatMember says, asked only for admin-only commands.
func (b *Bot) isAdmin(ctx context.Context, log *slog.Logger, m *message, spec digest.CommandSpec) bool {
	switch m.Chat.Type {
	case "private", "channel":
		return true
	}
	if m.SenderChat != nil && m.SenderChat.ID == m.Chat.ID {
		return true
	}
	if !spec.AdminOnly || m.From == nil {
		return false
	}
	cfg := tgbotapi.GetChatMemberConfig{ChatConfigWithUser: tgbotapi.ChatConfigWithUser{ChatID: m.Chat.ID, UserID: m.From.ID}}
	res, err := b.call(ctx, cfg)
	if err != nil {
		log.Warn("telegram getChatMember failed; treating the user as no admin", "err", fmt.Errorf("telegram: %w", err))
		return false
	}
	var member struct {
		Status string `json:"status"`
	}
	if err := json.Unmarshal(res, &member); err != nil {
		log.Warn("telegram getChatMember: bad result", "err", err)
		return false
	}
	return member.Status == "creator" || member.Status == "administrator"
}

// reply sends a command's answer in order (see sendReply).
func (b *Bot) reply(ctx context.Context, log *slog.Logger, chatID, thread string, r digest.CommandReply) {
	b.sendReply(ctx, log, chatID, thread, ReplyMessages(r), r.File)
}

// sendReply sends the messages of an answer in order, then its file, if
// any: each ahead of digest sends at the budget, and retried (see
// retried), since no outbox stands behind them.
func (b *Bot) sendReply(ctx context.Context, log *slog.Logger, chatID, thread string, msgs []Message, file *digest.File) {
	ctx = context.WithValue(ctx, replyKey{}, true) // ahead of digest sends at the budget
	for i, m := range msgs {
		if err := retried(ctx, func() error { _, err := b.send(ctx, chatID, thread, m); return err }); err != nil {
			log.Warn("telegram reply not sent", "part", i, "err", err)
			return
		}
	}
	if file != nil {
		if err := retried(ctx, func() error { return b.sendDocument(ctx, chatID, thread, *file) }); err != nil {
			log.Warn("telegram reply file not sent", "file", file.Name, "err", err)
		}
	}
}

// retried makes a send, retrying a 429 after its retry_after and a
// transient failure (a 5xx, a lost or refused connection, no descriptor
// left) for about a minute, doubling the wait: a reply later than that
// answers a question nobody waits on.
func retried(ctx context.Context, send func() error) error {
	var err error
	for attempt := 0; attempt < 7; attempt++ {
		if err = send(); err == nil {
			return nil
		}
		wait := min(time.Second<<attempt, 30*time.Second)
		var rl *digest.RateLimitedError
		var te *digest.TemporaryError
		if errors.As(err, &rl) {
			wait = rl.RetryAfter
		} else if !errors.As(err, &te) || attempt == 6 {
			return err
		}
		if !sleep(ctx, wait) {
			return err
		}
	}
	return err
}
