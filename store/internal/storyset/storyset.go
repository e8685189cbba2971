// Package storyset holds what both store backends compute the same way:
// a story's lead, stories assembled from article rows, and the search
// score that blends text relevance with recency.
package storyset

import (
	"fmt"
	"math"
	"sort"
	"strings"
	"time"

	"newsdigest/digest"
)

// HalfLife and Floor shape the recency blend of search scores:
//
//	score = relevance × (Floor + (1−Floor) × 0.5^(age/HalfLife))
//
// relevance is the engine's own (BM25 for SQLite, ts_rank for PostgreSQL),
// age is now minus the article's Time(). A three-day-old article keeps
// Floor+(1−Floor)/2 = 0.7 of its relevance, a month-old one about 0.4: a
// much better match still beats a fresh weak one.
const (
	HalfLife = 72 * time.Hour
	Floor    = 0.4
)

// Score blends relevance with the article's age.
func Score(relevance float64, t, now time.Time) float64 {
	age := now.Sub(t)
	if age < 0 {
		age = 0
	}
	return relevance * (Floor + (1-Floor)*math.Exp2(-float64(age)/float64(HalfLife)))
}

// Lead picks a story's lead among its articles (oldest first): the one set
// explicitly (leadID, when it is a member), else the earliest article among
// those with the fullest summary, so a bare headline-only item does not lead
// a story that a complete article also tells.
func Lead(articles []digest.StoredArticle, leadID int64) digest.StoredArticle {
	if len(articles) == 0 {
		return digest.StoredArticle{}
	}
	best := -1
	for i, a := range articles {
		if leadID != 0 && a.ID == leadID {
			return a
		}
		if best < 0 || len(a.Summary) > len(articles[best].Summary) {
			best = i
		}
	}
	return articles[best]
}

// Assemble groups article rows (any order) into stories, each with its
// articles oldest first, FirstSeen and LastSeen from those articles, and its
// lead; stories come newest first (by FirstSeen, then ID).
func Assemble(rows []digest.StoredArticle, leads map[int64]int64) []digest.Story {
	byStory := map[int64]*digest.Story{}
	var order []*digest.Story
	for _, a := range rows {
		s := byStory[a.StoryID]
		if s == nil {
			s = &digest.Story{ID: a.StoryID}
			byStory[a.StoryID] = s
			order = append(order, s)
		}
		s.Articles = append(s.Articles, a)
	}
	less := func(ai, aj digest.StoredArticle) bool {
		if !ai.FirstSeen.Equal(aj.FirstSeen) {
			return ai.FirstSeen.Before(aj.FirstSeen)
		}
		return ai.ID < aj.ID
	}
	for _, s := range order {
		if !sort.SliceIsSorted(s.Articles, func(i, j int) bool { return less(s.Articles[i], s.Articles[j]) }) {
			sort.SliceStable(s.Articles, func(i, j int) bool { return less(s.Articles[i], s.Articles[j]) })
		}
		s.FirstSeen = s.Articles[0].FirstSeen
		for _, a := range s.Articles {
			if a.FirstSeen.After(s.LastSeen) {
				s.LastSeen = a.FirstSeen
			}
		}
		s.Lead = Lead(s.Articles, leads[s.ID])
	}
	// Sort pointers: a Story is too big to move around.
	sort.Slice(order, func(i, j int) bool {
		if !order[i].FirstSeen.Equal(order[j].FirstSeen) {
			return order[i].FirstSeen.After(order[j].FirstSeen)
		}
		return order[i].ID > order[j].ID
	})
	out := make([]digest.Story, len(order))
	for i, s := range order {
		out[i] = *s
	}
	return out
}

// Candidate is one search match before it is loaded in full.
type Candidate struct {
	ArticleID int64
	StoryID   int64
	Score     float64
}

// BestPerStory keeps the best-scored candidate of each story, best first,
// at most limit.
func BestPerStory(cands []Candidate, limit int) []Candidate {
	best := map[int64]int{}
	var out []Candidate
	for _, c := range cands {
		key := c.StoryID
		if key == 0 {
			key = -c.ArticleID // an article without a story is its own
		}
		if i, ok := best[key]; ok {
			if c.Score > out[i].Score {
				out[i] = c
			}
			continue
		}
		best[key] = len(out)
		out = append(out, c)
	}
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].Score != out[j].Score {
			return out[i].Score > out[j].Score
		}
		return out[i].ArticleID > out[j].ArticleID
	})
	if limit > 0 && len(out) > limit {
		out = out[:limit]
	}
	return out
}

// IDs names a list of IDs in an error message: all of a few, else the
// first few and how many there are.
func IDs(ids []int64) string {
	const few = 5
	var b strings.Builder
	b.WriteByte('[')
	for i, id := range ids[:min(len(ids), few)] {
		if i > 0 {
			b.WriteByte(' ')
		}
		fmt.Fprint(&b, id)
	}
	if len(ids) > few {
		fmt.Fprintf(&b, " … %d in all", len(ids))
	}
	b.WriteByte(']')
	return b.String()
}
