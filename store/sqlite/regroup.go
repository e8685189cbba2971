package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"newsdigest/digest"
)

// NewStory starts an empty story first seen at t.
func (s *Store) NewStory(ctx context.Context, t time.Time) (int64, error) {
	var id int64
	err := s.tx(ctx, func(tx *sql.Tx) error {
		return tx.QueryRowContext(ctx, `INSERT INTO stories (first_seen, last_seen) VALUES (?1, ?1) RETURNING id`, t.UnixMicro()).Scan(&id)
	})
	if err != nil {
		return 0, fmt.Errorf("sqlite: new story at %s: %w", t.Format(time.RFC3339), err)
	}
	return id, nil
}

// MoveArticles makes a regrouping's moves in one transaction.
func (s *Store) MoveArticles(ctx context.Context, moves []digest.StoryMove) (int, error) {
	if len(moves) == 0 {
		return 0, nil
	}
	var moved int
	err := s.tx(ctx, func(tx *sql.Tx) error {
		moved = 0
		touched := map[int64]bool{}
		for _, m := range moves {
			// The target exists unless it was pruned meanwhile: recreate it
			// as AddArticle does for a story ID it is given.
			if _, err := tx.ExecContext(ctx, `INSERT INTO stories (id, first_seen, last_seen)
				SELECT ?1, first_seen, first_seen FROM articles WHERE id = ?2 AND story_id = ?3
				ON CONFLICT (id) DO NOTHING`, m.To, m.ArticleID, m.From); err != nil {
				return fmt.Errorf("story %d: %w", m.To, err)
			}
			res, err := tx.ExecContext(ctx, `UPDATE articles SET story_id = ?1 WHERE id = ?2 AND story_id = ?3`, m.To, m.ArticleID, m.From)
			if err != nil {
				return fmt.Errorf("article %d: %w", m.ArticleID, err)
			}
			if n, err := res.RowsAffected(); err != nil || n == 0 {
				if err != nil {
					return fmt.Errorf("article %d: %w", m.ArticleID, err)
				}
				continue
			}
			moved++
			touched[m.From], touched[m.To] = true, true
		}
		for id := range touched {
			if _, err := tx.ExecContext(ctx, `UPDATE stories SET
				size = (SELECT count(*) FROM articles WHERE story_id = ?1),
				first_seen = COALESCE((SELECT min(first_seen) FROM articles WHERE story_id = ?1), first_seen),
				last_seen = COALESCE((SELECT max(first_seen) FROM articles WHERE story_id = ?1), last_seen),
				lead_id = CASE WHEN lead_id IN (SELECT id FROM articles WHERE story_id = ?1) THEN lead_id END
				WHERE id = ?1`, id); err != nil {
				return fmt.Errorf("story %d: %w", id, err)
			}
		}
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("sqlite: move %d articles between stories: %w", len(moves), err)
	}
	return moved, nil
}
