package delivery

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"log/slog"
	"os"
	"sync"
	"time"

	"newsdigest/digest"
)

// Idempotent is implemented by a Messenger whose Send may be repeated with
// the same Delivery.Key without a second message reaching the chat (Discord's
// nonce with enforce_nonce). A Messenger without it is not idempotent.
type Idempotent interface {
	Idempotent() bool
}

func isIdempotent(m digest.Messenger) bool {
	i, ok := m.(Idempotent)
	return ok && i.Idempotent()
}

// Options tune an Engine. Zero values take the defaults.
type Options struct {
	// Clock is the time used for schedules, windows and the grace deadline
	// (default time.Now). Leases and waits use the real clock.
	Clock func() time.Time
	// Grace is how late a digest may still go out (default 6h): a due time
	// missed by more is skipped, and retries stop at scheduled+Grace.
	Grace time.Duration
	// Owner identifies this instance in outbox leases (default host-pid-random).
	Owner string
	// Concurrency is how many subscriptions of one platform are sent to at
	// once (default 64).
	Concurrency int
	Log         *slog.Logger
	// MaxStories caps a digest when the subscription sets none (default 10).
	MaxStories int
	// MaxWindow caps how far back a digest reaches when its Cutoff is old
	// (default 7 days).
	MaxWindow time.Duration
	// MaxAttempts caps the send attempts of one part (0: only the grace
	// deadline bounds them).
	MaxAttempts int
	// BackoffBase and BackoffMax shape the backoff after a temporary error:
	// base·2^(attempt-1), at most max, with jitter (defaults 1s and 5m).
	BackoffBase, BackoffMax time.Duration
	// Lease is how long claimed parts stay this instance's (default 5m).
	Lease time.Duration
	// SendTimeout bounds one Send call, including its wait for the
	// platform's budget (default 1m; at most Lease/2).
	SendTimeout time.Duration
	// PollInterval is how often the engine looks for due subscriptions and
	// for outbox parts freed by other instances (default 1s).
	PollInterval time.Duration
	// Rank selects a digest's stories from the window's new stories: keyword
	// filter, ranking, cap. Default: the package's own selection; wire
	// story.ForDigest here.
	Rank func(stories []digest.Story, keywords []string, max int) []digest.Story
	// AtMostOnce makes a part found in state Sending on a non-idempotent
	// platform count as sent instead of being resent (see the package doc).
	AtMostOnce bool
}

func (o *Options) defaults() {
	if o.Clock == nil {
		o.Clock = time.Now
	}
	if o.Grace <= 0 {
		o.Grace = 6 * time.Hour
	}
	if o.Owner == "" {
		host, _ := os.Hostname()
		var b [4]byte
		_, _ = rand.Read(b[:])
		o.Owner = fmt.Sprintf("%s-%d-%s", host, os.Getpid(), hex.EncodeToString(b[:]))
	}
	if o.Concurrency <= 0 {
		o.Concurrency = 64
	}
	if o.Log == nil {
		o.Log = slog.Default()
	}
	if o.MaxStories <= 0 {
		o.MaxStories = 10
	}
	if o.MaxWindow <= 0 {
		o.MaxWindow = 7 * 24 * time.Hour
	}
	if o.BackoffBase <= 0 {
		o.BackoffBase = time.Second
	}
	if o.BackoffMax <= 0 {
		o.BackoffMax = 5 * time.Minute
	}
	if o.Lease <= 0 {
		o.Lease = 5 * time.Minute
	}
	if o.SendTimeout <= 0 {
		o.SendTimeout = time.Minute
	}
	if o.SendTimeout > o.Lease/2 {
		o.SendTimeout = o.Lease / 2
	}
	if o.PollInterval <= 0 {
		o.PollInterval = time.Second
	}
	if o.Rank == nil {
		o.Rank = selectStories
	}
}

// Engine plans due digests and sends the outbox. One Engine per process;
// several processes may share one store.
type Engine struct {
	store digest.Store
	msgs  map[digest.Platform]digest.Messenger
	opt   Options
	log   *slog.Logger

	started time.Time
	wake    map[digest.Platform]chan struct{}
	// stopping is closed by Stop: plan nothing new, claim nothing new,
	// start no further part; Run returns when the parts in flight are done.
	stopping chan struct{}
	stopOnce sync.Once

	mu sync.Mutex
	// busy holds the subscriptions with a running send worker and, for
	// each, the end of its lease (real time), renewed by every claim.
	busy map[int64]*worker
	// ended[p][id] is the epoch at which the worker of subscription id (of
	// platform p) ended; a claim that began before may hold a stale copy of
	// its parts.
	ended map[digest.Platform]map[int64]uint64
	epoch uint64
}

// New builds an engine over the store and one messenger per platform.
func New(store digest.Store, messengers []digest.Messenger, opt Options) *Engine {
	opt.defaults()
	e := &Engine{
		store: store,
		msgs:  map[digest.Platform]digest.Messenger{},
		opt:   opt,
		log:   opt.Log.With("component", "delivery"),
		wake:  map[digest.Platform]chan struct{}{},
		busy:  map[int64]*worker{},
		ended: map[digest.Platform]map[int64]uint64{},

		stopping: make(chan struct{}),
	}
	for _, m := range messengers {
		e.msgs[m.Platform()] = m
		e.wake[m.Platform()] = make(chan struct{}, 1)
		e.ended[m.Platform()] = map[int64]uint64{}
	}
	return e
}

func (e *Engine) now() time.Time { return e.opt.Clock() }

// Stop begins a graceful stop: no digest is planned and no outbox part
// claimed or started after it, while the sends in flight finish and are
// recorded; Run then returns. Cancel Run's context to cut the sends in
// flight too (they stay in the outbox and resume on the next start).
func (e *Engine) Stop() { e.stopOnce.Do(func() { close(e.stopping) }) }

func (e *Engine) stopped() bool {
	select {
	case <-e.stopping:
		return true
	default:
		return false
	}
}

// Run recomputes every active subscription's NextRun, then plans due
// digests and sends the outbox until ctx ends. It returns nil after ctx
// ends, or an error when the start-up pass fails.
func (e *Engine) Run(ctx context.Context) error {
	e.started = e.now()
	if err := e.recompute(ctx); err != nil {
		if ctx.Err() != nil {
			return nil // stopped during start-up
		}
		return err
	}
	var wg sync.WaitGroup
	for p, m := range e.msgs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			e.sendLoop(ctx, p, m)
		}()
	}
	e.planLoop(ctx)
	wg.Wait()
	return nil
}

func (e *Engine) signal(p digest.Platform) {
	select {
	case e.wake[p] <- struct{}{}:
	default:
	}
}

// sleep waits d of real time, or less when ctx ends; it reports whether
// the whole wait passed.
func sleep(ctx context.Context, d time.Duration) bool {
	if d <= 0 {
		return ctx.Err() == nil
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return false
	case <-t.C:
		return true
	}
}
