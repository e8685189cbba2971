package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"newsdigest/digest"
	"newsdigest/store/fts"
)

// articleCols reads an article with its source's name; bodyCol is "a.body"
// or "”" where bodies are left out.
func articleCols(bodyCol string) string {
	return `a.id, COALESCE(a.source_id, 0), a.source_name, COALESCE(a.url, ''), COALESCE(a.item_key, ''),
	COALESCE(a.content_hash, ''), a.fingerprint, a.headline, a.place, a.dl_published, a.dl_has_time, a.dl_zone, a.desk, a.author,
	` + bodyCol + `, a.summary, a.language, a.published, a.first_seen, a.story_id, a.backlog, a.link, a.image`
}

// articleFrom needs no join for the source's name: names never change
// (sources are saved by name), so each article keeps its own copy.
const articleFrom = ` FROM articles a`

func scanArticle(r scanner) (digest.StoredArticle, error) {
	var (
		a                  digest.StoredArticle
		fp                 int64
		dlPub, summary     string
		hasTime, backlog   int
		published, firstSn sql.NullInt64
	)
	err := r.Scan(&a.ID, &a.SourceID, &a.Source, &a.URL, &a.ItemKey, &a.ContentHash, &fp, &a.Headline,
		&a.Dateline.Place, &dlPub, &hasTime, &a.Dateline.Zone, &a.Dateline.Desk, &a.Dateline.Author,
		&a.Body, &summary, &a.Language, &published, &firstSn, &a.StoryID, &backlog, &a.Link, &a.Image)
	if err != nil {
		return digest.StoredArticle{}, err
	}
	a.Fingerprint = uint64(fp)
	a.Dateline.HasTime = hasTime != 0
	if dlPub != "" {
		t, err := time.Parse(time.RFC3339Nano, dlPub)
		if err != nil {
			return digest.StoredArticle{}, fmt.Errorf("dateline of article %d: %w", a.ID, err)
		}
		a.Dateline.Published = t
	}
	a.Summary = splitLines(summary)
	a.Published = fromMicros(published)
	a.FirstSeen = fromMicros(firstSn)
	a.Backlog = backlog != 0
	return a, nil
}

// scanArticles reads the rows; a row that cannot be read (a corrupted
// value, such as an unparsable dateline) is skipped and logged, so that one
// bad row does not stop the reads the bot starts with.
func scanArticles(rows *sql.Rows, log *slog.Logger) ([]digest.StoredArticle, error) {
	defer rows.Close()
	var out []digest.StoredArticle
	n := 0
	for rows.Next() {
		n++
		a, err := scanArticle(rows)
		if err != nil {
			log.Warn("sqlite: skipping an article row that cannot be read", "row", n, "err", err)
			continue
		}
		out = append(out, a)
	}
	return out, rows.Err()
}

// knownSQL says whether an article or a tombstone has one of the keys.
const knownSQL = `SELECT
	EXISTS (SELECT 1 FROM articles WHERE url = ?1) OR
	EXISTS (SELECT 1 FROM articles WHERE item_key = ?2) OR
	EXISTS (SELECT 1 FROM articles WHERE content_hash = ?3) OR
	EXISTS (SELECT 1 FROM tombstones WHERE url = ?1) OR
	EXISTS (SELECT 1 FROM tombstones WHERE item_key = ?2) OR
	EXISTS (SELECT 1 FROM tombstones WHERE content_hash = ?3)`

// Known reports whether any of the keys belongs to a stored or pruned article.
func (s *Store) Known(ctx context.Context, k digest.ItemKeys) (bool, error) {
	if k.URL == "" && k.ItemKey == "" && k.ContentHash == "" {
		return false, nil
	}
	var known bool
	err := s.r.QueryRowContext(ctx, knownSQL, nullable(k.URL), nullable(k.ItemKey), nullable(k.ContentHash)).Scan(&known)
	if err != nil {
		return false, fmt.Errorf("sqlite: look up item %q: %w", k.URL, err)
	}
	return known, nil
}

// AddArticle stores a new article, with a new story when StoryID is 0 (or
// the story it names, recreated if it was pruned), and indexes it for search.
func (s *Store) AddArticle(ctx context.Context, a digest.StoredArticle) (digest.StoredArticle, error) {
	var out digest.StoredArticle
	err := s.tx(ctx, func(tx *sql.Tx) error {
		var err error
		if out, _, err = s.addArticle(ctx, tx, a); err != nil {
			return err
		}
		return index(ctx, tx, out)
	})
	if err != nil {
		return digest.StoredArticle{}, fmt.Errorf("sqlite: add article %q: %w", a.URL, err)
	}
	return out, nil
}

// Bulk runs fn in one write transaction, in which add stores one article
// exactly as AddArticle does, through statements prepared once for the
// whole transaction. An add that fails its checks (a duplicate, an unknown
// source) writes nothing and the batch goes on; any other failure spoils
// the batch: later adds fail, and nothing is kept. Nothing is kept either
// if fn returns an error. It is for loading many articles at once (an
// import, a benchmark's store): other writers wait until fn returns.
func (s *Store) Bulk(ctx context.Context, fn func(add func(context.Context, digest.StoredArticle) (digest.StoredArticle, error)) error) error {
	err := s.tx(ctx, func(tx *sql.Tx) error {
		q := &preparedTx{tx: tx, stmts: map[string]*sql.Stmt{}}
		defer q.close()
		// The search index is written in runs at the end: SQLite's FTS5
		// flushes what it holds in memory whenever another write statement
		// opens a statement savepoint, so interleaving its inserts with
		// the others would flush (and merge) after every article.
		var (
			pending []digest.StoredArticle
			spoiled error
		)
		flush := func(ctx context.Context) error {
			for _, a := range pending {
				if err := index(ctx, q, a); err != nil {
					return err
				}
			}
			pending = pending[:0]
			return nil
		}
		err := fn(func(ctx context.Context, a digest.StoredArticle) (digest.StoredArticle, error) {
			if spoiled != nil {
				return digest.StoredArticle{}, fmt.Errorf("sqlite: add article %q: the batch failed before: %w", a.URL, spoiled)
			}
			out, wrote, err := s.addArticle(ctx, q, a)
			if err == nil {
				pending = append(pending, out)
				if len(pending) == bulkIndexRun {
					err = flush(ctx)
				}
			}
			if err != nil {
				err = fmt.Errorf("sqlite: add article %q: %w", a.URL, err)
				if wrote {
					spoiled = err
				}
				return digest.StoredArticle{}, err
			}
			return out, nil
		})
		if err == nil {
			err = spoiled
		}
		if err == nil {
			err = flush(ctx)
		}
		return err
	})
	if err != nil {
		return fmt.Errorf("sqlite: bulk add: %w", err)
	}
	return nil
}

// bulkIndexRun is how many articles Bulk indexes in one run.
const bulkIndexRun = 1000

// querier is a transaction, or one whose statements are prepared once.
type querier interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// preparedTx prepares each statement the first time it runs in tx.
type preparedTx struct {
	tx    *sql.Tx
	stmts map[string]*sql.Stmt
}

func (p *preparedTx) stmt(ctx context.Context, query string) (*sql.Stmt, error) {
	if st, ok := p.stmts[query]; ok {
		return st, nil
	}
	st, err := p.tx.PrepareContext(ctx, query)
	if err != nil {
		return nil, err
	}
	p.stmts[query] = st
	return st, nil
}

func (p *preparedTx) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	st, err := p.stmt(ctx, query)
	if err != nil {
		return nil, err
	}
	return st.ExecContext(ctx, args...)
}

func (p *preparedTx) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	st, err := p.stmt(ctx, query)
	if err != nil {
		// A *sql.Row cannot be made with an error: let the transaction
		// report it.
		return p.tx.QueryRowContext(ctx, query, args...)
	}
	return st.QueryRowContext(ctx, args...)
}

func (p *preparedTx) close() {
	for _, st := range p.stmts {
		st.Close()
	}
}

// addArticle is AddArticle inside a transaction. It checks everything that
// can be refused before it writes; wrote says it had begun writing.
func (s *Store) addArticle(ctx context.Context, tx querier, a digest.StoredArticle) (_ digest.StoredArticle, wrote bool, _ error) {
	if a.FirstSeen.IsZero() {
		a.FirstSeen = s.now()
	}
	a.FirstSeen = a.FirstSeen.UTC().Truncate(time.Microsecond)
	if !a.Published.IsZero() {
		a.Published = a.Published.UTC().Truncate(time.Microsecond)
	}
	summary := joinLines(a.Summary)
	dlPub := ""
	if !a.Dateline.Published.IsZero() {
		dlPub = a.Dateline.Published.Format(time.RFC3339Nano)
	}
	fs := a.FirstSeen.UnixMicro()
	var known bool
	err := tx.QueryRowContext(ctx, knownSQL, nullable(a.URL), nullable(a.ItemKey), nullable(a.ContentHash)).Scan(&known)
	if err != nil {
		return a, false, err
	}
	if known {
		return a, false, digest.ErrDuplicate
	}
	if a.SourceID != 0 {
		var name string
		err := tx.QueryRowContext(ctx, `SELECT name FROM sources WHERE id = ?`, a.SourceID).Scan(&name)
		if errors.Is(err, sql.ErrNoRows) {
			return a, false, fmt.Errorf("source %d: %w", a.SourceID, digest.ErrNotFound)
		}
		if err != nil {
			return a, false, err
		}
		a.Source = name
	}
	wrote = true
	if a.StoryID == 0 {
		if err := tx.QueryRowContext(ctx, `INSERT INTO stories (first_seen, last_seen) VALUES (?, ?) RETURNING id`, fs, fs).Scan(&a.StoryID); err != nil {
			return a, wrote, err
		}
	} else if _, err := tx.ExecContext(ctx, `INSERT INTO stories (id, first_seen, last_seen) VALUES (?, ?, ?) ON CONFLICT (id) DO NOTHING`, a.StoryID, fs, fs); err != nil {
		return a, wrote, err
	}
	var srcID any
	if a.SourceID != 0 {
		srcID = a.SourceID
	}
	err = tx.QueryRowContext(ctx, `INSERT INTO articles (source_id, source_name, url, item_key, content_hash, fingerprint,
		headline, place, dl_published, dl_has_time, dl_zone, desk, author, body, summary, language, published,
		first_seen, story_id, backlog, link, image)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		srcID, a.Source, nullable(a.URL), nullable(a.ItemKey), nullable(a.ContentHash), int64(a.Fingerprint),
		a.Headline, a.Dateline.Place, dlPub, boolInt(a.Dateline.HasTime), a.Dateline.Zone, a.Dateline.Desk, a.Dateline.Author,
		a.Body, summary, a.Language, micros(a.Published), fs, a.StoryID, boolInt(a.Backlog), a.Link, a.Image).Scan(&a.ID)
	if isUnique(err) {
		return a, wrote, digest.ErrDuplicate
	}
	if err != nil {
		return a, wrote, err
	}
	_, err = tx.ExecContext(ctx, `UPDATE stories SET first_seen = min(first_seen, ?1), last_seen = max(last_seen, ?1), size = size + 1 WHERE id = ?2`, fs, a.StoryID)
	return a, wrote, err
}

// index adds a stored article to the search index.
func index(ctx context.Context, tx querier, a digest.StoredArticle) error {
	summary := strings.Join(a.Summary, "\n")
	if _, err := tx.ExecContext(ctx, `INSERT INTO articles_fts (rowid, headline, summary, body, stems) VALUES (?, ?, ?, ?, ?)`,
		a.ID, fts.Segment(a.Headline), fts.Segment(summary), fts.Segment(a.Body),
		fts.Stems(a.Language, a.Headline, summary, a.Body)); err != nil {
		return fmt.Errorf("index article %d: %w", a.ID, err)
	}
	return nil
}

// Article returns one article with its body, or an error wrapping digest.ErrNotFound.
func (s *Store) Article(ctx context.Context, id int64) (digest.StoredArticle, error) {
	a, err := scanArticle(s.r.QueryRowContext(ctx, `SELECT `+articleCols("a.body")+articleFrom+` WHERE a.id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return digest.StoredArticle{}, fmt.Errorf("sqlite: article %d: %w", id, digest.ErrNotFound)
	}
	if err != nil {
		return digest.StoredArticle{}, fmt.Errorf("sqlite: article %d: %w", id, err)
	}
	return a, nil
}

// RecentArticles returns articles (with bodies) first seen at or after
// since, oldest first, at most limit (all when limit <= 0).
func (s *Store) RecentArticles(ctx context.Context, since time.Time, limit int) ([]digest.StoredArticle, error) {
	if limit <= 0 {
		limit = -1
	}
	rows, err := s.r.QueryContext(ctx, `SELECT `+articleCols("a.body")+articleFrom+`
		WHERE a.first_seen >= ? ORDER BY a.first_seen, a.id LIMIT ?`, since.UnixMicro(), limit)
	if err != nil {
		return nil, fmt.Errorf("sqlite: recent articles since %s: %w", since.Format(time.RFC3339), err)
	}
	out, err := scanArticles(rows, s.log)
	if err != nil {
		return nil, fmt.Errorf("sqlite: recent articles since %s: %w", since.Format(time.RFC3339), err)
	}
	return out, nil
}

// Fingerprints returns the SimHashes of articles first seen at or after
// since, pruned ones included.
func (s *Store) Fingerprints(ctx context.Context, since time.Time) ([]digest.Fingerprint, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT id, story_id, fingerprint FROM articles WHERE first_seen >= ?1
		UNION ALL SELECT article_id, story_id, fingerprint FROM tombstones WHERE first_seen >= ?1
		ORDER BY 1`, since.UnixMicro())
	if err != nil {
		return nil, fmt.Errorf("sqlite: fingerprints since %s: %w", since.Format(time.RFC3339), err)
	}
	defer rows.Close()
	var out []digest.Fingerprint
	for rows.Next() {
		var f digest.Fingerprint
		var h int64
		if err := rows.Scan(&f.ArticleID, &f.StoryID, &h); err != nil {
			return nil, fmt.Errorf("sqlite: fingerprints: %w", err)
		}
		f.SimHash = uint64(h)
		out = append(out, f)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("sqlite: fingerprints: %w", err)
	}
	return out, nil
}

// Prune moves the keys and fingerprints of articles first seen before t to
// tombstones and deletes the articles, their index entries and stories left
// empty. It returns how many articles it pruned.
func (s *Store) Prune(ctx context.Context, before time.Time) (int, error) {
	cut := before.UnixMicro()
	var n int64
	err := s.tx(ctx, func(tx *sql.Tx) error {
		steps := []string{
			`INSERT OR REPLACE INTO tombstones (article_id, story_id, url, item_key, content_hash, fingerprint, first_seen, pruned_at)
				SELECT id, story_id, url, item_key, content_hash, fingerprint, first_seen, ?2 FROM articles WHERE first_seen < ?1`,
			`DELETE FROM articles_fts WHERE rowid IN (SELECT id FROM articles WHERE first_seen < ?1)`,
		}
		for _, q := range steps {
			if _, err := tx.ExecContext(ctx, q, cut, s.now().UnixMicro()); err != nil {
				return err
			}
		}
		res, err := tx.ExecContext(ctx, `DELETE FROM articles WHERE first_seen < ?`, cut)
		if err != nil {
			return err
		}
		if n, err = res.RowsAffected(); err != nil || n == 0 {
			return err
		}
		// Only stories first seen before the cut can have lost articles.
		if _, err := tx.ExecContext(ctx, `UPDATE stories SET
			size = (SELECT count(*) FROM articles WHERE story_id = stories.id),
			first_seen = COALESCE((SELECT min(first_seen) FROM articles WHERE story_id = stories.id), first_seen),
			lead_id = CASE WHEN lead_id IN (SELECT id FROM articles WHERE story_id = stories.id) THEN lead_id END
			WHERE first_seen < ?`, cut); err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `DELETE FROM stories WHERE size = 0 AND first_seen < ?`, cut)
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("sqlite: prune articles before %s: %w", before.Format(time.RFC3339), err)
	}
	if n > 0 {
		// Deleted rows leave marks in the index's segments; a bounded merge
		// folds them away so that searches do not keep skipping them.
		err := s.tx(ctx, func(tx *sql.Tx) error {
			_, err := tx.ExecContext(ctx, `INSERT INTO articles_fts (articles_fts, rank) VALUES ('merge', 500)`)
			return err
		})
		if err != nil {
			s.log.Warn("sqlite: merging the search index after a prune failed", "err", err)
		}
	}
	return int(n), nil
}

// joinLines stores summary lines one a line (plain text reads faster than
// JSON on every Stories call); a newline inside a line becomes a space.
func joinLines(lines []string) string {
	var b strings.Builder
	for i, l := range lines {
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(strings.ReplaceAll(l, "\n", " "))
	}
	return b.String()
}

func splitLines(s string) []string {
	if s == "" {
		return nil
	}
	if strings.HasPrefix(s, `["`) && strings.HasSuffix(s, `"]`) {
		// Written as JSON by the first version of the schema.
		var lines []string
		if json.Unmarshal([]byte(s), &lines) == nil {
			return lines
		}
	}
	return strings.Split(s, "\n")
}
