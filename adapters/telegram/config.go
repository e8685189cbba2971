package telegram

import (
	"fmt"
	"log/slog"
	"net/http"
	"time"

	"newsdigest/digest"
)

// DefaultAPIURL is Telegram's own Bot API server.
const DefaultAPIURL = "https://api.telegram.org"

// Config configures a Bot.
type Config struct {
	// Token is the bot token (from TELEGRAM_TOKEN). It is never logged and
	// is scrubbed from every error.
	Token string
	// APIURL is the Bot API server (default DefaultAPIURL); a self-hosted
	// server works the same: requests go to APIURL+"/bot<token>/<method>".
	APIURL string
	// WebhookURL, when set, switches from long polling to a webhook: Start
	// registers it with WebhookSecret as secret_token, and WebhookHandler
	// serves it at WebhookPath on the caller's mux.
	WebhookURL    string
	WebhookSecret string
	WebhookPath   string // default "/telegram/webhook"
	// PollTimeout is getUpdates' long-poll timeout (default 50 s).
	PollTimeout time.Duration
	// HTTPTimeout bounds each call; getUpdates gets PollTimeout on top
	// (default 30 s).
	HTTPTimeout time.Duration
	// BotUsername is the bot's @username without "@"; Start takes it from
	// getMe. Commands addressed to other bots (/trending@other) are ignored.
	BotUsername string
	// MessagesPerSecond is the global send budget (default 30);
	// PerChatInterval the least gap between messages to one chat (default
	// 1 s); GroupPerMinute the budget of one group (default 20).
	MessagesPerSecond int
	PerChatInterval   time.Duration
	GroupPerMinute    int
	// OnFatal, when set, is called once if polling stops for good (a
	// revoked token, a wrong API URL): the bot then receives nothing more,
	// and the caller should stop rather than run on deaf.
	OnFatal func(error)
	// Workers bounds the commands handled at once in polling mode (default 8).
	Workers int
	// Now is the clock for CommandRequest.Now (default time.Now).
	Now func() time.Time
	// HTTPClient is the client for Bot API calls (default: a new one);
	// timeouts come from contexts, so it needs none.
	HTTPClient *http.Client
	// FirstSeen, when set, records each update's ID in the store: an
	// update Telegram sends again (a webhook answered late) or that two
	// processes both receive is handled once.
	FirstSeen digest.FirstSeen
}

func (c *Config) defaults() {
	if c.APIURL == "" {
		c.APIURL = DefaultAPIURL
	}
	if c.WebhookPath == "" {
		c.WebhookPath = "/telegram/webhook"
	}
	if c.PollTimeout <= 0 {
		c.PollTimeout = 50 * time.Second
	}
	if c.HTTPTimeout <= 0 {
		c.HTTPTimeout = 30 * time.Second
	}
	if c.MessagesPerSecond <= 0 {
		c.MessagesPerSecond = 30
	}
	if c.PerChatInterval <= 0 {
		c.PerChatInterval = time.Second
	}
	if c.GroupPerMinute <= 0 {
		c.GroupPerMinute = 20
	}
	if c.Workers <= 0 {
		c.Workers = 8
	}
	if c.Now == nil {
		c.Now = time.Now
	}
	if c.HTTPClient == nil {
		// A kept connection per concurrent sender (the default keeps two
		// per host): dialing anew for most sends makes their latency uneven
		// and bunches arrivals the limiter spaced.
		tr := http.DefaultTransport.(*http.Transport).Clone()
		tr.MaxIdleConnsPerHost = 64
		c.HTTPClient = &http.Client{Transport: tr}
	}
}

func validSecret(t string) bool {
	if len(t) < 1 || len(t) > 256 {
		return false
	}
	for _, r := range t {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '_' || r == '-') {
			return false
		}
	}
	return true
}

// String describes the config without its secrets, for %v and %+v.
func (c Config) String() string {
	return fmt.Sprintf("telegram.Config{APIURL:%s Webhook:%t WebhookPath:%s PollTimeout:%s HTTPTimeout:%s BotUsername:%s MessagesPerSecond:%d}",
		c.APIURL, c.WebhookURL != "", c.WebhookPath, c.PollTimeout, c.HTTPTimeout, c.BotUsername, c.MessagesPerSecond)
}

// LogValue keeps the token and webhook secret out of structured logs.
func (c Config) LogValue() slog.Value { return slog.StringValue(c.String()) }
