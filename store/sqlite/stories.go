package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"newsdigest/digest"
	"newsdigest/store/internal/storyset"
)

// Stories returns the stories with an article first seen in [from, to),
// each with all its articles (bodies left out; backlog ones only with
// includeBacklog), newest first. Only the window is scanned, through the
// first_seen index, and then the members of the stories found.
func (s *Store) Stories(ctx context.Context, from, to time.Time, includeBacklog bool) ([]digest.Story, error) {
	leads, err := s.leads(ctx, from)
	if err != nil {
		return nil, fmt.Errorf("sqlite: stories from %s: leads: %w", from.Format(time.RFC3339), err)
	}
	rows, err := s.r.QueryContext(ctx, `SELECT `+articleCols("''")+articleFrom+`
		WHERE a.story_id IN (SELECT story_id FROM articles WHERE first_seen >= ?1 AND first_seen < ?2 AND (?3 OR backlog = 0))
		AND (?3 OR a.backlog = 0)
		ORDER BY a.story_id, a.first_seen, a.id`,
		from.UnixMicro(), to.UnixMicro(), includeBacklog)
	if err != nil {
		return nil, fmt.Errorf("sqlite: stories from %s to %s: %w", from.Format(time.RFC3339), to.Format(time.RFC3339), err)
	}
	arts, err := scanArticles(rows, s.log)
	if err != nil {
		return nil, fmt.Errorf("sqlite: stories: %w", err)
	}
	return storyset.Assemble(arts, leads), nil
}

// WindowArticles returns the ID, story, source and first-seen time of each
// article first seen in [from, to), oldest first (backlog ones only with
// includeBacklog), from the articles_window_sources index alone: the rows
// themselves, bodies and all, are not read.
func (s *Store) WindowArticles(ctx context.Context, from, to time.Time, includeBacklog bool) ([]digest.ArticleRef, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT id, story_id, COALESCE(source_id, 0), source_name, first_seen, backlog
		FROM articles
		WHERE first_seen >= ?1 AND first_seen < ?2 AND (?3 OR backlog = 0)
		ORDER BY first_seen`,
		from.UnixMicro(), to.UnixMicro(), includeBacklog)
	if err != nil {
		return nil, fmt.Errorf("sqlite: window articles from %s to %s: %w", from.Format(time.RFC3339), to.Format(time.RFC3339), err)
	}
	defer rows.Close()
	var out []digest.ArticleRef
	for rows.Next() {
		var (
			r       digest.ArticleRef
			seen    int64
			backlog int
		)
		if err := rows.Scan(&r.ID, &r.StoryID, &r.SourceID, &r.Source, &seen, &backlog); err != nil {
			return nil, fmt.Errorf("sqlite: window articles from %s: %w", from.Format(time.RFC3339), err)
		}
		r.FirstSeen, r.Backlog = time.UnixMicro(seen).UTC(), backlog != 0
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("sqlite: window articles from %s: %w", from.Format(time.RFC3339), err)
	}
	return out, nil
}

// idChunk bounds the IDs bound in one IN list.
const idChunk = 500

// StoriesByID returns the stories with these IDs, each with all its
// articles (bodies left out; backlog ones only with includeBacklog), newest
// first, read through the articles_story index.
func (s *Store) StoriesByID(ctx context.Context, ids []int64, includeBacklog bool) ([]digest.Story, error) {
	var arts []digest.StoredArticle
	leads := map[int64]int64{}
	for start := 0; start < len(ids); start += idChunk {
		chunk := ids[start:min(len(ids), start+idChunk)]
		args := make([]any, 0, len(chunk)+1)
		for _, id := range chunk {
			args = append(args, id)
		}
		in := `(?` + strings.Repeat(", ?", len(chunk)-1) + `)`
		rows, err := s.r.QueryContext(ctx, `SELECT `+articleCols("''")+articleFrom+`
			WHERE a.story_id IN `+in+` AND (? OR a.backlog = 0)
			ORDER BY a.story_id, a.first_seen, a.id`, append(args, includeBacklog)...)
		if err != nil {
			return nil, fmt.Errorf("sqlite: stories %s: %w", storyset.IDs(chunk), err)
		}
		got, err := scanArticles(rows, s.log)
		if err != nil {
			return nil, fmt.Errorf("sqlite: stories %s: %w", storyset.IDs(chunk), err)
		}
		arts = append(arts, got...)
		rows, err = s.r.QueryContext(ctx, `SELECT id, lead_id FROM stories WHERE lead_id IS NOT NULL AND id IN `+in, args[:len(chunk)]...)
		if err != nil {
			return nil, fmt.Errorf("sqlite: stories %s: leads: %w", storyset.IDs(chunk), err)
		}
		if err := scanLeads(rows, leads); err != nil {
			return nil, fmt.Errorf("sqlite: stories %s: leads: %w", storyset.IDs(chunk), err)
		}
	}
	return storyset.Assemble(arts, leads), nil
}

// leads returns the leads set by SetStoryLead of stories seen since from.
func (s *Store) leads(ctx context.Context, from time.Time) (map[int64]int64, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT id, lead_id FROM stories WHERE lead_id IS NOT NULL AND last_seen >= ?`, from.UnixMicro())
	if err != nil {
		return nil, err
	}
	leads := map[int64]int64{}
	return leads, scanLeads(rows, leads)
}

// scanLeads adds (story ID, lead ID) rows to leads and closes rows.
func scanLeads(rows *sql.Rows, leads map[int64]int64) error {
	defer rows.Close()
	for rows.Next() {
		var id, lead int64
		if err := rows.Scan(&id, &lead); err != nil {
			return err
		}
		leads[id] = lead
	}
	return rows.Err()
}

// SetStoryLead makes an article the lead of its story, overriding the
// default rule (the earliest of the articles with the fullest summary).
func (s *Store) SetStoryLead(ctx context.Context, storyID, articleID int64) error {
	var n int64
	err := s.tx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE stories SET lead_id = ?2 WHERE id = ?1
			AND EXISTS (SELECT 1 FROM articles WHERE id = ?2 AND story_id = ?1)`, storyID, articleID)
		if err != nil {
			return err
		}
		n, err = res.RowsAffected()
		return err
	})
	if err == nil && n == 0 {
		err = digest.ErrNotFound
	}
	if err != nil {
		return fmt.Errorf("sqlite: set lead of story %d to article %d: %w", storyID, articleID, err)
	}
	return nil
}
