package discord

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"slices"

	"github.com/bwmarrin/discordgo"

	"newsdigest/digest"
)

// Permission bits that make a member an admin of the bot's commands.
const adminPermissions = discordgo.PermissionManageChannels | discordgo.PermissionAdministrator

// commandPayload is one application command as Discord's bulk overwrite
// takes it. discordgo's ApplicationCommand sends default_member_permissions
// as a string and null lists; this follows the published schema instead.
type commandPayload struct {
	Name                     string          `json:"name"`
	Type                     int             `json:"type"`
	Description              string          `json:"description"`
	Options                  []optionPayload `json:"options,omitempty"`
	DefaultMemberPermissions *int64          `json:"default_member_permissions,omitempty"`
	Contexts                 []int           `json:"contexts,omitempty"`
}

type optionPayload struct {
	Type         int             `json:"type"`
	Name         string          `json:"name"`
	Description  string          `json:"description"`
	Required     bool            `json:"required,omitempty"`
	MinValue     *int            `json:"min_value,omitempty"`
	MaxValue     *int            `json:"max_value,omitempty"`
	Choices      []choicePayload `json:"choices,omitempty"`
	Autocomplete bool            `json:"autocomplete,omitempty"`
	// Options of a SUB_COMMAND option (type 1).
	Options []optionPayload `json:"options,omitempty"`
}

type choicePayload struct {
	Name  string `json:"name"`
	Value string `json:"value"`
}

// Discord's option types used here.
const (
	optSubCommand = int(discordgo.ApplicationCommandOptionSubCommand) // 1
	optAttachment = int(discordgo.ApplicationCommandOptionAttachment) // 11
)

// Interaction contexts: a guild channel, or the bot's DM.
const (
	contextGuild = 0
	contextBotDM = 1
)

// forDiscord reports whether a command of the table is registered here.
func forDiscord(c digest.CommandSpec) bool {
	return len(c.Platforms) == 0 || slices.Contains(c.Platforms, digest.Discord)
}

// CommandPayloads maps the platform-neutral command table to Discord's
// application commands: admin-only ones need Manage Channels by default
// and exist only in guilds.
func CommandPayloads(table []digest.CommandSpec) []any {
	var out []any
	for _, c := range table {
		if !forDiscord(c) {
			continue
		}
		p := commandPayload{Name: c.Name, Type: 1, Description: Truncate(c.Description, 100), Contexts: []int{contextGuild, contextBotDM}}
		if c.AdminOnly {
			perm := int64(discordgo.PermissionManageChannels)
			p.DefaultMemberPermissions = &perm
			p.Contexts = []int{contextGuild}
		}
		p.Options = optionPayloads(c.Options)
		for _, sub := range c.Subcommands {
			p.Options = append(p.Options, optionPayload{Type: optSubCommand, Name: sub.Name,
				Description: Truncate(sub.Description, 100), Options: optionPayloads(sub.Options)})
		}
		out = append(out, p)
	}
	return out
}

// optionPayloads maps a command's options, required ones first (Discord
// refuses optional options before required ones).
func optionPayloads(opts []digest.OptionSpec) []optionPayload {
	var out []optionPayload
	for _, o := range opts {
		op := optionPayload{Name: o.Name, Description: Truncate(o.Description, 100), Required: o.Required}
		switch {
		case o.Attachment:
			op.Type = optAttachment
		case o.Type == digest.OptInteger:
			op.Type = int(discordgo.ApplicationCommandOptionInteger)
			if o.Min != 0 {
				op.MinValue = &o.Min
			}
			if o.Max != 0 {
				op.MaxValue = &o.Max
			}
		case o.Type == digest.OptBool:
			op.Type = int(discordgo.ApplicationCommandOptionBoolean)
		default:
			op.Type = int(discordgo.ApplicationCommandOptionString)
			// Discord allows choices or autocomplete, not both.
			if len(o.Choices) > 0 {
				for _, c := range o.Choices[:min(len(o.Choices), 25)] {
					op.Choices = append(op.Choices, choicePayload{Name: Truncate(c, 100), Value: Truncate(c, 100)})
				}
			} else {
				op.Autocomplete = o.Autocomplete
			}
		}
		out = append(out, op)
	}
	slices.SortStableFunc(out, func(a, b optionPayload) int {
		if a.Required == b.Required {
			return 0
		}
		if a.Required {
			return -1
		}
		return 1
	})
	return out
}

// registerCommands bulk-overwrites the commands, for one guild when
// configured (instant) or globally.
func (b *Bot) registerCommands(ctx context.Context) error {
	app := b.AppID()
	if app == "" {
		return &permanentError{errors.New("discord: register commands: no application ID in READY")}
	}
	endpoint := discordgo.EndpointApplicationGlobalCommands(app)
	if b.cfg.GuildID != "" {
		endpoint = discordgo.EndpointApplicationGuildCommands(app, b.cfg.GuildID)
	}
	rctx, cancel := context.WithTimeout(ctx, b.cfg.HTTPTimeout)
	defer cancel()
	cmds := CommandPayloads(digest.Commands)
	if _, err := b.s.RequestWithBucketID("PUT", endpoint, cmds, endpoint, discordgo.WithContext(rctx)); err != nil {
		u, _ := url.Parse(endpoint)
		return b.restError(fmt.Sprintf("register %d commands (guild %q) with PUT %s", len(cmds), b.cfg.GuildID, actualURL(b.base, u)), err)
	}
	b.log.Info("discord commands registered", "count", len(cmds), "guild_id", b.cfg.GuildID)
	return nil
}

// specOf finds a command of the table by name.
func specOf(name string) (digest.CommandSpec, bool) {
	for _, c := range digest.Commands {
		if c.Name == name && forDiscord(c) {
			return c, true
		}
	}
	return digest.CommandSpec{}, false
}
