package ingest

import (
	"context"
	"sync"
	"time"

	"newsdigest/digest"
)

// Run fetches every source of the store when it is due (its NextFetch, or
// its interval after the last fetch), with at most Workers sources at once,
// until ctx ends. Sources added to the store while running are picked up on
// the next tick. Each source's failures stay its own. Every RegroupEvery
// at most, when articles came in, it regroups the stories (Regroup). It
// returns ctx's error.
func (i *Ingester) Run(ctx context.Context) error {
	i.init()
	jobs := make(chan digest.Source)
	var mu sync.Mutex
	running := map[int64]bool{}
	// finished sources leave running only at the next tick, before the
	// sources are read again: a list read while a pass was saving its
	// state would otherwise find the source due and fetch it twice.
	var finished []int64
	var wg sync.WaitGroup
	for range i.Workers {
		wg.Go(func() {
			for src := range jobs {
				i.lockedPass(ctx, src)
				mu.Lock()
				finished = append(finished, src.ID)
				mu.Unlock()
			}
		})
	}
	defer func() {
		close(jobs)
		wg.Wait()
	}()
	ticker := time.NewTicker(i.Tick)
	defer ticker.Stop()
	var nextRegroup time.Time
	for {
		if now := i.Clock(); !now.Before(nextRegroup) && i.added.Swap(false) {
			start := time.Now()
			if _, err := i.Regroup(ctx); err != nil && ctx.Err() == nil {
				i.added.Store(true) // try again next time
				i.Log.Error("ingest: regrouping stories failed", "err", err)
			}
			nextRegroup = regroupAfter(now, time.Since(start), i.RegroupEvery)
		}
		mu.Lock()
		for _, id := range finished {
			delete(running, id)
		}
		finished = finished[:0]
		mu.Unlock()
		sources, err := i.Store.Sources(ctx)
		if err != nil && ctx.Err() == nil {
			i.Log.Error("ingest: listing sources failed", "err", err)
		}
		now := i.Clock()
		for _, src := range sources {
			mu.Lock()
			busy := running[src.ID]
			if !busy && !nextDue(src).After(now) {
				running[src.ID] = true
			} else {
				busy = true
			}
			mu.Unlock()
			if busy {
				continue
			}
			select {
			case jobs <- src:
			case <-ctx.Done():
				return ctx.Err()
			}
		}
		select {
		case <-ticker.C:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}

// lockedPass runs one pass over src when this instance gets its lock.
func (i *Ingester) lockedPass(ctx context.Context, src digest.Source) {
	if i.Lock != nil {
		release, ok := i.Lock(ctx, src.Name)
		if !ok {
			i.Log.Debug("ingest: another instance is fetching this source", "source", src.Name)
			return
		}
		defer release()
	}
	_, _ = i.FetchSource(ctx, src) // logged and recorded inside
}
