// Package ingest turns sources (feeds and listing pages) into articles in
// the store: it fetches politely through package fetch, reads full text
// from the feed or the article page, recognises items it has seen (by item
// identity, canonical URL, content hash and near-duplicate SimHash) and
// groups the same story told by several sources.
package ingest

import (
	"context"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"newsdigest/digest"
	"newsdigest/digest/fingerprint"
	"newsdigest/fetch"
)

// Store is what ingestion needs of the store; digest.Store satisfies it.
type Store interface {
	Known(ctx context.Context, k digest.ItemKeys) (bool, error)
	AddArticle(ctx context.Context, a digest.StoredArticle) (digest.StoredArticle, error)
	Article(ctx context.Context, id int64) (digest.StoredArticle, error)
	Fingerprints(ctx context.Context, since time.Time) ([]digest.Fingerprint, error)
	Sources(ctx context.Context) ([]digest.Source, error)
	SaveFetchState(ctx context.Context, sourceID int64, st digest.FetchState) error
	NewStory(ctx context.Context, t time.Time) (int64, error)
	MoveArticles(ctx context.Context, moves []digest.StoryMove) (int, error)
	RecentArticles(ctx context.Context, since time.Time, limit int) ([]digest.StoredArticle, error)
	WindowArticles(ctx context.Context, from, to time.Time, includeBacklog bool) ([]digest.ArticleRef, error)
}

var _ Store = digest.Store(nil)

// Doc is an article as the story grouper sees it. It has the fields of
// story.Doc in the same order, so a story.Doc converts: story.Doc(d).
type Doc struct {
	ID        string
	Title     string
	Text      string
	Source    string
	URL       string
	Published time.Time
	Language  string
}

// StoryMatcher finds the story an article belongs to (digest/story's
// Grouper, through a small adapter).
type StoryMatcher interface {
	// Match returns the story of the closest recent article, if close enough.
	Match(d Doc) (storyID int64, ok bool)
	// Add remembers a stored article as a member of storyID.
	Add(d Doc, storyID int64)
}

// MatcherFuncs makes a StoryMatcher of two functions, e.g. for
// digest/story's Grouper g:
//
//	ingest.MatcherFuncs{
//		MatchFunc: func(d ingest.Doc) (int64, bool) { return g.Match(story.Doc(d)) },
//		AddFunc:   func(d ingest.Doc, id int64) { g.Add(story.Doc(d), id) },
//	}
//
// The Ingester calls them one at a time.
type MatcherFuncs struct {
	MatchFunc func(Doc) (int64, bool)
	AddFunc   func(Doc, int64)
}

func (m MatcherFuncs) Match(d Doc) (int64, bool) { return m.MatchFunc(d) }
func (m MatcherFuncs) Add(d Doc, id int64)       { m.AddFunc(d, id) }

// Ingester fetches sources into the store. Set the fields, then call Run
// or FetchSource; zero tuning fields take the defaults shown.
type Ingester struct {
	Store   Store
	Fetcher *fetch.Fetcher
	// Extract finds the article in a fetched page (digest/extract); the
	// second argument is the source's BodySelector.
	Extract func(p digest.Page, bodySelector string) (digest.Article, error)
	// Summarize returns the summary lines of a body (digest/summary); nil
	// stores no summary.
	Summarize func(body string) []string
	// SummarizeIn, when set, is used instead of Summarize with the
	// article's language code (digest/summary.SummarizeIn).
	SummarizeIn func(body, language string) []string
	// Group, if set, puts articles that are not near-duplicates into
	// existing stories by topic. If it is also a StorySettler, Run
	// regroups its window every RegroupEvery while articles come in.
	Group StoryMatcher
	Log   *slog.Logger     // slog.Default()
	Clock func() time.Time // time.Now

	Workers       int           // 8: sources fetched at once by Run
	PageWorkers   int           // 4: article pages of one source fetched at once (the host's per_host limit applies too)
	PassTimeout   time.Duration // 5m: the longest one pass over a source may take; items left are read next time
	FullTextWords int           // 150: feed text this long is the body; shorter is a teaser
	MinBodyWords  int           // 25: a body shorter than this is no article (login wall, stub)
	MaxItems      int           // 100: items read per pass, the newest
	NearDistance  int           // fingerprint.NearDuplicate: SimHash distance of a copy
	NearWindow    time.Duration // 72h: how far back near-duplicates are looked for
	MaxBackoff    time.Duration // 6h: the longest wait after repeated failures
	Tick          time.Duration // 5s: how often Run looks for sources due
	RegroupEvery  time.Duration // DefaultRegroupEvery: how often Run regroups stories at most
	// GroupedSince, when Group is a StorySyncer, is when the articles the
	// caller gave the grouper end (it warmed it from the store): the first
	// regrouping reads the store's articles from then on. Zero: the whole
	// NearWindow.
	GroupedSince time.Time

	// Lock, if set, is asked before each pass over a source and the pass
	// is skipped when it says no: with several instances sharing one
	// database, each source is fetched by one instance at a time. release
	// is called when the pass ends.
	Lock func(ctx context.Context, source string) (release func(), ok bool)

	initOnce sync.Once
	addMu    sync.Mutex  // serialises dedupe-and-store so two sources cannot both add one story
	added    atomic.Bool // articles were added since the last regrouping
	synced   time.Time   // the last sync with the store (under addMu)
	rates    weekly      // sources' recent articles, for adaptive polling
	retries  retryBook   // items whose page failed, and when to ask again
	near     nearIndex
	slow     sync.Map // source IDs whose last pass reached PassTimeout
}

// DefaultPassTimeout bounds one pass over a source: a source whose pages
// hang holds a worker this long at most, not items × the fetch timeout.
const DefaultPassTimeout = 5 * time.Minute

// Source intervals.
const (
	DefaultInterval = 15 * time.Minute
	MinInterval     = time.Minute
)

func (i *Ingester) init() {
	i.initOnce.Do(func() {
		if i.Log == nil {
			i.Log = slog.Default()
		}
		if i.Clock == nil {
			i.Clock = time.Now
		}
		if i.Workers <= 0 {
			i.Workers = 8
		}
		if i.PageWorkers <= 0 {
			i.PageWorkers = 4
		}
		if i.PassTimeout <= 0 {
			i.PassTimeout = DefaultPassTimeout
		}
		if i.FullTextWords <= 0 {
			i.FullTextWords = 150
		}
		if i.MinBodyWords <= 0 {
			i.MinBodyWords = 25
		}
		if i.MaxItems <= 0 {
			i.MaxItems = 100
		}
		if i.NearDistance <= 0 {
			i.NearDistance = fingerprint.NearDuplicate
		}
		if i.NearWindow <= 0 {
			i.NearWindow = 72 * time.Hour
		}
		if i.MaxBackoff <= 0 {
			i.MaxBackoff = 6 * time.Hour
		}
		if i.Tick <= 0 {
			i.Tick = 5 * time.Second
		}
		if i.RegroupEvery <= 0 {
			i.RegroupEvery = DefaultRegroupEvery
		}
	})
}

// Interval is a source's refresh interval after the default and minimum.
func Interval(s digest.Source) time.Duration {
	switch {
	case s.Interval <= 0:
		return DefaultInterval
	case s.Interval < MinInterval:
		return MinInterval
	}
	return s.Interval
}

// Result counts what one pass over a source did.
type Result struct {
	Source      string `json:"source"`
	URL         string `json:"url"`
	NotModified bool   `json:"not_modified,omitempty"`
	Backlog     bool   `json:"backlog,omitempty"` // first fetch: stored, not for delivery
	Items       int    `json:"items"`             // items or links found
	New         int    `json:"new"`               // articles stored (including Grouped)
	Grouped     int    `json:"grouped"`           // of New: near-copies joined to another source's story
	Known       int    `json:"known"`             // seen before (item key, URL or content hash)
	Updated     int    `json:"updated"`           // near-copies of this source's own article (re-headlined), skipped
	Filtered    int    `json:"filtered"`          // dropped by include/exclude keywords
	Failed      int    `json:"failed"`            // pages that could not be fetched or held no article
	Skipped     int    `json:"skipped"`           // items whose page failed or was filtered out recently, not asked for again yet
	CutShort    int    `json:"cut_short"`         // items left unread when the pass reached PassTimeout, read next time
}
