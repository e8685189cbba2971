// Package sqlite is the embedded store: one SQLite file (modernc.org/sqlite,
// pure Go) in WAL mode with foreign keys, a busy timeout, embedded
// migrations and an FTS5 search index.
package sqlite

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"

	"newsdigest/digest"
)

//go:embed migrations/*.sql
var migrations embed.FS

// Store implements digest.Store on one SQLite database.
type Store struct {
	// w is the only connection that writes: SQLite allows one writer at a
	// time, and queueing writers in Go (with BEGIN IMMEDIATE) never meets
	// SQLITE_BUSY, where several writing connections would.
	w *sql.DB
	// r serves reads concurrently with the writer (WAL).
	r   *sql.DB
	now func() time.Time
	log *slog.Logger
	// commonLimit: a word in this many articles is ranked without bm25.
	commonLimit int
}

var _ digest.Store = (*Store)(nil)

// Option changes how Open sets up the store.
type Option func(*Store)

// WithClock sets the clock used for recency, leases and timestamps.
func WithClock(now func() time.Time) Option { return func(s *Store) { s.now = now } }

// WithLogger sets the logger.
func WithLogger(l *slog.Logger) Option { return func(s *Store) { s.log = l } }

var memorySeq atomic.Int64

// Open opens (creating on first run) the database at path and applies the
// pending migrations. ":memory:" (or "") opens a private in-memory database,
// for tests.
func Open(ctx context.Context, path string, opts ...Option) (*Store, error) {
	s := &Store{now: time.Now, log: slog.Default(), commonLimit: defaultCommonLimit}
	for _, o := range opts {
		o(s)
	}
	// 8 MB of page cache per connection (the default is 2 MB).
	params := "_pragma=busy_timeout(5000)&_pragma=foreign_keys(1)&_pragma=synchronous(NORMAL)&_pragma=cache_size(-8000)&_txlock=immediate"
	var err error
	if path == "" || path == ":memory:" {
		// One connection for everything: each connection to ":memory:"
		// would see a database of its own.
		s.w, err = sql.Open("sqlite", "file:"+url.PathEscape(fmt.Sprintf("newsdigest-mem-%d", memorySeq.Add(1)))+"?mode=memory&"+params)
		if err != nil {
			return nil, fmt.Errorf("sqlite: open in-memory database: %w", err)
		}
		s.w.SetMaxOpenConns(1)
		s.w.SetConnMaxIdleTime(0)
		s.w.SetConnMaxLifetime(0)
		s.r = s.w
	} else {
		if dir := filepath.Dir(path); dir != "." {
			if err := os.MkdirAll(dir, 0o750); err != nil {
				return nil, fmt.Errorf("sqlite: create the folder of %s: %w", path, err)
			}
		}
		dsn := "file:" + (&url.URL{Path: path}).EscapedPath() + "?" + params + "&_pragma=journal_mode(WAL)"
		s.w, err = sql.Open("sqlite", dsn)
		if err != nil {
			return nil, fmt.Errorf("sqlite: open %s: %w", path, err)
		}
		s.w.SetMaxOpenConns(1)
		s.w.SetConnMaxIdleTime(0)
		s.w.SetConnMaxLifetime(0)
		s.r, err = sql.Open("sqlite", dsn+"&_pragma=query_only(1)")
		if err != nil {
			s.w.Close()
			return nil, fmt.Errorf("sqlite: open %s for reading: %w", path, err)
		}
		s.r.SetMaxOpenConns(4)
		s.r.SetMaxIdleConns(4)
	}
	// Another process opening the same file at this moment (the bot and a
	// `bot sources` run, say) can hold the lock that switching to WAL or
	// recovering it needs, which SQLite reports as busy at once rather
	// than through the busy timeout: try again for a few seconds.
	err = s.migrate(ctx)
	for wait := 20 * time.Millisecond; isBusy(err) && wait < 3*time.Second; wait *= 2 {
		select {
		case <-ctx.Done():
		case <-time.After(wait):
			err = s.migrate(ctx)
		}
	}
	if err != nil {
		s.Close()
		return nil, fmt.Errorf("sqlite: migrate %s: %w", path, err)
	}
	return s, nil
}

// isBusy reports SQLITE_BUSY (any extended code).
func isBusy(err error) bool {
	var se *sqlite.Error
	return errors.As(err, &se) && se.Code()&0xff == sqlite3.SQLITE_BUSY
}

// migrate applies each embedded migration not yet recorded in
// schema_version, each in its own transaction.
func (s *Store) migrate(ctx context.Context) error {
	if _, err := s.w.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY, applied_at INTEGER NOT NULL)`); err != nil {
		return fmt.Errorf("create schema_version: %w", err)
	}
	names, err := fs.Glob(migrations, "migrations/*.sql")
	if err != nil {
		return err
	}
	sort.Strings(names)
	for _, name := range names {
		v, err := strconv.Atoi(strings.SplitN(path.Base(name), "_", 2)[0])
		if err != nil {
			return fmt.Errorf("migration %s: name must start with its number: %w", name, err)
		}
		text, err := migrations.ReadFile(name)
		if err != nil {
			return err
		}
		err = s.tx(ctx, func(tx *sql.Tx) error {
			var n int
			if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM schema_version WHERE version = ?`, v).Scan(&n); err != nil {
				return err
			}
			if n > 0 {
				return nil
			}
			if _, err := tx.ExecContext(ctx, string(text)); err != nil {
				return err
			}
			if step := goSteps[v]; step != nil {
				if err := step(ctx, tx); err != nil {
					return err
				}
			}
			_, err := tx.ExecContext(ctx, `INSERT INTO schema_version (version, applied_at) VALUES (?, ?)`, v, s.now().UnixMicro())
			return err
		})
		if err != nil {
			return fmt.Errorf("migration %s: %w", name, err)
		}
	}
	return nil
}

// tx runs fn in a write transaction, committing when it returns nil.
func (s *Store) tx(ctx context.Context, fn func(*sql.Tx) error) error {
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	if err := fn(tx); err != nil {
		tx.Rollback()
		return err
	}
	return tx.Commit()
}

// Ping reports whether the database answers.
func (s *Store) Ping(ctx context.Context) error {
	var n int
	if err := s.r.QueryRowContext(ctx, `SELECT 1`).Scan(&n); err != nil {
		return fmt.Errorf("sqlite: ping: %w", err)
	}
	return nil
}

// Close closes the database, first letting SQLite refresh the statistics
// its query planner uses (PRAGMA optimize, cheap and recommended).
func (s *Store) Close() error {
	if s.w != nil {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		s.w.ExecContext(ctx, `PRAGMA optimize`)
		cancel()
	}
	var err error
	if s.r != nil && s.r != s.w {
		err = s.r.Close()
	}
	if s.w != nil {
		if e := s.w.Close(); e != nil {
			err = e
		}
	}
	return err
}

// isUnique reports a UNIQUE or PRIMARY KEY constraint failure.
func isUnique(err error) bool {
	var se *sqlite.Error
	if errors.As(err, &se) {
		c := se.Code()
		return c == sqlite3.SQLITE_CONSTRAINT_UNIQUE || c == sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY
	}
	return false
}

// micros stores a time as Unix microseconds, NULL for the zero time.
func micros(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return t.UnixMicro()
}

// fromMicros reads a time stored by micros, in UTC.
func fromMicros(n sql.NullInt64) time.Time {
	if !n.Valid {
		return time.Time{}
	}
	return time.UnixMicro(n.Int64).UTC()
}

// nullable stores "" as NULL, for optional unique keys.
func nullable(s string) any {
	if s == "" {
		return nil
	}
	return s
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// Size is the size of the database in bytes (its pages, including those
// still in the write-ahead log).
func (s *Store) Size(ctx context.Context) (int64, error) {
	var pages, size int64
	if err := s.r.QueryRowContext(ctx, `SELECT page_count, page_size FROM pragma_page_count(), pragma_page_size()`).Scan(&pages, &size); err != nil {
		return 0, fmt.Errorf("sqlite: size: %w", err)
	}
	return pages * size, nil
}
