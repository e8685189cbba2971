package postgres

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

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
		return nil, fmt.Errorf("postgres: stories from %s: leads: %w", from.Format(time.RFC3339), err)
	}
	rows, err := s.pool.Query(ctx, `SELECT `+articleCols("''")+articleFrom+`
		WHERE a.story_id IN (SELECT story_id FROM articles WHERE first_seen >= $1 AND first_seen < $2 AND ($3 OR NOT backlog))
		AND ($3 OR NOT a.backlog)
		ORDER BY a.story_id, a.first_seen, a.id`, from, to, includeBacklog)
	if err != nil {
		return nil, fmt.Errorf("postgres: stories from %s to %s: %w", from.Format(time.RFC3339), to.Format(time.RFC3339), err)
	}
	arts, err := scanArticles(rows, s.log)
	if err != nil {
		return nil, fmt.Errorf("postgres: stories: %w", err)
	}
	return storyset.Assemble(arts, leads), nil
}

// WindowArticles returns the ID, story, source and first-seen time of each
// article first seen in [from, to), oldest first (backlog ones only with
// includeBacklog), from the articles_window_sources index (an index-only
// scan once the table is vacuumed).
func (s *Store) WindowArticles(ctx context.Context, from, to time.Time, includeBacklog bool) ([]digest.ArticleRef, error) {
	rows, err := s.pool.Query(ctx, `SELECT id, story_id, COALESCE(source_id, 0), source_name, first_seen, backlog
		FROM articles WHERE first_seen >= $1 AND first_seen < $2 AND ($3 OR NOT backlog)
		ORDER BY first_seen`, from, to, includeBacklog)
	if err != nil {
		return nil, fmt.Errorf("postgres: window articles from %s to %s: %w", from.Format(time.RFC3339), to.Format(time.RFC3339), err)
	}
	defer rows.Close()
	var out []digest.ArticleRef
	for rows.Next() {
		var r digest.ArticleRef
		if err := rows.Scan(&r.ID, &r.StoryID, &r.SourceID, &r.Source, &r.FirstSeen, &r.Backlog); err != nil {
			return nil, fmt.Errorf("postgres: window articles from %s: %w", from.Format(time.RFC3339), err)
		}
		r.FirstSeen = r.FirstSeen.UTC()
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("postgres: window articles from %s: %w", from.Format(time.RFC3339), err)
	}
	return out, nil
}

// StoriesByID returns the stories with these IDs, each with all its
// articles (bodies left out; backlog ones only with includeBacklog), newest
// first, read through the articles_story index.
func (s *Store) StoriesByID(ctx context.Context, ids []int64, includeBacklog bool) ([]digest.Story, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	rows, err := s.pool.Query(ctx, `SELECT `+articleCols("''")+articleFrom+`
		WHERE a.story_id = ANY($1) AND ($2 OR NOT a.backlog)
		ORDER BY a.story_id, a.first_seen, a.id`, ids, includeBacklog)
	if err != nil {
		return nil, fmt.Errorf("postgres: stories %s: %w", storyset.IDs(ids), err)
	}
	arts, err := scanArticles(rows, s.log)
	if err != nil {
		return nil, fmt.Errorf("postgres: stories %s: %w", storyset.IDs(ids), err)
	}
	rows, err = s.pool.Query(ctx, `SELECT id, lead_id FROM stories WHERE lead_id IS NOT NULL AND id = ANY($1)`, ids)
	if err != nil {
		return nil, fmt.Errorf("postgres: stories %s: leads: %w", storyset.IDs(ids), err)
	}
	leads := map[int64]int64{}
	if err := scanLeads(rows, leads); err != nil {
		return nil, fmt.Errorf("postgres: stories %s: leads: %w", storyset.IDs(ids), err)
	}
	return storyset.Assemble(arts, leads), nil
}

// SetStoryLead makes an article the lead of its story, overriding the
// default rule (the earliest of the articles with the fullest summary).
func (s *Store) SetStoryLead(ctx context.Context, storyID, articleID int64) error {
	tag, err := s.pool.Exec(ctx, `UPDATE stories SET lead_id = $2 WHERE id = $1
		AND EXISTS (SELECT 1 FROM articles WHERE id = $2 AND story_id = $1)`, storyID, articleID)
	if err == nil && tag.RowsAffected() == 0 {
		err = digest.ErrNotFound
	}
	if err != nil {
		return fmt.Errorf("postgres: set lead of story %d to article %d: %w", storyID, articleID, err)
	}
	return nil
}

// leads returns the leads set by SetStoryLead of stories seen since from.
func (s *Store) leads(ctx context.Context, from time.Time) (map[int64]int64, error) {
	rows, err := s.pool.Query(ctx, `SELECT id, lead_id FROM stories WHERE lead_id IS NOT NULL AND last_seen >= $1`, from)
	if err != nil {
		return nil, err
	}
	leads := map[int64]int64{}
	return leads, scanLeads(rows, leads)
}

// scanLeads adds (story ID, lead ID) rows to leads and closes rows.
func scanLeads(rows pgx.Rows, leads map[int64]int64) error {
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
