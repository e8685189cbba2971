package discord

import (
	"context"
	"crypto/ed25519"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/bwmarrin/discordgo"

	"newsdigest/digest"
)

// DefaultAPIURL is Discord's own REST base.
const DefaultAPIURL = "https://discord.com/api/v9"

// Config configures the adapter. The zero values of the optional fields
// take Discord's defaults.
type Config struct {
	// Token is the bot token (with or without "Bot "). It is never logged
	// nor put in errors.
	Token string
	// APIURL is the REST base: Discord's by default, or a REST proxy's.
	APIURL string
	// GuildID registers the commands to one guild (instant) instead of
	// globally.
	GuildID string
	// ShardID and ShardCount shard the gateway; only shard 0 registers
	// commands.
	ShardID, ShardCount int
	// PublicKey is the application's hex Ed25519 key, needed for the HTTP
	// interactions endpoint.
	PublicKey string
	// HTTPTimeout bounds each REST call (default 10 s).
	HTTPTimeout time.Duration
	// RequestsPerSecond is the global REST budget shared by every call but
	// interaction callbacks (default 50, Discord's global limit).
	RequestsPerSecond int
	// ChannelMessages per ChannelWindow pace the messages of one channel
	// (default 5 per 5 s).
	ChannelMessages int
	ChannelWindow   time.Duration
	// StartBackoff is the first wait before Start retries a step that
	// failed (a timeout, a 5xx, a 429); it doubles up to a minute
	// (default 1 s).
	StartBackoff time.Duration
	// DeferAfter is how long a command may take before the interaction is
	// deferred (default 2 s; Discord wants an answer within 3 s).
	DeferAfter time.Duration
	// FirstSeen, when set, records each interaction's ID in the store: an
	// interaction replayed to the HTTP endpoint, or received by two
	// processes on one token, runs once.
	FirstSeen digest.FirstSeen
}

// LogValue keeps the token out of logs.
func (c Config) LogValue() slog.Value {
	return slog.GroupValue(slog.String("api_url", c.APIURL), slog.String("guild_id", c.GuildID),
		slog.Int("shard_id", c.ShardID), slog.Int("shard_count", c.ShardCount),
		slog.Bool("http_interactions", c.PublicKey != ""), slog.Int("requests_per_second", c.RequestsPerSecond))
}

// String keeps the token out of %v.
func (c Config) String() string { return c.LogValue().String() }

// Bot is a running Discord adapter: slash commands in, digests out.
type Bot struct {
	cfg      Config
	h        digest.CommandHandler
	log      *slog.Logger
	s        *discordgo.Session
	client   *http.Client
	files    *http.Client // attachment downloads, straight to the URL Discord gave
	base     *url.URL     // cfg.APIURL
	token    string       // "Bot ..."
	global   *pacer
	channels *channelPacer
	pubKey   ed25519.PublicKey
	forums   sync.Map // channel ID → its forum's ID, or "" (see inForum)

	ctx    context.Context // cancelled by Close: in-flight commands stop
	cancel context.CancelFunc
	wg     sync.WaitGroup

	mu     sync.Mutex
	appID  string
	ready  chan struct{}
	closed bool
}

var _ digest.Messenger = (*Bot)(nil)

// New builds a bot; Start connects it. h answers the commands; log may be nil.
func New(cfg Config, h digest.CommandHandler, log *slog.Logger) (*Bot, error) {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	if cfg.Token == "" {
		return nil, errors.New("discord: no token (set DISCORD_TOKEN)")
	}
	if cfg.APIURL == "" {
		cfg.APIURL = DefaultAPIURL
	}
	base, err := url.Parse(cfg.APIURL)
	if err != nil || (base.Scheme != "http" && base.Scheme != "https") || base.Host == "" {
		return nil, fmt.Errorf("discord: api url %q is not an http(s) URL", cfg.APIURL)
	}
	if cfg.ShardCount < 0 || (cfg.ShardCount > 0 && (cfg.ShardID < 0 || cfg.ShardID >= cfg.ShardCount)) {
		return nil, fmt.Errorf("discord: shard %d of %d is out of range", cfg.ShardID, cfg.ShardCount)
	}
	if cfg.HTTPTimeout <= 0 {
		cfg.HTTPTimeout = 10 * time.Second
	}
	if cfg.RequestsPerSecond <= 0 {
		cfg.RequestsPerSecond = 50
	}
	if cfg.ChannelMessages == 0 {
		cfg.ChannelMessages = 5
	}
	if cfg.ChannelWindow <= 0 {
		cfg.ChannelWindow = 5 * time.Second
	}
	if cfg.StartBackoff <= 0 {
		cfg.StartBackoff = time.Second
	}
	if cfg.DeferAfter <= 0 {
		cfg.DeferAfter = 2 * time.Second
	}
	b := &Bot{cfg: cfg, h: h, log: log, ready: make(chan struct{}), base: base,
		global: newPacer(cfg.RequestsPerSecond), channels: newChannelPacer(cfg.ChannelMessages, cfg.ChannelWindow)}
	if cfg.PublicKey != "" {
		k, err := hex.DecodeString(cfg.PublicKey)
		if err != nil || len(k) != ed25519.PublicKeySize {
			return nil, errors.New("discord: public key must be the application's 64-character hex Ed25519 key")
		}
		b.pubKey = k
	}
	b.token = cfg.Token
	if len(b.token) < 4 || b.token[:4] != "Bot " {
		b.token = "Bot " + b.token
	}
	s, err := discordgo.New(b.token)
	if err != nil {
		return nil, errors.New("discord: create session") // discordgo's error could quote the token
	}
	// Keep a connection per concurrent sender: with the default two idle
	// connections per host, most sends of a fan-out would dial (and on
	// Discord shake hands) anew, and their uneven latency would bunch
	// arrivals that the pacer spaced.
	next := http.DefaultTransport.(*http.Transport).Clone()
	next.MaxIdleConnsPerHost = 128
	b.client = &http.Client{Timeout: cfg.HTTPTimeout, Transport: &transport{base: base, next: next, global: b.global}}
	s.Client = b.client
	b.files = &http.Client{Timeout: cfg.HTTPTimeout,
		// The download goes to the URL Discord gave, and nowhere else.
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	s.MaxRestRetries = 1
	s.Identify.Intents = discordgo.IntentsGuilds // no privileged intents
	s.ShardID, s.ShardCount = cfg.ShardID, cfg.ShardCount
	if s.ShardCount == 0 {
		s.ShardCount = 1
	}
	s.AddHandler(b.onReady)
	s.AddHandler(func(_ *discordgo.Session, ic *discordgo.InteractionCreate) {
		b.onGatewayInteraction(ic.Interaction)
	})
	b.s = s
	b.ctx, b.cancel = context.WithCancel(context.Background())
	return b, nil
}

func (b *Bot) onReady(_ *discordgo.Session, r *discordgo.Ready) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if r.Application != nil && r.Application.ID != "" {
		b.appID = r.Application.ID
	}
	select {
	case <-b.ready:
	default:
		close(b.ready)
	}
}

// track counts an interaction in flight; it reports false once Close has
// begun, and the interaction is then dropped.
func (b *Bot) track() bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.closed {
		return false
	}
	b.wg.Add(1)
	return true
}

// AppID is the application ID (known after Start).
func (b *Bot) AppID() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.appID
}

// Start checks the token over REST (a rejected token fails here, clearly,
// instead of reconnecting forever), opens the gateway with the Guilds
// intent only and registers the commands (shard 0). It returns when all
// three are done.
//
// A failure of the token check or of the gateway that may pass (a
// timeout, the network, a 5xx, a 429) is returned as a
// *digest.TemporaryError for the caller to retry Start (cli's App does,
// with backoff); a rejected token (401) is a plain error. The command
// registration, once the gateway is up, is retried here with backoff until
// it succeeds or ctx ends: a 500 on it delays the commands and nothing
// else, for Send needs none of this. Only a refused payload (a 4xx but
// 429) stops it.
func (b *Bot) Start(ctx context.Context) error {
	rctx, cancel := context.WithTimeout(ctx, b.cfg.HTTPTimeout)
	u, err := b.s.User("@me", discordgo.WithContext(rctx))
	cancel()
	if err := b.restError("check the token with GET "+b.url("/users/@me"), err); err != nil {
		var pe *permanentError
		if errors.As(err, &pe) {
			return pe.err
		}
		return err
	}
	b.log.Info("discord token accepted", "bot_user", u.Username, "bot_id", u.ID)

	opened := make(chan error, 1)
	go func() { opened <- b.s.Open() }()
	select {
	case err := <-opened:
		if err != nil {
			return &digest.TemporaryError{Platform: digest.Discord,
				Err: fmt.Errorf("discord: open the gateway (GET %s, then dial): %w", b.url("/gateway"), requested(b.base, err))}
		}
	case <-ctx.Done():
		go func() {
			if <-opened == nil {
				_ = b.s.Close()
			}
		}()
		return fmt.Errorf("discord: open the gateway: %w", ctx.Err())
	}
	select {
	case <-b.ready:
	case <-ctx.Done():
		return fmt.Errorf("discord: wait for READY: %w", ctx.Err())
	}
	b.log.Info("discord gateway ready", "app_id", b.AppID(), "shard_id", b.cfg.ShardID, "shard_count", b.s.ShardCount)
	if b.cfg.ShardID == 0 {
		if err := b.retry(ctx, "register the commands", func() error { return b.registerCommands(ctx) }); err != nil {
			return err
		}
	}
	return nil
}

// permanentError is a failure that retrying cannot mend.
type permanentError struct{ err error }

func (e *permanentError) Error() string { return e.err.Error() }
func (e *permanentError) Unwrap() error { return e.err }

// restError classifies an error of a discordgo call: a rejected token and
// other 4xx but 429 are permanent; everything else (timeouts, network,
// 5xx, 429) may pass. It names the URL actually requested.
func (b *Bot) restError(what string, err error) error {
	if err == nil {
		return nil
	}
	err = requested(b.base, err)
	var re *discordgo.RESTError
	if errors.As(err, &re) && re.Response != nil {
		switch st := re.Response.StatusCode; {
		case st == http.StatusUnauthorized:
			return &permanentError{errors.New("discord: the bot token was rejected (401 Unauthorized): check DISCORD_TOKEN")}
		case st >= 400 && st < 500 && st != http.StatusTooManyRequests:
			return &permanentError{fmt.Errorf("discord: %s: %w", what, err)}
		}
	}
	// Discord or the network unreachable for now: a caller may retry too.
	return &digest.TemporaryError{Platform: digest.Discord, Err: fmt.Errorf("discord: %s: %w", what, err)}
}

// startBackoffCap is the longest wait between attempts of a start-up step.
const startBackoffCap = time.Minute

// retry runs f until it succeeds, fails permanently or ctx ends, waiting
// with backoff between attempts.
func (b *Bot) retry(ctx context.Context, what string, f func() error) error {
	wait := b.cfg.StartBackoff
	for attempt := 1; ; attempt++ {
		err := f()
		var pe *permanentError
		switch {
		case err == nil:
			if attempt > 1 {
				b.log.Info("discord: succeeded after retrying", "step", what, "attempts", attempt)
			}
			return nil
		case errors.As(err, &pe):
			return pe.err
		case ctx.Err() != nil:
			return fmt.Errorf("%w (stopped retrying: %w)", err, ctx.Err())
		}
		b.log.Warn("discord: start-up step failed; retrying", "step", what, "attempt", attempt, "retry_in", wait, "err", err)
		if serr := sleepUntil(ctx, time.Now().Add(wait)); serr != nil {
			return fmt.Errorf("%w (stopped retrying: %w)", err, serr)
		}
		wait = min(2*wait, startBackoffCap)
	}
}

// url is the URL actually requested for a path after /api/v9.
func (b *Bot) url(path string) string {
	return strings.TrimSuffix(b.base.String(), "/") + path
}

// Close stops the gateway and waits for commands in flight (their
// contexts are cancelled).
func (b *Bot) Close() error {
	b.mu.Lock()
	b.closed = true
	b.mu.Unlock()
	b.cancel()
	err := b.s.Close()
	b.wg.Wait()
	if err != nil {
		return fmt.Errorf("discord: close the gateway: %w", err)
	}
	return nil
}
