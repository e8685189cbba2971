package storetest

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"newsdigest/digest"
)

// testConcurrency adds articles from many goroutines at once, some racing
// for the same URL, while others read and search: every distinct article is
// stored once, every race has one winner, no writer fails for being busy.
func testConcurrency(t *testing.T, s digest.Store) {
	ctx := context.Background()
	const workers, each = 8, 15
	var wg sync.WaitGroup
	var mu sync.Mutex
	var errs []error
	dupWins := 0
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			for i := 0; i < each; i++ {
				a := article(w*1000+i, time.Duration(i)*time.Minute, fmt.Sprintf("Worker %d story %d", w, i), "Concurrent body text.")
				if _, err := s.AddArticle(ctx, a); err != nil {
					mu.Lock()
					errs = append(errs, err)
					mu.Unlock()
				}
				// Every worker races for the same article i.
				race := article(1_000_000+i, 0, "Race", "Race body.")
				_, err := s.AddArticle(ctx, race)
				mu.Lock()
				switch {
				case err == nil:
					dupWins++
				case !errors.Is(err, digest.ErrDuplicate):
					errs = append(errs, err)
				}
				mu.Unlock()
				if _, err := s.Search(ctx, "concurrent", 5); err != nil {
					mu.Lock()
					errs = append(errs, err)
					mu.Unlock()
				}
			}
		}(w)
	}
	wg.Wait()
	for _, err := range errs {
		t.Error(err)
	}
	if dupWins != each {
		t.Errorf("%d racing adds won, want exactly %d (one per URL)", dupWins, each)
	}
	stories, err := s.Stories(ctx, base.Add(-time.Hour), base.Add(time.Hour), true)
	if err != nil {
		t.Fatal(err)
	}
	if n := countArticles(stories); n != workers*each+each {
		t.Fatalf("stored %d articles, want %d", n, workers*each+each)
	}
}
