package digest

import (
	"context"
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

// OnlySources keeps of each story the articles of these sources, the
// earliest of them as its lead, and drops the stories none of them told.
func OnlySources(stories []Story, sources []Source) []Story {
	keep := make(map[int64]bool, len(sources))
	for _, s := range sources {
		keep[s.ID] = true
	}
	var out []Story
	for _, st := range stories {
		var arts []StoredArticle
		for _, a := range st.Articles {
			if keep[a.SourceID] {
				arts = append(arts, a)
			}
		}
		if len(arts) == 0 {
			if !keep[st.Lead.SourceID] {
				continue
			}
			arts = []StoredArticle{st.Lead}
		}
		lead := arts[0]
		if keep[st.Lead.SourceID] {
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

// ChannelSources is what a subscription reads: its own list when it has
// one, else the operator's catalogue; nil when that is every source (no
// source was added from a chat), so nothing needs filtering. A source
// with ID 0 stands for articles whose source was deleted from the config:
// the catalogue keeps them.
func ChannelSources(ctx context.Context, st Store, sub Subscription) ([]Source, error) {
	if sub.OwnSources {
		list, err := st.SubscriptionSources(ctx, sub.ID)
		if list == nil {
			list = []Source{}
		}
		return list, err
	}
	all, err := st.Sources(ctx)
	if err != nil {
		return nil, err
	}
	catalogue := []Source{{ID: 0}}
	chat := false
	for _, s := range all {
		if s.InCatalogue() {
			catalogue = append(catalogue, s)
		} else {
			chat = true
		}
	}
	if !chat {
		return nil, nil
	}
	return catalogue, nil
}
