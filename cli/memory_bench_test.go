package cli

import (
	"context"
	"log/slog"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"strconv"
	"testing"
	"time"

	"newsdigest/commands"
	"newsdigest/digest"
	"newsdigest/digest/story"
	"newsdigest/ingest"
	"newsdigest/schedule"
	"newsdigest/store/sqlite"
	"newsdigest/store/storetest"
)

// BenchmarkBotMemory measures the resident memory of what the running
// bot holds and does over a store of NEWSDIGEST_BENCH_ARTICLES (default
// 100,000) generated articles: the story grouper warmed with the last
// 72 hours (3,000 articles at 1,000 a day), a regrouping of that window,
// and /trending and /article answered. The peak is counted from after the
// fill. The first run after a fill regroups the generated stories (most
// articles move); a second run finds the window settled:
//
//	NEWSDIGEST_BENCH_DB=/tmp/100k.db go test ./cli -run '^$' -bench BotMemory -benchtime 1x
func BenchmarkBotMemory(b *testing.B) {
	n := 100_000
	if v, err := strconv.Atoi(os.Getenv("NEWSDIGEST_BENCH_ARTICLES")); err == nil && v > 0 {
		n = v
	}
	path := os.Getenv("NEWSDIGEST_BENCH_DB")
	if path == "" {
		path = filepath.Join(b.TempDir(), "bench.db")
	}
	ctx := context.Background()
	st, err := sqlite.Open(ctx, path)
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	if have, err := st.RecentArticles(ctx, time.Time{}, 1); err != nil || len(have) == 0 {
		storetest.FillFrom(b, st, storetest.Articles(storetest.Corpus(b), n, storetest.BenchNow))
	}
	debug.FreeOSMemory()
	if err := storetest.ResetPeakRSS(); err != nil {
		b.Logf("peak RSS includes the fill: %v", err)
	}
	now := storetest.BenchNow
	for b.Loop() {
		g := story.NewGrouper(story.Options{})
		if err := warmGrouper(ctx, st, g, now); err != nil {
			b.Fatal(err)
		}
		b.ReportMetric(storetest.PeakRSSMB(), "warm-peak-MB")
		runtime.GC()
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		b.ReportMetric(float64(ms.HeapAlloc)/(1<<20), "warm-live-heap-MB")
		ing := &ingest.Ingester{Store: st, Group: grouper{g}, Log: slog.New(slog.DiscardHandler),
			Clock: func() time.Time { return now }, GroupedSince: now}
		start := time.Now()
		moved, err := ing.Regroup(ctx)
		if err != nil {
			b.Fatal(err)
		}
		b.ReportMetric(float64(time.Since(start).Milliseconds()), "regroup-ms")
		b.ReportMetric(float64(moved), "moved")
		b.ReportMetric(float64(g.Len()), "window-docs")
		h := &commands.Handler{Store: st, Trending: story.Trending, NextRun: schedule.Next, Clock: func() time.Time { return now }}
		for _, req := range []digest.CommandRequest{
			{Platform: digest.Telegram, Name: "trending", ChatID: "1", Now: now},
			{Platform: digest.Telegram, Name: "article", ChatID: "1", Args: map[string]string{"keyword": "police"}},
		} {
			if r, err := h.Handle(ctx, req); err != nil || r.IsError {
				b.Fatalf("/%s: %v %q", req.Name, err, r.Text)
			}
		}
	}
	if mb := storetest.PeakRSSMB(); mb > 0 {
		b.ReportMetric(mb, "peak-rss-MB")
	}
}
