package digest

import (
	"errors"
	"fmt"
	"time"
)

// Page is one scraped page as it came from a file or the network.
type Page struct {
	// URL is the address the page came from (the final one after redirects);
	// it may be empty for a local file given without --url.
	URL string
	// ContentType is the HTTP Content-Type header, if any; it carries the charset.
	ContentType string
	// Body is the raw bytes: HTML in any charset, or a plain-text dump of a page.
	Body []byte
	// Name says where the page came from (a file path or URL) for error messages.
	Name string
}

// Dateline says where and when an article was filed, and by whom.
type Dateline struct {
	// Place is the city the page names as the dateline ("Riyadh"), or "".
	Place string `json:"place,omitempty"`
	// Published is the publication time in the zone the page stated
	// (time.Time carries the offset); zero when unknown.
	Published time.Time `json:"published,omitzero"`
	// HasTime is false when the page gave only a date.
	HasTime bool `json:"has_time,omitempty"`
	// Zone is the zone label as the page wrote it ("IST", "GMT", "+05:30"), or "".
	Zone string `json:"zone,omitempty"`
	// Desk is the desk or agency ("Devdiscourse News Desk", "Reuters"), or "".
	Desk string `json:"desk,omitempty"`
	// Author is the byline, or "".
	Author string `json:"author,omitempty"`
}

// IsZero reports whether the dateline holds nothing.
func (d Dateline) IsZero() bool {
	return d.Place == "" && d.Published.IsZero() && d.Desk == "" && d.Author == ""
}

// String renders the dateline the way cards show it:
// "Riyadh, 19 Feb 2025 03:06 IST · Devdiscourse News Desk".
func (d Dateline) String() string {
	s := d.Place
	if !d.Published.IsZero() {
		when := d.Published.Format("2 Jan 2006")
		if d.HasTime {
			when += " " + d.Published.Format("15:04")
			if d.Zone != "" {
				when += " " + d.Zone
			} else {
				when += " " + d.Published.Format("MST")
			}
		}
		if s != "" {
			s += ", "
		}
		s += when
	}
	who := d.Desk
	if d.Author != "" {
		if who != "" {
			who = d.Author + ", " + who
		} else {
			who = d.Author
		}
	}
	if who != "" {
		if s != "" {
			s += " · "
		}
		s += who
	}
	return s
}

// Article is what the extractor finds in a page.
type Article struct {
	URL      string   `json:"url,omitempty"`
	Site     string   `json:"site,omitempty"` // the site's name ("Devdiscourse") or host
	Headline string   `json:"headline"`
	Dateline Dateline `json:"dateline"`
	// Body is the article text only: paragraphs separated by a blank line.
	Body     string `json:"body"`
	Language string `json:"language,omitempty"`
	// Image is the article's lead picture (absolute, https), or "". The
	// bot never downloads it: platforms show it from its URL.
	Image string `json:"image,omitempty"`
}

// MaxSummaryLines and MaxLineLength bound a card's summary.
const (
	MaxSummaryLines = 3
	MaxLineLength   = 200
)

// Card is the short form of an article that the bot posts.
type Card struct {
	Headline string   `json:"headline"`
	Dateline Dateline `json:"dateline"`
	// Summary holds at most three sentences from the body, each at most
	// MaxLineLength characters (runes), in article order.
	Summary []string `json:"summary"`
	Source  string   `json:"source"`
	URL     string   `json:"url,omitempty"`
	// Sources names the other outlets that covered the same story, if any.
	Sources []string `json:"sources,omitempty"`
	// StoryID is the story the card leads, when it came from the store.
	StoryID int64 `json:"story_id,omitempty"`
	// Time is when the story was published, or first seen when undated.
	Time time.Time `json:"time,omitzero"`
	// Image is the article's lead picture (absolute, https), or "".
	Image string `json:"image,omitempty"`
	// Language is the language the card's article is in; Locale the
	// language of the words the bot adds to it ("also covered by"),
	// the chat's.
	Language string `json:"language,omitempty"`
	Locale   string `json:"locale,omitempty"`
}

// ErrNoArticle is matched by every NoArticleError.
var ErrNoArticle = errors.New("no article found")

// NoArticleError says that an input holds no article (a listing page, an
// error page, an empty or binary file) and why.
type NoArticleError struct {
	Input  string // file path or URL
	Reason string // "empty input", "binary data", "listing page", …
}

func (e *NoArticleError) Error() string {
	if e.Reason == "" {
		return fmt.Sprintf("no article found in %s", e.Input)
	}
	return fmt.Sprintf("no article found in %s: %s", e.Input, e.Reason)
}

// Is makes errors.Is(err, ErrNoArticle) true.
func (e *NoArticleError) Is(target error) bool { return target == ErrNoArticle }
