package postgres_test

import (
	"context"
	"os"
	"strconv"
	"sync"
	"testing"
	"time"

	"newsdigest/internal/testenv"
	"newsdigest/store/postgres"
	"newsdigest/store/storetest"
)

// Benchmarks share one schema filled with NEWSDIGEST_BENCH_ARTICLES
// (default 10,000) generated articles, dropped when they end:
//
//	NEWSDIGEST_TEST_POSTGRES=postgres://… go test ./store/postgres -run '^$' -bench . -benchtime 400x
//
// NEWSDIGEST_BENCH_SCHEMA=name keeps the filled schema for the next run.
var bench struct {
	once    sync.Once
	store   *postgres.Store
	drop    func() error
	n       int
	queries []string
}

func TestMain(m *testing.M) {
	code := testenv.Run(m)
	if bench.store != nil {
		bench.store.Close()
		bench.drop()
	}
	os.Exit(code)
}

func filled(b *testing.B) *postgres.Store {
	b.Helper()
	base := testURL(b)
	docs := storetest.Corpus(b)
	bench.once.Do(func() {
		bench.n = 10_000
		if v, err := strconv.Atoi(os.Getenv("NEWSDIGEST_BENCH_ARTICLES")); err == nil && v > 0 {
			bench.n = v
		}
		keep := os.Getenv("NEWSDIGEST_BENCH_SCHEMA")
		var (
			s    *postgres.Store
			drop func() error
			err  error
		)
		if keep != "" {
			s, _, err = openNamedSchema(base, keep)
			drop = func() error { return nil }
		} else {
			s, drop, err = openSchema(base)
		}
		if err != nil {
			b.Fatal(err)
		}
		bench.store, bench.drop = s, drop
		if have, err := s.RecentArticles(context.Background(), time.Time{}, 1); err != nil || len(have) == 0 {
			t0 := time.Now()
			storetest.FillFrom(b, s, storetest.Articles(docs, bench.n, storetest.BenchNow))
			b.Logf("filled %d articles in %s", bench.n, time.Since(t0).Round(time.Millisecond))
		} else {
			b.Logf("reusing the filled schema %s (NEWSDIGEST_BENCH_ARTICLES is ignored)", keep)
		}
		bench.queries = storetest.Queries(docs)
	})
	if bench.queries == nil {
		b.Fatal("the bench store could not be filled")
	}
	return bench.store
}

func BenchmarkSearch(b *testing.B) {
	s := filled(b)
	storetest.BenchSearch(b, s, bench.queries, false)
	storetest.ReportSize(b, s, bench.n)
}

func BenchmarkStories(b *testing.B) {
	s := filled(b)
	storetest.BenchStories(b, s, storetest.BenchNow, false)
}

// BenchmarkWindow is the ranking pass of /trending: the window's light rows.
func BenchmarkWindow(b *testing.B) {
	s := filled(b)
	storetest.BenchWindow(b, s, storetest.BenchNow, false)
}

// BenchmarkPlanning is the planner's read each second with 100,000
// subscriptions, 10 of them due: the due ones only against all of them.
func BenchmarkPlanning(b *testing.B) {
	s, drop, err := openSchema(testURL(b))
	if err != nil {
		b.Fatal(err)
	}
	defer drop()
	defer s.Close()
	storetest.BenchPlanning(b, s, 100_000, 10)
}
