package ingest

import (
	"context"
	"slices"
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
		unread := i.unread(ctx, sources)
		due := sources[:0:0]
		mu.Lock()
		for _, src := range sources {
			if !running[src.ID] && !unread[src.ID] && !nextDue(src).After(now) {
				due = append(due, src)
			}
		}
		mu.Unlock()
		i.fairOrder(due)
		for _, src := range due {
			mu.Lock()
			running[src.ID] = true
			mu.Unlock()
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

// unread are the sources added from a chat that no active channel reads
// any more: they are not fetched (their articles age out as usual). The
// operator's catalogue is always read.
func (i *Ingester) unread(ctx context.Context, sources []digest.Source) map[int64]bool {
	rs, ok := i.Store.(interface {
		SourceReaders(ctx context.Context) (map[int64]int, error)
	})
	if !ok {
		return nil
	}
	var readers map[int64]int
	out := map[int64]bool{}
	for _, src := range sources {
		if src.InCatalogue() {
			continue
		}
		if readers == nil {
			var err error
			if readers, err = rs.SourceReaders(ctx); err != nil {
				i.Log.Error("ingest: counting the readers of chat sources failed; fetching them all", "err", err)
				return nil
			}
		}
		if readers[src.ID] == 0 {
			out[src.ID] = true
		}
	}
	return out
}

// fairOrder sorts the due sources so that none waits behind a slow one:
// those whose last pass ran into its deadline go last, the rest longest
// due first.
func (i *Ingester) fairOrder(due []digest.Source) {
	slow := func(id int64) bool {
		_, ok := i.slow.Load(id)
		return ok
	}
	slices.SortStableFunc(due, func(a, b digest.Source) int {
		if sa, sb := slow(a.ID), slow(b.ID); sa != sb {
			if sa {
				return 1
			}
			return -1
		}
		return nextDue(a).Compare(nextDue(b))
	})
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
