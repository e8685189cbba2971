package ingest

import (
	"context"
	"fmt"
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

// DefaultRegroupEvery is how often Run regroups the window at most, when
// articles came in since the last time.
const DefaultRegroupEvery = time.Minute

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
	now := i.Clock()
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
	i.Log.Info("ingest: stories regrouped", "moved", n)
	return n, nil
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
