package storetest

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"iter"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"newsdigest/digest"
	"newsdigest/internal/testenv"
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
		testenv.SkipShared(tb, "bench/summaries/cnndm.jsonl", os.ErrNotExist)
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

// PerDay is the rate generated articles come in: some Sources sources
// publishing 25 articles a day.
const (
	PerDay  = 1000
	Sources = 40
)

// BenchNow is the fixed "now" generated articles lead up to, so that a
// filled database can be reused between runs.
var BenchNow = time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC)

// Generate makes n articles by varying real ones: each takes most of one
// real article's sentences in a shuffled order plus a few from others,
// with a headline from its first sentence, from one of Sources sources in
// turn. They are first seen up to now at PerDay articles a day (so 10,000
// span 10 days and 100,000 span 100: a bigger store is an older one, as
// with a longer retention).
func Generate(docs [][]string, n int, now time.Time) []digest.StoredArticle {
	out := make([]digest.StoredArticle, 0, n)
	for _, a := range Articles(docs, n, now) {
		out = append(out, a)
	}
	return out
}

// Articles yields the articles Generate makes, one at a time, so that a
// million of them need not be held at once.
func Articles(docs [][]string, n int, now time.Time) iter.Seq2[int, digest.StoredArticle] {
	return func(yield func(int, digest.StoredArticle) bool) {
		rng := rand.New(rand.NewPCG(1, 2))
		span := time.Duration(float64(n) / PerDay * float64(24*time.Hour))
		for i := range n {
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
			a := digest.StoredArticle{
				Source:      fmt.Sprintf("Source %02d", i%Sources),
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
			if !yield(i, a) {
				return
			}
		}
	}
}

// Fill adds the articles, a third of them to the story of one of the 50
// articles added before (as the story grouper would), stories growing to
// at most 8 articles.
func Fill(tb testing.TB, s digest.Store, arts []digest.StoredArticle) {
	FillFrom(tb, s, slices.All(arts))
}

// FillFrom adds the articles as Fill does, from a sequence. A store with
// a Bulk method (SQLite) adds them in large transactions through it,
// which stores exactly what AddArticle would, several times faster.
func FillFrom(tb testing.TB, s digest.Store, arts iter.Seq2[int, digest.StoredArticle]) {
	ctx := context.Background()
	stories := newStoryPicker()
	add := s.AddArticle
	if b, ok := s.(Bulker); ok {
		next, stop := iter.Pull2(arts)
		defer stop()
		for done := false; !done; {
			err := b.Bulk(ctx, func(add func(context.Context, digest.StoredArticle) (digest.StoredArticle, error)) error {
				for k := 0; k < bulkBatch; k++ {
					i, a, ok := next()
					if !ok {
						done = true
						return nil
					}
					if err := stories.add(ctx, add, i, a); err != nil {
						return err
					}
				}
				return nil
			})
			if err != nil {
				tb.Fatal(err)
			}
		}
		return
	}
	for i, a := range arts {
		if err := stories.add(ctx, add, i, a); err != nil {
			tb.Fatal(err)
		}
	}
}

// Bulker adds many articles in one transaction: fn calls add, which
// stores one article exactly as AddArticle does.
type Bulker interface {
	Bulk(ctx context.Context, fn func(add func(context.Context, digest.StoredArticle) (digest.StoredArticle, error)) error) error
}

// bulkBatch is how many articles FillFrom adds per Bulk transaction.
const bulkBatch = 5000

// storyPicker joins a third of the articles to the story of one of the 50
// added before, stories growing to at most 8 articles.
type storyPicker struct {
	rng     *rand.Rand
	stories []int64
	size    map[int64]int
}

func newStoryPicker() *storyPicker {
	return &storyPicker{rng: rand.New(rand.NewPCG(3, 4)), size: map[int64]int{}}
}

func (p *storyPicker) add(ctx context.Context, add func(context.Context, digest.StoredArticle) (digest.StoredArticle, error), i int, a digest.StoredArticle) error {
	if len(p.stories) > 0 && p.rng.IntN(3) == 0 {
		if id := p.stories[len(p.stories)-1-p.rng.IntN(min(len(p.stories), 50))]; p.size[id] < 8 {
			a.StoryID = id
		}
	}
	got, err := add(ctx, a)
	if err != nil {
		return fmt.Errorf("fill article %d: %w", i, err)
	}
	if len(p.stories) >= 10_000 {
		// Only the last 50 are ever picked, and a story that left them
		// cannot come back: forget the others.
		keep := p.stories[len(p.stories)-50:]
		for _, id := range p.stories[:len(p.stories)-50] {
			if !slices.Contains(keep, id) {
				delete(p.size, id)
			}
		}
		p.stories = append(p.stories[:0], keep...)
	}
	p.stories = append(p.stories, got.StoryID)
	p.size[got.StoryID]++
	return nil
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

// BenchWindow reads the light rows of the last 24 hours, as /trending's
// ranking pass does, against a store filled up to now.
func BenchWindow(b *testing.B, s digest.Store, now time.Time, inProcess bool) {
	ctx := context.Background()
	n := 0
	latencies(b, inProcess, func(int) {
		refs, err := s.WindowArticles(ctx, now.Add(-24*time.Hour), now.Add(time.Minute), true)
		if err != nil {
			b.Fatal(err)
		}
		n = len(refs)
	})
	b.ReportMetric(float64(n), "articles")
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

// SyntheticDocs makes n articles of made-up sentences (some words with
// diacritics), for tests that need Generate without the bench corpus.
func SyntheticDocs(n int) [][]string {
	rng := rand.New(rand.NewPCG(7, 8))
	words := strings.Fields(`police court minister election quake storm market bank club match
		hospital patients vaccine school budget strike river flood fire city Zürich Genève São Paulo
		said says report talks deal plan vote rise fall record new old first last team leader
		president senate council farmers prices energy climate summit border trade rail airport`)
	sentence := func() string {
		w := make([]string, 6+rng.IntN(10))
		for i := range w {
			w[i] = words[rng.IntN(len(words))]
		}
		return strings.ToUpper(w[0][:1]) + w[0][1:] + " " + strings.Join(w[1:], " ") + "."
	}
	docs := make([][]string, n)
	for i := range docs {
		d := make([]string, 5+rng.IntN(8))
		for j := range d {
			d[j] = sentence()
		}
		docs[i] = d
	}
	return docs
}
