package postgres

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"

	"newsdigest/digest"
)

// goSteps are the parts of migrations that need Go, run in the migration's
// transaction after its SQL, by migration number.
var goSteps = map[int]func(context.Context, pgx.Tx) error{
	7: reindexStems,
}

// reindexStems adds the stems of each stored article's language to its
// tsvector (migration 007), a batch of articles at a time, reading only
// the columns that exist at migration 007.
func reindexStems(ctx context.Context, tx pgx.Tx) error {
	const batch = 500
	for last := int64(0); ; {
		rows, err := tx.Query(ctx, `SELECT id, headline, summary, body, language FROM articles
			WHERE id > $1 AND language NOT IN ('', 'en') ORDER BY id LIMIT $2`, last, batch)
		if err != nil {
			return fmt.Errorf("reindex after article %d: %w", last, err)
		}
		var arts []digest.StoredArticle
		for rows.Next() {
			var a digest.StoredArticle
			if err := rows.Scan(&a.ID, &a.Headline, &a.Summary, &a.Body, &a.Language); err != nil {
				rows.Close()
				return fmt.Errorf("reindex after article %d: %w", last, err)
			}
			arts = append(arts, a)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return fmt.Errorf("reindex after article %d: %w", last, err)
		}
		for _, a := range arts {
			last = a.ID
			st := stemText(a)
			if st == "" {
				continue
			}
			if _, err := tx.Exec(ctx, `UPDATE articles SET tsv = tsv || setweight(to_tsvector('simple', $1), 'C') WHERE id = $2`, st, a.ID); err != nil {
				return fmt.Errorf("reindex article %d: %w", a.ID, err)
			}
		}
		if len(arts) < batch {
			return nil
		}
	}
}
