package discord

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"mime"
	"path"
	"strconv"
	"strings"
	"time"

	"github.com/bwmarrin/discordgo"

	"newsdigest/digest"
)

// tokenLife is how long an interaction token accepts edits and follow-ups
// (Discord: 15 minutes), less a margin.
const tokenLife = 14 * time.Minute

// Replies the adapter gives itself.
const (
	internalErrorText = "Something went wrong on our side; please try again later."
	unknownCommand    = "This command is not known to this bot."
)

// respondFunc delivers the first answer to an interaction: a REST callback
// (gateway) or the HTTP response body (interactions endpoint).
type respondFunc func(ctx context.Context, resp *discordgo.InteractionResponse) error

func (b *Bot) onGatewayInteraction(i *discordgo.Interaction) {
	switch i.Type {
	case discordgo.InteractionApplicationCommand, discordgo.InteractionMessageComponent,
		discordgo.InteractionApplicationCommandAutocomplete:
	default:
		return
	}
	received := time.Now()
	if !b.track() {
		return
	}
	defer b.wg.Done()
	if !b.firstSeen(i) {
		return // another process on this token answers it
	}
	b.answer(i, received, func(ctx context.Context, resp *discordgo.InteractionResponse) error {
		return b.s.InteractionRespond(i, resp, discordgo.WithContext(ctx))
	})
}

// interactionTTL is how long an interaction's ID is remembered: past its
// token's life (15 minutes) and the signed timestamp's window (5 minutes),
// a replay is refused anyway.
const interactionTTL = 20 * time.Minute

// firstSeen reports whether interaction i is new to every process sharing
// the store (true without Config.FirstSeen). When the store cannot say, it
// is answered: a command answered twice beats one never answered.
func (b *Bot) firstSeen(i *discordgo.Interaction) bool {
	if b.cfg.FirstSeen == nil || i.ID == "" {
		return true
	}
	ctx, cancel := context.WithTimeout(b.ctx, time.Second)
	defer cancel()
	first, err := b.cfg.FirstSeen(ctx, "discord:interaction:"+i.ID, interactionTTL)
	if err != nil {
		b.log.Warn("discord: checking an interaction against the store failed; answering it", "interaction", i.ID, "err", err)
		return true
	}
	if !first {
		b.log.Info("discord: interaction already handled; skipped", "interaction", i.ID)
	}
	return first
}

// request turns an interaction into a platform-neutral command request:
// a slash command with its options (a subcommand's name in
// Args["subcommand"] and its options by name), or a button press (Name
// digest.Pressed, Args["button"] the button's custom_id).
func (b *Bot) commandRequest(i *discordgo.Interaction, now time.Time) digest.CommandRequest {
	req := digest.CommandRequest{Platform: digest.Discord, Args: map[string]string{},
		ChatID: i.ChannelID, GuildID: i.GuildID, Now: now}
	// The guild's language for what the bot posts in a guild channel, the
	// user's own otherwise.
	req.Locale = string(i.Locale)
	if i.GuildLocale != nil && *i.GuildLocale != "" {
		req.Locale = string(*i.GuildLocale)
	}
	if i.Type == discordgo.InteractionMessageComponent {
		req.Name = digest.Pressed
		req.Args["button"] = i.MessageComponentData().CustomID
	} else {
		data := i.ApplicationCommandData()
		req.Name = data.Name
		opts := data.Options
		if len(opts) == 1 && (opts[0].Type == discordgo.ApplicationCommandOptionSubCommand ||
			opts[0].Type == discordgo.ApplicationCommandOptionSubCommandGroup) {
			req.Args["subcommand"] = opts[0].Name
			opts = opts[0].Options
		}
		for _, o := range opts {
			switch o.Type {
			case discordgo.ApplicationCommandOptionInteger:
				req.Args[o.Name] = strconv.FormatInt(o.IntValue(), 10)
			case discordgo.ApplicationCommandOptionBoolean:
				req.Args[o.Name] = strconv.FormatBool(o.BoolValue())
			case discordgo.ApplicationCommandOptionString:
				req.Args[o.Name] = o.StringValue()
			case discordgo.ApplicationCommandOptionAttachment:
				id, _ := o.Value.(string)
				if data.Resolved != nil && data.Resolved.Attachments[id] != nil {
					a := data.Resolved.Attachments[id]
					req.Args[o.Name] = a.Filename
					req.Attachment = b.attachment(a)
				}
			default:
				req.Args[o.Name] = fmt.Sprint(o.Value)
			}
		}
	}
	if i.Member != nil {
		req.ChatType = "guild"
		if i.Member.User != nil {
			req.UserID = i.Member.User.ID
		}
		// Checked again here although default_member_permissions hides
		// the command: a guild admin can override that setting.
		req.IsAdmin = i.Member.Permissions&adminPermissions != 0
	} else {
		req.ChatType = "dm"
		if i.User != nil {
			req.UserID = i.User.ID
		}
		req.IsAdmin = true // the user's own DM with the bot
	}
	return req
}

// ephemeralCommand: answers only the caller should see (decided before
// the handler runs, for a deferred answer).
func ephemeralCommand(spec digest.CommandSpec) bool {
	return spec.AdminOnly || spec.Name == "digest"
}

type handled struct {
	reply digest.CommandReply
	err   error
}

// answer runs the handler and answers within Discord's 3 seconds: at once
// when the handler is done within DeferAfter, else a deferred response
// followed by an edit of the original. Extra messages go as follow-ups.
func (b *Bot) answer(i *discordgo.Interaction, received time.Time, respond respondFunc) {
	if i.Type == discordgo.InteractionApplicationCommandAutocomplete {
		b.complete(i, received, respond)
		return
	}
	req := b.commandRequest(i, received)
	log := b.log.With("command", req.Name, "guild_id", req.GuildID, "channel_id", req.ChatID, "interaction_id", i.ID)
	spec, known := specOf(req.Name)
	press := req.Name == digest.Pressed
	if press {
		// A press is answered by the handler, which knows which buttons
		// need an admin (IsAdmin is set as for admin commands).
		spec, known = digest.CommandSpec{Name: digest.Pressed}, true
	}
	ctx, cancel := context.WithDeadline(b.ctx, received.Add(tokenLife))
	defer cancel()

	done := make(chan handled, 1)
	switch {
	case !known:
		done <- handled{reply: digest.CommandReply{Text: unknownCommand, Ephemeral: true, IsError: true}}
	case spec.AdminOnly && !req.IsAdmin:
		// Refused here: the handler never sees a non-admin's admin command.
		done <- handled{reply: digest.CommandReply{Text: fmt.Sprintf("/%s needs the Manage Channels permission in this server.", req.Name), Ephemeral: true, IsError: true}}
	default:
		go func() {
			defer func() {
				if p := recover(); p != nil {
					done <- handled{err: fmt.Errorf("handler panic: %v", p)}
				}
			}()
			b.inForum(ctx, &req)
			if r, refused := threadsRefused(i, req); refused {
				done <- handled{reply: r}
				return
			}
			r, err := b.h.Handle(ctx, req)
			done <- handled{reply: r, err: err}
		}()
	}

	timer := time.NewTimer(time.Until(received.Add(b.cfg.DeferAfter)))
	defer timer.Stop()
	var res handled
	deferred, deferEphemeral := false, ephemeralCommand(spec)
	select {
	case res = <-done:
	case <-timer.C:
		deferred = true
		resp := &discordgo.InteractionResponse{Type: discordgo.InteractionResponseDeferredChannelMessageWithSource}
		if press {
			resp.Type = discordgo.InteractionResponseDeferredMessageUpdate
		} else if deferEphemeral {
			resp.Data = &discordgo.InteractionResponseData{Flags: discordgo.MessageFlagsEphemeral}
		}
		if err := b.callREST(ctx, func(c context.Context) error { return respond(c, resp) }); err != nil {
			log.Error("discord: defer interaction", "err", err)
			return
		}
		select {
		case res = <-done:
		case <-ctx.Done():
			log.Error("discord: command did not finish before the interaction token expired", "err", ctx.Err())
			return
		}
	}
	if res.err != nil {
		log.Error("discord: command failed", "err", res.err)
		res.reply = digest.CommandReply{Text: internalErrorText, Ephemeral: true, IsError: true}
	}
	ephemeral := res.reply.Ephemeral || res.reply.IsError || ephemeralCommand(spec)
	if deferred && !press {
		ephemeral = deferEphemeral // the deferral fixed it
	}
	msgs := renderReply(res.reply)
	var err error
	// A press's reply replaces the message the buttons were on, unless it
	// is an error (a refusal): that goes to the presser alone and leaves
	// the message and its buttons as they were.
	update := press && !res.reply.IsError
	switch {
	case press && deferred && !update:
		// Deferred as an update: the refusal is a follow-up, the message stays.
		msgs = append([]*discordgo.MessageSend{nil}, msgs...)
		ephemeral = true
	case deferred:
		err = b.callREST(ctx, func(c context.Context) error {
			_, err := b.s.InteractionResponseEdit(i, webhookEdit(msgs[0], update), discordgo.WithContext(c))
			return err
		})
	case update:
		err = b.callREST(ctx, func(c context.Context) error { return respond(c, callbackUpdate(msgs[0])) })
	default:
		err = b.callREST(ctx, func(c context.Context) error { return respond(c, callbackMessage(msgs[0], ephemeral)) })
	}
	if err != nil {
		log.Error("discord: answer interaction", "deferred", deferred, "err", err)
		return
	}
	for _, m := range msgs[1:] {
		if m == nil {
			continue
		}
		err := b.callREST(ctx, func(c context.Context) error {
			_, err := b.s.FollowupMessageCreate(i, true, followup(m, ephemeral), discordgo.WithContext(c))
			return err
		})
		if err != nil {
			log.Error("discord: follow-up message", "err", err)
			return
		}
	}
	if f := res.reply.File; f != nil {
		err := b.callREST(ctx, func(c context.Context) error {
			p := &discordgo.WebhookParams{Files: []*discordgo.File{{Name: f.Name, ContentType: fileType(f.Name), Reader: bytes.NewReader(f.Data)}},
				AllowedMentions: noMentions()}
			if ephemeral {
				p.Flags = discordgo.MessageFlagsEphemeral
			}
			_, err := b.s.FollowupMessageCreate(i, true, p, discordgo.WithContext(c))
			return err
		})
		if err != nil {
			log.Error("discord: send the reply's file", "file", f.Name, "err", err)
		}
	}
}

// fileType is the content type of a reply's file by its extension.
func fileType(name string) string {
	if t := mime.TypeByExtension(path.Ext(name)); t != "" {
		return t
	}
	if strings.HasSuffix(strings.ToLower(name), ".opml") {
		return "text/x-opml; charset=utf-8"
	}
	return "application/octet-stream"
}

// callREST bounds one REST call by the HTTP timeout.
func (b *Bot) callREST(ctx context.Context, f func(context.Context) error) error {
	c, cancel := context.WithTimeout(ctx, b.cfg.HTTPTimeout)
	defer cancel()
	err := f(c)
	if err != nil && errors.Is(c.Err(), context.DeadlineExceeded) && ctx.Err() == nil {
		return fmt.Errorf("timed out after %s: %w", b.cfg.HTTPTimeout, err)
	}
	return err
}

func callbackMessage(m *discordgo.MessageSend, ephemeral bool) *discordgo.InteractionResponse {
	data := &discordgo.InteractionResponseData{Content: m.Content, Embeds: m.Embeds, AllowedMentions: m.AllowedMentions, Components: m.Components}
	if ephemeral {
		data.Flags = discordgo.MessageFlagsEphemeral
	}
	return &discordgo.InteractionResponse{Type: discordgo.InteractionResponseChannelMessageWithSource, Data: data}
}

// callbackUpdate replaces the message a pressed button was on (type 7):
// its buttons go unless the reply brings new ones.
func callbackUpdate(m *discordgo.MessageSend) *discordgo.InteractionResponse {
	comps := m.Components
	if comps == nil {
		comps = []discordgo.MessageComponent{}
	}
	embeds := m.Embeds
	if embeds == nil {
		embeds = []*discordgo.MessageEmbed{}
	}
	return &discordgo.InteractionResponse{Type: discordgo.InteractionResponseUpdateMessage,
		Data: &discordgo.InteractionResponseData{Content: m.Content, Embeds: embeds, AllowedMentions: m.AllowedMentions, Components: comps}}
}

// webhookEdit edits the original response; for a press (replace) the
// components are always sent, so that old buttons go.
func webhookEdit(m *discordgo.MessageSend, replace bool) *discordgo.WebhookEdit {
	content, embeds := m.Content, m.Embeds
	if embeds == nil {
		embeds = []*discordgo.MessageEmbed{}
	}
	e := &discordgo.WebhookEdit{Content: &content, Embeds: &embeds, AllowedMentions: m.AllowedMentions}
	if comps := m.Components; comps != nil || replace {
		if comps == nil {
			comps = []discordgo.MessageComponent{}
		}
		e.Components = &comps
	}
	return e
}

func followup(m *discordgo.MessageSend, ephemeral bool) *discordgo.WebhookParams {
	p := &discordgo.WebhookParams{Content: m.Content, Embeds: m.Embeds, AllowedMentions: m.AllowedMentions, Components: m.Components}
	if ephemeral {
		p.Flags = discordgo.MessageFlagsEphemeral
	}
	return p
}
