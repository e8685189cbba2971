package sqlite

import (
	"context"
	"database/sql"
	"fmt"
)

// goSteps are the parts of migrations that need Go, run in the migration's
// transaction after its SQL, by migration number.
var goSteps = map[int]func(context.Context, *sql.Tx) error{
	7: reindexStems,
}

// reindexStems fills the search index made anew by migration 007 from the
// stored articles, with the stems of each article's language.
func reindexStems(ctx context.Context, tx *sql.Tx) error {
	const batch = 500 // articles in memory at once
	for last := int64(0); ; {
		rows, err := tx.QueryContext(ctx, `SELECT `+articleCols("a.body")+articleFrom+` WHERE a.id > ? ORDER BY a.id LIMIT ?`, last, batch)
		if err != nil {
			return fmt.Errorf("reindex after article %d: %w", last, err)
		}
		arts, err := scanArticles(rows)
		if err != nil {
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
