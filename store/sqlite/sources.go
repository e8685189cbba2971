package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"newsdigest/digest"
)

const sourceCols = `id, name, url, kind, interval_ns, language, link_selector, body_selector,
	include_kw, exclude_kw, etag, last_modified, last_fetch, last_success, next_fetch,
	failures, last_error, primed, fetched, failed, origin, added_by`

// SaveSource inserts or updates a source by name (its settings, not its
// fetch state) and returns it as stored.
func (s *Store) SaveSource(ctx context.Context, src digest.Source) (digest.Source, error) {
	inc, _ := json.Marshal(nonNil(src.Include))
	exc, _ := json.Marshal(nonNil(src.Exclude))
	var out digest.Source
	err := s.tx(ctx, func(tx *sql.Tx) error {
		row := tx.QueryRowContext(ctx, `INSERT INTO sources (name, url, kind, interval_ns, language, link_selector, body_selector, include_kw, exclude_kw, origin, added_by)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
			ON CONFLICT (name) DO UPDATE SET url = excluded.url, kind = excluded.kind, interval_ns = excluded.interval_ns,
				language = excluded.language, link_selector = excluded.link_selector, body_selector = excluded.body_selector,
				include_kw = excluded.include_kw, exclude_kw = excluded.exclude_kw, origin = excluded.origin, added_by = excluded.added_by
			RETURNING `+sourceCols,
			src.Name, src.URL, string(src.Kind), int64(src.Interval), src.Language, src.LinkSelector, src.BodySelector, string(inc), string(exc),
			origin(src), src.AddedBy)
		var err error
		out, err = scanSource(row)
		return err
	})
	if err != nil {
		return digest.Source{}, fmt.Errorf("sqlite: save source %q: %w", src.Name, err)
	}
	return out, nil
}

// Sources lists all sources by name.
func (s *Store) Sources(ctx context.Context) ([]digest.Source, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT `+sourceCols+` FROM sources ORDER BY name`)
	if err != nil {
		return nil, fmt.Errorf("sqlite: list sources: %w", err)
	}
	defer rows.Close()
	var out []digest.Source
	for rows.Next() {
		src, err := scanSource(rows)
		if err != nil {
			return nil, fmt.Errorf("sqlite: list sources: %w", err)
		}
		out = append(out, src)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("sqlite: list sources: %w", err)
	}
	return out, nil
}

// SourceByName returns one source, or an error wrapping digest.ErrNotFound.
func (s *Store) SourceByName(ctx context.Context, name string) (digest.Source, error) {
	src, err := scanSource(s.r.QueryRowContext(ctx, `SELECT `+sourceCols+` FROM sources WHERE name = ?`, name))
	if errors.Is(err, sql.ErrNoRows) {
		return digest.Source{}, fmt.Errorf("sqlite: source %q: %w", name, digest.ErrNotFound)
	}
	if err != nil {
		return digest.Source{}, fmt.Errorf("sqlite: source %q: %w", name, err)
	}
	return src, nil
}

// SaveFetchState replaces the fetch state of a source.
func (s *Store) SaveFetchState(ctx context.Context, sourceID int64, st digest.FetchState) error {
	var n int64
	err := s.tx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE sources SET etag = ?, last_modified = ?, last_fetch = ?, last_success = ?,
			next_fetch = ?, failures = ?, last_error = ?, primed = ?, fetched = ?, failed = ? WHERE id = ?`,
			st.ETag, st.LastModified, micros(st.LastFetch), micros(st.LastSuccess), micros(st.NextFetch),
			st.Failures, st.LastError, boolInt(st.Primed), st.Fetched, st.Failed, sourceID)
		if err != nil {
			return err
		}
		n, err = res.RowsAffected()
		return err
	})
	if err != nil {
		return fmt.Errorf("sqlite: save fetch state of source %d: %w", sourceID, err)
	}
	if n == 0 {
		return fmt.Errorf("sqlite: save fetch state of source %d: %w", sourceID, digest.ErrNotFound)
	}
	return nil
}

// DeleteSource removes a source; its articles stay, keeping its name.
func (s *Store) DeleteSource(ctx context.Context, name string) error {
	var n int64
	err := s.tx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `UPDATE articles SET source_name = ? WHERE source_id = (SELECT id FROM sources WHERE name = ?)`, name, name); err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, `DELETE FROM sources WHERE name = ?`, name)
		if err != nil {
			return err
		}
		n, err = res.RowsAffected()
		return err
	})
	if err != nil {
		return fmt.Errorf("sqlite: delete source %q: %w", name, err)
	}
	if n == 0 {
		return fmt.Errorf("sqlite: delete source %q: %w", name, digest.ErrNotFound)
	}
	return nil
}

type scanner interface{ Scan(dest ...any) error }

func scanSource(r scanner) (digest.Source, error) {
	var (
		src                        digest.Source
		kind, inc, exc             string
		interval                   int64
		lastFetch, lastOK, nextRun sql.NullInt64
		primed                     int
	)
	err := r.Scan(&src.ID, &src.Name, &src.URL, &kind, &interval, &src.Language, &src.LinkSelector, &src.BodySelector,
		&inc, &exc, &src.State.ETag, &src.State.LastModified, &lastFetch, &lastOK, &nextRun,
		&src.State.Failures, &src.State.LastError, &primed, &src.State.Fetched, &src.State.Failed, &src.Origin, &src.AddedBy)
	if err != nil {
		return digest.Source{}, err
	}
	src.Kind = digest.SourceKind(kind)
	src.Interval = time.Duration(interval)
	src.State.LastFetch = fromMicros(lastFetch)
	src.State.LastSuccess = fromMicros(lastOK)
	src.State.NextFetch = fromMicros(nextRun)
	src.State.Primed = primed != 0
	if err := unmarshalList(inc, &src.Include); err != nil {
		return digest.Source{}, fmt.Errorf("include keywords of %q: %w", src.Name, err)
	}
	if err := unmarshalList(exc, &src.Exclude); err != nil {
		return digest.Source{}, fmt.Errorf("exclude keywords of %q: %w", src.Name, err)
	}
	return src, nil
}

// nonNil makes a nil list marshal as [] rather than null.
func nonNil(l []string) []string {
	if l == nil {
		return []string{}
	}
	return l
}

// unmarshalList reads a JSON list, leaving dst nil for an empty one.
func unmarshalList(s string, dst *[]string) error {
	if s == "" || s == "[]" || s == "null" {
		*dst = nil
		return nil
	}
	return json.Unmarshal([]byte(s), dst)
}
