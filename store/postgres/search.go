package postgres

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgtype"

	"newsdigest/digest"
	"newsdigest/store/fts"
	"newsdigest/store/internal/storyset"
)

// The work of one query is bounded, whatever the words: ts_rank is
// computed for at most the newest scanLimit matches (by article ID), and
// the best candidates of those are blended with recency and grouped into
// stories. A rare word's matches are all ranked; a word in thousands of
// articles is looked for in the newest of them.
const (
	scanLimit  = 500
	candidates = 200
)

// Search finds articles matching the user's words and "quoted phrases", all
// of them (or, when no article has all, any of them), and returns the best
// article of each story, best first, at most limit, bodies left out. The
// score is ts_rank (headline weight 1.0, summary 0.4, body 0.1) blended
// with recency (see storyset.Score). A query that cannot be searched
// returns a *fts.QueryError (errors.Is fts.ErrBadQuery).
func (s *Store) Search(ctx context.Context, q string, limit int) ([]digest.SearchHit, error) {
	terms, err := fts.Parse(q)
	if err != nil {
		return nil, err
	}
	if limit <= 0 {
		limit = 10
	}
	cands, err := s.candidates(ctx, terms, " && ")
	if err == nil && len(cands) == 0 && len(terms) > 1 {
		cands, err = s.candidates(ctx, terms, " || ")
	}
	if err != nil {
		return nil, fmt.Errorf("postgres: search %q: %w", q, err)
	}
	best := storyset.BestPerStory(cands, limit)
	if len(best) == 0 {
		return nil, nil
	}
	ids := make([]int64, len(best))
	for i, c := range best {
		ids[i] = c.ArticleID
	}
	rows, err := s.pool.Query(ctx, `SELECT `+articleCols("''")+articleFrom+` WHERE a.id = ANY($1)`, ids)
	if err != nil {
		return nil, fmt.Errorf("postgres: search %q: load articles: %w", q, err)
	}
	arts, err := scanArticles(rows, s.log)
	if err != nil {
		return nil, fmt.Errorf("postgres: search %q: load articles: %w", q, err)
	}
	byID := make(map[int64]digest.StoredArticle, len(arts))
	for _, a := range arts {
		byID[a.ID] = a
	}
	hits := make([]digest.SearchHit, 0, len(best))
	for _, c := range best {
		if a, ok := byID[c.ArticleID]; ok {
			hits = append(hits, digest.SearchHit{Article: a, Score: c.Score})
		}
	}
	return hits, nil
}

// candidates builds the tsquery from one phraseto_tsquery per term (each
// term a bind parameter, so no user text is parsed as tsquery syntax),
// joined by op, and scores the best matches.
func (s *Store) candidates(ctx context.Context, terms []fts.Term, op string) ([]storyset.Candidate, error) {
	parts := make([]string, len(terms))
	// The simple protocol sends the (escaped) values inside the query, so
	// the planner plans for these very words rather than a generic plan.
	args := []any{pgx.QueryExecModeSimpleProtocol, scanLimit, candidates}
	for i, t := range terms {
		args = append(args, strings.Join(t.Words, " "))
		parts[i] = "phraseto_tsquery('newsdigest', $" + strconv.Itoa(len(args)-1) + ")"
		// Or its stems in each language, against the stems the article's
		// language gave (fts.Stems): "Wahlen" finds a German "Wahl".
		for _, st := range fts.QueryStems(t) {
			args = append(args, strings.Join(st, " "))
			parts[i] += " || phraseto_tsquery('simple', $" + strconv.Itoa(len(args)-1) + ")"
		}
		parts[i] = "(" + parts[i] + ")"
	}
	// The tsquery is written inline (not in a CTE) so that the planner sees
	// it. The matches come from the GIN index, newest first, as bare IDs;
	// only the scanLimit kept have their tsvector read (from TOAST) for
	// ts_rank. A sequential scan, or a walk down the primary key (which
	// "id + 0" rules out), would read every row's tsvector to filter it, a
	// cost the planner does not see.
	tsq := "(" + strings.Join(parts, op) + ")"
	var out []storyset.Candidate
	err := s.tx(ctx, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `SET LOCAL enable_seqscan = off`); err != nil {
			return err
		}
		rows, err := tx.Query(ctx, `SELECT a.id, a.story_id, a.published, a.first_seen, ts_rank(a.tsv, `+tsq+`) AS r
			FROM (SELECT id FROM articles WHERE tsv @@ `+tsq+` ORDER BY id + 0 DESC LIMIT $1) m
			JOIN articles a ON a.id = m.id
			ORDER BY r DESC LIMIT $2`, args...)
		if err != nil {
			return err
		}
		out, err = scoreRows(rows, s.now())
		return err
	})
	return out, err
}

// scoreRows blends each match's rank with its age.
func scoreRows(rows pgx.Rows, now time.Time) ([]storyset.Candidate, error) {
	defer rows.Close()
	var out []storyset.Candidate
	for rows.Next() {
		var (
			a         digest.StoredArticle
			pub, seen pgtype.Timestamptz
			rank      float32
		)
		if err := rows.Scan(&a.ID, &a.StoryID, &pub, &seen, &rank); err != nil {
			return nil, err
		}
		a.Published, a.FirstSeen = fromTS(pub), fromTS(seen)
		out = append(out, storyset.Candidate{ArticleID: a.ID, StoryID: a.StoryID, Score: storyset.Score(float64(rank), a.Time(), now)})
	}
	return out, rows.Err()
}
