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
	token    string // "Bot ..."
	global   *pacer
	channels *channelPacer
	pubKey   ed25519.PublicKey

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
	if cfg.DeferAfter <= 0 {
		cfg.DeferAfter = 2 * time.Second
	}
	b := &Bot{cfg: cfg, h: h, log: log, ready: make(chan struct{}),
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
	b.client = &http.Client{Timeout: cfg.HTTPTimeout, Transport: &transport{base: base, next: http.DefaultTransport.(*http.Transport).Clone(), global: b.global}}
	s.Client = b.client
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
// intent only and registers the commands (shard 0).
func (b *Bot) Start(ctx context.Context) error {
	rctx, cancel := context.WithTimeout(ctx, b.cfg.HTTPTimeout)
	u, err := b.s.User("@me", discordgo.WithContext(rctx))
	cancel()
	if err != nil {
		var re *discordgo.RESTError
		if errors.As(err, &re) && re.Response != nil && re.Response.StatusCode == http.StatusUnauthorized {
			return errors.New("discord: the bot token was rejected (401 Unauthorized): check DISCORD_TOKEN")
		}
		err = fmt.Errorf("discord: check the token with GET /users/@me: %w", err)
		if errors.As(err, &re) && re.Response != nil && re.Response.StatusCode >= 500 {
			// Discord is down for now: the caller may retry.
			return &digest.TemporaryError{Platform: digest.Discord, Err: err}
		}
		return err
	}
	b.log.Info("discord token accepted", "bot_user", u.Username, "bot_id", u.ID)

	opened := make(chan error, 1)
	go func() { opened <- b.s.Open() }()
	select {
	case err := <-opened:
		if err != nil {
			return fmt.Errorf("discord: open the gateway: %w", err)
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
	if b.cfg.ShardID == 0 {
		if err := b.registerCommands(ctx); err != nil {
			return err
		}
	}
	b.log.Info("discord gateway ready", "app_id", b.AppID(), "shard_id", b.cfg.ShardID, "shard_count", b.s.ShardCount)
	return nil
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
