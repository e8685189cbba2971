package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"strconv"
	"strings"
	"sync"
	"time"

	"newsdigest/adapters/discord"
	"newsdigest/adapters/telegram"
	"newsdigest/commands"
	"newsdigest/config"
	"newsdigest/delivery"
	"newsdigest/digest"
	"newsdigest/digest/extract"
	"newsdigest/digest/story"
	"newsdigest/digest/summary"
	"newsdigest/health"
	"newsdigest/ingest"
	"newsdigest/metrics"
	"newsdigest/schedule"
	"newsdigest/store/postgres"
	"newsdigest/store/sqlite"
)

func init() {
	register("run", command{
		summary: "Run the bot: ingest sources, deliver digests, answer commands",
		usage: `bot run [--config FILE]

Discord runs when DISCORD_TOKEN (or DISCORD_TOKEN_FILE) is set, Telegram when
TELEGRAM_TOKEN is; with neither, the bot only ingests its sources (and
` + "`bot preview`" + ` works). SIGINT or SIGTERM stops it: new work stops at once,
deliveries in flight get up to --drain to finish, then the store is closed.`,
		run: runBot,
	})
}

// newLogger makes the slog logger: text on a terminal, JSON otherwise.
func newLogger(c config.Log, w io.Writer) *slog.Logger {
	var level slog.Level
	_ = level.UnmarshalText([]byte(c.Level))
	opts := &slog.HandlerOptions{Level: level}
	if c.Format == "text" || (c.Format == "auto" && isTerminal(w)) {
		return slog.New(slog.NewTextHandler(w, opts))
	}
	return slog.New(slog.NewJSONHandler(w, opts))
}

// lockingStore is a store that also leases named locks to one instance
// (both backends implement it).
type lockingStore interface {
	digest.Store
	TryLock(ctx context.Context, name, owner string, ttl time.Duration) (bool, error)
	Unlock(ctx context.Context, name, owner string) error
}

// openStore opens PostgreSQL when store.url is set, else SQLite.
func openStore(ctx context.Context, c config.Config, log *slog.Logger) (lockingStore, error) {
	if c.Store.URL != "" {
		return postgres.Open(ctx, c.Store.URL, postgres.WithLogger(log))
	}
	return sqlite.Open(ctx, c.Store.Path, sqlite.WithLogger(log))
}

// grouper adapts story.Grouper to ingest.StorySyncer. Its docs' IDs
// are the stored articles' IDs in decimal.
type grouper struct{ g *story.Grouper }

func (g grouper) Match(d ingest.Doc) (int64, bool) { return g.g.Match(story.Doc(d)) }
func (g grouper) Add(d ingest.Doc, id int64)       { g.g.Add(story.Doc(d), id) }

func (g grouper) Settle(newStory func() (int64, error)) ([]digest.StoryMove, error) {
	moves, err := g.g.Settle(newStory)
	if err != nil {
		return nil, err
	}
	out := make([]digest.StoryMove, 0, len(moves))
	for _, m := range moves {
		id, err := strconv.ParseInt(m.DocID, 10, 64)
		if err != nil {
			continue // not a stored article: nothing to move in the store
		}
		out = append(out, digest.StoryMove{ArticleID: id, From: m.From, To: m.To})
	}
	return out, nil
}

func (g grouper) Has(articleID int64) bool { return g.g.Has(strconv.FormatInt(articleID, 10)) }

func (g grouper) Relabel(stories map[int64]int64) {
	m := make(map[string]int64, len(stories))
	for a, s := range stories {
		m[strconv.FormatInt(a, 10)] = s
	}
	g.g.Relabel(m)
}

func (g grouper) Apply(moves []digest.StoryMove) {
	out := make([]story.Move, len(moves))
	for i, m := range moves {
		out[i] = story.Move{DocID: strconv.FormatInt(m.ArticleID, 10), From: m.From, To: m.To}
	}
	g.g.Apply(out)
}

// warmGrouper feeds the grouper the articles of its window, so stories go
// on across restarts: the last 72 hours, read a page at a time (the
// grouper keeps the newest 5,000).
func warmGrouper(ctx context.Context, st digest.Store, g *story.Grouper, now time.Time) error {
	const page = 1000
	since := now.Add(-72 * time.Hour)
	for {
		arts, err := st.RecentArticles(ctx, since, page)
		if err != nil {
			return fmt.Errorf("warm story grouper: %w", err)
		}
		for _, a := range arts {
			id := strconv.FormatInt(a.ID, 10)
			if !g.Has(id) {
				g.Add(story.Doc{ID: id, Title: a.Headline, Text: a.Body, Source: a.Source, URL: a.URL, Published: a.Published, Language: a.Language}, a.StoryID)
			}
		}
		if len(arts) < page {
			return nil
		}
		next := arts[len(arts)-1].FirstSeen
		if !next.After(since) {
			next = since.Add(time.Microsecond) // a page of one instant: go on past it
		}
		since = next
	}
}

// syncSources saves the config's sources into the store.
func syncSources(ctx context.Context, st digest.Store, c config.Config) error {
	for _, s := range c.Sources {
		if _, err := st.SaveSource(ctx, digest.Source{
			Name: s.Name, URL: s.URL, Kind: digest.SourceKind(s.Kind), Interval: s.Interval.D(),
			Language: s.Language, LinkSelector: s.LinkSelector, BodySelector: s.BodySelector,
			Include: s.Include, Exclude: s.Exclude,
		}); err != nil {
			return fmt.Errorf("save source %q: %w", s.Name, err)
		}
	}
	return nil
}

// newIngester wires the fetcher, extractor, summarizer and grouper.
func newIngester(c config.Config, st digest.Store, g *story.Grouper, m *metrics.Metrics, log *slog.Logger) *ingest.Ingester {
	return &ingest.Ingester{
		Store:   st,
		Fetcher: newFetcher(c),
		Extract: func(p digest.Page, sel string) (digest.Article, error) {
			a, err := extract.Extract(p, extract.Options{BodySelector: sel})
			if err != nil && m != nil {
				m.ExtractFailed(err)
			}
			return a, err
		},
		Summarize:   summary.Summarize,
		SummarizeIn: summary.SummarizeIn,
		Group:       grouper{g},
		Log:         log,
		Workers:     c.Fetch.Workers,
		// Measured on real pairs (digest/fingerprint tests): copies of one
		// article lie within 6 far more often than within 3, and no two
		// different articles came within 10.
		NearDistance: 6,
	}
}

func runBot(ctx context.Context, env Env, args []string) error {
	fs := newFlags(env, "run")
	path := configFlag(env, fs)
	drain := fs.Duration("drain", 10*time.Second, "how long deliveries in flight may take to finish on shutdown")
	if _, err := parseFlags(fs, args); err != nil {
		return err
	}
	c, err := loadConfig(env, *path)
	if err != nil {
		return err
	}
	log := newLogger(c.Log, env.Stderr)
	slog.SetDefault(log)
	setInstanceID(env)

	// The store outlives ctx: deliveries drain after the signal.
	raw, err := openStore(context.WithoutCancel(ctx), c, log)
	if err != nil {
		return err
	}
	defer func() {
		if err := raw.Close(); err != nil {
			log.Error("closing the store failed", "err", err)
		} else {
			log.Info("store closed")
		}
	}()
	m := metrics.New()
	st := m.Store(raw)
	if err := syncSources(ctx, st, c); err != nil {
		return err
	}

	g := story.NewGrouper(story.Options{})
	warmed := time.Now()
	if err := warmGrouper(ctx, st, g, warmed); err != nil {
		return err
	}
	ing := newIngester(c, st, g, m, log)
	ing.GroupedSince = warmed
	// One instance at a time fetches a source (several may share PostgreSQL).
	ing.Lock = func(ctx context.Context, source string) (func(), bool) {
		name := "source:" + source
		ok, err := raw.TryLock(ctx, name, instanceID(), 15*time.Minute)
		if err != nil || !ok {
			return nil, false
		}
		return func() { _ = raw.Unlock(context.WithoutCancel(ctx), name, instanceID()) }, true
	}

	var engine *delivery.Engine
	handler := &commands.Handler{
		Store:      st,
		Trending:   story.Trending,
		NextRun:    schedule.Next,
		MaxStories: c.Digest.MaxStories,
		SendEmpty:  c.Digest.SendEmpty,
		Log:        log,
		Observe:    m.ObserveCommand,
		Preview: func(ctx context.Context, sub digest.Subscription, now time.Time) (digest.DigestView, error) {
			return engine.Preview(ctx, sub, now)
		},
	}

	checks := map[string]health.Check{"store": st.Ping}
	routes := map[string]http.Handler{"/metrics": m.Handler()}
	var messengers []digest.Messenger
	var starters []func(context.Context) error
	var closers []func() error

	if c.Discord.Token != "" {
		b, err := discord.New(discord.Config{
			Token: string(c.Discord.Token), APIURL: c.Discord.APIURL, GuildID: c.Discord.GuildID,
			ShardID: c.Discord.ShardID, ShardCount: c.Discord.ShardCount, PublicKey: c.Discord.PublicKey,
			RequestsPerSecond: c.Discord.RequestsPerSec,
		}, handler, log.With("platform", "discord"))
		if err != nil {
			return err
		}
		messengers = append(messengers, m.Messenger(b))
		started := make(chan error, 1)
		starters = append(starters, func(ctx context.Context) error {
			err := b.Start(ctx)
			started <- err
			return err
		})
		checks["discord"] = readyCheck(started)
		closers = append(closers, b.Close)
		if c.Discord.PublicKey != "" && c.HTTP.Listen != "" {
			routes[c.Discord.InteractionsPath] = b.InteractionsHandler()
		}
	}
	if c.Telegram.Token != "" {
		b, err := telegram.New(telegram.Config{
			Token: string(c.Telegram.Token), APIURL: c.Telegram.APIURL,
			WebhookURL: c.Telegram.WebhookURL, WebhookSecret: string(c.Telegram.WebhookSecret), WebhookPath: c.Telegram.WebhookPath,
			PollTimeout: c.Telegram.PollTimeout.D(), MessagesPerSecond: c.Telegram.MessagesPerSec,
		}, handler, log.With("platform", "telegram"))
		if err != nil {
			return err
		}
		messengers = append(messengers, m.Messenger(b))
		started := make(chan error, 2)
		starters = append(starters, func(ctx context.Context) error {
			if c.Telegram.WebhookURL == "" {
				// Telegram rejects two pollers of one bot: with a shared
				// database, only the instance holding the lease polls; the
				// others are ready all the same, for they still send digests.
				if err := waitForLease(ctx, raw, "telegram-poller", log, func() { started <- nil }); err != nil {
					return nil // stopped while waiting
				}
			}
			err := b.Start(ctx)
			started <- err
			return err
		})
		checks["telegram"] = readyCheck(started)
		closers = append(closers, b.Close)
		if c.Telegram.WebhookURL != "" {
			routes[c.Telegram.WebhookPath] = b.WebhookHandler()
		}
	}
	if len(messengers) == 0 {
		log.Info("no DISCORD_TOKEN or TELEGRAM_TOKEN: ingesting sources only")
	}
	engine = delivery.New(st, messengers, delivery.Options{
		Grace: c.Digest.Grace.D(), MaxStories: c.Digest.MaxStories, Log: log, Rank: story.ForDigest,
		Owner: instanceID(),
	})

	// Work that stops at once on a signal: ingestion, commands, pruning.
	var wg sync.WaitGroup
	errc := make(chan error, 8)
	goWork := func(name string, f func(context.Context) error) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := f(ctx); err != nil && ctx.Err() == nil {
				errc <- fmt.Errorf("%s: %w", name, err)
			}
		}()
	}
	goWork("ingest", ing.Run)
	goWork("prune", func(ctx context.Context) error { return pruneLoop(ctx, raw, c.Store.Retention.D(), log) })
	for _, s := range starters {
		goWork("platform", s)
	}
	if c.HTTP.Listen != "" {
		srv := &http.Server{Addr: c.HTTP.Listen, Handler: health.Mux(checks, 3*time.Second, routes), ReadHeaderTimeout: 10 * time.Second}
		goWork("http", func(ctx context.Context) error { return health.Serve(ctx, srv, 5*time.Second) })
		log.Info("listening", "addr", c.HTTP.Listen)
	}
	// Deliveries get a context that ends `drain` after the signal, so that
	// a message in flight is finished rather than cut.
	dctx, dcancel := context.WithCancel(context.WithoutCancel(ctx))
	defer dcancel()
	done := make(chan struct{})
	go func() {
		defer close(done)
		if err := engine.Run(dctx); err != nil {
			errc <- fmt.Errorf("delivery: %w", err)
		}
	}()
	log.Info("newsdigest running", "sources", len(c.Sources), "platforms", len(messengers), "version", Version)

	var runErr error
	select {
	case <-ctx.Done():
		log.Info("stopping: finishing deliveries in flight", "drain", *drain)
	case runErr = <-errc:
		log.Error("stopping after a fatal error", "err", runErr)
	}
	engine.Stop() // plan nothing new, claim nothing new; finish what is in flight
	select {
	case <-done:
	case <-time.After(*drain):
		log.Warn("deliveries did not finish in time; the outbox resumes them on the next start")
	}
	dcancel()
	<-done
	wg.Wait()
	for _, f := range closers {
		if err := f(); err != nil {
			log.Warn("closing a platform failed", "err", err)
		}
	}
	return runErr
}

// readyCheck reports ready once a platform's Start succeeded.
func readyCheck(started <-chan error) health.Check {
	var mu sync.Mutex
	var state error = errors.New("connecting")
	return func(ctx context.Context) error {
		mu.Lock()
		defer mu.Unlock()
		for {
			select {
			case state = <-started:
			default:
				return state
			}
		}
	}
}

// waitForLease blocks until this instance holds the named lease, and keeps
// renewing it in the background until ctx ends. onWait is called once if
// another instance holds it.
func waitForLease(ctx context.Context, st lockingStore, name string, log *slog.Logger, onWait func()) error {
	owner := instanceID()
	ttl := leaseTTL
	waiting := false
	for {
		ok, err := st.TryLock(ctx, name, owner, ttl)
		if err != nil {
			log.Warn("lease check failed", "lease", name, "err", err)
		}
		if ok {
			break
		}
		if !waiting {
			log.Info("another instance holds the lease; waiting", "lease", name)
			waiting = true
			onWait()
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(ttl / 3):
		}
	}
	go keepLease(ctx, st, name, log)
	return nil
}

const leaseTTL = time.Minute

// keepLease renews a held lease until ctx ends, then releases it.
func keepLease(ctx context.Context, st lockingStore, name string, log *slog.Logger) {
	owner := instanceID()
	t := time.NewTicker(leaseTTL / 3)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			_ = st.Unlock(context.WithoutCancel(ctx), name, owner)
			return
		case <-t.C:
			if ok, err := st.TryLock(ctx, name, owner, leaseTTL); err != nil || !ok {
				log.Error("lost the lease", "lease", name, "err", err)
			}
		}
	}
}

// owner names this instance in outbox and lock leases: NEWSDIGEST_INSTANCE,
// else the host name. It must survive a restart (so that a restarted bot
// resumes its own half-sent digests at once instead of waiting out its old
// lease) and differ between instances running at the same time.
var owner string

func instanceID() string { return owner }

func setInstanceID(env Env) {
	owner = strings.TrimSpace(env.Getenv("NEWSDIGEST_INSTANCE"))
	if owner == "" {
		host, err := os.Hostname()
		if err != nil || host == "" {
			host = fmt.Sprintf("pid-%d", os.Getpid())
		}
		owner = host
	}
}

// pruneLoop drops old article bodies once a day (keeping their keys).
func pruneLoop(ctx context.Context, st digest.Store, retention time.Duration, log *slog.Logger) error {
	for {
		n, err := st.Prune(ctx, time.Now().Add(-retention))
		if err != nil && ctx.Err() == nil {
			log.Warn("pruning old articles failed", "err", err)
		} else if n > 0 {
			log.Info("pruned old article bodies", "articles", n)
		}
		select {
		case <-ctx.Done():
			return nil
		case <-time.After(24 * time.Hour):
		}
	}
}
