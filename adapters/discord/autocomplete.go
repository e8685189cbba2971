package discord

import (
	"context"
	"time"

	"github.com/bwmarrin/discordgo"

	"newsdigest/digest"
)

// Discord's limits on autocomplete choices.
const (
	maxChoices    = 25
	maxChoiceName = 100
)

// complete answers an autocomplete interaction (type 4) with the
// handler's suggestions for the focused option (callback type 8); a
// handler that is no digest.Completer, or fails, gives no suggestions.
func (b *Bot) complete(i *discordgo.Interaction, received time.Time, respond respondFunc) {
	req := b.commandRequest(i, received)
	log := b.log.With("command", req.Name, "guild_id", req.GuildID, "channel_id", req.ChatID, "interaction_id", i.ID)
	option, typed := focused(i.ApplicationCommandData().Options)
	// Discord drops an autocomplete answer later than 3 s: no deferral here.
	ctx, cancel := context.WithDeadline(b.ctx, received.Add(b.cfg.DeferAfter))
	defer cancel()
	choices := []*discordgo.ApplicationCommandOptionChoice{}
	if c, ok := b.h.(digest.Completer); ok && option != "" {
		b.inForum(ctx, &req)
		got, err := c.Complete(ctx, req, option, typed)
		if err != nil {
			log.Warn("discord: autocomplete failed", "option", option, "err", err)
		}
		for _, s := range got {
			if len(choices) == maxChoices {
				break
			}
			if s == "" {
				continue
			}
			v := Truncate(s, maxChoiceName)
			choices = append(choices, &discordgo.ApplicationCommandOptionChoice{Name: v, Value: v})
		}
	}
	resp := &discordgo.InteractionResponse{Type: discordgo.InteractionApplicationCommandAutocompleteResult,
		Data: &discordgo.InteractionResponseData{Choices: choices}}
	if err := b.callREST(context.WithoutCancel(ctx), func(c context.Context) error { return respond(c, resp) }); err != nil {
		log.Error("discord: answer autocomplete", "err", err)
	}
}

// focused finds the option being typed, in a subcommand or not, and what
// was typed so far.
func focused(opts []*discordgo.ApplicationCommandInteractionDataOption) (name, typed string) {
	for _, o := range opts {
		if o.Type == discordgo.ApplicationCommandOptionSubCommand || o.Type == discordgo.ApplicationCommandOptionSubCommandGroup {
			if n, t := focused(o.Options); n != "" {
				return n, t
			}
			continue
		}
		if o.Focused {
			s, _ := o.Value.(string)
			return o.Name, s
		}
	}
	return "", ""
}
