package postgres

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgtype"

	"newsdigest/digest"
	"newsdigest/store/fts"
)

// maxIndexed caps the text indexed per field: a tsvector holds at most 1 MB.
const maxIndexed = 200_000

func articleCols(bodyCol string) string {
	return `a.id, COALESCE(a.source_id, 0), a.source_name, COALESCE(a.url, ''), COALESCE(a.item_key, ''),
	COALESCE(a.content_hash, ''), a.fingerprint, a.headline, a.place, a.dl_published, a.dl_has_time, a.dl_zone, a.desk, a.author,
	` + bodyCol + `, a.summary, a.language, a.published, a.first_seen, a.story_id, a.backlog, a.link, a.image`
}

// articleFrom needs no join for the source's name: names never change
// (sources are saved by name), so each article keeps its own copy.
const articleFrom = ` FROM articles a`

func scanArticle(r pgx.Row, extra ...any) (digest.StoredArticle, error) {
	var (
		a                  digest.StoredArticle
		fp                 int64
		dlPub              string
		published, firstSn pgtype.Timestamptz
	)
	dest := []any{&a.ID, &a.SourceID, &a.Source, &a.URL, &a.ItemKey, &a.ContentHash, &fp, &a.Headline,
		&a.Dateline.Place, &dlPub, &a.Dateline.HasTime, &a.Dateline.Zone, &a.Dateline.Desk, &a.Dateline.Author,
		&a.Body, &a.Summary, &a.Language, &published, &firstSn, &a.StoryID, &a.Backlog, &a.Link, &a.Image}
	if err := r.Scan(append(dest, extra...)...); err != nil {
		return digest.StoredArticle{}, err
	}
	a.Fingerprint = uint64(fp)
	if dlPub != "" {
		t, err := time.Parse(time.RFC3339Nano, dlPub)
		if err != nil {
			return digest.StoredArticle{}, fmt.Errorf("dateline of article %d: %w", a.ID, err)
		}
		a.Dateline.Published = t
	}
	a.Summary = nilIfEmpty(a.Summary)
	a.Published = fromTS(published)
	a.FirstSeen = fromTS(firstSn)
	return a, nil
}

// scanArticles reads the rows; a row that cannot be read (a corrupted
// value, such as an unparsable dateline) is skipped and logged, so that one
// bad row does not stop the reads the bot starts with.
func scanArticles(rows pgx.Rows, log *slog.Logger) ([]digest.StoredArticle, error) {
	defer rows.Close()
	var out []digest.StoredArticle
	n := 0
	for rows.Next() {
		n++
		a, err := scanArticle(rows)
		if err != nil {
			log.Warn("postgres: skipping an article row that cannot be read", "row", n, "err", err)
			continue
		}
		out = append(out, a)
	}
	return out, rows.Err()
}

const knownSQL = `EXISTS (SELECT 1 FROM tombstones WHERE url = $1) OR
	EXISTS (SELECT 1 FROM tombstones WHERE item_key = $2) OR
	EXISTS (SELECT 1 FROM tombstones WHERE content_hash = $3)`

// Known reports whether any of the keys belongs to a stored or pruned article.
func (s *Store) Known(ctx context.Context, k digest.ItemKeys) (bool, error) {
	if k.URL == "" && k.ItemKey == "" && k.ContentHash == "" {
		return false, nil
	}
	var known bool
	err := s.pool.QueryRow(ctx, `SELECT
		EXISTS (SELECT 1 FROM articles WHERE url = $1) OR
		EXISTS (SELECT 1 FROM articles WHERE item_key = $2) OR
		EXISTS (SELECT 1 FROM articles WHERE content_hash = $3) OR `+knownSQL,
		nullable(k.URL), nullable(k.ItemKey), nullable(k.ContentHash)).Scan(&known)
	if err != nil {
		return false, fmt.Errorf("postgres: look up item %q: %w", k.URL, err)
	}
	return known, nil
}

// AddArticle stores a new article, with a new story when StoryID is 0 (or
// the story it names, recreated if it was pruned), and indexes it.
func (s *Store) AddArticle(ctx context.Context, a digest.StoredArticle) (digest.StoredArticle, error) {
	if a.FirstSeen.IsZero() {
		a.FirstSeen = s.now()
	}
	a.FirstSeen = a.FirstSeen.UTC().Truncate(time.Microsecond)
	if !a.Published.IsZero() {
		a.Published = a.Published.UTC().Truncate(time.Microsecond)
	}
	dlPub := ""
	if !a.Dateline.Published.IsZero() {
		dlPub = a.Dateline.Published.Format(time.RFC3339Nano)
	}
	err := s.tx(ctx, func(tx pgx.Tx) error {
		var tomb bool
		if err := tx.QueryRow(ctx, `SELECT `+knownSQL, nullable(a.URL), nullable(a.ItemKey), nullable(a.ContentHash)).Scan(&tomb); err != nil {
			return err
		}
		if tomb {
			return digest.ErrDuplicate
		}
		if a.SourceID != 0 {
			err := tx.QueryRow(ctx, `SELECT name FROM sources WHERE id = $1`, a.SourceID).Scan(&a.Source)
			if errors.Is(err, pgx.ErrNoRows) {
				return fmt.Errorf("source %d: %w", a.SourceID, digest.ErrNotFound)
			}
			if err != nil {
				return err
			}
		}
		if a.StoryID == 0 {
			if err := tx.QueryRow(ctx, `INSERT INTO stories (first_seen, last_seen) VALUES ($1, $1) RETURNING id`, a.FirstSeen).Scan(&a.StoryID); err != nil {
				return err
			}
		} else {
			tag, err := tx.Exec(ctx, `INSERT INTO stories (id, first_seen, last_seen) VALUES ($1, $2, $2) ON CONFLICT (id) DO NOTHING`, a.StoryID, a.FirstSeen)
			if err != nil {
				return err
			}
			if tag.RowsAffected() > 0 { // keep the sequence past an ID given from outside
				if _, err := tx.Exec(ctx, `SELECT setval(pg_get_serial_sequence('stories', 'id'), (SELECT max(id) FROM stories))`); err != nil {
					return err
				}
			}
		}
		var srcID any
		if a.SourceID != 0 {
			srcID = a.SourceID
		}
		err := tx.QueryRow(ctx, `INSERT INTO articles (source_id, source_name, url, item_key, content_hash, fingerprint,
			headline, place, dl_published, dl_has_time, dl_zone, desk, author, body, summary, language, published,
			first_seen, story_id, backlog, link, image, tsv)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $24, $25,
				setweight(to_tsvector('newsdigest', $21), 'A') || setweight(to_tsvector('newsdigest', $22), 'B') ||
				setweight(to_tsvector('newsdigest', $23), 'D') || setweight(to_tsvector('simple', $26), 'C'))
			RETURNING id`,
			srcID, a.Source, nullable(a.URL), nullable(a.ItemKey), nullable(a.ContentHash), int64(a.Fingerprint),
			a.Headline, a.Dateline.Place, dlPub, a.Dateline.HasTime, a.Dateline.Zone, a.Dateline.Desk, a.Dateline.Author,
			a.Body, nonNil(a.Summary), a.Language, ts(a.Published), a.FirstSeen, a.StoryID, a.Backlog,
			indexText(a.Headline), indexText(strings.Join(a.Summary, "\n")), indexText(a.Body), a.Link, a.Image,
			stemText(a)).Scan(&a.ID)
		if isUnique(err) {
			return digest.ErrDuplicate
		}
		if err != nil {
			return err
		}
		_, err = tx.Exec(ctx, `UPDATE stories SET first_seen = LEAST(first_seen, $1), last_seen = GREATEST(last_seen, $1), size = size + 1 WHERE id = $2`,
			a.FirstSeen, a.StoryID)
		return err
	})
	if err != nil {
		return digest.StoredArticle{}, fmt.Errorf("postgres: add article %q: %w", a.URL, err)
	}
	return a, nil
}

// stemText is the article's stems field (fts.Stems), capped as indexText
// caps a field.
func stemText(a digest.StoredArticle) string {
	st := fts.Stems(a.Language, a.Headline, strings.Join(a.Summary, "\n"), a.Body)
	if len(st) > maxIndexed {
		st = strings.ToValidUTF8(st[:maxIndexed], "")
	}
	return st
}

// indexText prepares a field for to_tsvector.
func indexText(s string) string {
	if len(s) > maxIndexed {
		s = strings.ToValidUTF8(s[:maxIndexed], "")
	}
	return fts.Segment(s)
}

// Article returns one article with its body, or an error wrapping digest.ErrNotFound.
func (s *Store) Article(ctx context.Context, id int64) (digest.StoredArticle, error) {
	a, err := scanArticle(s.pool.QueryRow(ctx, `SELECT `+articleCols("a.body")+articleFrom+` WHERE a.id = $1`, id))
	if errors.Is(err, pgx.ErrNoRows) {
		err = digest.ErrNotFound
	}
	if err != nil {
		return digest.StoredArticle{}, fmt.Errorf("postgres: article %d: %w", id, err)
	}
	return a, nil
}

// RecentArticles returns articles (with bodies) first seen at or after
// since, oldest first, at most limit (all when limit <= 0).
func (s *Store) RecentArticles(ctx context.Context, since time.Time, limit int) ([]digest.StoredArticle, error) {
	var lim any
	if limit > 0 {
		lim = limit
	}
	rows, err := s.pool.Query(ctx, `SELECT `+articleCols("a.body")+articleFrom+`
		WHERE a.first_seen >= $1 ORDER BY a.first_seen, a.id LIMIT $2`, since, lim)
	if err != nil {
		return nil, fmt.Errorf("postgres: recent articles since %s: %w", since.Format(time.RFC3339), err)
	}
	out, err := scanArticles(rows, s.log)
	if err != nil {
		return nil, fmt.Errorf("postgres: recent articles since %s: %w", since.Format(time.RFC3339), err)
	}
	return out, nil
}

// Fingerprints returns the SimHashes of articles first seen at or after
// since, pruned ones included.
func (s *Store) Fingerprints(ctx context.Context, since time.Time) ([]digest.Fingerprint, error) {
	rows, err := s.pool.Query(ctx, `SELECT id, story_id, fingerprint FROM articles WHERE first_seen >= $1
		UNION ALL SELECT article_id, story_id, fingerprint FROM tombstones WHERE first_seen >= $1
		ORDER BY 1`, since)
	if err != nil {
		return nil, fmt.Errorf("postgres: fingerprints since %s: %w", since.Format(time.RFC3339), err)
	}
	defer rows.Close()
	var out []digest.Fingerprint
	for rows.Next() {
		var f digest.Fingerprint
		var h int64
		if err := rows.Scan(&f.ArticleID, &f.StoryID, &h); err != nil {
			return nil, fmt.Errorf("postgres: fingerprints: %w", err)
		}
		f.SimHash = uint64(h)
		out = append(out, f)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("postgres: fingerprints: %w", err)
	}
	return out, nil
}

// Prune moves the keys and fingerprints of articles first seen before t to
// tombstones and deletes the articles (and so their index entries) and
// stories left empty. It returns how many articles it pruned.
func (s *Store) Prune(ctx context.Context, before time.Time) (int, error) {
	var n int64
	err := s.tx(ctx, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `INSERT INTO tombstones (article_id, story_id, url, item_key, content_hash, fingerprint, first_seen, pruned_at)
			SELECT id, story_id, url, item_key, content_hash, fingerprint, first_seen, $2 FROM articles WHERE first_seen < $1
			ON CONFLICT (article_id) DO NOTHING`, before, s.now()); err != nil {
			return err
		}
		tag, err := tx.Exec(ctx, `DELETE FROM articles WHERE first_seen < $1`, before)
		if err != nil {
			return err
		}
		if n = tag.RowsAffected(); n == 0 {
			return nil
		}
		if _, err := tx.Exec(ctx, `UPDATE stories st SET
			size = (SELECT count(*) FROM articles WHERE story_id = st.id),
			first_seen = COALESCE((SELECT min(first_seen) FROM articles WHERE story_id = st.id), st.first_seen),
			lead_id = CASE WHEN st.lead_id IN (SELECT id FROM articles WHERE story_id = st.id) THEN st.lead_id END
			WHERE st.first_seen < $1`, before); err != nil {
			return err
		}
		_, err = tx.Exec(ctx, `DELETE FROM stories WHERE size = 0 AND first_seen < $1`, before)
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("postgres: prune articles before %s: %w", before.Format(time.RFC3339), err)
	}
	return int(n), nil
}
