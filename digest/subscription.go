package digest

import (
	"errors"
	"fmt"
	"time"
)

// Platform names a chat platform.
type Platform string

const (
	Discord  Platform = "discord"
	Telegram Platform = "telegram"
)

// Subscription is one channel or chat that gets a daily digest.
type Subscription struct {
	ID       int64    `json:"id"`
	Platform Platform `json:"platform"`
	// ChatID is the Discord channel ID or the Telegram chat ID.
	ChatID string `json:"chat_id"`
	// ThreadID is the Telegram forum topic (message_thread_id), or "".
	ThreadID string `json:"thread_id,omitempty"`
	GuildID  string `json:"guild_id,omitempty"`
	// Time is the local time of day "HH:MM" in TimeZone (an IANA name).
	Time       string   `json:"time"`
	TimeZone   string   `json:"time_zone"`
	MaxStories int      `json:"max_stories"` // default 10
	Keywords   []string `json:"keywords,omitempty"`
	// Languages keeps the digest to stories in these languages (ISO 639-1
	// codes); empty keeps every language.
	Languages []string `json:"languages,omitempty"`
	// Locale is the language of the bot's own words in this chat ("de",
	// "pt-BR"): the locale of the admin who subscribed, "" for English.
	Locale string `json:"locale,omitempty"`
	// SendEmpty sends a short "no new stories" note on an empty day.
	SendEmpty bool `json:"send_empty"`
	Active    bool `json:"active"`
	// Failure says why deliveries fail or why the subscription was disabled
	// (missing access, chat deleted); shown to the admin on their next command.
	Failure string `json:"failure,omitempty"`
	// Cutoff is the end of the previous digest's window: the next digest
	// holds stories first seen after it.
	Cutoff time.Time `json:"cutoff,omitzero"`
	// NextRun is the next scheduled digest (UTC).
	NextRun   time.Time `json:"next_run,omitzero"`
	CreatedAt time.Time `json:"created_at,omitzero"`
	CreatedBy string    `json:"created_by,omitempty"`
	// OwnSources is set when the channel reads its own list of sources
	// (ChannelSourceStore) rather than the whole catalogue.
	OwnSources bool `json:"own_sources,omitempty"`
	// NoImages turns the articles' pictures off on this channel's cards.
	NoImages bool `json:"no_images,omitempty"`
	// PostMode says how a Discord digest is posted: PostMessages (in the
	// channel), PostThread (a header message with the cards in a thread
	// started from it) or PostForum (a forum post per digest).
	PostMode PostMode `json:"post_mode,omitempty"`
}

// PostMode is how a digest is posted in a Discord channel.
type PostMode string

const (
	PostMessages PostMode = ""
	PostThread   PostMode = "thread"
	PostForum    PostMode = "forum"
)

// DeliveryState is where one message of a digest is.
type DeliveryState string

const (
	Planned DeliveryState = "planned" // stored, not yet tried
	Sending DeliveryState = "sending" // a send call is (or was, before a crash) in flight
	Sent    DeliveryState = "sent"    // the platform confirmed it
	Failed  DeliveryState = "failed"  // given up (channel gone, grace passed)
	Skipped DeliveryState = "skipped" // too late to send
)

// Delivery is one message of one digest in the outbox.
type Delivery struct {
	// Key is stable: "<subscription>:<scheduled RFC3339>:<part>".
	Key            string        `json:"key"`
	SubscriptionID int64         `json:"subscription_id"`
	Platform       Platform      `json:"platform"`
	ChatID         string        `json:"chat_id"`
	ThreadID       string        `json:"thread_id,omitempty"`
	Scheduled      time.Time     `json:"scheduled"`
	Part           int           `json:"part"`  // 0-based
	Parts          int           `json:"parts"` // total parts of this digest
	Payload        []byte        `json:"payload"`
	State          DeliveryState `json:"state"`
	Attempts       int           `json:"attempts"`
	MessageID      string        `json:"message_id,omitempty"`
	Error          string        `json:"error,omitempty"`
	Late           bool          `json:"late,omitempty"`
	UpdatedAt      time.Time     `json:"updated_at,omitzero"`
	// Owner and LeaseUntil let several instances share the outbox.
	Owner      string    `json:"owner,omitempty"`
	LeaseUntil time.Time `json:"lease_until,omitzero"`
}

// DeliveryKey builds the stable key of one part of one digest.
func DeliveryKey(subID int64, scheduled time.Time, part int) string {
	return fmt.Sprintf("%d:%s:%d", subID, scheduled.UTC().Format(time.RFC3339), part)
}

// Errors a platform adapter returns from a send, so that delivery can decide.
var (
	// ErrChatGone: the channel or chat was deleted, or the bot lost access
	// (403, 404); the subscription is disabled, never retried.
	ErrChatGone = errors.New("chat gone or access lost")
	// ErrNotFound is returned by the store when a record does not exist.
	ErrNotFound = errors.New("not found")
	// ErrDuplicate is returned by the store when a record already exists.
	ErrDuplicate = errors.New("already exists")
)

// RateLimitedError is a 429 from a platform: try again after RetryAfter.
type RateLimitedError struct {
	Platform   Platform
	RetryAfter time.Duration
	Global     bool
}

func (e *RateLimitedError) Error() string {
	return fmt.Sprintf("%s: rate limited, retry after %s", e.Platform, e.RetryAfter)
}

// TemporaryError is a 5xx, a timeout or a network failure: retry with backoff.
type TemporaryError struct {
	Platform Platform
	Err      error
}

func (e *TemporaryError) Error() string {
	return fmt.Sprintf("%s: temporary failure: %v", e.Platform, e.Err)
}
func (e *TemporaryError) Unwrap() error { return e.Err }

// MigratedError says that a Telegram group became a supergroup with a new ID.
type MigratedError struct {
	NewChatID string
}

func (e *MigratedError) Error() string { return "chat migrated to " + e.NewChatID }
