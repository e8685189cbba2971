package digest

import "time"

// SourceKind says how a source is read.
type SourceKind string

const (
	KindFeed SourceKind = "feed" // RSS 2.0, Atom or JSON Feed
	KindHTML SourceKind = "html" // an HTML listing page with a CSS selector for article links
)

// Source is a place the bot reads articles from.
type Source struct {
	ID       int64         `json:"id"`
	Name     string        `json:"name"`
	URL      string        `json:"url"`
	Kind     SourceKind    `json:"kind"`
	Interval time.Duration `json:"interval"` // refresh interval, minimum 1 min; 0: adapted to how often the source publishes
	Language string        `json:"language,omitempty"`
	// LinkSelector picks article links on an HTML listing page.
	LinkSelector string `json:"link_selector,omitempty"`
	// BodySelector, when set, is the CSS selector of the article body on this
	// source's pages (a per-site extraction rule).
	BodySelector string   `json:"body_selector,omitempty"`
	Include      []string `json:"include,omitempty"` // keep only items with one of these keywords
	Exclude      []string `json:"exclude,omitempty"` // drop items with any of these keywords
	// Origin is OriginConfig for the operator's catalogue (the config
	// file's sources) and OriginChat for a source an admin added from a
	// chat; AddedBy says who added it ("discord:<user>", "telegram:<user>").
	Origin  string     `json:"origin,omitempty"`
	AddedBy string     `json:"added_by,omitempty"`
	State   FetchState `json:"state"`
}

// Origins of a source.
const (
	OriginConfig = "config"
	OriginChat   = "chat"
)

// InCatalogue reports whether the source is one of the operator's.
func (s Source) InCatalogue() bool { return s.Origin != OriginChat }

// FetchState is what the fetcher remembers of a source between runs.
type FetchState struct {
	ETag         string    `json:"etag,omitempty"`
	LastModified string    `json:"last_modified,omitempty"`
	LastFetch    time.Time `json:"last_fetch,omitzero"`   // last attempt
	LastSuccess  time.Time `json:"last_success,omitzero"` // last 200 or 304
	NextFetch    time.Time `json:"next_fetch,omitzero"`   // not before this time (backoff, Retry-After)
	Failures     int       `json:"failures,omitempty"`    // consecutive failures
	LastError    string    `json:"last_error,omitempty"`
	// Primed is true once the first fetch recorded the back catalogue as seen.
	Primed  bool  `json:"primed,omitempty"`
	Fetched int64 `json:"fetched,omitempty"` // articles stored, in total
	Failed  int64 `json:"failed,omitempty"`  // fetches or extractions failed, in total
}
