package storetest

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"newsdigest/digest"
	"newsdigest/store/fts"
)

func hitIDs(hits []digest.SearchHit) []int64 {
	var ids []int64
	for _, h := range hits {
		ids = append(ids, h.Article.ID)
	}
	return ids
}

func hitHas(hits []digest.SearchHit, id int64) bool {
	for _, h := range hits {
		if h.Article.ID == id {
			return true
		}
	}
	return false
}

func testSearch(t *testing.T, s digest.Store) {
	ctx := context.Background()
	now := time.Now().UTC().Truncate(time.Second)
	n := 0
	add := func(headline, body string, age time.Duration, story int64) digest.StoredArticle {
		n++
		a := article(n, 0, headline, body)
		a.FirstSeen = now.Add(-age)
		a.StoryID = story
		return mustAdd(t, s, a)
	}
	zurich := add("Flooding in Zürich closes the old town", "Water rose along the Limmat overnight.", time.Hour, 0)
	running := add("Council is running new elections", "Voters will return to the polls in May.", time.Hour, 0)
	phrase := add("New climate change policy", "The policy sets targets.", time.Hour, 0)
	loose := add("A change of climate in parliament", "The mood shifted.", time.Hour, 0)
	moscow := add("Москва объявила новые меры", "Власти Москвы сообщили о новых мерах.", time.Hour, 0)
	tokyo := add("東京で大雨", "東京都心で記録的な大雨が降りました。", time.Hour, 0)
	v1 := add("Volcano erupts on island", "The volcano erupted at dawn.", 2*time.Hour, 0)
	add("Volcano eruption: flights cancelled", "Airlines cancelled flights after the volcano erupted.", time.Hour, v1.StoryID)
	add("Volcano ash cloud spreads", "The ash cloud from the volcano spread east.", 30*time.Minute, v1.StoryID)
	v2 := add("Scientists study an old volcano", "Samples were taken.", 3*time.Hour, 0)
	tariffHead := add("Tariffs", "Officials met on Tuesday to discuss trade matters at length.", time.Hour, 0)
	tariffBody := add("Trade officials meet", "Officials met on Tuesday to discuss tariffs and trade matters at length.", time.Hour, 0)
	fresh := add("Drought grips the region", "Farmers report the driest month on record.", time.Hour, 0)
	stale := add("Drought grips the region again", "Farmers report the driest month on record.", 30*24*time.Hour, 0)

	for _, tc := range []struct {
		query   string
		want    []int64 // each must be among the hits
		notWant []int64
		first   int64 // when set, the best hit
	}{
		{query: "Zurich", want: []int64{zurich.ID}},
		{query: "zürich", want: []int64{zurich.ID}},
		{query: "ZURICH flooding", want: []int64{zurich.ID}},
		{query: "run", want: []int64{running.ID}},      // stemming: running
		{query: "election", want: []int64{running.ID}}, // stemming: elections
		{query: `"climate change"`, want: []int64{phrase.ID}, notWant: []int64{loose.ID}},
		{query: "climate change", want: []int64{phrase.ID, loose.ID}},
		{query: "Москва", want: []int64{moscow.ID}},
		{query: "москва меры", want: []int64{moscow.ID}},
		{query: "東京", want: []int64{tokyo.ID}},
		{query: "大雨", want: []int64{tokyo.ID}},
		{query: "tariffs", want: []int64{tariffHead.ID, tariffBody.ID}, first: tariffHead.ID}, // headline weighs more
		{query: "drought", want: []int64{fresh.ID, stale.ID}, first: fresh.ID},                // recency breaks the tie
		{query: "volcano zürich", want: []int64{zurich.ID}},                                   // nothing has both: any
		{query: "volcano samples", want: []int64{v2.ID}, notWant: []int64{zurich.ID}},
	} {
		t.Run(tc.query, func(t *testing.T) {
			hits, err := s.Search(ctx, tc.query, 10)
			if err != nil {
				t.Fatalf("Search(%q): %v", tc.query, err)
			}
			for _, id := range tc.want {
				if !hitHas(hits, id) {
					t.Errorf("Search(%q) = %v, want %d among them", tc.query, hitIDs(hits), id)
				}
			}
			for _, id := range tc.notWant {
				if hitHas(hits, id) {
					t.Errorf("Search(%q) = %v, want no %d", tc.query, hitIDs(hits), id)
				}
			}
			if tc.first != 0 && (len(hits) == 0 || hits[0].Article.ID != tc.first) {
				t.Errorf("Search(%q) = %v, want %d first", tc.query, hitIDs(hits), tc.first)
			}
			for i, h := range hits {
				if h.Score <= 0 || (i > 0 && h.Score > hits[i-1].Score) {
					t.Errorf("Search(%q): scores not positive and descending: %v", tc.query, h.Score)
				}
				if h.Article.Headline == "" || h.Article.URL == "" {
					t.Errorf("Search(%q): hit %d lacks headline or URL", tc.query, h.Article.ID)
				}
			}
		})
	}

	// One hit per story: three volcano articles in one story, one in another.
	hits, err := s.Search(ctx, "volcano", 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(hits) != 2 || hits[0].Article.StoryID == hits[1].Article.StoryID {
		t.Fatalf("Search(volcano) = %v, want one hit for each of 2 stories", hitIDs(hits))
	}
	if !hitHas(hits, v2.ID) {
		t.Errorf("Search(volcano) misses %d", v2.ID)
	}
	if hits, err := s.Search(ctx, "volcano", 1); err != nil || len(hits) != 1 {
		t.Errorf("Search limit 1 = %v, %v", hitIDs(hits), err)
	}
	if hits, err := s.Search(ctx, "nonexistentword", 10); err != nil || len(hits) != 0 {
		t.Errorf("Search(nonexistentword) = %v, %v; want none", hitIDs(hits), err)
	}
}

// isBadQuery is how callers recognise the user's mistake.
func isBadQuery(err error) bool {
	var bad interface{ BadQuery() bool }
	return errors.As(err, &bad) && bad.BadQuery() && errors.Is(err, fts.ErrBadQuery)
}

func testSearchHostile(t *testing.T, s digest.Store) {
	ctx := context.Background()
	foo := mustAdd(t, s, article(1, 0, "Foo fighters play", "The band played bar songs near the river."))
	for _, q := range []string{
		`"foo" OR bar*`, `NEAR(foo bar`, `NEAR(`, `-x foo`, `foo:bar`, `^foo`, `headline:foo`, `foo AND`, `foo)(`,
		`foo "unclosed`, `foo NOT bar`, `'; DROP TABLE articles; --foo`, `foo & bar | !river`, `foo <-> bar`,
		`{headline body}: foo`, `foo + bar`, "foo\x00bar", `foo\`, `foo''`, `"" foo ""`,
	} {
		hits, err := s.Search(ctx, q, 10)
		if err != nil && !isBadQuery(err) {
			t.Errorf("Search(%q): %v (want hits or a bad-query error, never an engine error)", q, err)
		}
		if strings.Contains(strings.ToLower(q), "foo") && err == nil && !hitHas(hits, foo.ID) {
			t.Errorf("Search(%q) = %v, want %d (operators are plain text)", q, hitIDs(hits), foo.ID)
		}
	}
	for _, q := range []string{"", "   ", ":", "^", "*", `""`, "-", "()", strings.Repeat("a", fts.MaxQueryLen+1),
		strings.Repeat("ü", fts.MaxQueryLen+1)} {
		if _, err := s.Search(ctx, q, 10); !isBadQuery(err) {
			t.Errorf("Search(%.20q) err = %v, want a bad-query error", q, err)
		}
	}
	if _, err := s.Search(ctx, strings.Repeat("é", fts.MaxQueryLen), 10); err != nil {
		t.Errorf("Search of exactly %d runes: %v", fts.MaxQueryLen, err)
	}
	if _, err := s.Article(ctx, foo.ID); err != nil {
		t.Fatalf("the store is damaged after hostile queries: %v", err)
	}
}
