// Package metrics counts what the bot does, in Prometheus form. It observes
// the other packages from the outside, by wrapping the store, the platform
// messengers and the extractor, so they need not know about it.
package metrics

import (
	"context"
	"errors"
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"newsdigest/digest"
)

// Metrics holds the bot's collectors.
type Metrics struct {
	reg *prometheus.Registry

	ArticlesStored     *prometheus.CounterVec // by source
	FetchFailures      *prometheus.CounterVec // by source
	ExtractionFailures *prometheus.CounterVec // by reason kind
	DigestsPlanned     *prometheus.CounterVec // by platform
	DigestsDelivered   *prometheus.CounterVec // by platform
	Sends              *prometheus.CounterVec // by platform, outcome
	RateLimited        *prometheus.CounterVec // by platform
	CommandSeconds     *prometheus.HistogramVec
	StoryMoves         prometheus.Counter // articles moved between stories by regrouping

	mu      sync.Mutex
	sources map[int64]string
}

// New registers the collectors on a fresh registry.
func New() *Metrics {
	m := &Metrics{reg: prometheus.NewRegistry(), sources: map[int64]string{}}
	m.ArticlesStored = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "newsdigest_articles_stored_total", Help: "Articles fetched and stored, by source.",
	}, []string{"source"})
	m.FetchFailures = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "newsdigest_fetch_failures_total", Help: "Failed fetches of a source, by source.",
	}, []string{"source"})
	m.ExtractionFailures = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "newsdigest_extraction_failures_total", Help: "Pages in which no article was found, by kind of failure.",
	}, []string{"kind"})
	m.DigestsPlanned = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "newsdigest_digests_planned_total", Help: "Digests planned into the outbox, by platform.",
	}, []string{"platform"})
	m.DigestsDelivered = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "newsdigest_digest_parts_delivered_total", Help: "Digest messages confirmed by the platform, by platform.",
	}, []string{"platform"})
	m.Sends = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "newsdigest_sends_total", Help: "Send attempts of digest messages, by platform and outcome (ok, rate_limited, temporary, gone, failed); every attempt after the first is a retry.",
	}, []string{"platform", "outcome"})
	m.RateLimited = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "newsdigest_rate_limited_total", Help: "429 answers from a platform.",
	}, []string{"platform"})
	m.CommandSeconds = prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Name: "newsdigest_command_seconds", Help: "Time to answer a command, by platform, command and outcome.",
		Buckets: []float64{.001, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5},
	}, []string{"platform", "command", "outcome"})
	m.StoryMoves = prometheus.NewCounter(prometheus.CounterOpts{
		Name: "newsdigest_story_moves_total", Help: "Articles moved to another story when the story window was regrouped.",
	})
	m.reg.MustRegister(m.ArticlesStored, m.FetchFailures, m.ExtractionFailures, m.DigestsPlanned,
		m.DigestsDelivered, m.Sends, m.RateLimited, m.CommandSeconds, m.StoryMoves,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return m
}

// Handler serves /metrics.
func (m *Metrics) Handler() http.Handler {
	return promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{})
}

// ObserveCommand is a commands.Handler Observe hook.
func (m *Metrics) ObserveCommand(p digest.Platform, name string, d time.Duration, err error) {
	outcome := "ok"
	if err != nil {
		outcome = "error"
	}
	m.CommandSeconds.WithLabelValues(string(p), name, outcome).Observe(d.Seconds())
}

// ExtractFailed counts a page without an article.
func (m *Metrics) ExtractFailed(err error) {
	kind := "other"
	if errors.Is(err, digest.ErrNoArticle) {
		kind = "no_article"
	}
	m.ExtractionFailures.WithLabelValues(kind).Inc()
}

func (m *Metrics) sourceName(id int64) string {
	m.mu.Lock()
	defer m.mu.Unlock()
	if n, ok := m.sources[id]; ok {
		return n
	}
	return strconv.FormatInt(id, 10)
}

// Store wraps a store so that stored articles, fetch failures and planned
// digests are counted.
func (m *Metrics) Store(s digest.Store) digest.Store { return &store{Store: s, m: m} }

type store struct {
	digest.Store
	m *Metrics
}

func (s *store) SaveSource(ctx context.Context, src digest.Source) (digest.Source, error) {
	out, err := s.Store.SaveSource(ctx, src)
	if err == nil {
		s.m.mu.Lock()
		s.m.sources[out.ID] = out.Name
		s.m.mu.Unlock()
	}
	return out, err
}

func (s *store) Sources(ctx context.Context) ([]digest.Source, error) {
	out, err := s.Store.Sources(ctx)
	s.m.mu.Lock()
	for _, src := range out {
		s.m.sources[src.ID] = src.Name
	}
	s.m.mu.Unlock()
	return out, err
}

func (s *store) AddArticle(ctx context.Context, a digest.StoredArticle) (digest.StoredArticle, error) {
	out, err := s.Store.AddArticle(ctx, a)
	if err == nil {
		s.m.ArticlesStored.WithLabelValues(s.m.sourceName(a.SourceID)).Inc()
	}
	return out, err
}

func (s *store) MoveArticles(ctx context.Context, moves []digest.StoryMove) (int, error) {
	n, err := s.Store.MoveArticles(ctx, moves)
	if err == nil {
		s.m.StoryMoves.Add(float64(n))
	}
	return n, err
}

func (s *store) SaveFetchState(ctx context.Context, id int64, st digest.FetchState) error {
	err := s.Store.SaveFetchState(ctx, id, st)
	if err == nil && st.Failures > 0 && st.LastSuccess.Before(st.LastFetch) {
		s.m.FetchFailures.WithLabelValues(s.m.sourceName(id)).Inc()
	}
	return err
}

func (s *store) PlanDigest(ctx context.Context, sub digest.Subscription, parts []digest.Delivery) error {
	err := s.Store.PlanDigest(ctx, sub, parts)
	if err == nil && len(parts) > 0 {
		s.m.DigestsPlanned.WithLabelValues(string(sub.Platform)).Inc()
	}
	return err
}

// Messenger wraps a platform messenger so that sends are counted by outcome.
func (m *Metrics) Messenger(x digest.Messenger) digest.Messenger {
	w := &messenger{Messenger: x, m: m}
	if i, ok := x.(interface{ Idempotent() bool }); ok {
		return &idempotentMessenger{messenger: w, idem: i.Idempotent()}
	}
	return w
}

type messenger struct {
	digest.Messenger
	m *Metrics
}

func (w *messenger) Send(ctx context.Context, d digest.Delivery) (string, error) {
	id, err := w.Messenger.Send(ctx, d)
	p := string(w.Platform())
	var rl *digest.RateLimitedError
	var tmp *digest.TemporaryError
	switch {
	case err == nil:
		w.m.Sends.WithLabelValues(p, "ok").Inc()
		w.m.DigestsDelivered.WithLabelValues(p).Inc()
	case errors.As(err, &rl):
		w.m.Sends.WithLabelValues(p, "rate_limited").Inc()
		w.m.RateLimited.WithLabelValues(p).Inc()
	case errors.As(err, &tmp):
		w.m.Sends.WithLabelValues(p, "temporary").Inc()
	case errors.Is(err, digest.ErrChatGone):
		w.m.Sends.WithLabelValues(p, "gone").Inc()
	default:
		w.m.Sends.WithLabelValues(p, "failed").Inc()
	}
	return id, err
}

// idempotentMessenger keeps the Idempotent capability of the wrapped messenger visible.
type idempotentMessenger struct {
	*messenger
	idem bool
}

func (w *idempotentMessenger) Idempotent() bool { return w.idem }
