package cli

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strconv"
	"strings"
	"time"

	"newsdigest/config"
	"newsdigest/digest"
	"newsdigest/digest/extract"
	"newsdigest/digest/story"
	"newsdigest/digest/summary"
	"newsdigest/ingest"
	"newsdigest/metrics"
	"newsdigest/redact"
	"newsdigest/store"
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
	// Every record is redacted: a URL with credentials (a source's, the
	// store's) never reaches the log.
	opts := &slog.HandlerOptions{Level: level, ReplaceAttr: redact.Attr}
	if c.Format == "text" || (c.Format == "auto" && isTerminal(w)) {
		return slog.New(slog.NewTextHandler(w, opts))
	}
	return slog.New(slog.NewJSONHandler(w, opts))
}

// openStore opens PostgreSQL when store.url is set, else SQLite.
func openStore(ctx context.Context, c config.Config, log *slog.Logger) (store.Store, error) {
	dsn := c.Store.Path
	if c.Store.URL != "" {
		dsn = c.Store.URL
	}
	return store.Open(ctx, dsn, log)
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
		Fetcher: newFetcher(c, log),
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
	app := NewApp(c, newLogger(c.Log, env.Stderr), instanceName(env))
	app.Drain = *drain
	defer func() {
		if err := app.Close(); err != nil {
			app.Log.Error("closing failed", "err", err)
		}
	}()
	return app.Run(ctx)
}

// instanceName names this instance in outbox and lock leases:
// NEWSDIGEST_INSTANCE, else the host name. It must survive a restart (so
// that a restarted bot resumes its own half-sent digests at once instead
// of waiting out its old lease) and differ between instances running at
// the same time.
func instanceName(env Env) string {
	if name := strings.TrimSpace(env.Getenv("NEWSDIGEST_INSTANCE")); name != "" {
		return name
	}
	host, err := os.Hostname()
	if err != nil || host == "" {
		host = fmt.Sprintf("pid-%d", os.Getpid())
	}
	return host
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
