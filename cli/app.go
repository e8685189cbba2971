package cli

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"sync"
	"time"

	"newsdigest/adapters/discord"
	"newsdigest/adapters/telegram"
	"newsdigest/commands"
	"newsdigest/config"
	"newsdigest/delivery"
	"newsdigest/digest"
	"newsdigest/digest/story"
	"newsdigest/health"
	"newsdigest/metrics"
	"newsdigest/schedule"
	"newsdigest/store"
)

// App is one running bot: its store, ingestion, delivery, platforms and
// HTTP listener, built from a config. It holds no global state, so several
// Apps can run in one process (as the tests do). Run it once, then Close it.
type App struct {
	Config config.Config
	Log    *slog.Logger
	// Instance names this instance in outbox and lock leases.
	Instance string
	// Drain is how long deliveries in flight may take to finish once Run
	// stops (default 10 s).
	Drain time.Duration
	// RetryMin and RetryMax bound the backoff between attempts to reach a
	// platform that was unreachable at start (default 1 s doubling to 1 min).
	RetryMin, RetryMax time.Duration

	leases  sync.WaitGroup // keepLease goroutines
	nonce   string         // of this App, in processOwner; set once under mu
	mu      sync.Mutex
	store   store.Store
	closers []func() error
	closed  bool
}

// NewApp makes an App; nothing runs before Run.
func NewApp(c config.Config, log *slog.Logger, instance string) *App {
	return &App{Config: c, Log: log, Instance: instance, Drain: 10 * time.Second, RetryMin: time.Second, RetryMax: time.Minute}
}

// Run opens the store and runs the bot until ctx ends or a fatal error
// happens. A fatal error (a rejected token, a listener that cannot bind, a
// store that fails) cancels everything: ingestion, commands, the HTTP
// listener; deliveries in flight get Drain to finish. Run returns that
// error, or nil after ctx ended. A platform that cannot be reached at start
// (connection refused, a 5xx, a timeout) is not fatal: it is retried with
// backoff while /readyz reports it not ready.
func (a *App) Run(ctx context.Context) error {
	c, log := a.Config, a.Log
	// The store outlives ctx: deliveries drain after the signal.
	st, err := openStore(context.WithoutCancel(ctx), c, log)
	if err != nil {
		return err
	}
	a.mu.Lock()
	if a.closed {
		a.mu.Unlock()
		_ = st.Close()
		return errors.New("run: the app is closed")
	}
	a.store = st
	a.mu.Unlock()

	// work ends on the signal or on the first fatal error.
	work, stop := context.WithCancelCause(ctx)
	defer stop(nil)

	m := metrics.New()
	mst := m.Store(st)
	if err := syncSources(work, mst, c); err != nil {
		return err
	}
	g := story.NewGrouper(story.Options{})
	warmed := time.Now()
	if err := warmGrouper(work, mst, g, warmed); err != nil {
		return err
	}
	ing := newIngester(c, mst, g, m, log)
	ing.GroupedSince = warmed
	// One instance at a time fetches a source (several may share PostgreSQL).
	ing.Lock = func(ctx context.Context, source string) (func(), bool) {
		name := "source:" + source
		ok, err := st.TryLock(ctx, name, a.Instance, 15*time.Minute)
		if err != nil || !ok {
			return nil, false
		}
		return func() { _ = st.Unlock(context.WithoutCancel(ctx), name, a.Instance) }, true
	}

	var engine *delivery.Engine
	handler := &commands.Handler{
		Store:      mst,
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
	handler.ChatSources = chatSources(c, ing.Fetcher)

	checks := map[string]health.Check{"store": mst.Ping}
	routes := map[string]http.Handler{"/metrics": m.Handler()}
	var messengers []digest.Messenger
	type platform struct {
		name  string
		start func(context.Context) error
		ready *readiness
	}
	var platforms []platform

	if c.Discord.Token != "" {
		b, err := discord.New(discord.Config{
			Token: string(c.Discord.Token), APIURL: c.Discord.APIURL, GuildID: c.Discord.GuildID,
			ShardID: c.Discord.ShardID, ShardCount: c.Discord.ShardCount, PublicKey: c.Discord.PublicKey,
			RequestsPerSecond: c.Discord.RequestsPerSec, FirstSeen: st.FirstSeen,
		}, handler, log.With("platform", "discord"))
		if err != nil {
			return err
		}
		messengers = append(messengers, m.Messenger(b))
		r := newReadiness()
		checks["discord"] = r.check
		platforms = append(platforms, platform{"discord", b.Start, r})
		a.addCloser(b.Close)
		if c.Discord.PublicKey != "" && c.HTTP.Listen != "" {
			routes[c.Discord.InteractionsPath] = b.InteractionsHandler()
		}
	}
	if c.Telegram.Token != "" {
		b, err := telegram.New(telegram.Config{
			Token: string(c.Telegram.Token), APIURL: c.Telegram.APIURL,
			WebhookURL: c.Telegram.WebhookURL, WebhookSecret: string(c.Telegram.WebhookSecret), WebhookPath: c.Telegram.WebhookPath,
			PollTimeout: c.Telegram.PollTimeout.D(), MessagesPerSecond: c.Telegram.MessagesPerSec,
			FirstSeen: st.FirstSeen,
			// A token revoked while running is as fatal as one rejected at start.
			OnFatal: func(err error) { stop(err) },
		}, handler, log.With("platform", "telegram"))
		if err != nil {
			return err
		}
		messengers = append(messengers, m.Messenger(b))
		r := newReadiness()
		checks["telegram"] = r.check
		start := b.Start
		if c.Telegram.WebhookURL == "" {
			leased := false
			start = func(ctx context.Context) error {
				// Telegram rejects two pollers of one bot: with a shared
				// database, only the instance holding the lease polls; the
				// others are ready all the same, for they still send digests.
				if !leased {
					if err := a.waitForLease(ctx, "telegram-poller", func() { r.set(nil) }); err != nil {
						return nil // stopped while waiting
					}
					leased = true
				}
				return b.Start(ctx)
			}
		}
		platforms = append(platforms, platform{"telegram", start, r})
		a.addCloser(b.Close)
		if c.Telegram.WebhookURL != "" {
			routes[c.Telegram.WebhookPath] = b.WebhookHandler()
		}
	}
	if len(messengers) == 0 {
		log.Info("no DISCORD_TOKEN or TELEGRAM_TOKEN: ingesting sources only")
	}
	engine = delivery.New(mst, messengers, delivery.Options{
		Grace: c.Digest.Grace.D(), MaxStories: c.Digest.MaxStories, Log: log, Rank: story.ForDigest,
		Owner: a.Instance,
	})

	// Work that stops at once on a signal or a fatal error: ingestion,
	// commands, pruning, platforms starting, the HTTP listener. The first
	// error of any of them is fatal and stops the rest.
	var wg sync.WaitGroup
	goWork := func(name string, f func(context.Context) error) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := f(work); err != nil && work.Err() == nil {
				stop(fmt.Errorf("%s: %w", name, err))
			}
		}()
	}
	goWork("ingest", ing.Run)
	goWork("prune", func(ctx context.Context) error { return pruneLoop(ctx, mst, c.Store.Retention.D(), log) })
	for _, p := range platforms {
		goWork(p.name, func(ctx context.Context) error { return a.startPlatform(ctx, p.name, p.start, p.ready) })
	}
	if c.HTTP.Listen != "" {
		srv := health.NewServer(c.HTTP.Listen, health.Mux(checks, 3*time.Second, routes, log))
		goWork("http", func(ctx context.Context) error { return health.Serve(ctx, srv, 5*time.Second) })
		log.Info("listening", "addr", c.HTTP.Listen)
	}
	// Deliveries get a context that ends Drain after the stop, so that a
	// message in flight is finished rather than cut.
	dctx, dcancel := context.WithCancel(context.WithoutCancel(ctx))
	defer dcancel()
	done := make(chan struct{})
	go func() {
		defer close(done)
		if err := engine.Run(dctx); err != nil {
			stop(fmt.Errorf("delivery: %w", err))
		}
	}()
	log.Info("newsdigest running", "sources", len(c.Sources), "platforms", len(messengers), "version", Version, "instance", a.Instance)

	<-work.Done()
	runErr := context.Cause(work)
	if ctx.Err() != nil && errors.Is(runErr, ctx.Err()) {
		runErr = nil
		log.Info("stopping: finishing deliveries in flight", "drain", a.Drain)
	} else {
		log.Error("stopping after a fatal error", "err", runErr)
	}
	engine.Stop() // plan nothing new, claim nothing new; finish what is in flight
	select {
	case <-done:
	case <-time.After(a.Drain):
		log.Warn("deliveries did not finish in time; the outbox resumes them on the next start")
	}
	dcancel()
	<-done
	wg.Wait()
	a.leases.Wait()
	return runErr
}

// Close stops the platforms and closes the store. It may be called
// whether or not Run ran or failed, and more than once.
func (a *App) Close() error {
	a.mu.Lock()
	if a.closed {
		a.mu.Unlock()
		return nil
	}
	a.closed = true
	closers, st := a.closers, a.store
	a.mu.Unlock()
	var errs []error
	for _, f := range closers {
		if err := f(); err != nil {
			a.Log.Warn("closing a platform failed", "err", err)
		}
	}
	if st != nil {
		if err := st.Close(); err != nil {
			errs = append(errs, fmt.Errorf("close the store: %w", err))
		} else {
			a.Log.Info("store closed")
		}
	}
	return errors.Join(errs...)
}

func (a *App) addCloser(f func() error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.closers = append(a.closers, f)
}

// startPlatform starts a platform, retrying with backoff while it is
// unreachable (see transient); any other failure is returned, and is fatal.
func (a *App) startPlatform(ctx context.Context, name string, start func(context.Context) error, r *readiness) error {
	wait := a.RetryMin
	for {
		err := start(ctx)
		if err == nil {
			r.set(nil)
			return nil
		}
		if ctx.Err() != nil {
			return nil
		}
		if !transient(err) {
			r.set(errors.New("failed"))
			return err
		}
		r.set(errors.New("unreachable, retrying"))
		a.Log.Warn("platform unreachable; retrying", "platform", name, "err", err, "retry_in", wait)
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return nil
		case <-t.C:
		}
		wait = min(wait*2, a.RetryMax)
	}
}

// transient reports whether err may pass by itself: a platform or the
// network unreachable for now (digest.TemporaryError, a rate limit, a
// network error or a timeout), as opposed to a rejected token or a bad
// setting, which no retry can fix.
func transient(err error) bool {
	var te *digest.TemporaryError
	var rl *digest.RateLimitedError
	var op *net.OpError
	var dns *net.DNSError
	var ne net.Error
	return errors.As(err, &te) || errors.As(err, &rl) || errors.As(err, &op) || errors.As(err, &dns) ||
		errors.As(err, &ne) && ne.Timeout() || errors.Is(err, context.DeadlineExceeded)
}

// readiness is a platform's /readyz check: "connecting" until its start
// succeeded.
type readiness struct {
	mu    sync.Mutex
	state error
}

func newReadiness() *readiness { return &readiness{state: errors.New("connecting")} }

func (r *readiness) set(err error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.state = err
}

func (r *readiness) check(context.Context) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.state
}

// waitForLease blocks until this instance holds the named lease, and keeps
// renewing it in the background until ctx ends. onWait is called once if
// another instance holds it.
func (a *App) waitForLease(ctx context.Context, name string, onWait func()) error {
	st, log, owner := a.store, a.Log, a.processOwner()
	waiting := false
	for {
		ok, err := st.TryLock(ctx, name, owner, leaseTTL)
		if err != nil {
			log.Warn("lease check failed", "lease", name, "err", err)
		}
		if ok {
			break
		}
		if !waiting {
			log.Info("another instance, or another process with this NEWSDIGEST_INSTANCE, holds the lease; waiting",
				"lease", name, "instance", a.Instance)
			waiting = true
			onWait()
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(leaseTTL / 3):
		}
	}
	a.leases.Go(func() { a.keepLease(ctx, name) })
	return nil
}

const leaseTTL = time.Minute

// keepLease renews a held lease until ctx ends, then releases it.
func (a *App) keepLease(ctx context.Context, name string) {
	t := time.NewTicker(leaseTTL / 3)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			_ = a.store.Unlock(context.WithoutCancel(ctx), name, a.processOwner())
			return
		case <-t.C:
			if ok, err := a.store.TryLock(ctx, name, a.processOwner(), leaseTTL); err != nil || !ok {
				a.Log.Error("lost the lease", "lease", name, "err", err)
			}
		}
	}
}
