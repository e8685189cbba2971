package digest

import (
	"context"
	"errors"
	"time"
)

// CommandRequest is one slash command, whatever platform it came from.
// Adapters turn their events into it and its reply into a platform call.
type CommandRequest struct {
	Platform Platform
	// Name is the command without slash or bot suffix: "trending", "article",
	// "digest", "subscribe", "unsubscribe", "sources", "help", "start".
	Name string
	// Args holds the options by name (see Commands): "hours", "keyword",
	// "time", "timezone", "max_stories", "keywords". Telegram's positional
	// arguments are mapped to these names by the adapter.
	Args     map[string]string
	ChatID   string
	ThreadID string
	GuildID  string
	UserID   string
	// ChatType is "private", "group", "supergroup", "channel" (Telegram) or
	// "guild", "dm" (Discord).
	ChatType string
	// Forum is set by the Discord adapter when the command came from a
	// forum channel (type 15), where digests are posted as forum posts.
	Forum bool
	// IsAdmin is set by the adapter: Manage Channels on Discord (checked again
	// on receipt), a chat administrator on Telegram (getChatMember).
	IsAdmin bool
	// Now is the time the command arrived.
	Now time.Time
	// Locale is the caller's language as the platform gives it: Discord's
	// guild_locale for a guild channel (else the user's locale), Telegram's
	// language_code of the sender; "" when unknown.
	Locale string
	// Attachment is a file sent with the command (a Discord attachment
	// option; on Telegram a document whose caption is the command), or nil.
	Attachment *Attachment
}

// Attachment is a file a user sent with a command. Open reads it, at most
// max bytes: a larger file gives ErrTooLarge without reading it whole.
type Attachment struct {
	Name string
	Size int64 // as the platform states it
	Open func(ctx context.Context, max int64) ([]byte, error)
}

// ErrTooLarge is returned by Attachment.Open for a file over its limit.
var ErrTooLarge = errors.New("file too large")

// Pressed is the CommandRequest.Name of a button press: Args["button"]
// holds the Button's ID, and IsAdmin is set as for admin commands.
const Pressed = "press"

// Button is a choice shown under a reply (a Discord button component, a
// Telegram inline keyboard button). Pressing it sends a CommandRequest
// named Pressed; the reply to it replaces the message the button was on.
type Button struct {
	// ID comes back when the button is pressed: ASCII, at most 64 bytes
	// (Telegram's callback_data limit).
	ID     string
	Label  string
	Danger bool
}

// File is a file sent with a reply (an OPML export).
type File struct {
	Name string
	Data []byte
}

// Completer is implemented by handlers that suggest values for an option
// while the user types (Discord autocomplete): at most 25 suggestions.
type Completer interface {
	Complete(ctx context.Context, req CommandRequest, option, typed string) ([]string, error)
}

// CommandReply is the platform-neutral answer to a command.
type CommandReply struct {
	// Text is plain text (adapters escape it); it comes before the cards.
	Text  string
	Cards []Card
	// Ephemeral replies are shown only to the caller (Discord); Telegram
	// ignores it.
	Ephemeral bool
	// IsError marks a usage or validation error reply.
	IsError bool
	// Buttons are shown under the reply's last message.
	Buttons []Button
	// File is sent with the reply, or nil.
	File *File
}

// CommandHandler answers commands. An error return means an internal
// failure (the adapter says "something went wrong" and logs it); bad user
// input is a normal reply with IsError set.
type CommandHandler interface {
	Handle(ctx context.Context, req CommandRequest) (CommandReply, error)
}

// OptionType is the type of a command option.
type OptionType string

const (
	OptString  OptionType = "string"
	OptInteger OptionType = "integer"
	OptBool    OptionType = "boolean"
)

// OptionSpec describes one option of a command.
type OptionSpec struct {
	Name        string
	Description string
	Type        OptionType
	Required    bool
	Min, Max    int // for integers; 0 means unbounded
	// Choices limits a string option to these values.
	Choices []string
	// Autocomplete asks the handler (a Completer) for suggestions.
	Autocomplete bool
	// Attachment makes the option a file (Discord attachment option; on
	// Telegram, the document the command is the caption of).
	Attachment bool
}

// CommandSpec describes one command for registration on a platform.
type CommandSpec struct {
	Name        string
	Description string
	Options     []OptionSpec
	// AdminOnly commands need Manage Channels (Discord) or chat admin (Telegram).
	AdminOnly bool
	// Usage is the Telegram form, e.g. "/subscribe HH:MM Area/City".
	Usage string
	// Platforms limits a command to some platforms; empty means all.
	Platforms []Platform
	// Subcommands, when set, are the command's forms ("/source add URL");
	// the chosen one arrives as Args["subcommand"] with its own options.
	// A command with subcommands has no options of its own.
	Subcommands []CommandSpec
}

// Commands is the one command table both adapters register.
var Commands = []CommandSpec{
	{Name: "trending", Description: "Stories covered by the most sources recently", Usage: "/trending [hours] [language:de]",
		Options: []OptionSpec{{Name: "hours", Description: "Look back this many hours (default 24)", Type: OptInteger, Min: 1, Max: 168},
			{Name: "language", Description: "Only stories in these languages, e.g. de or de,en", Type: OptString}}},
	{Name: "article", Description: "Search stored articles by keyword", Usage: "/article <keyword> [language:de]",
		Options: []OptionSpec{{Name: "keyword", Description: "Words or a \"quoted phrase\" to look for", Type: OptString, Required: true},
			{Name: "language", Description: "Only articles in these languages, e.g. de or de,en", Type: OptString}}},
	{Name: "digest", Description: "The digest this chat would get now", Usage: "/digest"},
	{Name: "subscribe", Description: "Get a daily digest here at a local time", AdminOnly: true, Usage: "/subscribe HH:MM Area/City [max_stories] [keywords] [languages:de,en]",
		Options: []OptionSpec{
			{Name: "time", Description: "Local time of day, HH:MM (24-hour)", Type: OptString, Required: true},
			{Name: "timezone", Description: "IANA time zone, e.g. Europe/Berlin", Type: OptString, Required: true},
			{Name: "max_stories", Description: "At most this many stories (default 10)", Type: OptInteger, Min: 1, Max: 25},
			{Name: "keywords", Description: "Only stories with one of these comma-separated keywords", Type: OptString},
			{Name: "empty_note", Description: "On a day without new stories, post a short note (default: post nothing)", Type: OptBool},
			{Name: "images", Description: "Show the articles' pictures on the cards (default: true)", Type: OptBool},
			{Name: "thread", Description: "Post each digest as a header line with its cards in a thread (Discord text channels)", Type: OptBool},
			{Name: "languages", Description: "Only stories in these languages, e.g. de,en (default: all)", Type: OptString},
		}},
	{Name: "unsubscribe", Description: "Stop the daily digest here", AdminOnly: true, Usage: "/unsubscribe"},
	{Name: "sources", Description: "List the news sources and their health", AdminOnly: true, Usage: "/sources"},
	{Name: "source", Description: "Choose the sources of this channel's digest", AdminOnly: true, Usage: "/source add|remove|list|catalogue|pick|import|export",
		Subcommands: []CommandSpec{
			{Name: "add", Description: "Add a feed, or a site's home or section page", Usage: "/source add <url> [name]",
				Options: []OptionSpec{
					{Name: "url", Description: "The feed's or page's address", Type: OptString, Required: true},
					{Name: "name", Description: "The name to show (default: the feed's title)", Type: OptString},
				}},
			{Name: "remove", Description: "Stop reading a source here", Usage: "/source remove <name|url>",
				Options: []OptionSpec{{Name: "source", Description: "The source's name or address", Type: OptString, Required: true, Autocomplete: true}}},
			{Name: "list", Description: "The sources this channel reads, with their health", Usage: "/source list"},
			{Name: "catalogue", Description: "The operator's sources, to pick from", Usage: "/source catalogue"},
			{Name: "pick", Description: "Read one of the operator's sources here", Usage: "/source pick <name>",
				Options: []OptionSpec{{Name: "source", Description: "The catalogue source's name", Type: OptString, Required: true, Autocomplete: true}}},
			{Name: "import", Description: "Add the feeds of an OPML file", Usage: "/source import (attach an OPML file)",
				Options: []OptionSpec{{Name: "file", Description: "An OPML file (at most 1 MiB)", Type: OptString, Required: true, Attachment: true}}},
			{Name: "export", Description: "This channel's sources as an OPML file", Usage: "/source export"},
		}},
	{Name: "help", Description: "What this bot does and its commands", Usage: "/help", Platforms: []Platform{Telegram}},
	{Name: "start", Description: "Start talking to the bot", Usage: "/start", Platforms: []Platform{Telegram}},
}

// DigestView is one digest ready to render: the cards of the selected
// stories, best first.
type DigestView struct {
	Sub       Subscription
	Scheduled time.Time
	Cards     []Card
	// Late is true for a digest sent on catch-up after its time.
	Late bool
}

// Messenger is what delivery needs from a platform adapter. Each adapter
// owns its platform's send budget (global, per chat): Send blocks until the
// budget allows the call, so delivery may call it from many goroutines.
type Messenger interface {
	Platform() Platform
	// RenderDigest turns a digest into messages, in order, each within the
	// platform's limits. An empty digest renders a short "no new stories"
	// note (delivery decides whether to send it).
	RenderDigest(d DigestView) ([][]byte, error)
	// Send sends one rendered message (d.Payload) to d.ChatID/d.ThreadID.
	// d.Key is stable across retries (Discord nonce). It returns the
	// platform's message ID, or an error that is (or wraps) one of
	// *RateLimitedError, *TemporaryError, ErrChatGone, *MigratedError, or
	// another error, which delivery treats as permanent for that message.
	Send(ctx context.Context, d Delivery) (messageID string, err error)
}
