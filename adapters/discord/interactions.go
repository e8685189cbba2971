package discord

import (
	"context"
	"errors"
	"fmt"
	"strconv"
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
	if i.Type != discordgo.InteractionApplicationCommand {
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

// request turns an interaction into a platform-neutral command request.
func request(i *discordgo.Interaction, now time.Time) digest.CommandRequest {
	data := i.ApplicationCommandData()
	req := digest.CommandRequest{Platform: digest.Discord, Name: data.Name, Args: map[string]string{},
		ChatID: i.ChannelID, GuildID: i.GuildID, Now: now}
	for _, o := range data.Options {
		switch o.Type {
		case discordgo.ApplicationCommandOptionInteger:
			req.Args[o.Name] = strconv.FormatInt(o.IntValue(), 10)
		case discordgo.ApplicationCommandOptionBoolean:
			req.Args[o.Name] = strconv.FormatBool(o.BoolValue())
		case discordgo.ApplicationCommandOptionString:
			req.Args[o.Name] = o.StringValue()
		default:
			req.Args[o.Name] = fmt.Sprint(o.Value)
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
	req := request(i, received)
	log := b.log.With("command", req.Name, "guild_id", req.GuildID, "channel_id", req.ChatID, "interaction_id", i.ID)
	spec, known := specOf(req.Name)
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
			if req.Name == "subscribe" || req.Name == "unsubscribe" {
				if r, refused := b.subscribeWhere(ctx, i, &req); refused {
					done <- handled{reply: r}
					return
				}
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
		if deferEphemeral {
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
	if deferred {
		ephemeral = deferEphemeral // the deferral fixed it
	}
	msgs := renderReply(res.reply)
	var err error
	if deferred {
		err = b.callREST(ctx, func(c context.Context) error {
			_, err := b.s.InteractionResponseEdit(i, webhookEdit(msgs[0]), discordgo.WithContext(c))
			return err
		})
	} else {
		err = b.callREST(ctx, func(c context.Context) error { return respond(c, callbackMessage(msgs[0], ephemeral)) })
	}
	if err != nil {
		log.Error("discord: answer interaction", "deferred", deferred, "err", err)
		return
	}
	for _, m := range msgs[1:] {
		err := b.callREST(ctx, func(c context.Context) error {
			_, err := b.s.FollowupMessageCreate(i, true, followup(m, ephemeral), discordgo.WithContext(c))
			return err
		})
		if err != nil {
			log.Error("discord: follow-up message", "err", err)
			return
		}
	}
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
	data := &discordgo.InteractionResponseData{Content: m.Content, Embeds: m.Embeds, AllowedMentions: m.AllowedMentions}
	if ephemeral {
		data.Flags = discordgo.MessageFlagsEphemeral
	}
	return &discordgo.InteractionResponse{Type: discordgo.InteractionResponseChannelMessageWithSource, Data: data}
}

func webhookEdit(m *discordgo.MessageSend) *discordgo.WebhookEdit {
	content, embeds := m.Content, m.Embeds
	if embeds == nil {
		embeds = []*discordgo.MessageEmbed{}
	}
	return &discordgo.WebhookEdit{Content: &content, Embeds: &embeds, AllowedMentions: m.AllowedMentions}
}

func followup(m *discordgo.MessageSend, ephemeral bool) *discordgo.WebhookParams {
	p := &discordgo.WebhookParams{Content: m.Content, Embeds: m.Embeds, AllowedMentions: m.AllowedMentions}
	if ephemeral {
		p.Flags = discordgo.MessageFlagsEphemeral
	}
	return p
}
