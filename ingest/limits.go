package ingest

import (
	"strings"
	"unicode/utf8"

	"newsdigest/digest"
)

// Caps on what one article stores, whatever a source sends: a feed's
// 1 MiB headline or a page's megabytes of text are cut, not stored whole.
const (
	MaxHeadlineRunes = 300       // headline, cut at a word with "…"
	MaxNameRunes     = 200       // author, place, desk of the dateline
	MaxSummaryLines  = 5         // summary lines kept
	MaxSummaryRunes  = 400       // each summary line
	MaxLanguageBytes = 35        // a BCP 47 tag
	MaxBodyBytes     = 256 << 10 // article body, cut at a paragraph or word
	MaxURLBytes      = 2048      // an item whose URL is longer is refused
)

// capArticle cuts an article's fields to the caps above.
func capArticle(a *digest.StoredArticle) {
	a.Headline = cutRunes(a.Headline, MaxHeadlineRunes)
	a.Dateline.Author = cutRunes(a.Dateline.Author, MaxNameRunes)
	a.Dateline.Place = cutRunes(a.Dateline.Place, MaxNameRunes)
	a.Dateline.Desk = cutRunes(a.Dateline.Desk, MaxNameRunes)
	if len(a.Language) > MaxLanguageBytes {
		a.Language = ""
	}
	if len(a.Summary) > MaxSummaryLines {
		a.Summary = a.Summary[:MaxSummaryLines]
	}
	for k, l := range a.Summary {
		a.Summary[k] = cutRunes(l, MaxSummaryRunes)
	}
	a.Body = cutBody(a.Body, MaxBodyBytes)
}

// cutRunes cuts s to at most n runes, at a word when one ends in the last
// fifth, and marks the cut with "…" (counted in n).
func cutRunes(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	i, k := 0, 0
	for i = range s {
		if k == n-1 {
			break
		}
		k++
	}
	cut := s[:i]
	if sp := strings.LastIndexAny(cut, " \t\n"); sp > len(cut)*4/5 {
		cut = cut[:sp]
	}
	return strings.TrimRight(cut, " \t\n") + "…"
}

// cutBody cuts a body to at most n bytes, at the last paragraph break, or
// else the last space, in the final quarter; never inside a UTF-8 sequence.
func cutBody(s string, n int) string {
	if len(s) <= n {
		return s
	}
	cut := s[:n]
	for len(cut) > 0 && !utf8.RuneStart(s[len(cut)]) {
		cut = cut[:len(cut)-1]
	}
	if p := strings.LastIndex(cut, "\n\n"); p > n*3/4 {
		return cut[:p]
	}
	if p := strings.LastIndexAny(cut, " \n"); p > n*3/4 {
		return cut[:p]
	}
	return cut
}
