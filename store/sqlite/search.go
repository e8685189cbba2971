package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"newsdigest/digest"
	"newsdigest/store/fts"
	"newsdigest/store/internal/storyset"
)

// The work of one query is bounded, whatever the words and however big
// the store:
//
//   - FTS5's bm25() reads every row that holds a query word to weigh it
//     (IDF), so it is used only when every word is in fewer than
//     defaultCommonLimit articles (counting stops there). It is then computed for
//     at most the newest scanLimit matches (FTS5 walks its index by rowid,
//     newest first, and stops), and the best candidates by BM25 are
//     blended with recency and grouped into stories.
//   - When a word is common ("said", "the London"), the newest recentLimit
//     matches are ranked without bm25: a match in the headline weighs 3,
//     in the summary 2, elsewhere 1, blended with recency the same way.
//     For a word in thousands of articles the newest matches are what a
//     news search wants anyway.
const (
	scanLimit          = 1000
	candidates         = 200
	defaultCommonLimit = 2000
	recentLimit        = 300
)

// Column weights of BM25: a word in the headline counts most.
const bm25Weights = "10.0, 4.0, 1.0, 1.0" // headline, summary, body, stems

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
	rank := func(ctx context.Context, match string) ([]storyset.Candidate, error) { return s.candidates(ctx, match) }
	common, err := s.hasCommonWord(ctx, terms)
	if common {
		rank = func(ctx context.Context, match string) ([]storyset.Candidate, error) {
			return s.recentCandidates(ctx, terms, match)
		}
	}
	var cands []storyset.Candidate
	if err == nil {
		cands, err = rank(ctx, matchExpr(terms, " AND "))
	}
	if err == nil && len(cands) == 0 && len(terms) > 1 {
		cands, err = rank(ctx, matchExpr(terms, " OR "))
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
	arts, err := scanArticles(rows, s.log)
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

// hasCommonWord reports whether any word of the query is in s.commonLimit
// articles or more; counting stops there, so this costs little.
func (s *Store) hasCommonWord(ctx context.Context, terms []fts.Term) (bool, error) {
	seen := map[string]bool{}
	for _, t := range terms {
		for _, w := range t.Words {
			if seen[w] {
				continue
			}
			seen[w] = true
			var n int
			err := s.r.QueryRowContext(ctx, `SELECT count(*) FROM (SELECT rowid FROM articles_fts WHERE articles_fts MATCH ? LIMIT ?)`,
				`"`+w+`"`, s.commonLimit).Scan(&n)
			if err != nil {
				return false, err
			}
			if n >= s.commonLimit {
				return true, nil
			}
		}
	}
	return false, nil
}

// recentCandidates ranks the newest matches by where they match: all the
// query's words in the headline weigh 3, in the summary 2, else 1 (words
// compared by their start, a rough stemming that suits a weight).
func (s *Store) recentCandidates(ctx context.Context, terms []fts.Term, match string) ([]storyset.Candidate, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT a.id, a.story_id, a.published, a.first_seen, a.headline, a.summary FROM
		(SELECT rowid FROM articles_fts WHERE articles_fts MATCH ? ORDER BY rowid DESC LIMIT ?) f
		JOIN articles a ON a.id = f.rowid`, match, recentLimit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	now := s.now()
	prefixes := wordPrefixes(terms)
	var out []storyset.Candidate
	for rows.Next() {
		var (
			a                 digest.StoredArticle
			pub, seen         sql.NullInt64
			headline, summary string
		)
		if err := rows.Scan(&a.ID, &a.StoryID, &pub, &seen, &headline, &summary); err != nil {
			return nil, err
		}
		a.Published, a.FirstSeen = fromMicros(pub), fromMicros(seen)
		rel := 1.0
		switch {
		case hasAll(headline, prefixes):
			rel = 3
		case hasAll(summary, prefixes):
			rel = 2
		}
		out = append(out, storyset.Candidate{ArticleID: a.ID, StoryID: a.StoryID, Score: storyset.Score(rel, a.Time(), now)})
	}
	return out, rows.Err()
}

// mentions reports whether text holds every word of the terms, each at
// the start of a word of the text.
func mentions(text string, terms []fts.Term) bool { return hasAll(text, wordPrefixes(terms)) }

// wordPrefixes are the words of the terms folded, the longer ones less
// their last two letters.
func wordPrefixes(terms []fts.Term) []string {
	var out []string
	for _, t := range terms {
		for _, w := range t.Words {
			w = fts.Fold(w)
			if r := []rune(w); len(r) > 4 {
				w = string(r[:len(r)-2])
			}
			out = append(out, w)
		}
	}
	return out
}

// hasAll reports whether each prefix starts a word of the folded text.
func hasAll(text string, prefixes []string) bool {
	folded := fts.Fold(text)
	for _, p := range prefixes {
		if !hasWordPrefix(folded, p) {
			return false
		}
	}
	return true
}

// hasWordPrefix reports whether prefix starts a word somewhere in text.
func hasWordPrefix(text, prefix string) bool {
	for off := 0; ; {
		i := strings.Index(text[off:], prefix)
		if i < 0 {
			return false
		}
		i += off
		if i == 0 {
			return true
		}
		if r, _ := utf8.DecodeLastRuneInString(text[:i]); !unicode.IsLetter(r) && !unicode.IsDigit(r) {
			return true
		}
		off = i + 1
	}
}

// matchExpr writes terms as an FTS5 query: each term a quoted string (a
// phrase of its words, which hold only letters, digits and marks) or its
// stems in the stems column, joined by op. No user text reaches FTS5
// outside double quotes.
func matchExpr(terms []fts.Term, op string) string {
	parts := make([]string, len(terms))
	for i, t := range terms {
		p := `"` + strings.Join(t.Words, " ") + `"`
		// Or its stems in each language in the stems column (fts.Stems):
		// "Wahlen" finds the "Wahl" of a German article.
		var alts []string
		for _, st := range fts.QueryStems(t) {
			alts = append(alts, `stems : "`+strings.Join(st, " ")+`"`)
		}
		if len(alts) > 0 {
			p = "(" + p + " OR " + strings.Join(alts, " OR ") + ")"
		}
		parts[i] = p
	}
	return strings.Join(parts, op)
}
