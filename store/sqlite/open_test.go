package sqlite_test

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	_ "modernc.org/sqlite"

	"newsdigest/digest"
	"newsdigest/store/fts"
	"newsdigest/store/sqlite"
)

// TestReopen checks that the file is created on first run, that reopening
// applies no migration twice and keeps the data, and the pragmas in force.
func TestReopen(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "data", "news.db") // its folder is made too
	s, err := sqlite.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	a, err := s.AddArticle(ctx, digest.StoredArticle{URL: "https://x.example/1", Headline: "Kept across restarts", FirstSeen: time.Now()})
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	s, err = sqlite.Open(ctx, path)
	if err != nil {
		t.Fatalf("reopen: %v", err)
	}
	defer s.Close()
	if got, err := s.Article(ctx, a.ID); err != nil || got.Headline != "Kept across restarts" {
		t.Fatalf("after reopen: %+v, %v", got, err)
	}
	if hits, err := s.Search(ctx, "restarts", 5); err != nil || len(hits) != 1 {
		t.Fatalf("search after reopen: %v, %v", len(hits), err)
	}

	raw, err := sql.Open("sqlite", "file:"+path+"?_pragma=busy_timeout(5000)")
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	var mode string
	if err := raw.QueryRow(`PRAGMA journal_mode`).Scan(&mode); err != nil || !strings.EqualFold(mode, "wal") {
		t.Errorf("journal_mode = %q, %v; want wal", mode, err)
	}
	var versions int
	if err := raw.QueryRow(`SELECT count(*) FROM schema_version`).Scan(&versions); err != nil || versions < 2 {
		t.Errorf("schema_version rows = %d, %v", versions, err)
	}
	// An article cannot name a missing source.
	if _, err := s.AddArticle(ctx, digest.StoredArticle{URL: "https://x.example/2", SourceID: 77}); !errors.Is(err, digest.ErrNotFound) {
		t.Errorf("article of a missing source: %v", err)
	}
}

// FuzzSearch feeds arbitrary input to a real FTS5 index: the store answers
// with hits or a bad-query error, never an engine error.
func FuzzSearch(f *testing.F) {
	ctx := context.Background()
	s, err := sqlite.Open(ctx, ":memory:")
	if err != nil {
		f.Fatal(err)
	}
	f.Cleanup(func() { s.Close() })
	for i, h := range []string{"Flooding in Zürich", "Москва объявила меры", "東京で大雨", `Quotes "and" NEAR(stars)*`} {
		if _, err := s.AddArticle(ctx, digest.StoredArticle{URL: "https://f.example/" + h, Headline: h,
			Body: "body text " + h, FirstSeen: time.Unix(int64(1e9+i), 0)}); err != nil {
			f.Fatal(err)
		}
	}
	for _, q := range []string{`"foo" OR bar*`, "NEAR(", "-x", ":", "^", `a"b"c`, "東京", "zurich", "col:val", "x AND", "\x00", "{a}: b"} {
		f.Add(q)
	}
	f.Fuzz(func(t *testing.T, q string) {
		_, err := s.Search(ctx, q, 5)
		if err != nil && !errors.Is(err, fts.ErrBadQuery) {
			t.Fatalf("Search(%q): %v", q, err)
		}
	})
}

// TestOpenConcurrently: processes opening one file at once (the bot
// starting while `bot sources` runs, or a check polling it) all get a
// migrated store; each Open here has connections of its own, as a process
// would, and each closes (checkpointing the WAL) while others open.
func TestOpenConcurrently(t *testing.T) {
	ctx := context.Background()
	for round := range 5 {
		path := filepath.Join(t.TempDir(), "news.db")
		errs := make(chan error, 6)
		for k := range 6 {
			go func() {
				var err error
				for i := 0; i < 5 && err == nil; i++ {
					var s *sqlite.Store
					if s, err = sqlite.Open(ctx, path); err != nil {
						break
					}
					_, err = s.AddArticle(ctx, digest.StoredArticle{URL: fmt.Sprintf("https://x.example/%d/%d", k, i), Headline: "Opened", FirstSeen: time.Now()})
					s.Close()
				}
				errs <- err
			}()
		}
		for range 6 {
			if err := <-errs; err != nil {
				t.Fatalf("round %d: %v", round, err)
			}
		}
	}
}
