package sqlite_test

import (
	"context"
	"os"
	"testing"
	"time"

	"newsdigest/store/sqlite"
	"newsdigest/store/storetest"
)

func TestDebugQueries(t *testing.T) {
	p := os.Getenv("DEBUG_DB")
	if p == "" {
		t.Skip()
	}
	s, err := sqlite.Open(context.Background(), p)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	ctx := context.Background()
	for _, q := range storetest.Queries(storetest.Corpus(t)) {
		best := time.Hour
		var n int
		for i := 0; i < 5; i++ {
			t0 := time.Now()
			h, err := s.Search(ctx, q, 20)
			if err != nil {
				t.Fatal(err)
			}
			n = len(h)
			if d := time.Since(t0); d < best {
				best = d
			}
		}
		t.Logf("%-40q %3d hits %8.2f ms", q, n, float64(best)/1e6)
	}
}
