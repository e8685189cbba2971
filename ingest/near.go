package ingest

import (
	"context"
	"fmt"
	"slices"
	"time"

	"newsdigest/digest/fingerprint"
)

// nearIndex holds the SimHashes of recent articles for near-duplicate
// lookups: seeded once from the store, then kept up to date as articles are
// added. Guarded by Ingester.addMu.
type nearIndex struct {
	loaded  bool
	entries []nearEntry
	adds    int
}

type nearEntry struct {
	articleID, storyID, sourceID int64 // sourceID 0: not known without a lookup
	sim                          uint64
	seen                         time.Time
}

func (n *nearIndex) load(ctx context.Context, s Store, now time.Time, window time.Duration) error {
	if n.loaded {
		return nil
	}
	fps, err := s.Fingerprints(ctx, now.Add(-window))
	if err != nil {
		return fmt.Errorf("ingest: loading recent fingerprints: %w", err)
	}
	for _, fp := range fps {
		n.entries = append(n.entries, nearEntry{articleID: fp.ArticleID, storyID: fp.StoryID, sim: fp.SimHash, seen: now})
	}
	n.loaded = true
	return nil
}

// within returns the entries within maxDist, nearest first.
func (n *nearIndex) within(sim uint64, maxDist int) []nearEntry {
	var out []nearEntry
	var dist []int
	for _, e := range n.entries {
		if d := fingerprint.Distance(e.sim, sim); d <= maxDist {
			i := len(dist)
			for i > 0 && dist[i-1] > d {
				i--
			}
			out = slices.Insert(out, i, e)
			dist = slices.Insert(dist, i, d)
		}
	}
	return out
}

func (n *nearIndex) add(e nearEntry, window time.Duration) {
	n.entries = append(n.entries, e)
	n.adds++
	if n.adds%1024 == 0 {
		cut := e.seen.Add(-window)
		kept := n.entries[:0]
		for _, x := range n.entries {
			if !x.seen.Before(cut) {
				kept = append(kept, x)
			}
		}
		n.entries = kept
	}
}
