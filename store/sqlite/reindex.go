package sqlite

import (
	"context"
	"database/sql"
	"fmt"

	"newsdigest/digest"
)

// goSteps are the parts of migrations that need Go, run in the migration's
// transaction after its SQL, by migration number.
var goSteps = map[int]func(context.Context, *sql.Tx) error{
	7: reindexStems,
}

// reindexStems fills the search index made anew by migration 007 from the
// stored articles, with the stems of each article's language. It reads only
// the columns that exist at migration 007, whatever later migrations add.
func reindexStems(ctx context.Context, tx *sql.Tx) error {
	const batch = 500 // articles in memory at once
	for last := int64(0); ; {
		rows, err := tx.QueryContext(ctx, `SELECT id, headline, summary, body, language FROM articles WHERE id > ? ORDER BY id LIMIT ?`, last, batch)
		if err != nil {
			return fmt.Errorf("reindex after article %d: %w", last, err)
		}
		var arts []digest.StoredArticle
		for rows.Next() {
			var (
				a       digest.StoredArticle
				summary string
			)
			if err := rows.Scan(&a.ID, &a.Headline, &summary, &a.Body, &a.Language); err != nil {
				rows.Close()
				return fmt.Errorf("reindex after article %d: %w", last, err)
			}
			a.Summary = splitLines(summary)
			arts = append(arts, a)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return fmt.Errorf("reindex after article %d: %w", last, err)
		}
		for _, a := range arts {
			if err := index(ctx, tx, a); err != nil {
				return fmt.Errorf("reindex: %w", err)
			}
			last = a.ID
		}
		if len(arts) < batch {
			return nil
		}
	}
}
