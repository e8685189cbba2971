package digest

import (
	"context"
	"time"
)

// Store keeps everything the bot must not forget. Implementations:
// store/sqlite (the default) and store/postgres. Every method is safe for
// concurrent use. Errors wrap ErrNotFound or ErrDuplicate where stated.
type Store interface {
	SourceStore
	ChannelSourceStore
	ArticleStore
	SubscriptionStore
	DeliveryStore
	// Ping reports whether the store is usable (for /readyz).
	Ping(ctx context.Context) error
	Close() error
}

// SourceStore keeps sources and their fetch state.
type SourceStore interface {
	// SaveSource inserts or updates a source by Name (its settings, not its
	// State) and returns it with its ID and stored State.
	SaveSource(ctx context.Context, s Source) (Source, error)
	// Sources lists all sources by name.
	Sources(ctx context.Context) ([]Source, error)
	// SourceByName returns ErrNotFound if there is none.
	SourceByName(ctx context.Context, name string) (Source, error)
	// SaveFetchState replaces the fetch state of a source.
	SaveFetchState(ctx context.Context, sourceID int64, st FetchState) error
	// DeleteSource removes a source; its articles stay.
	DeleteSource(ctx context.Context, name string) error
}

// ChannelSourceStore keeps the sources each channel reads when it reads
// its own list (Subscription.OwnSources), and the confirmations admins
// are asked for before a source is added.
type ChannelSourceStore interface {
	// SubscriptionSources lists the sources of a subscription's own list,
	// by name.
	SubscriptionSources(ctx context.Context, subID int64) ([]Source, error)
	// SetSubscriptionSource puts a source on a subscription's list (on) or
	// takes it off; addedBy says who. Taking off one not there is no error.
	SetSubscriptionSource(ctx context.Context, subID, sourceID int64, addedBy string, on bool) error
	// SourceReaders counts, per source ID, the active subscriptions whose
	// own list holds it.
	SourceReaders(ctx context.Context) (map[int64]int, error)
	// SourceByURL returns the source with exactly this URL, or ErrNotFound.
	SourceByURL(ctx context.Context, url string) (Source, error)
	// SavePending stores an action waiting for an admin's confirmation
	// under a random token; TakePending returns and deletes it (ErrNotFound
	// when there is none, already taken or never stored).
	SavePending(ctx context.Context, p Pending) error
	TakePending(ctx context.Context, token string) (Pending, error)
}

// Pending is an action that waits for a confirmation button.
type Pending struct {
	Token string
	// Chat is "<platform>:<chat>:<thread>" of the chat it was asked in; a
	// confirmation from another chat is refused.
	Chat    string
	Payload []byte
	Created time.Time
}

// ItemKeys are the identities of one item; an item is known when any of
// them is (including tombstones of pruned articles).
type ItemKeys struct {
	URL         string // canonical URL
	ItemKey     string // per-source item identity (source ID + guid/link/title)
	ContentHash string // exact hash of the normalised body
}

// ArticleStore keeps articles, their stories and the search index.
type ArticleStore interface {
	// Known reports whether an item with any of these keys was stored before.
	Known(ctx context.Context, k ItemKeys) (bool, error)
	// AddArticle stores a new article (ID and, when StoryID is 0, a new
	// story are assigned) and returns it. It returns an error wrapping
	// ErrDuplicate if its URL, ItemKey or ContentHash is known.
	AddArticle(ctx context.Context, a StoredArticle) (StoredArticle, error)
	// Article returns one article, or ErrNotFound.
	Article(ctx context.Context, id int64) (StoredArticle, error)
	// RecentArticles returns articles first seen at or after since, oldest
	// first, at most limit (for rebuilding the story grouper on start-up).
	RecentArticles(ctx context.Context, since time.Time, limit int) ([]StoredArticle, error)
	// Fingerprints returns (article ID, story ID, SimHash) of articles first
	// seen at or after since, for near-duplicate lookups.
	Fingerprints(ctx context.Context, since time.Time) ([]Fingerprint, error)
	// Stories returns the stories with an article first seen in [from, to),
	// each with all its articles (bodies left out), newest first. With
	// includeBacklog false, articles from a source's first fetch are left out.
	Stories(ctx context.Context, from, to time.Time, includeBacklog bool) ([]Story, error)
	// WindowArticles returns a light row (ArticleRef) for each article first
	// seen in [from, to), oldest first, backlog ones only with
	// includeBacklog: what ranking a window needs, read from an index alone.
	WindowArticles(ctx context.Context, from, to time.Time, includeBacklog bool) ([]ArticleRef, error)
	// StoriesByID returns the stories with these IDs as Stories does (each
	// with all its articles, bodies left out, backlog ones only with
	// includeBacklog; newest first); unknown IDs are left out.
	StoriesByID(ctx context.Context, ids []int64, includeBacklog bool) ([]Story, error)
	// Search runs a full-text query (plain words and "quoted phrases" from a
	// user; the store escapes them) and returns the best matches, at most
	// limit, each with a score (higher is better; BM25 blended with recency
	// by the caller or the store).
	Search(ctx context.Context, q string, limit int) ([]SearchHit, error)
	// Prune drops the bodies of articles first seen before t and keeps their
	// keys as tombstones; it returns how many it pruned.
	Prune(ctx context.Context, before time.Time) (int, error)
	// NewStory starts an empty story first seen at t and returns its ID:
	// for a group of articles that regrouping split off its story.
	NewStory(ctx context.Context, t time.Time) (int64, error)
	// MoveArticles puts articles into other stories, all or none (the
	// moves of a regrouping), and returns how many it moved. A move whose
	// article is gone or no longer in From is skipped. The stories' sizes
	// and first and last seen times follow; a lead set by SetStoryLead
	// that left its story is dropped. A story left empty stays until
	// Prune, so its ID is never reused.
	MoveArticles(ctx context.Context, moves []StoryMove) (int, error)
}

// StoryMove puts one article from story From into story To.
type StoryMove struct {
	ArticleID, From, To int64
}

// Fingerprint is one article's SimHash with its story.
type Fingerprint struct {
	ArticleID int64
	StoryID   int64
	SimHash   uint64
}

// ArticleRef is the part of an article that ranking a window reads.
type ArticleRef struct {
	ID        int64
	StoryID   int64
	SourceID  int64
	Source    string // the source's name
	FirstSeen time.Time
	Backlog   bool // from a source's first fetch (listed only with includeBacklog)
}

// SearchHit is one article found by a search.
type SearchHit struct {
	Article StoredArticle
	Score   float64
}

// SubscriptionStore keeps who gets a digest, where and when.
type SubscriptionStore interface {
	// SaveSubscription inserts or updates by (Platform, ChatID, ThreadID).
	SaveSubscription(ctx context.Context, s Subscription) (Subscription, error)
	// Subscription returns one, or ErrNotFound.
	Subscription(ctx context.Context, p Platform, chatID, threadID string) (Subscription, error)
	SubscriptionByID(ctx context.Context, id int64) (Subscription, error)
	// Subscriptions lists all of one platform ("" for all).
	Subscriptions(ctx context.Context, p Platform) ([]Subscription, error)
	// DueSubscriptions returns the active subscriptions whose NextRun is
	// unset or not after now, by NextRun, and the earliest NextRun of the
	// others (zero if none): what the planner needs each second, read
	// from an index of the active ones whatever their number.
	DueSubscriptions(ctx context.Context, now time.Time) (due []Subscription, next time.Time, err error)
	// DeleteSubscription returns ErrNotFound if there was none.
	DeleteSubscription(ctx context.Context, p Platform, chatID, threadID string) error
	// MoveChat moves a subscription to a new chat ID (Telegram group to supergroup).
	MoveChat(ctx context.Context, p Platform, from, to string) error
}

// DeliveryStore is the outbox: digests planned before anything is sent.
type DeliveryStore interface {
	// PlanDigest stores the parts of one digest and, in the same
	// transaction, sets the subscription's Cutoff and NextRun. It returns an
	// error wrapping ErrDuplicate if that digest (same keys) was planned.
	PlanDigest(ctx context.Context, sub Subscription, parts []Delivery) error
	// PendingDeliveries returns parts in state Planned or Sending, of one
	// platform, ordered by scheduled time, subscription and part.
	PendingDeliveries(ctx context.Context, p Platform) ([]Delivery, error)
	// UpdateDelivery saves State, Attempts, MessageID, Error and UpdatedAt.
	UpdateDelivery(ctx context.Context, d Delivery) error
	// Deliveries returns all parts of one subscription's digests scheduled in [from, to).
	Deliveries(ctx context.Context, subID int64, from, to time.Time) ([]Delivery, error)
	// ClaimDeliveries leases up to limit pending parts of one platform to
	// owner until now+lease, skipping parts leased by others (SKIP LOCKED);
	// for several instances sharing one database.
	ClaimDeliveries(ctx context.Context, p Platform, owner string, lease time.Duration, limit int) ([]Delivery, error)
}
