package storetest

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"testing"
	"time"

	"newsdigest/digest"
)

// CorpusPath finds ../shared/bench/summaries/cnndm.jsonl beside the module
// root, or returns "".
func CorpusPath() string {
	dir, err := os.Getwd()
	if err != nil {
		return ""
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			p := filepath.Join(dir, "..", "shared", "bench", "summaries", "cnndm.jsonl")
			if _, err := os.Stat(p); err == nil {
				return p
			}
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return ""
		}
		dir = parent
	}
}

// Corpus returns the sentences of each real news article of the bench
// corpus, or skips when the shared folder is missing.
func Corpus(tb testing.TB) [][]string {
	p := CorpusPath()
	if p == "" {
		tb.Skip("the bench corpus ../shared/bench/summaries/cnndm.jsonl beside the checkout is missing")
	}
	f, err := os.Open(p)
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	var docs [][]string
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 16<<20)
	for sc.Scan() {
		var d struct {
			Lines []string `json:"article_lines"`
		}
		if err := json.Unmarshal(sc.Bytes(), &d); err != nil {
			tb.Fatalf("%s: %v", p, err)
		}
		if len(d.Lines) >= 4 {
			docs = append(docs, d.Lines)
		}
	}
	if err := sc.Err(); err != nil {
		tb.Fatal(err)
	}
	return docs
}

// PerDay is the rate generated articles come in: some 40 sources
// publishing 25 articles a day.
const PerDay = 1000

// BenchNow is the fixed "now" generated articles lead up to, so that a
// filled database can be reused between runs.
var BenchNow = time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC)

// Generate makes n articles by varying real ones: each takes most of one
// real article's sentences in a shuffled order plus a few from others,
// with a headline from its first sentence. They are first seen up to now
// at PerDay articles a day (so 10,000 span 10 days and 100,000 span 100:
// a bigger store is an older one, as with a longer retention).
func Generate(docs [][]string, n int, now time.Time) []digest.StoredArticle {
	rng := rand.New(rand.NewPCG(1, 2))
	out := make([]digest.StoredArticle, n)
	span := time.Duration(float64(n) / PerDay * float64(24*time.Hour))
	for i := range out {
		d := docs[rng.IntN(len(docs))]
		lines := append([]string(nil), d[1:]...)
		rng.Shuffle(len(lines), func(a, b int) { lines[a], lines[b] = lines[b], lines[a] })
		lines = lines[:max(3, len(lines)*2/3)]
		for k := 0; k < 3; k++ {
			o := docs[rng.IntN(len(docs))]
			lines = append(lines, o[rng.IntN(len(o))])
		}
		head := strings.Fields(d[0])
		head = head[:min(len(head), 8+rng.IntN(6))]
		out[i] = digest.StoredArticle{
			URL:         fmt.Sprintf("https://bench.example/%d/%d", i%20, i),
			ItemKey:     fmt.Sprintf("bench-%d", i),
			ContentHash: fmt.Sprintf("%016x%08x", rng.Uint64(), i),
			Fingerprint: rng.Uint64(),
			Headline:    strings.Join(head, " "),
			Body:        strings.Join(lines, "\n\n"),
			Summary:     lines[:3],
			Language:    "en",
			FirstSeen:   now.Add(-time.Duration(float64(span) * float64(n-i) / float64(n))),
		}
	}
	return out
}

// Fill adds the articles, a third of them to the story of one of the 50
// articles added before (as the story grouper would), stories growing to
// at most 8 articles.
func Fill(tb testing.TB, s digest.Store, arts []digest.StoredArticle) {
	ctx := context.Background()
	rng := rand.New(rand.NewPCG(3, 4))
	var stories []int64
	size := map[int64]int{}
	for i, a := range arts {
		if len(stories) > 0 && rng.IntN(3) == 0 {
			if id := stories[len(stories)-1-rng.IntN(min(len(stories), 50))]; size[id] < 8 {
				a.StoryID = id
			}
		}
		got, err := s.AddArticle(ctx, a)
		if err != nil {
			tb.Fatalf("fill article %d: %v", i, err)
		}
		stories = append(stories, got.StoryID)
		size[got.StoryID]++
	}
}

// Queries are /article inputs of several kinds: common and rare words,
// several words, phrases, names with accents and no hits.
func Queries(docs [][]string) []string {
	rng := rand.New(rand.NewPCG(5, 6))
	qs := []string{"police", "said", "football club", "world cup", `"prime minister"`, "Zürich", "obama",
		"hospital patients", "nonexistentword", "court ruling appeal"}
	for len(qs) < 40 {
		d := docs[rng.IntN(len(docs))]
		w := strings.Fields(d[rng.IntN(len(d))])
		if len(w) < 4 {
			continue
		}
		j := rng.IntN(len(w) - 2)
		switch len(qs) % 3 {
		case 0:
			qs = append(qs, w[j])
		case 1:
			qs = append(qs, w[j]+" "+w[j+2])
		default:
			qs = append(qs, `"`+w[j]+" "+w[j+1]+`"`)
		}
	}
	return qs
}

// latencies times fn b.N times and reports the p50 and p99 of its wall
// time and, for an in-process engine on Linux, of the CPU time its own
// thread spent (which a busy, shared machine does not inflate), in
// milliseconds.
func latencies(b *testing.B, inProcess bool, fn func(i int)) {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	wall := make([]time.Duration, 0, b.N)
	cpu := make([]time.Duration, 0, b.N)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		c0, ok := threadCPU()
		ok = ok && inProcess
		t0 := time.Now()
		fn(i)
		wall = append(wall, time.Since(t0))
		if c1, ok1 := threadCPU(); ok && ok1 {
			cpu = append(cpu, c1-c0)
		}
	}
	b.StopTimer()
	report := func(ds []time.Duration, unit string) {
		if len(ds) == 0 {
			return
		}
		sort.Slice(ds, func(i, j int) bool { return ds[i] < ds[j] })
		pct := func(p float64) float64 {
			return float64(ds[min(len(ds)-1, int(p*float64(len(ds))))]) / float64(time.Millisecond)
		}
		b.ReportMetric(pct(0.50), "p50-"+unit)
		b.ReportMetric(pct(0.99), "p99-"+unit)
	}
	report(wall, "ms")
	report(cpu, "cpu-ms")
}

// BenchSearch runs the queries in turn against a filled store; inProcess
// says the engine runs in the calling goroutine (SQLite), so its thread's
// CPU time is the query's.
func BenchSearch(b *testing.B, s digest.Store, queries []string, inProcess bool) {
	ctx := context.Background()
	latencies(b, inProcess, func(i int) {
		if _, err := s.Search(ctx, queries[i%len(queries)], 20); err != nil {
			b.Fatal(err)
		}
	})
}

// BenchStories asks for the stories of the last 24 hours, as /trending
// does, against a store filled up to now.
func BenchStories(b *testing.B, s digest.Store, now time.Time, inProcess bool) {
	ctx := context.Background()
	n := 0
	latencies(b, inProcess, func(int) {
		st, err := s.Stories(ctx, now.Add(-24*time.Hour), now.Add(time.Minute), true)
		if err != nil {
			b.Fatal(err)
		}
		n = len(st)
	})
	b.ReportMetric(float64(n), "stories")
}

// ReportSize reports the store's bytes per 1,000 articles.
func ReportSize(b *testing.B, s interface {
	Size(context.Context) (int64, error)
}, articles int) {
	size, err := s.Size(context.Background())
	if err != nil {
		b.Fatal(err)
	}
	b.ReportMetric(float64(size)*1000/float64(articles), "bytes/1k-articles")
}

// Latencies times fn b.N times and reports p50/p99 of wall and thread CPU
// time in milliseconds, for benchmarks of code over a store that runs in
// the calling goroutine (the commands over SQLite).
func Latencies(b *testing.B, fn func(i int)) { latencies(b, true, fn) }
