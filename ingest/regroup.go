package ingest

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"newsdigest/digest"
)

// StorySettler is a StoryMatcher that can also regroup its whole window
// (digest/story's Grouper: Settle and Apply, through a small adapter).
type StorySettler interface {
	// Settle returns the moves that would regroup the window, without
	// making them; newStory gives an ID for a group that needs one.
	Settle(newStory func() (int64, error)) ([]digest.StoryMove, error)
	// Apply makes moves the store has taken.
	Apply(moves []digest.StoryMove)
}

// StorySyncer is a StorySettler that can catch up with the store before
// regrouping: several bot instances share one store, each fetching some of
// the sources with a grouper of its own.
type StorySyncer interface {
	StoryMatcher
	StorySettler
	// Has reports whether the grouper holds the article.
	Has(articleID int64) bool
	// Relabel sets the stories of the articles it holds to the store's.
	Relabel(stories map[int64]int64)
}

// DefaultRegroupEvery is how often Run regroups the window at most, when
// articles came in since the last time.
const DefaultRegroupEvery = time.Minute

// regroupShare bounds the time regrouping may take: the next one waits at
// least this many times as long as the last one took.
const regroupShare = 30

// regroupAfter is when the next regrouping may run, after one that
// started at start and took took: every RegroupEvery, or less often when
// regroupings are slow (a large, dense window on a slow machine), so they
// never take more than a thirtieth of the time.
func regroupAfter(start time.Time, took, every time.Duration) time.Time {
	return start.Add(max(every, took*regroupShare))
}

// syncOverlap is how far before the last sync the next one looks for
// articles other instances stored: their clocks and commits may lag.
const syncOverlap = 5 * time.Minute

// Regroup settles the grouper's window (when Group is a StorySettler) and
// stores the moves: online matching commits each article as it comes, and
// a fuller view fixes its early mistakes (see digest/story's Settle). The
// store takes the moves first, all or none; the grouper follows only when
// it did, so the two never disagree. It returns how many articles moved.
func (i *Ingester) Regroup(ctx context.Context) (int, error) {
	i.init()
	s, ok := i.Group.(StorySettler)
	if !ok {
		return 0, nil
	}
	i.addMu.Lock()
	defer i.addMu.Unlock()
	now, start := i.Clock(), time.Now()
	if sy, ok := s.(StorySyncer); ok {
		if err := i.syncGroup(ctx, sy, now); err != nil {
			return 0, fmt.Errorf("ingest: regrouping stories: %w", err)
		}
	}
	moves, err := s.Settle(func() (int64, error) { return i.Store.NewStory(ctx, now) })
	if err != nil {
		return 0, fmt.Errorf("ingest: regrouping stories: %w", err)
	}
	if len(moves) == 0 {
		return 0, nil
	}
	n, err := i.Store.MoveArticles(ctx, moves)
	if err != nil {
		return 0, fmt.Errorf("ingest: regrouping stories: %w", err)
	}
	s.Apply(moves)
	i.near.move(moves)
	i.Log.Info("ingest: stories regrouped", "moved", n, "took", time.Since(start).Round(time.Millisecond))
	return n, nil
}

// syncGroup brings the grouper and the near-duplicate index up to the
// store: the articles other instances stored since the last sync (since
// GroupedSince the first time), and every window article's story as the
// store has it (another instance may have regrouped).
func (i *Ingester) syncGroup(ctx context.Context, sy StorySyncer, now time.Time) error {
	since := i.synced
	if since.IsZero() {
		since = i.GroupedSince
	}
	if since.IsZero() {
		since = now.Add(-i.NearWindow)
	}
	if err := i.near.load(ctx, i.Store, now, i.NearWindow); err != nil {
		return err
	}
	arts, err := i.Store.RecentArticles(ctx, since.Add(-syncOverlap), 0)
	if err != nil {
		return fmt.Errorf("articles since %s: %w", since.Format(time.RFC3339), err)
	}
	known := i.near.ids()
	for _, a := range arts {
		if !known[a.ID] {
			i.near.add(nearEntry{articleID: a.ID, storyID: a.StoryID, sourceID: a.SourceID, sim: a.Fingerprint, seen: a.FirstSeen}, i.NearWindow)
		}
		if !sy.Has(a.ID) {
			sy.Add(Doc{ID: strconv.FormatInt(a.ID, 10), Title: a.Headline, Text: a.Body, Source: a.Source, URL: a.URL, Published: a.Published}, a.StoryID)
		}
	}
	fps, err := i.Store.Fingerprints(ctx, now.Add(-i.NearWindow))
	if err != nil {
		return fmt.Errorf("stories of the window: %w", err)
	}
	stories := make(map[int64]int64, len(fps))
	for _, fp := range fps {
		stories[fp.ArticleID] = fp.StoryID
	}
	sy.Relabel(stories)
	i.near.relabel(stories)
	i.synced = now
	return nil
}

// ids is the set of article IDs in the index.
func (n *nearIndex) ids() map[int64]bool {
	out := make(map[int64]bool, len(n.entries))
	for _, e := range n.entries {
		out[e.articleID] = true
	}
	return out
}

// relabel sets the entries' stories to the store's.
func (n *nearIndex) relabel(stories map[int64]int64) {
	for k, e := range n.entries {
		if s, ok := stories[e.articleID]; ok {
			n.entries[k].storyID = s
		}
	}
}

// move follows a regrouping in the near-duplicate index, so a copy that
// comes later joins its original's new story.
func (n *nearIndex) move(moves []digest.StoryMove) {
	to := make(map[int64]digest.StoryMove, len(moves))
	for _, m := range moves {
		to[m.ArticleID] = m
	}
	for k, e := range n.entries {
		if m, ok := to[e.articleID]; ok && e.storyID == m.From {
			n.entries[k].storyID = m.To
		}
	}
}
