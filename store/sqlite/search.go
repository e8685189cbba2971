package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"newsdigest/digest"
	"newsdigest/store/fts"
	"newsdigest/store/internal/storyset"
)

// The work of one query is bounded, whatever the words: BM25 is computed
// for at most the newest scanLimit matches (FTS5 walks its index by rowid,
// newest first, and stops there), and the best candidates of those by
// BM25 are blended with recency and grouped into stories. A rare word's
// matches are all ranked; a word in thousands of articles is looked for in
// the newest of them, which is what a news search wants anyway.
const (
	scanLimit  = 1000
	candidates = 200
)

// Column weights of BM25: a word in the headline counts most.
const bm25Weights = "10.0, 4.0, 1.0" // headline, summary, body

// Search finds articles matching the user's words and "quoted phrases", all
// of them (or, when no article has all, any of them), and returns the best
// article of each story, best first, at most limit, bodies left out. The
// score is −BM25 blended with recency (see storyset.Score). A query that
// cannot be searched returns a *fts.QueryError (errors.Is fts.ErrBadQuery).
func (s *Store) Search(ctx context.Context, q string, limit int) ([]digest.SearchHit, error) {
	terms, err := fts.Parse(q)
	if err != nil {
		return nil, err
	}
	if limit <= 0 {
		limit = 10
	}
	cands, err := s.candidates(ctx, matchExpr(terms, " AND "))
	if err == nil && len(cands) == 0 && len(terms) > 1 {
		cands, err = s.candidates(ctx, matchExpr(terms, " OR "))
	}
	if err != nil {
		return nil, fmt.Errorf("sqlite: search %q: %w", q, err)
	}
	best := storyset.BestPerStory(cands, limit)
	if len(best) == 0 {
		return nil, nil
	}
	ids := make([]any, len(best))
	for i, c := range best {
		ids[i] = c.ArticleID
	}
	rows, err := s.r.QueryContext(ctx, `SELECT `+articleCols("''")+articleFrom+` WHERE a.id IN (?`+strings.Repeat(", ?", len(ids)-1)+`)`, ids...)
	if err != nil {
		return nil, fmt.Errorf("sqlite: search %q: load articles: %w", q, err)
	}
	arts, err := scanArticles(rows)
	if err != nil {
		return nil, fmt.Errorf("sqlite: search %q: load articles: %w", q, err)
	}
	byID := make(map[int64]digest.StoredArticle, len(arts))
	for _, a := range arts {
		byID[a.ID] = a
	}
	hits := make([]digest.SearchHit, 0, len(best))
	for _, c := range best {
		if a, ok := byID[c.ArticleID]; ok { // pruned meanwhile otherwise
			hits = append(hits, digest.SearchHit{Article: a, Score: c.Score})
		}
	}
	return hits, nil
}

// candidates runs one MATCH and scores its best BM25 matches.
func (s *Store) candidates(ctx context.Context, match string) ([]storyset.Candidate, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT a.id, a.story_id, a.published, a.first_seen, f.r FROM
		(SELECT rowid, r FROM
			(SELECT rowid, bm25(articles_fts, `+bm25Weights+`) AS r FROM articles_fts WHERE articles_fts MATCH ?
			ORDER BY rowid DESC LIMIT ?)
		ORDER BY r LIMIT ?) f
		JOIN articles a ON a.id = f.rowid`, match, scanLimit, candidates)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	now := s.now()
	var out []storyset.Candidate
	for rows.Next() {
		var (
			a         digest.StoredArticle
			pub, seen sql.NullInt64
			bm25      float64
		)
		if err := rows.Scan(&a.ID, &a.StoryID, &pub, &seen, &bm25); err != nil {
			return nil, err
		}
		a.Published, a.FirstSeen = fromMicros(pub), fromMicros(seen)
		out = append(out, storyset.Candidate{ArticleID: a.ID, StoryID: a.StoryID, Score: storyset.Score(-bm25, a.Time(), now)})
	}
	return out, rows.Err()
}

// matchExpr writes terms as an FTS5 query: each term a quoted string (a
// phrase of its words, which hold only letters, digits and marks), joined by
// op. No user text reaches FTS5 outside double quotes.
func matchExpr(terms []fts.Term, op string) string {
	parts := make([]string, len(terms))
	for i, t := range terms {
		parts[i] = `"` + strings.Join(t.Words, " ") + `"`
	}
	return strings.Join(parts, op)
}
