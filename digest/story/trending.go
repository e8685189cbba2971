package story

import (
	"cmp"
	"math"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode"

	"newsdigest/digest"
)

// Trending ranks the stories of the window (now-window, now] and returns the
// top n, each with its lead chosen by Lead. A story's score is
//
//	score = (S + G) · 2^(−age / H)
//
// where S is the number of distinct sources that published a member in the
// window (one source posting ten near-identical items counts once), G the
// number of those sources whose first member came in the last quarter of
// the window (coverage that is growing now; the source that started a
// story counts as none), age the time since the story's
// newest member, and H, the half-life, a quarter of the window (6 hours for
// the default 24). Ties go to the newer story, then the lower ID.
func Trending(stories []digest.Story, now time.Time, window time.Duration, n int) []digest.Story {
	if window <= 0 {
		window = 24 * time.Hour
	}
	from := now.Add(-window)
	recent := now.Add(-window / 4)
	halfLife := (window / 4).Hours()
	// Stories are ranked by their index: a Story is too big to move
	// around in a sort, and only the top n need a lead.
	type scored struct {
		i      int
		id     int64
		score  float64
		newest time.Time
	}
	list := make([]scored, 0, len(stories))
	first := map[string]time.Time{} // each source's first member, per story
	for i := range stories {
		s := &stories[i]
		clear(first)
		var newest time.Time
		members := 0
		for _, a := range members0(s) {
			t := a.FirstSeen
			if t.After(now) || !t.After(from) {
				continue
			}
			members++
			src := sourceKey(a)
			if f, ok := first[src]; !ok || t.Before(f) {
				first[src] = t
			}
			if t.After(newest) {
				newest = t
			}
		}
		if members == 0 {
			continue
		}
		growing, origin := 0, now
		for _, t := range first {
			if t.After(recent) {
				growing++
			}
			if t.Before(origin) {
				origin = t
			}
		}
		if origin.After(recent) {
			growing-- // the story's first source started it: that is no growth
		}
		age := now.Sub(newest).Hours()
		score := (float64(len(first)) + float64(growing)) * math.Exp2(-age/halfLife)
		list = append(list, scored{i, s.ID, score, newest})
	}
	slices.SortStableFunc(list, func(a, b scored) int {
		if a.score != b.score {
			return cmp.Compare(b.score, a.score)
		}
		if !a.newest.Equal(b.newest) {
			return b.newest.Compare(a.newest)
		}
		return cmp.Compare(a.id, b.id)
	})
	if n > 0 && len(list) > n {
		list = list[:n]
	}
	out := make([]digest.Story, len(list))
	for k, x := range list {
		out[k] = stories[x.i]
		out[k].Lead = Lead(out[k])
	}
	return out
}

// members0 is a story's articles, or its lead when the list is empty.
func members0(s *digest.Story) []digest.StoredArticle {
	if len(s.Articles) > 0 {
		return s.Articles
	}
	if s.Lead.ID != 0 || s.Lead.Headline != "" {
		return []digest.StoredArticle{s.Lead}
	}
	return nil
}

func sourceKey(a digest.StoredArticle) string {
	if a.Source != "" {
		return a.Source
	}
	return "#" + strconv.FormatInt(a.SourceID, 10)
}

// Lead picks the article that fronts a story: the most complete one (the
// most summary lines, then the longest headline-and-summary text, as a
// stand-in for the fullest report), and among equals the earliest first
// seen, then the lowest ID. Syndicated copies are equally complete, so the
// first outlet to publish leads.
func Lead(s digest.Story) digest.StoredArticle {
	ms := members0(&s)
	if len(ms) == 0 {
		return s.Lead
	}
	best := ms[0]
	for _, a := range ms[1:] {
		if better(a, best) {
			best = a
		}
	}
	return best
}

func better(a, b digest.StoredArticle) bool {
	if len(a.Summary) != len(b.Summary) {
		return len(a.Summary) > len(b.Summary)
	}
	la, lb := completeness(a), completeness(b)
	// Lengths within 10% of each other are equally complete.
	if math.Abs(float64(la-lb)) > 0.1*math.Max(float64(la), float64(lb)) {
		return la > lb
	}
	if !a.FirstSeen.Equal(b.FirstSeen) {
		return a.FirstSeen.Before(b.FirstSeen)
	}
	return a.ID < b.ID
}

func completeness(a digest.StoredArticle) int {
	n := len(a.Body)
	if n == 0 {
		n = len(a.Headline)
		for _, l := range a.Summary {
			n += len(l)
		}
	}
	return n
}

// ForDigest is the digest ranking: the stories that mention one of the
// keywords (all stories when there are none), the most distinct sources
// first, then the most recent, at most max (no cap when max ≤ 0). Keywords
// are plain words or phrases, matched case-insensitively on word
// boundaries in any member's headline, summary or body: no pattern syntax,
// so user input cannot blow up.
func ForDigest(stories []digest.Story, keywords []string, max int) []digest.Story {
	var kws [][]string
	for _, k := range keywords {
		if w := words(k); len(w) > 0 {
			kws = append(kws, w)
		}
	}
	type ranked struct {
		s       digest.Story
		sources int
		newest  time.Time
	}
	var list []ranked
	for _, s := range stories {
		if len(kws) > 0 && !mentions(s, kws) {
			continue
		}
		r := ranked{s: s, sources: len(s.Sources())}
		for _, a := range members0(&s) {
			if t := a.Time(); t.After(r.newest) {
				r.newest = t
			}
		}
		r.s.Lead = Lead(s)
		list = append(list, r)
	}
	sort.SliceStable(list, func(i, j int) bool {
		a, b := list[i], list[j]
		if a.sources != b.sources {
			return a.sources > b.sources
		}
		if !a.newest.Equal(b.newest) {
			return a.newest.After(b.newest)
		}
		return a.s.ID < b.s.ID
	})
	if max > 0 && len(list) > max {
		list = list[:max]
	}
	out := make([]digest.Story, len(list))
	for i, r := range list {
		out[i] = r.s
	}
	return out
}

// mentions reports whether any member of s contains one of the phrases.
func mentions(s digest.Story, kws [][]string) bool {
	for _, a := range members0(&s) {
		// Each field on its own, so a phrase cannot span two fields.
		for _, field := range append([]string{a.Headline, a.Body}, a.Summary...) {
			text := words(field)
			for _, k := range kws {
				if containsPhrase(text, k) {
					return true
				}
			}
		}
	}
	return false
}

// words lower-cases s and splits it into runs of letters and digits.
func words(s string) []string {
	return strings.FieldsFunc(strings.ToLower(s), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsNumber(r)
	})
}

func containsPhrase(text, phrase []string) bool {
	for i := 0; i+len(phrase) <= len(text); i++ {
		match := true
		for j, w := range phrase {
			if text[i+j] != w {
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
