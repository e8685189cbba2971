// Package config reads the bot's one YAML file and its secrets from the
// environment. Every bad value is rejected with the key's name and what is
// allowed; unknown keys are errors, so a typo is never silently ignored.
package config

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net"
	"net/url"
	"os"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode"

	"go.yaml.in/yaml/v3"

	"newsdigest/redact"
)

// Config is the effective configuration after defaults and validation.
type Config struct {
	Store    Store    `yaml:"store"`
	Fetch    Fetch    `yaml:"fetch"`
	Sources  []Source `yaml:"sources"`
	Digest   Digest   `yaml:"digest"`
	Discord  Discord  `yaml:"discord"`
	Telegram Telegram `yaml:"telegram"`
	HTTP     HTTP     `yaml:"http"`
	Log      Log      `yaml:"log"`
	// SourcesFromChat lets channel admins add sources with /source add and
	// import (default true); the config's sources stay the catalogue.
	SourcesFromChat *bool       `yaml:"sources_from_chat"`
	ChatSources     ChatSources `yaml:"chat_sources"`
}

// ChatSources limits the sources admins add from chats.
type ChatSources struct {
	// MaxPerChannel caps a channel's own list (default 50, 1-1000).
	MaxPerChannel int `yaml:"max_per_channel"`
	// AddsPerHour caps the sources one channel adds in an hour (default 20, 1-1000).
	AddsPerHour int `yaml:"adds_per_hour"`
}

// ChatSourcesOn reports whether admins may add sources from chats.
func (c Config) ChatSourcesOn() bool { return c.SourcesFromChat == nil || *c.SourcesFromChat }

// Store says where the bot keeps its data.
type Store struct {
	// Path of the SQLite file (default newsdigest.db); ignored when URL is set.
	Path string `yaml:"path"`
	// URL selects PostgreSQL: postgres://user@host:5432/db.
	URL string `yaml:"url"`
	// Retention after which article bodies are pruned (fingerprints stay).
	Retention Duration `yaml:"retention"`
}

// Fetch tunes the polite fetcher.
type Fetch struct {
	UserAgent    string   `yaml:"user_agent"`
	Timeout      Duration `yaml:"timeout"`
	MaxBodyBytes int64    `yaml:"max_body_bytes"`
	PerHost      int      `yaml:"per_host"`
	HostGap      Duration `yaml:"host_gap"`
	Workers      int      `yaml:"workers"`
	// AllowPrivate lets sources on private, loopback and link-local
	// addresses through; needed for self-hosted sources and tests.
	AllowPrivate bool `yaml:"allow_private"`
}

// Source is one news source.
type Source struct {
	Name         string   `yaml:"name"`
	URL          string   `yaml:"url"`
	Kind         string   `yaml:"kind"`
	Interval     Duration `yaml:"interval"`
	Language     string   `yaml:"language"`
	LinkSelector string   `yaml:"link_selector"`
	BodySelector string   `yaml:"body_selector"`
	Include      []string `yaml:"include"`
	Exclude      []string `yaml:"exclude"`
}

// Digest holds the defaults of daily digests.
type Digest struct {
	MaxStories int      `yaml:"max_stories"`
	Grace      Duration `yaml:"grace"`
	SendEmpty  bool     `yaml:"send_empty"`
}

// Discord configures the Discord adapter; it runs when DISCORD_TOKEN is set.
type Discord struct {
	Token            Secret `yaml:"-"`
	APIURL           string `yaml:"api_url"`
	GuildID          string `yaml:"guild_id"`
	ShardID          int    `yaml:"shard_id"`
	ShardCount       int    `yaml:"shard_count"`
	PublicKey        string `yaml:"public_key"`
	InteractionsPath string `yaml:"interactions_path"`
	RequestsPerSec   int    `yaml:"requests_per_second"`
}

// Telegram configures the Telegram adapter; it runs when TELEGRAM_TOKEN is set.
type Telegram struct {
	Token          Secret   `yaml:"-"`
	WebhookSecret  Secret   `yaml:"-"`
	APIURL         string   `yaml:"api_url"`
	WebhookURL     string   `yaml:"webhook_url"`
	WebhookPath    string   `yaml:"webhook_path"`
	PollTimeout    Duration `yaml:"poll_timeout"`
	MessagesPerSec int      `yaml:"messages_per_second"`
}

// HTTP is the health, metrics and webhook listener.
type HTTP struct {
	// Listen is host:port as Go reads it: ":8080" every interface,
	// "127.0.0.1:8080" this machine only; off when empty.
	Listen string `yaml:"listen"`
}

// Log configures log/slog.
type Log struct {
	Format string `yaml:"format"` // auto, text or json
	Level  string `yaml:"level"`  // debug, info, warn, error
}

// Secret is a value that never prints.
type Secret string

func (s Secret) String() string {
	if s == "" {
		return ""
	}
	return "[redacted]"
}

// MarshalYAML keeps secrets out of printed configs.
func (s Secret) MarshalYAML() (any, error) { return s.String(), nil }

// Duration is a time.Duration written as "15m" in YAML.
type Duration time.Duration

// D returns the duration.
func (d Duration) D() time.Duration { return time.Duration(d) }

// MarshalYAML prints the duration as Go writes it.
func (d Duration) MarshalYAML() (any, error) { return time.Duration(d).String(), nil }

// UnmarshalYAML parses "90s", "15m", "6h"; field names are added by Load.
func (d *Duration) UnmarshalYAML(n *yaml.Node) error {
	v, err := time.ParseDuration(strings.TrimSpace(n.Value))
	if err != nil {
		return &valueError{line: n.Line, value: n.Value, allowed: "a duration such as 90s, 15m or 6h"}
	}
	*d = Duration(v)
	return nil
}

type valueError struct {
	line           int
	value, allowed string
}

func (e *valueError) Error() string {
	return fmt.Sprintf("line %d: %q is not %s", e.line, e.value, e.allowed)
}

// Defaults returns the configuration used for keys the file leaves out.
func Defaults() Config {
	return Config{
		Store: Store{Path: "newsdigest.db", Retention: Duration(30 * 24 * time.Hour)},
		Fetch: Fetch{
			UserAgent:    "newsdigest/1 (+https://github.com/newsdigest/newsdigest)",
			Timeout:      Duration(30 * time.Second),
			MaxBodyBytes: 5 << 20,
			PerHost:      2,
			HostGap:      Duration(time.Second),
			Workers:      8,
		},
		Digest:      Digest{MaxStories: 10, Grace: Duration(6 * time.Hour)},
		Discord:     Discord{APIURL: "https://discord.com/api/v9", InteractionsPath: "/discord/interactions", RequestsPerSec: 50},
		Telegram:    Telegram{APIURL: "https://api.telegram.org", WebhookPath: "/telegram/webhook", PollTimeout: Duration(50 * time.Second), MessagesPerSec: 30},
		Log:         Log{Format: "auto", Level: "info"},
		ChatSources: ChatSources{MaxPerChannel: 50, AddsPerHour: 20},
	}
}

// Error is a configuration error naming the key.
type Error struct {
	Key     string // "sources[2].interval"
	Problem string
}

func (e *Error) Error() string { return "config: " + e.Key + ": " + e.Problem }

// Load reads the YAML file at path (no file: defaults only) and the
// secrets from env (os.Getenv when nil), and validates everything.
func Load(path string, env func(string) string) (Config, error) {
	var data []byte
	if path != "" {
		b, err := os.ReadFile(path)
		if err != nil {
			return Config{}, fmt.Errorf("config: read %s: %w", path, err)
		}
		data = b
	}
	return Parse(data, path, env)
}

// Parse is Load on bytes; name is used in errors.
func Parse(data []byte, name string, env func(string) string) (Config, error) {
	if env == nil {
		env = os.Getenv
	}
	c := Defaults()
	if len(bytes.TrimSpace(data)) > 0 {
		dec := yaml.NewDecoder(bytes.NewReader(data))
		dec.KnownFields(true)
		if err := dec.Decode(&c); err != nil && !errors.Is(err, io.EOF) {
			return Config{}, yamlError(name, data, err)
		}
	}
	var err error
	if c.Discord.Token, err = secret(env, "DISCORD_TOKEN"); err != nil {
		return Config{}, err
	}
	if c.Telegram.Token, err = secret(env, "TELEGRAM_TOKEN"); err != nil {
		return Config{}, err
	}
	if c.Telegram.WebhookSecret, err = secret(env, "TELEGRAM_WEBHOOK_SECRET"); err != nil {
		return Config{}, err
	}
	// The store URL may hold a password: the environment may give it
	// instead of the file, and it wins over store.url.
	storeURL, err := secret(env, "NEWSDIGEST_STORE_URL")
	if err != nil {
		return Config{}, err
	}
	if storeURL != "" {
		c.Store.URL = string(storeURL)
	}
	if err := c.validate(); err != nil {
		return Config{}, err
	}
	return c, nil
}

// secret reads NAME, or the file named by NAME_FILE.
func secret(env func(string) string, name string) (Secret, error) {
	if v := env(name); v != "" {
		return Secret(strings.TrimSpace(v)), nil
	}
	f := env(name + "_FILE")
	if f == "" {
		return "", nil
	}
	b, err := os.ReadFile(f)
	if err != nil {
		// The path is not secret; the content is.
		return "", &Error{Key: name + "_FILE", Problem: fmt.Sprintf("cannot read %s: %v", f, errors.Unwrap(err))}
	}
	v := strings.TrimSpace(string(b))
	if v == "" {
		return "", &Error{Key: name + "_FILE", Problem: f + " is empty"}
	}
	return Secret(v), nil
}

var (
	unknownField = regexp.MustCompile(`line (\d+): field (\S+) not found in type (\S+)`)
	lineRe       = regexp.MustCompile(`^line (\d+): (.*)$`)
)

// sectionOf maps Go types to the YAML section they decode.
var sectionOf = map[string]string{
	"config.Config": "", "config.Store": "store.", "config.Fetch": "fetch.", "config.Source": "sources[].",
	"config.Digest": "digest.", "config.Discord": "discord.", "config.Telegram": "telegram.",
	"config.HTTP": "http.", "config.Log": "log.",
}

// yamlError turns the YAML library's errors into ones naming the key.
func yamlError(name string, data []byte, err error) error {
	lines := strings.Split(string(data), "\n")
	var ve *valueError
	if errors.As(err, &ve) {
		return &Error{Key: keyAt(lines, ve.line), Problem: fmt.Sprintf("line %d: %q is not allowed; allowed: %s", ve.line, ve.value, ve.allowed)}
	}
	var te *yaml.TypeError
	if !errors.As(err, &te) {
		return fmt.Errorf("config: %s is not valid YAML: %w", name, err)
	}
	var msgs []string
	for _, e := range te.Errors {
		if m := unknownField.FindStringSubmatch(e); m != nil {
			msgs = append(msgs, fmt.Sprintf("line %s: unknown key %s%s (a typo? see config.example.yaml for the keys)", m[1], sectionOf[m[3]], m[2]))
			continue
		}
		if m := lineRe.FindStringSubmatch(e); m != nil {
			n, _ := strconv.Atoi(m[1])
			msgs = append(msgs, fmt.Sprintf("line %d: key %s: %s", n, keyAt(lines, n), m[2]))
			continue
		}
		msgs = append(msgs, e)
	}
	return fmt.Errorf("config: %s: %s", name, strings.Join(msgs, "; "))
}

// keyAt names the key on line n (1-based) of the file.
func keyAt(lines []string, n int) string {
	if n < 1 || n > len(lines) {
		return "?"
	}
	k, _, _ := strings.Cut(strings.TrimLeft(strings.TrimSpace(lines[n-1]), "- "), ":")
	return strings.TrimSpace(k)
}

var (
	snowflake  = regexp.MustCompile(`^\d{1,20}$`)
	sourceName = regexp.MustCompile(`^[\p{L}\p{N}][\p{L}\p{N} ._-]{0,63}$`)
)

func (c *Config) validate() error {
	if c.Store.URL != "" {
		u, err := url.Parse(c.Store.URL)
		if err != nil || (u.Scheme != "postgres" && u.Scheme != "postgresql") || u.Host == "" {
			return &Error{Key: "store.url", Problem: "must be a postgres://user@host:port/database URL"}
		}
	} else if strings.TrimSpace(c.Store.Path) == "" {
		return &Error{Key: "store.path", Problem: "must name a file (or set store.url for PostgreSQL)"}
	} else if strings.ContainsFunc(c.Store.Path, unicode.IsControl) {
		// A NUL would cut the name short in the C library; no file name
		// needs a control character.
		return &Error{Key: "store.path", Problem: fmt.Sprintf("%q holds a control character (NUL, newline, …); name a plain file", c.Store.Path)}
	}
	if c.Store.Retention.D() < 24*time.Hour {
		return &Error{Key: "store.retention", Problem: fmt.Sprintf("%s is too short; allowed: 24h or more", c.Store.Retention.D())}
	}
	f := &c.Fetch
	switch {
	case strings.TrimSpace(f.UserAgent) == "":
		return &Error{Key: "fetch.user_agent", Problem: "must not be empty: name the bot and its home page"}
	case f.Timeout.D() < time.Second || f.Timeout.D() > 10*time.Minute:
		return &Error{Key: "fetch.timeout", Problem: fmt.Sprintf("%s is out of range; allowed: 1s to 10m", f.Timeout.D())}
	case f.MaxBodyBytes < 64<<10 || f.MaxBodyBytes > 100<<20:
		return &Error{Key: "fetch.max_body_bytes", Problem: fmt.Sprintf("%d is out of range; allowed: 65536 to 104857600", f.MaxBodyBytes)}
	case f.PerHost < 1 || f.PerHost > 16:
		return &Error{Key: "fetch.per_host", Problem: fmt.Sprintf("%d is out of range; allowed: 1 to 16", f.PerHost)}
	case f.HostGap.D() < 0 || f.HostGap.D() > time.Minute:
		return &Error{Key: "fetch.host_gap", Problem: fmt.Sprintf("%s is out of range; allowed: 0s to 1m", f.HostGap.D())}
	case f.Workers < 1 || f.Workers > 256:
		return &Error{Key: "fetch.workers", Problem: fmt.Sprintf("%d is out of range; allowed: 1 to 256", f.Workers)}
	}
	names := map[string]bool{}
	for i := range c.Sources {
		s := &c.Sources[i]
		key := fmt.Sprintf("sources[%d]", i)
		if !sourceName.MatchString(s.Name) {
			return &Error{Key: key + ".name", Problem: fmt.Sprintf("%q is not allowed; use 1-64 letters, digits, spaces, dots, dashes or underscores", s.Name)}
		}
		key = fmt.Sprintf("sources[%d] (%s)", i, s.Name)
		if names[strings.ToLower(s.Name)] {
			return &Error{Key: key + ".name", Problem: "is used by another source; names must be unique"}
		}
		names[strings.ToLower(s.Name)] = true
		u, err := url.Parse(s.URL)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return &Error{Key: key + ".url", Problem: fmt.Sprintf("%q is not an http(s) URL", redact.URL(s.URL))}
		}
		switch s.Kind {
		case "":
			s.Kind = "feed"
		case "feed", "html":
		default:
			return &Error{Key: key + ".kind", Problem: fmt.Sprintf("%q is not allowed; allowed: feed, html", s.Kind)}
		}
		if s.Kind == "html" && strings.TrimSpace(s.LinkSelector) == "" {
			return &Error{Key: key + ".link_selector", Problem: "is required for kind html (a CSS selector for article links)"}
		}
		// No interval: the bot adapts it to how often the source publishes.
		if s.Interval != 0 && s.Interval.D() < time.Minute {
			return &Error{Key: key + ".interval", Problem: fmt.Sprintf("%s is below the minimum; allowed: 1m or more", s.Interval.D())}
		}
		for _, kw := range append(append([]string{}, s.Include...), s.Exclude...) {
			if strings.TrimSpace(kw) == "" || len(kw) > 100 {
				return &Error{Key: key + ".include/exclude", Problem: "keywords must be 1-100 characters"}
			}
		}
	}
	if n := c.ChatSources.MaxPerChannel; n < 1 || n > 1000 {
		return &Error{Key: "chat_sources.max_per_channel", Problem: fmt.Sprintf("%d is out of range; allowed: 1 to 1000", n)}
	}
	if n := c.ChatSources.AddsPerHour; n < 1 || n > 1000 {
		return &Error{Key: "chat_sources.adds_per_hour", Problem: fmt.Sprintf("%d is out of range; allowed: 1 to 1000", n)}
	}
	d := &c.Digest
	if d.MaxStories < 1 || d.MaxStories > 25 {
		return &Error{Key: "digest.max_stories", Problem: fmt.Sprintf("%d is out of range; allowed: 1 to 25", d.MaxStories)}
	}
	if d.Grace.D() < 0 || d.Grace.D() > 24*time.Hour {
		return &Error{Key: "digest.grace", Problem: fmt.Sprintf("%s is out of range; allowed: 0s to 24h", d.Grace.D())}
	}
	dc := &c.Discord
	if err := httpURL("discord.api_url", dc.APIURL); err != nil {
		return err
	}
	if dc.GuildID != "" && !snowflake.MatchString(dc.GuildID) {
		return &Error{Key: "discord.guild_id", Problem: fmt.Sprintf("%q is not a Discord ID (digits only)", dc.GuildID)}
	}
	if dc.ShardCount < 0 || dc.ShardID < 0 || (dc.ShardCount > 0 && dc.ShardID >= dc.ShardCount) {
		return &Error{Key: "discord.shard_id", Problem: fmt.Sprintf("%d is out of range; allowed: 0 to shard_count-1 (%d)", dc.ShardID, dc.ShardCount)}
	}
	if dc.PublicKey != "" && !regexp.MustCompile(`^[0-9a-fA-F]{64}$`).MatchString(dc.PublicKey) {
		return &Error{Key: "discord.public_key", Problem: "must be the application's 64-character hex public key"}
	}
	if !strings.HasPrefix(dc.InteractionsPath, "/") {
		return &Error{Key: "discord.interactions_path", Problem: "must start with /"}
	}
	if dc.RequestsPerSec < 1 || dc.RequestsPerSec > 50 {
		return &Error{Key: "discord.requests_per_second", Problem: fmt.Sprintf("%d is out of range; allowed: 1 to 50 (Discord's global limit)", dc.RequestsPerSec)}
	}
	tg := &c.Telegram
	if err := httpURL("telegram.api_url", tg.APIURL); err != nil {
		return err
	}
	if tg.WebhookURL != "" {
		u, err := url.Parse(tg.WebhookURL)
		if err != nil || u.Scheme != "https" || u.Host == "" {
			return &Error{Key: "telegram.webhook_url", Problem: "must be an https:// URL (Telegram only calls HTTPS webhooks)"}
		}
		if tg.WebhookSecret == "" {
			return &Error{Key: "TELEGRAM_WEBHOOK_SECRET", Problem: "must be set in the environment when telegram.webhook_url is set"}
		}
		if c.HTTP.Listen == "" {
			return &Error{Key: "http.listen", Problem: "must be set when telegram.webhook_url is set (the webhook is served there)"}
		}
	}
	if tg.WebhookSecret != "" && !regexp.MustCompile(`^[A-Za-z0-9_-]{1,256}$`).MatchString(string(tg.WebhookSecret)) {
		return &Error{Key: "TELEGRAM_WEBHOOK_SECRET", Problem: "allowed: 1-256 characters A-Z, a-z, 0-9, _ and -"}
	}
	if !strings.HasPrefix(tg.WebhookPath, "/") {
		return &Error{Key: "telegram.webhook_path", Problem: "must start with /"}
	}
	if tg.PollTimeout.D() < time.Second || tg.PollTimeout.D() > 10*time.Minute {
		return &Error{Key: "telegram.poll_timeout", Problem: fmt.Sprintf("%s is out of range; allowed: 1s to 10m", tg.PollTimeout.D())}
	}
	if tg.MessagesPerSec < 1 || tg.MessagesPerSec > 30 {
		return &Error{Key: "telegram.messages_per_second", Problem: fmt.Sprintf("%d is out of range; allowed: 1 to 30 (Telegram's broadcast limit)", tg.MessagesPerSec)}
	}
	if c.HTTP.Listen != "" {
		// Go's convention: ":8080" is every interface, "127.0.0.1:8080"
		// this machine only (the safe choice behind a proxy).
		_, port, err := net.SplitHostPort(c.HTTP.Listen)
		if p, perr := strconv.Atoi(port); err != nil || perr != nil || p < 0 || p > 65535 {
			return &Error{Key: "http.listen", Problem: fmt.Sprintf("%q is not host:port; allowed: \"127.0.0.1:8080\" (this machine only) or \":8080\" (every interface)", c.HTTP.Listen)}
		}
	}
	switch c.Log.Format {
	case "auto", "text", "json":
	default:
		return &Error{Key: "log.format", Problem: fmt.Sprintf("%q is not allowed; allowed: auto, text, json", c.Log.Format)}
	}
	switch c.Log.Level {
	case "debug", "info", "warn", "error":
	default:
		return &Error{Key: "log.level", Problem: fmt.Sprintf("%q is not allowed; allowed: debug, info, warn, error", c.Log.Level)}
	}
	return nil
}

func httpURL(key, v string) error {
	u, err := url.Parse(v)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return &Error{Key: key, Problem: fmt.Sprintf("%q is not an http(s) URL", redact.URL(v))}
	}
	return nil
}

// Redacted prints the effective config as YAML with secrets hidden.
func (c Config) Redacted() string {
	type secrets struct {
		DiscordToken          string `yaml:"DISCORD_TOKEN"`
		TelegramToken         string `yaml:"TELEGRAM_TOKEN"`
		TelegramWebhookSecret string `yaml:"TELEGRAM_WEBHOOK_SECRET"`
	}
	out := struct {
		Config      `yaml:",inline"`
		Environment secrets `yaml:"environment"`
	}{c, secrets{c.Discord.Token.String(), c.Telegram.Token.String(), c.Telegram.WebhookSecret.String()}}
	// URLs may carry credentials: a store's password, a source's API key.
	out.Store.URL = redact.URL(c.Store.URL)
	// The YAML emitter keeps every event of a document until it ends, so
	// one Marshal of 100,000 sources took gigabytes: the sources are
	// marshalled one by one into the place of the empty list.
	out.Sources = nil
	b, err := yaml.Marshal(out)
	if err != nil {
		return "config: cannot print: " + err.Error()
	}
	if len(c.Sources) == 0 {
		return string(b)
	}
	head, tail, ok := strings.Cut(string(b), "\nsources: []\n")
	if !ok {
		return "config: cannot print: no sources key"
	}
	var w strings.Builder
	w.Grow(len(b) + 300*len(c.Sources))
	w.WriteString(head)
	w.WriteString("\nsources:\n")
	for _, s := range c.Sources {
		s.URL = redact.URL(s.URL)
		sb, err := yaml.Marshal([]Source{s})
		if err != nil {
			return "config: cannot print: " + err.Error()
		}
		for line := range strings.Lines(string(sb)) {
			w.WriteString("    ")
			w.WriteString(line)
		}
	}
	w.WriteString(tail)
	return w.String()
}
