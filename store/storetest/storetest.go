// Package storetest is the one test suite every digest.Store backend runs,
// so that SQLite and PostgreSQL keep the same contract.
package storetest

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"newsdigest/digest"
)

// base is the time test articles are first seen around.
var base = time.Date(2026, 3, 1, 8, 0, 0, 0, time.UTC)

// Run runs the whole suite; open returns a fresh, empty store (closed by the
// suite).
func Run(t *testing.T, open func(t *testing.T) digest.Store) {
	fresh := func(t *testing.T) digest.Store {
		t.Helper()
		s := open(t)
		t.Cleanup(func() { s.Close() })
		return s
	}
	t.Run("Sources", func(t *testing.T) { testSources(t, fresh(t)) })
	t.Run("ArticleRoundTrip", func(t *testing.T) { testArticleRoundTrip(t, fresh(t)) })
	t.Run("Dedupe", func(t *testing.T) { testDedupe(t, fresh(t)) })
	t.Run("RecentAndFingerprints", func(t *testing.T) { testRecent(t, fresh(t)) })
	t.Run("Stories", func(t *testing.T) { testStories(t, fresh(t)) })
	t.Run("Window", func(t *testing.T) { testWindow(t, fresh(t)) })
	t.Run("WindowGenerated", func(t *testing.T) { testWindowGenerated(t, fresh(t)) })
	t.Run("Prune", func(t *testing.T) { testPrune(t, fresh(t)) })
	t.Run("MoveArticles", func(t *testing.T) { testMoveArticles(t, fresh(t)) })
	t.Run("Search", func(t *testing.T) { testSearch(t, fresh(t)) })
	t.Run("SearchHostile", func(t *testing.T) { testSearchHostile(t, fresh(t)) })
	t.Run("SearchLanguages", func(t *testing.T) { testSearchLanguages(t, fresh(t)) })
	t.Run("SubscriptionLanguages", func(t *testing.T) { testSubscriptionLanguages(t, fresh(t)) })
	t.Run("Subscriptions", func(t *testing.T) { testSubscriptions(t, fresh(t)) })
	t.Run("ChannelSources", func(t *testing.T) { testChannelSources(t, fresh(t)) })
	t.Run("DueSubscriptions", func(t *testing.T) { testDueSubscriptions(t, fresh(t)) })
	t.Run("MoveChat", func(t *testing.T) { testMoveChat(t, fresh(t)) })
	t.Run("PlanDigest", func(t *testing.T) { testPlanDigest(t, fresh(t)) })
	t.Run("Claim", func(t *testing.T) { testClaim(t, fresh(t)) })
	t.Run("Leases", func(t *testing.T) { testLeases(t, fresh(t)) })
	t.Run("FirstSeen", func(t *testing.T) { testFirstSeen(t, fresh(t)) })
	t.Run("Concurrency", func(t *testing.T) { testConcurrency(t, fresh(t)) })
	t.Run("ConcurrentClaims", func(t *testing.T) { testConcurrentClaims(t, fresh(t)) })
	t.Run("ConcurrentLocks", func(t *testing.T) { testConcurrentLocks(t, fresh(t)) })
	t.Run("Ping", func(t *testing.T) {
		if err := fresh(t).Ping(context.Background()); err != nil {
			t.Fatalf("Ping: %v", err)
		}
	})
}

// article builds a distinct article n first seen at base+offset.
func article(n int, offset time.Duration, headline, body string) digest.StoredArticle {
	return digest.StoredArticle{
		URL:         fmt.Sprintf("https://example.com/news/%d", n),
		ItemKey:     fmt.Sprintf("item-%d", n),
		ContentHash: fmt.Sprintf("%016x", n*7919+1),
		Fingerprint: uint64(n) * 0x9E3779B97F4A7C15,
		Headline:    headline,
		Body:        body,
		Summary:     []string{body},
		Language:    "en",
		FirstSeen:   base.Add(offset),
	}
}

func mustAdd(t *testing.T, s digest.Store, a digest.StoredArticle) digest.StoredArticle {
	t.Helper()
	got, err := s.AddArticle(context.Background(), a)
	if err != nil {
		t.Fatalf("AddArticle(%s): %v", a.URL, err)
	}
	if got.ID == 0 || got.StoryID == 0 {
		t.Fatalf("AddArticle(%s) = ID %d, story %d; want both set", a.URL, got.ID, got.StoryID)
	}
	return got
}

func wantErr(t *testing.T, what string, err, target error) {
	t.Helper()
	if !errors.Is(err, target) {
		t.Fatalf("%s: err = %v, want %v", what, err, target)
	}
}

func sameTime(a, b time.Time) bool { return a.Equal(b) }
