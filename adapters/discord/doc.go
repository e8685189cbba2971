// Package discord is the Discord adapter: it renders cards and digests as
// embeds within Discord's limits, answers slash commands (over the gateway or
// the HTTP interactions endpoint) through a digest.CommandHandler, and sends
// digest messages as a digest.Messenger that owns the bot's REST budget.
//
// It is built on github.com/bwmarrin/discordgo v0.29.0, with its REST calls
// routed through our own transport (API base rewrite and the global request
// limiter) and its known traps designed around: the token is checked over
// REST before the gateway opens (discordgo retries a rejected token forever),
// and sends bypass discordgo's unbounded 429 retry.
package discord
