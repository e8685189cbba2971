package postgres

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgtype"

	"newsdigest/digest"
)

const sourceCols = `id, name, url, kind, interval_ns, language, link_selector, body_selector,
	include_kw, exclude_kw, etag, last_modified, last_fetch, last_success, next_fetch,
	failures, last_error, primed, fetched, failed, origin, added_by`

// SaveSource inserts or updates a source by name (its settings, not its
// fetch state) and returns it as stored.
func (s *Store) SaveSource(ctx context.Context, src digest.Source) (digest.Source, error) {
	out, err := scanSource(s.pool.QueryRow(ctx, `INSERT INTO sources (name, url, kind, interval_ns, language, link_selector, body_selector, include_kw, exclude_kw, origin, added_by)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
		ON CONFLICT (name) DO UPDATE SET url = excluded.url, kind = excluded.kind, interval_ns = excluded.interval_ns,
			language = excluded.language, link_selector = excluded.link_selector, body_selector = excluded.body_selector,
			include_kw = excluded.include_kw, exclude_kw = excluded.exclude_kw, origin = excluded.origin, added_by = excluded.added_by
		RETURNING `+sourceCols,
		src.Name, src.URL, string(src.Kind), int64(src.Interval), src.Language, src.LinkSelector, src.BodySelector,
		nonNil(src.Include), nonNil(src.Exclude), origin(src), src.AddedBy))
	if err != nil {
		return digest.Source{}, fmt.Errorf("postgres: save source %q: %w", src.Name, err)
	}
	return out, nil
}

// Sources lists all sources by name.
func (s *Store) Sources(ctx context.Context) ([]digest.Source, error) {
	rows, err := s.pool.Query(ctx, `SELECT `+sourceCols+` FROM sources ORDER BY name`)
	if err != nil {
		return nil, fmt.Errorf("postgres: list sources: %w", err)
	}
	defer rows.Close()
	var out []digest.Source
	for rows.Next() {
		src, err := scanSource(rows)
		if err != nil {
			return nil, fmt.Errorf("postgres: list sources: %w", err)
		}
		out = append(out, src)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("postgres: list sources: %w", err)
	}
	return out, nil
}

// SourceByName returns one source, or an error wrapping digest.ErrNotFound.
func (s *Store) SourceByName(ctx context.Context, name string) (digest.Source, error) {
	src, err := scanSource(s.pool.QueryRow(ctx, `SELECT `+sourceCols+` FROM sources WHERE name = $1`, name))
	if errors.Is(err, pgx.ErrNoRows) {
		err = digest.ErrNotFound
	}
	if err != nil {
		return digest.Source{}, fmt.Errorf("postgres: source %q: %w", name, err)
	}
	return src, nil
}

// SaveFetchState replaces the fetch state of a source.
func (s *Store) SaveFetchState(ctx context.Context, sourceID int64, st digest.FetchState) error {
	tag, err := s.pool.Exec(ctx, `UPDATE sources SET etag = $1, last_modified = $2, last_fetch = $3, last_success = $4,
		next_fetch = $5, failures = $6, last_error = $7, primed = $8, fetched = $9, failed = $10 WHERE id = $11`,
		st.ETag, st.LastModified, ts(st.LastFetch), ts(st.LastSuccess), ts(st.NextFetch),
		st.Failures, st.LastError, st.Primed, st.Fetched, st.Failed, sourceID)
	if err == nil && tag.RowsAffected() == 0 {
		err = digest.ErrNotFound
	}
	if err != nil {
		return fmt.Errorf("postgres: save fetch state of source %d: %w", sourceID, err)
	}
	return nil
}

// DeleteSource removes a source; its articles stay, keeping its name.
func (s *Store) DeleteSource(ctx context.Context, name string) error {
	err := s.tx(ctx, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `UPDATE articles SET source_name = $1 WHERE source_id = (SELECT id FROM sources WHERE name = $1)`, name); err != nil {
			return err
		}
		tag, err := tx.Exec(ctx, `DELETE FROM sources WHERE name = $1`, name)
		if err == nil && tag.RowsAffected() == 0 {
			err = digest.ErrNotFound
		}
		return err
	})
	if err != nil {
		return fmt.Errorf("postgres: delete source %q: %w", name, err)
	}
	return nil
}

func scanSource(r pgx.Row) (digest.Source, error) {
	var (
		src                        digest.Source
		kind                       string
		interval                   int64
		lastFetch, lastOK, nextRun pgtype.Timestamptz
	)
	err := r.Scan(&src.ID, &src.Name, &src.URL, &kind, &interval, &src.Language, &src.LinkSelector, &src.BodySelector,
		&src.Include, &src.Exclude, &src.State.ETag, &src.State.LastModified, &lastFetch, &lastOK, &nextRun,
		&src.State.Failures, &src.State.LastError, &src.State.Primed, &src.State.Fetched, &src.State.Failed, &src.Origin, &src.AddedBy)
	if err != nil {
		return digest.Source{}, err
	}
	src.Kind = digest.SourceKind(kind)
	src.Interval = time.Duration(interval)
	src.Include, src.Exclude = nilIfEmpty(src.Include), nilIfEmpty(src.Exclude)
	src.State.LastFetch = fromTS(lastFetch)
	src.State.LastSuccess = fromTS(lastOK)
	src.State.NextFetch = fromTS(nextRun)
	return src, nil
}
