package sqlite

import (
	"context"
	"database/sql"
	"path/filepath"
	"testing"
	"time"

	"newsdigest/digest"
)

// TestMigration007Reindexes: a store whose articles were indexed before
// migration 007 (no stems) finds them by inflected forms once the
// migration has run again.
func TestMigration007Reindexes(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "news.db")
	s, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	a, err := s.AddArticle(ctx, digest.StoredArticle{URL: "https://example.de/wahl", Headline: "Wahl in Sachsen",
		Body: "Die CDU gewinnt die Wahl in Sachsen.", Language: "de", FirstSeen: time.Now()})
	if err != nil {
		t.Fatal(err)
	}
	// Back to the index as it was before 007: three columns, no stems.
	err = s.tx(ctx, func(tx *sql.Tx) error {
		for _, q := range []string{
			`DROP TABLE articles_fts`,
			`CREATE VIRTUAL TABLE articles_fts USING fts5(headline, summary, body, content = '', contentless_delete = 1, tokenize = 'porter unicode61 remove_diacritics 2')`,
			`INSERT INTO articles_fts (rowid, headline, summary, body) SELECT id, headline, summary, body FROM articles`,
			`ALTER TABLE subscriptions DROP COLUMN languages`,
			`ALTER TABLE subscriptions DROP COLUMN locale`,
			`DELETE FROM schema_version WHERE version = 7`,
		} {
			if _, err := tx.ExecContext(ctx, q); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	s, err = Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	hits, err := s.Search(ctx, "Wahlen", 10)
	if err != nil || len(hits) != 1 || hits[0].Article.ID != a.ID {
		t.Fatalf("Search(Wahlen) after migration 007 = %v, %v; want article %d", hits, err, a.ID)
	}
}
