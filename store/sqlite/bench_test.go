package sqlite_test

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"testing"
	"time"

	"newsdigest/store/sqlite"
	"newsdigest/store/storetest"
)

// Benchmarks share one store filled with NEWSDIGEST_BENCH_ARTICLES
// (default 10,000) articles generated from the bench corpus:
//
//	go test ./store/sqlite -run '^$' -bench . -benchtime 2000x
//
// NEWSDIGEST_BENCH_DB=/some/file.db keeps the filled database for the next
// run (filling 100,000 articles takes minutes).
var bench struct {
	once    sync.Once
	dir     string
	store   *sqlite.Store
	now     time.Time
	n       int
	queries []string
}

func TestMain(m *testing.M) {
	code := m.Run()
	if bench.store != nil {
		bench.store.Close()
	}
	if bench.dir != "" {
		os.RemoveAll(bench.dir)
	}
	os.Exit(code)
}

func filled(b *testing.B) *sqlite.Store {
	b.Helper()
	docs := storetest.Corpus(b)
	bench.once.Do(func() {
		bench.n = 10_000
		if v, err := strconv.Atoi(os.Getenv("NEWSDIGEST_BENCH_ARTICLES")); err == nil && v > 0 {
			bench.n = v
		}
		path := os.Getenv("NEWSDIGEST_BENCH_DB")
		if path == "" {
			dir, err := os.MkdirTemp("", "newsdigest-bench-")
			if err != nil {
				b.Fatal(err)
			}
			bench.dir = dir
			path = filepath.Join(dir, "bench.db")
		}
		s, err := sqlite.Open(context.Background(), path)
		if err != nil {
			b.Fatal(err)
		}
		bench.now = storetest.BenchNow
		if have, err := s.RecentArticles(context.Background(), time.Time{}, 1); err != nil || len(have) == 0 {
			t0 := time.Now()
			storetest.FillFrom(b, s, storetest.Articles(docs, bench.n, bench.now))
			b.Logf("filled %d articles in %s", bench.n, time.Since(t0).Round(time.Millisecond))
		} else {
			b.Logf("reusing the filled database %s (NEWSDIGEST_BENCH_ARTICLES is ignored)", path)
		}
		bench.queries = storetest.Queries(docs)
		bench.store = s
	})
	if bench.store == nil {
		b.Fatal("the bench store could not be filled")
	}
	return bench.store
}

func BenchmarkSearch(b *testing.B) {
	s := filled(b)
	storetest.BenchSearch(b, s, bench.queries, true)
	storetest.ReportSize(b, s, bench.n)
}

func BenchmarkStories(b *testing.B) {
	s := filled(b)
	storetest.BenchStories(b, s, bench.now, true)
}

// BenchmarkWindow is the ranking pass of /trending: the window's light rows.
func BenchmarkWindow(b *testing.B) {
	s := filled(b)
	storetest.BenchWindow(b, s, bench.now, true)
}

// BenchmarkAddArticle is the store's share of ingestion: one article per op.
func BenchmarkAddArticle(b *testing.B) {
	docs := storetest.Corpus(b)
	s, err := sqlite.Open(context.Background(), filepath.Join(b.TempDir(), "add.db"))
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	arts := storetest.Generate(docs, b.N, time.Now())
	b.ResetTimer()
	storetest.Fill(b, s, arts)
}

// BenchmarkPlanning is the planner's read each second with 100,000
// subscriptions, 10 of them due: the due ones only against all of them.
func BenchmarkPlanning(b *testing.B) {
	s, err := sqlite.Open(context.Background(), filepath.Join(b.TempDir(), "subs.db"))
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	storetest.BenchPlanning(b, s, 100_000, 10)
}
