// Package store opens the configured backend: SQLite for a file path (the
// default), PostgreSQL for a postgres:// URL. The backends live in
// store/sqlite and store/postgres and pass the same suite, store/storetest.
package store

import (
	"context"
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
	// TryLock takes or renews a named lease for owner until now+ttl, and
	// reports false while another owner holds it (one fetcher per source,
	// one Telegram poller, across instances).
	TryLock(ctx context.Context, name, owner string, ttl time.Duration) (bool, error)
	// Unlock releases a lease owner holds.
	Unlock(ctx context.Context, name, owner string) error
	// SetStoryLead overrides the default lead of a story.
	SetStoryLead(ctx context.Context, storyID, articleID int64) error
	// Size is the space the store's data takes, in bytes.
	Size(ctx context.Context) (int64, error)
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
// database at the path dsn (created on first run).
func Open(ctx context.Context, dsn string) (Store, error) {
	if IsPostgres(dsn) {
		return postgres.Open(ctx, dsn)
	}
	return sqlite.Open(ctx, dsn)
}
