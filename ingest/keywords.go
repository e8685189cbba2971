package ingest

import (
	"strings"

	"newsdigest/digest/fingerprint"
)

// keywordFilter keeps items by plain keywords: case-insensitive whole-word
// (or whole-phrase) matches, no patterns, so a user's keyword can never be
// slow or invalid.
type keywordFilter struct {
	include, exclude [][]string // each keyword as its words
}

func newKeywordFilter(include, exclude []string) keywordFilter {
	split := func(kws []string) [][]string {
		var out [][]string
		for _, k := range kws {
			if w := fingerprint.Words(k); len(w) > 0 {
				out = append(out, w)
			}
		}
		return out
	}
	return keywordFilter{include: split(include), exclude: split(exclude)}
}

// Keep reports whether text passes: no exclude keyword, and some include
// keyword when there are any. It returns the keyword that decided, for logs.
func (f keywordFilter) Keep(text string) (bool, string) {
	if len(f.include) == 0 && len(f.exclude) == 0 {
		return true, ""
	}
	words := fingerprint.Words(text)
	for _, k := range f.exclude {
		if containsPhrase(words, k) {
			return false, strings.Join(k, " ")
		}
	}
	if len(f.include) == 0 {
		return true, ""
	}
	for _, k := range f.include {
		if containsPhrase(words, k) {
			return true, strings.Join(k, " ")
		}
	}
	return false, ""
}

func containsPhrase(words, phrase []string) bool {
	for i := 0; i+len(phrase) <= len(words); i++ {
		match := true
		for j, p := range phrase {
			if words[i+j] != p {
				match = false
				break
			}
		}
		if match {
			return true
		}
	}
	return false
}
