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

// testConcurrentClaims has three instances claim the same outbox at once:
// every part goes to exactly one of them.
func testConcurrentClaims(t *testing.T, s digest.Store) {
	ctx := context.Background()
	const subs, partsEach = 6, 4
	for i := 0; i < subs; i++ {
		sb := mustSub(t, s, sub(fmt.Sprintf("-%d", 500+i), ""))
		if err := s.PlanDigest(ctx, sb, parts(sb, base.Add(time.Duration(i)*time.Minute), partsEach)); err != nil {
			t.Fatal(err)
		}
	}
	var mu sync.Mutex
	owner := map[string]string{}
	var wg sync.WaitGroup
	for _, who := range []string{"one", "two", "three"} {
		wg.Add(1)
		go func(who string) {
			defer wg.Done()
			for {
				got, err := s.ClaimDeliveries(ctx, digest.Telegram, who, time.Hour, 3)
				if err != nil {
					t.Error(err)
					return
				}
				mu.Lock()
				fresh := 0
				for _, d := range got {
					if prev, ok := owner[d.Key]; ok && prev != who {
						t.Errorf("part %s claimed by %s and %s", d.Key, prev, who)
					}
					if _, ok := owner[d.Key]; !ok {
						fresh++
					}
					owner[d.Key] = who
				}
				mu.Unlock()
				if fresh == 0 { // only its own parts renewed: nothing left
					return
				}
				// A real instance sends them now; mark them sent.
				for _, d := range got {
					d.State = digest.Sent
					if err := s.UpdateDelivery(ctx, d); err != nil {
						t.Error(err)
					}
				}
			}
		}(who)
	}
	wg.Wait()
	if len(owner) != subs*partsEach {
		t.Fatalf("%d parts claimed, want %d", len(owner), subs*partsEach)
	}
	if pending, _ := s.PendingDeliveries(ctx, digest.Telegram); len(pending) != 0 {
		t.Fatalf("%d parts still pending", len(pending))
	}
}

// testConcurrentLocks races instances for one lease: one wins.
func testConcurrentLocks(t *testing.T, s digest.Store) {
	l, ok := s.(digest.Locker)
	if !ok {
		t.Fatalf("%T has no TryLock", s)
	}
	var wg sync.WaitGroup
	var mu sync.Mutex
	winners := 0
	for i := 0; i < 6; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			got, err := l.TryLock(context.Background(), "telegram-poller", fmt.Sprintf("instance-%d", i), time.Hour)
			if err != nil {
				t.Error(err)
			}
			if got {
				mu.Lock()
				winners++
				mu.Unlock()
			}
		}(i)
	}
	wg.Wait()
	if winners != 1 {
		t.Fatalf("%d instances hold the lease, want 1", winners)
	}
}
