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
//
// The global budget is shared by priority: the token check, the gateway
// URL, command registration and command answers go before digest sends, so
// a restart with a backlog of digests still registers its commands at
// once. A request counts against the budget until the first byte of its
// answer (Discord counts it on arrival, somewhere before that), which keeps
// any sliding second within the budget whatever the latency. Start retries
// its steps with backoff on timeouts, 5xx and 429; only a rejected token
// (401) or a refused payload (another 4xx) stops it, and Send needs none of
// Start, so digests go on meanwhile.
package discord
