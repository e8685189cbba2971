package commands

import (
	"context"
	"reflect"
	"testing"
	"time"

	"newsdigest/digest"
	"newsdigest/digest/story"
	"newsdigest/store/sqlite"
	"newsdigest/store/storetest"
)

// TestTrendingSameAsStoriesScan checks that /trending's two light reads
// (the window's rows, then the top stories in full) give exactly the
// stories, order and leads that story.Trending gives over Store.Stories
// (the top 10 and the whole ranking),
// on a generated store with 40 sources, over windows from 1 to 168 hours.
func TestTrendingSameAsStoriesScan(t *testing.T) {
	ctx := context.Background()
	st, err := sqlite.Open(ctx, ":memory:")
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	end := storetest.BenchNow
	arts := storetest.Generate(storetest.SyntheticDocs(80), 4000, end) // 4 days
	for i := range arts {
		arts[i].Backlog = i%13 == 0
		if i%5 == 0 { // some summaries shorter, so that leads differ
			arts[i].Summary = arts[i].Summary[:1+i%3]
		}
	}
	storetest.Fill(t, st, arts)
	h := &Handler{Store: st, Trending: story.Trending, TrendingTTL: -1}
	compared := 0
	for _, now := range []time.Time{end, end.Add(-7 * time.Hour), end.Add(-30*time.Hour - 17*time.Minute), end.Add(3 * time.Hour)} {
		for _, hours := range []int{1, 3, 24, 72, 168} {
			window := time.Duration(hours) * time.Hour
			all, err := st.Stories(ctx, now.Add(-window), now.Add(time.Minute), true)
			if err != nil {
				t.Fatal(err)
			}
			want := story.Trending(all, now, window, MaxTrending)
			got, err := h.trendingStories(ctx, now, hours, nil)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("now %s, %d hours: /trending = %v, the scan of Stories ranks %v", now, hours, ids(got), ids(want))
			}
			// The whole ranking, not only its top, is the same.
			wantAll := story.Trending(all, now, window, 0)
			gotAll, err := h.rankOf(ctx, now, window, 0, nil)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(gotAll, wantAll) {
				t.Errorf("now %s, %d hours: the whole ranking differs (%d and %d stories)", now, hours, len(gotAll), len(wantAll))
			}
			if len(want) > 0 {
				compared++
			}
		}
	}
	if compared < 15 {
		t.Fatalf("only %d rankings were compared", compared)
	}
}

func ids(ss []digest.Story) []int64 {
	var out []int64
	for _, s := range ss {
		out = append(out, s.ID)
	}
	return out
}
