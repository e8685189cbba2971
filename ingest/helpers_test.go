package ingest

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"
	"golang.org/x/net/html/charset"

	"newsdigest/digest"
	"newsdigest/fetch"
	"newsdigest/internal/testenv"
)

// memStore is an in-memory Store for tests: the same contract as the
// SQLite store (Known over all three keys, ErrDuplicate, new story IDs).
type memStore struct {
	mu        sync.Mutex
	articles  []digest.StoredArticle
	keys      map[string]bool
	sources   map[int64]digest.Source
	nextStory int64
	failMoves error // NewStory and MoveArticles fail with it
}

func newMemStore(srcs ...digest.Source) *memStore {
	m := &memStore{keys: map[string]bool{}, sources: map[int64]digest.Source{}}
	for _, s := range srcs {
		m.sources[s.ID] = s
	}
	return m
}

func keyList(k digest.ItemKeys) []string {
	var out []string
	if k.URL != "" {
		out = append(out, "u:"+k.URL)
	}
	if k.ItemKey != "" {
		out = append(out, "i:"+k.ItemKey)
	}
	if k.ContentHash != "" {
		out = append(out, "h:"+k.ContentHash)
	}
	return out
}

func (m *memStore) Known(_ context.Context, k digest.ItemKeys) (bool, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	for _, key := range keyList(k) {
		if m.keys[key] {
			return true, nil
		}
	}
	return false, nil
}

func (m *memStore) AddArticle(_ context.Context, a digest.StoredArticle) (digest.StoredArticle, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	keys := keyList(digest.ItemKeys{URL: a.URL, ItemKey: a.ItemKey, ContentHash: a.ContentHash})
	for _, key := range keys {
		if m.keys[key] {
			return a, fmt.Errorf("memstore: %s: %w", key, digest.ErrDuplicate)
		}
	}
	for _, key := range keys {
		m.keys[key] = true
	}
	a.ID = int64(len(m.articles) + 1)
	if a.StoryID == 0 {
		m.nextStory++
		a.StoryID = 1000 + m.nextStory
	}
	m.articles = append(m.articles, a)
	return a, nil
}

func (m *memStore) Article(_ context.Context, id int64) (digest.StoredArticle, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if id < 1 || int(id) > len(m.articles) {
		return digest.StoredArticle{}, digest.ErrNotFound
	}
	return m.articles[id-1], nil
}

func (m *memStore) Fingerprints(_ context.Context, since time.Time) ([]digest.Fingerprint, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	var out []digest.Fingerprint
	for _, a := range m.articles {
		if !a.FirstSeen.Before(since) {
			out = append(out, digest.Fingerprint{ArticleID: a.ID, StoryID: a.StoryID, SimHash: a.Fingerprint})
		}
	}
	return out, nil
}

func (m *memStore) Sources(context.Context) ([]digest.Source, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	var out []digest.Source
	for _, s := range m.sources {
		out = append(out, s)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out, nil
}

func (m *memStore) SaveFetchState(_ context.Context, id int64, st digest.FetchState) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	s, ok := m.sources[id]
	if !ok {
		return fmt.Errorf("memstore: source %d: %w", id, digest.ErrNotFound)
	}
	s.State = st
	m.sources[id] = s
	return nil
}

func (m *memStore) source(id int64) digest.Source {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.sources[id]
}

func (m *memStore) all() []digest.StoredArticle {
	m.mu.Lock()
	defer m.mu.Unlock()
	return slices.Clone(m.articles)
}

// paragraphExtractor is a small real extractor for tests: the page's <p>
// text (or the BodySelector's) after charset decoding, the <h1> or <title>
// as headline. The real one lives in digest/extract; ingest takes it as a
// function.
func paragraphExtractor(p digest.Page, bodySelector string) (digest.Article, error) {
	r, err := charset.NewReader(bytes.NewReader(p.Body), p.ContentType)
	if err != nil {
		return digest.Article{}, err
	}
	doc, err := goquery.NewDocumentFromReader(r)
	if err != nil {
		return digest.Article{}, err
	}
	doc.Find("script, style, nav, footer, form").Remove()
	sel := "p"
	if bodySelector != "" {
		sel = bodySelector + " p"
	}
	var paras []string
	doc.Find(sel).Each(func(_ int, s *goquery.Selection) {
		if t := strings.Join(strings.Fields(s.Text()), " "); len(strings.Fields(t)) >= 8 {
			paras = append(paras, t)
		}
	})
	if len(paras) == 0 {
		return digest.Article{}, &digest.NoArticleError{Input: p.URL, Reason: "no paragraphs"}
	}
	head := strings.TrimSpace(doc.Find("h1").First().Text())
	if head == "" {
		head = strings.TrimSpace(doc.Find("title").First().Text())
	}
	return digest.Article{URL: p.URL, Headline: head, Body: strings.Join(paras, "\n\n")}, nil
}

var sentenceEnd = regexp.MustCompile(`[.!?]["”’]?\s+`)

// leadSummary is a small real summarizer for tests: the first three
// sentences.
func leadSummary(body string) []string {
	var out []string
	for _, para := range strings.Split(body, "\n\n") {
		for len(para) > 0 && len(out) < 3 {
			loc := sentenceEnd.FindStringIndex(para)
			if loc == nil {
				out = append(out, strings.TrimSpace(para))
				break
			}
			out = append(out, strings.TrimSpace(para[:loc[1]]))
			para = para[loc[1]:]
		}
	}
	return out
}

// benchPage is one page of the shared extraction set.
type benchPage struct {
	ID, URL, Truth string
	HTML           []byte
}

// loadBenchPages reads the first n pages (by ID) of the extraction set:
// from testdata/extraction, a faithful copy of the first 30 pages of
// ../shared/bench/extraction (Zyte's article-extraction benchmark, MIT),
// for n <= 30; from ../shared itself for all of them (n <= 0, benchmarks),
// skipping when it is missing.
func loadBenchPages(tb testing.TB, n int) []benchPage {
	tb.Helper()
	dir := filepath.Join("testdata", "extraction")
	if n <= 0 || n > 30 {
		_, file, _, _ := runtime.Caller(0)
		dir = filepath.Join(filepath.Dir(file), "..", "..", "shared", "bench", "extraction")
	}
	raw, err := os.ReadFile(filepath.Join(dir, "ground-truth.json"))
	if err != nil {
		testenv.SkipShared(tb, "bench/extraction", err)
	}
	var truth map[string]struct{ ArticleBody, URL string }
	if err := json.Unmarshal(raw, &truth); err != nil {
		tb.Fatal(err)
	}
	ids := make([]string, 0, len(truth))
	for id := range truth {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	if n > 0 && n < len(ids) {
		ids = ids[:n]
	}
	out := make([]benchPage, 0, len(ids))
	for _, id := range ids {
		f, err := os.Open(filepath.Join(dir, "html", id+".html.gz"))
		if err != nil {
			tb.Fatal(err)
		}
		zr, err := gzip.NewReader(f)
		if err != nil {
			tb.Fatal(err)
		}
		b, err := io.ReadAll(zr)
		f.Close()
		if err != nil {
			tb.Fatal(err)
		}
		out = append(out, benchPage{ID: id, URL: truth[id].URL, Truth: truth[id].ArticleBody, HTML: b})
	}
	return out
}

// quietLog discards logs unless -v.
func quietLog(tb testing.TB) *slog.Logger {
	if testing.Verbose() {
		return slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelDebug}))
	}
	return slog.New(slog.NewTextHandler(io.Discard, nil))
}

// newTestIngester wires an Ingester to a loopback-allowed fetcher.
func newTestIngester(tb testing.TB, st Store, fo fetch.Options) *Ingester {
	fo.AllowPrivate = true
	if fo.HostGap == 0 {
		fo.HostGap = -1
	}
	if fo.Timeout == 0 {
		fo.Timeout = 5 * time.Second
	}
	if fo.PerHost == 0 {
		fo.PerHost = 8
	}
	return &Ingester{
		Store:     st,
		Fetcher:   fetch.New(fo),
		Extract:   paragraphExtractor,
		Summarize: leadSummary,
		Log:       quietLog(tb),
	}
}

func (m *memStore) NewStory(context.Context, time.Time) (int64, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.failMoves != nil {
		return 0, m.failMoves
	}
	m.nextStory++
	return 1000 + m.nextStory, nil
}

func (m *memStore) MoveArticles(_ context.Context, moves []digest.StoryMove) (int, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.failMoves != nil {
		return 0, m.failMoves
	}
	n := 0
	for _, mv := range moves {
		if k := mv.ArticleID - 1; k >= 0 && int(k) < len(m.articles) && m.articles[k].StoryID == mv.From {
			m.articles[k].StoryID = mv.To
			n++
		}
	}
	return n, nil
}

func (m *memStore) RecentArticles(_ context.Context, since time.Time, limit int) ([]digest.StoredArticle, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	var out []digest.StoredArticle
	for _, a := range m.articles {
		if !a.FirstSeen.Before(since) && (limit <= 0 || len(out) < limit) {
			out = append(out, a)
		}
	}
	return out, nil
}

func (m *memStore) WindowArticles(_ context.Context, from, to time.Time, backlog bool) ([]digest.ArticleRef, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	var out []digest.ArticleRef
	for _, a := range m.articles {
		if !a.FirstSeen.Before(from) && a.FirstSeen.Before(to) && (backlog || !a.Backlog) {
			out = append(out, digest.ArticleRef{ID: a.ID, StoryID: a.StoryID, SourceID: a.SourceID, Source: a.Source, FirstSeen: a.FirstSeen, Backlog: a.Backlog})
		}
	}
	return out, nil
}
