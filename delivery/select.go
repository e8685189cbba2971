package delivery

import (
	"slices"
	"strings"
	"unicode"

	"newsdigest/digest"
)

// selectStories is the default Options.Rank until the shared ranking
// (story.ForDigest) is wired in: the stories matching any keyword (all when
// there are none), the most covered first, then the most recent, at most
// max.
func selectStories(stories []digest.Story, keywords []string, max int) []digest.Story {
	var out []digest.Story
	for _, s := range stories {
		if matches(s, keywords) {
			out = append(out, s)
		}
	}
	slices.SortStableFunc(out, func(a, b digest.Story) int {
		if na, nb := len(a.Sources()), len(b.Sources()); na != nb {
			return nb - na
		}
		if c := b.Lead.Time().Compare(a.Lead.Time()); c != 0 {
			return c
		}
		return int(b.ID - a.ID)
	})
	if max > 0 && len(out) > max {
		out = out[:max]
	}
	return out
}

// matches reports whether a keyword occurs as whole words in a headline or
// summary of the story's articles, ignoring case.
func matches(s digest.Story, keywords []string) bool {
	if len(keywords) == 0 {
		return true
	}
	texts := []string{text(s.Lead)}
	for _, a := range s.Articles {
		texts = append(texts, text(a))
	}
	for _, k := range keywords {
		k = normalize(k)
		if strings.TrimSpace(k) == "" {
			continue
		}
		for _, t := range texts {
			if strings.Contains(t, k) {
				return true
			}
		}
	}
	return false
}

func text(a digest.StoredArticle) string {
	return normalize(a.Headline + " " + strings.Join(a.Summary, " "))
}

// normalize lowercases s and turns every run of non-letters and non-digits
// into one space, padded with a space at both ends.
func normalize(s string) string {
	var b strings.Builder
	b.WriteByte(' ')
	space := true
	for _, r := range strings.ToLower(s) {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			b.WriteRune(r)
			space = false
		} else if !space {
			b.WriteByte(' ')
			space = true
		}
	}
	if !space {
		b.WriteByte(' ')
	}
	return b.String()
}
