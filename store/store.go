// Package store opens the configured backend: SQLite for a file path (the
// default), PostgreSQL for a postgres:// URL. The backends live in
// store/sqlite and store/postgres and pass the same suite, store/storetest.
package store

import (
	"context"
	"log/slog"
	"strings"
	"time"

	"newsdigest/digest"
	"newsdigest/store/fts"
	"newsdigest/store/postgres"
	"newsdigest/store/sqlite"
)

// Store is digest.Store with what both backends add for the bot itself.
type Store interface {
	digest.Store
	// Locker leases named locks (one fetcher per source, one Telegram
	// poller) across the instances sharing the store.
	digest.Locker
	// SetStoryLead overrides the default lead of a story.
	SetStoryLead(ctx context.Context, storyID, articleID int64) error
	// Size is the space the store's data takes, in bytes.
	Size(ctx context.Context) (int64, error)
	// FirstSeen records a handled event (digest.FirstSeen): a Discord
	// interaction or Telegram update runs once across processes.
	FirstSeen(ctx context.Context, key string, ttl time.Duration) (bool, error)
}

var (
	_ Store = (*sqlite.Store)(nil)
	_ Store = (*postgres.Store)(nil)
)

// ErrBadQuery is matched (errors.Is) by a search query the user must fix
// (empty, too long, no words); the error's text says why.
var ErrBadQuery = fts.ErrBadQuery

// IsPostgres reports whether dsn names a PostgreSQL database.
func IsPostgres(dsn string) bool {
	return strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://")
}

// Open opens a PostgreSQL store for a postgres:// URL, else the SQLite
// database at the path dsn (created on first run). A nil log discards.
func Open(ctx context.Context, dsn string, log *slog.Logger) (Store, error) {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	if IsPostgres(dsn) {
		return postgres.Open(ctx, dsn, postgres.WithLogger(log))
	}
	return sqlite.Open(ctx, dsn, sqlite.WithLogger(log))
}
