package digest

import (
	"context"
	"fmt"
	"time"
)

// StoredArticle is an article as the store keeps it.
type StoredArticle struct {
	ID       int64  `json:"id"`
	SourceID int64  `json:"source_id"`
	Source   string `json:"source"` // the source's name, filled on reads
	// URL is the canonical URL (see the canonicalisation in ingest), the
	// key that deduplicates.
	URL string `json:"url"`
	// Link is the address as the site publishes it (its declared canonical
	// or the final URL), which cards link to; "" means URL.
	Link string `json:"link,omitempty"`
	// ItemKey is the feed item's identity (guid, else link, else title+date).
	ItemKey string `json:"item_key,omitempty"`
	// Fingerprint is a 64-bit SimHash of the body's shingles.
	Fingerprint uint64 `json:"fingerprint"`
	// ContentHash is a 64-bit-or-larger exact hash of the normalised body (hex).
	ContentHash string   `json:"content_hash,omitempty"`
	Headline    string   `json:"headline"`
	Dateline    Dateline `json:"dateline"`
	Body        string   `json:"body,omitempty"`
	Summary     []string `json:"summary,omitempty"`
	Language    string   `json:"language,omitempty"`
	// Image is the lead picture's URL (absolute, https), or "".
	Image     string    `json:"image,omitempty"`
	Published time.Time `json:"published,omitzero"` // zero when the page gave none
	FirstSeen time.Time `json:"first_seen"`
	StoryID   int64     `json:"story_id"`
	// Backlog is true for items recorded on a source's first fetch: they are
	// searchable but never delivered in a digest.
	Backlog bool `json:"backlog,omitempty"`
}

// Time is the article's date for ranking: published, else first seen.
func (a StoredArticle) Time() time.Time {
	if !a.Published.IsZero() && a.Published.Before(a.FirstSeen.Add(time.Hour)) {
		return a.Published
	}
	return a.FirstSeen
}

// LinkURL is the address a card links to.
func (a StoredArticle) LinkURL() string {
	if a.Link != "" {
		return a.Link
	}
	return a.URL
}

// Card renders the stored article as a card.
func (a StoredArticle) Card() Card {
	return Card{
		Headline: a.Headline,
		Dateline: a.Dateline,
		Summary:  a.Summary,
		Source:   a.Source,
		URL:      a.LinkURL(),
		StoryID:  a.StoryID,
		Time:     a.Time(),
		Language: a.Language,
		Image:    a.Image,
	}
}

// Story is one event as told by one or more articles.
type Story struct {
	ID        int64           `json:"id"`
	Lead      StoredArticle   `json:"lead"`
	Articles  []StoredArticle `json:"articles,omitempty"` // all members, oldest first
	FirstSeen time.Time       `json:"first_seen"`
	LastSeen  time.Time       `json:"last_seen"`
}

// Sources lists the distinct source names of a story, the lead's first.
func (s Story) Sources() []string {
	seen := map[string]bool{}
	var out []string
	add := func(n string) {
		if n != "" && !seen[n] {
			seen[n] = true
			out = append(out, n)
		}
	}
	add(s.Lead.Source)
	for _, a := range s.Articles {
		add(a.Source)
	}
	return out
}

// Card renders the story as its lead's card with the other sources named.
func (s Story) Card() Card {
	c := s.Lead.Card()
	c.StoryID = s.ID
	if srcs := s.Sources(); len(srcs) > 1 {
		c.Sources = srcs[1:]
	}
	return c
}

// Reads says which sources a channel reads: its own list, or the
// operator's catalogue, which is every source but those added from chats.
// A nil *Reads reads every source (no source was added from a chat).
type Reads struct {
	own  map[int64]bool // the channel's own list, when it has one
	chat map[int64]bool // sources added from chats, outside the catalogue
	key  string
}

// Has reports whether the channel reads the source. Articles whose source
// was deleted (ID 0) belong to the catalogue.
func (r *Reads) Has(sourceID int64) bool {
	switch {
	case r == nil:
		return true
	case r.own != nil:
		return r.own[sourceID]
	default:
		return !r.chat[sourceID]
	}
}

// Key names the selection for caches: "" for every source, "catalogue",
// or "subscription <id>" for an own list.
func (r *Reads) Key() string {
	if r == nil {
		return ""
	}
	return r.key
}

// ChannelSources is what a subscription reads (see Reads); nil when that
// is every source.
func ChannelSources(ctx context.Context, st Store, sub Subscription) (*Reads, error) {
	if sub.OwnSources {
		list, err := st.SubscriptionSources(ctx, sub.ID)
		if err != nil {
			return nil, err
		}
		r := &Reads{own: make(map[int64]bool, len(list)), key: fmt.Sprintf("subscription %d", sub.ID)}
		for _, s := range list {
			r.own[s.ID] = true
		}
		return r, nil
	}
	return CatalogueReads(ctx, st)
}

// CatalogueReads is what a channel on the catalogue reads: every source
// but those added from chats; nil when there are none.
func CatalogueReads(ctx context.Context, st Store) (*Reads, error) {
	all, err := st.Sources(ctx)
	if err != nil {
		return nil, err
	}
	var chat map[int64]bool
	for _, s := range all {
		if !s.InCatalogue() {
			if chat == nil {
				chat = map[int64]bool{}
			}
			chat[s.ID] = true
		}
	}
	if chat == nil {
		return nil, nil
	}
	return &Reads{chat: chat, key: "catalogue"}, nil
}

// OnlySources keeps of each story the articles of the sources r reads,
// the lead if it is one of them (else the earliest of them), and drops the
// stories none of them told.
func OnlySources(stories []Story, r *Reads) []Story {
	if r == nil {
		return stories
	}
	var out []Story
	for _, st := range stories {
		var arts []StoredArticle
		for _, a := range st.Articles {
			if r.Has(a.SourceID) {
				arts = append(arts, a)
			}
		}
		if len(arts) == 0 {
			if !r.Has(st.Lead.SourceID) {
				continue
			}
			arts = []StoredArticle{st.Lead}
		}
		lead := arts[0]
		if r.Has(st.Lead.SourceID) {
			lead = st.Lead
		}
		first := arts[0].FirstSeen
		for _, a := range arts {
			if a.FirstSeen.Before(first) {
				first = a.FirstSeen
			}
		}
		out = append(out, Story{ID: st.ID, Lead: lead, Articles: arts, FirstSeen: first, LastSeen: st.LastSeen})
	}
	return out
}
