package story

import (
	"math"
	"sync"
	"time"
)

// Doc is one article as the grouper sees it.
type Doc struct {
	ID        string
	Title     string
	Text      string
	Source    string
	URL       string
	Published time.Time // zero when unknown: the doc is then placed by arrival order
}

// Options tunes a Grouper. The zero value means the defaults.
type Options struct {
	// Window bounds the docs kept, by Published (default 72h before the
	// newest dated doc seen).
	Window time.Duration
	// MaxDocs bounds the docs kept by arrival order, dated or not
	// (default 5000). It is the window for undated streams.
	MaxDocs int
	// Threshold is the similarity a doc needs with a story to join it
	// (default DefaultThreshold).
	Threshold float64
	// EntityWeight multiplies the weight of names and numbers against
	// plain content words (default DefaultEntityWeight).
	EntityWeight float64
	// HalfLife is the time-proximity decay between two dated docs: their
	// similarity is halved for every HalfLife their dates lie apart beyond
	// a day (default 48h).
	HalfLife time.Duration
	// PriorDocs is the prior of the online IDF: the grouper acts as if it
	// had already seen PriorDocs docs in which each term is rare (default
	// 100), so the first docs of a stream are not judged with a
	// degenerate IDF.
	PriorDocs float64
}

// Defaults chosen on ECB+ with topics held out (see bench/results/stories.md).
const (
	DefaultThreshold    = 0.2
	DefaultEntityWeight = 1.5
)

func (o Options) withDefaults() Options {
	if o.Window <= 0 {
		o.Window = 72 * time.Hour
	}
	if o.MaxDocs <= 0 {
		o.MaxDocs = 5000
	}
	if o.Threshold <= 0 {
		o.Threshold = DefaultThreshold
	}
	if o.EntityWeight <= 0 {
		o.EntityWeight = DefaultEntityWeight
	}
	if o.HalfLife <= 0 {
		o.HalfLife = 48 * time.Hour
	}
	if o.PriorDocs <= 0 {
		o.PriorDocs = 100
	}
	return o
}

// entry is one doc kept in the window.
type entry struct {
	id     string
	story  int64
	when   time.Time // Published, zero when unknown
	tf     map[string]float64
	norm   float64 // cached vector norm under the IDF of normN docs
	normN  int
	serial int64
}

// Grouper groups a stream of docs into stories online. It is safe for
// concurrent use; Match and Add take one lock each.
type Grouper struct {
	opt Options

	mu       sync.Mutex
	docs     []*entry            // window, arrival order
	first    int64               // serial of docs[0]
	next     int64               // serial of the next doc added
	postings map[string][]*entry // term → window docs holding it, arrival order
	df       map[string]int      // term → window docs holding it
	size     map[int64]int       // story → window docs in it
	newest   time.Time           // newest Published seen
	cacheID  string              // the doc last matched, so Add need not re-read it
	cacheTF  map[string]float64
}

// NewGrouper returns an empty grouper.
func NewGrouper(opt Options) *Grouper {
	return &Grouper{
		opt:      opt.withDefaults(),
		postings: make(map[string][]*entry),
		df:       make(map[string]int),
		size:     make(map[int64]int),
	}
}

// Len is the number of docs in the window.
func (g *Grouper) Len() int {
	g.mu.Lock()
	defer g.mu.Unlock()
	return len(g.docs)
}

func (g *Grouper) termsOf(d Doc) map[string]float64 {
	if d.ID != "" && d.ID == g.cacheID && g.cacheTF != nil {
		return g.cacheTF
	}
	tf := features(d.Title, d.Text)
	g.cacheID, g.cacheTF = d.ID, tf
	return tf
}

// idf is the online inverse document frequency of a term with document
// frequency df among n docs, under a prior of PriorDocs docs in which the
// term is absent: ln((n + P) / (df + 0.5)).
func (g *Grouper) idf(df, n int) float64 {
	return math.Log((float64(n) + g.opt.PriorDocs) / (float64(df) + 0.5))
}

// weight is the TF-IDF weight of one term: sublinear tf, online idf, and
// EntityWeight for names and numbers.
func (g *Grouper) weight(term string, tf float64, df, n int) float64 {
	w := (1 + math.Log(tf)) * g.idf(df, n)
	if isEntity(term) {
		w *= g.opt.EntityWeight
	}
	return w
}

func isEntity(term string) bool {
	return len(term) > 2 && term[1] == ':' && (term[0] == 'e' || term[0] == 'n')
}

// Match finds the story the doc belongs to, without adding it: the story
// whose window docs have the highest average similarity with it, when
// that average reaches Threshold.
func (g *Grouper) Match(d Doc) (storyID int64, ok bool) {
	g.mu.Lock()
	defer g.mu.Unlock()
	best, score := g.match(d)
	if best == 0 || score < g.opt.Threshold {
		return 0, false
	}
	return best, true
}

func (g *Grouper) match(d Doc) (int64, float64) {
	if len(g.docs) == 0 {
		return 0, 0
	}
	tf := g.termsOf(d)
	n := len(g.docs) + 1 // the doc itself counts in the IDF
	// The query's own weights and norm.
	qw := make(map[string]float64, len(tf))
	var qn float64
	for t, c := range tf {
		w := g.weight(t, c, g.df[t]+1, n)
		qw[t] = w
		qn += w * w
	}
	qn = math.Sqrt(qn)
	if qn == 0 {
		return 0, 0
	}
	// Dot products with every window doc sharing a term.
	dots := make(map[*entry]float64)
	for t, w := range qw {
		for _, e := range g.postings[t] {
			dots[e] += w * g.weight(t, e.tf[t], g.df[t]+1, n)
		}
	}
	sums := make(map[int64]float64)
	for e, dot := range dots {
		sums[e.story] += dot / (qn * g.normOf(e, n)) * g.timeFactor(d.Published, e.when)
	}
	var best int64
	var bestScore float64
	for s, sum := range sums {
		avg := sum / float64(g.size[s])
		if avg > bestScore || avg == bestScore && s < best {
			best, bestScore = s, avg
		}
	}
	return best, bestScore
}

// normOf returns the doc's vector norm, recomputed when the window has
// changed size by more than a twentieth since it was last computed (the
// IDF moves slowly; exactness is not worth a full pass per match).
func (g *Grouper) normOf(e *entry, n int) float64 {
	if e.norm > 0 && abs(n-e.normN)*20 <= e.normN {
		return e.norm
	}
	var s float64
	for t, c := range e.tf {
		w := g.weight(t, c, g.df[t]+1, n)
		s += w * w
	}
	e.norm, e.normN = math.Sqrt(s), n
	if e.norm == 0 {
		e.norm = 1
	}
	return e.norm
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}

// timeFactor is 1 for docs less than a day apart, or when either date is
// unknown, and halves for every HalfLife beyond that day.
func (g *Grouper) timeFactor(a, b time.Time) float64 {
	if a.IsZero() || b.IsZero() {
		return 1
	}
	gap := a.Sub(b)
	if gap < 0 {
		gap = -gap
	}
	gap -= 24 * time.Hour
	if gap <= 0 {
		return 1
	}
	return math.Exp2(-float64(gap) / float64(g.opt.HalfLife))
}

// Add records the doc under the story, then evicts docs that left the
// window.
func (g *Grouper) Add(d Doc, storyID int64) {
	g.mu.Lock()
	defer g.mu.Unlock()
	tf := g.termsOf(d)
	g.cacheID, g.cacheTF = "", nil
	e := &entry{id: d.ID, story: storyID, when: d.Published, tf: tf, serial: g.next}
	g.next++
	g.docs = append(g.docs, e)
	for t := range tf {
		g.postings[t] = append(g.postings[t], e)
		g.df[t]++
	}
	g.size[storyID]++
	if d.Published.After(g.newest) {
		g.newest = d.Published
	}
	g.evict()
}

func (g *Grouper) evict() {
	cutoff := g.newest.Add(-g.opt.Window)
	for len(g.docs) > 0 {
		e := g.docs[0]
		old := !e.when.IsZero() && e.when.Before(cutoff)
		if len(g.docs) <= g.opt.MaxDocs && !old {
			return
		}
		g.docs[0] = nil
		g.docs = g.docs[1:]
		g.first++
		for t := range e.tf {
			p := g.postings[t]
			// Eviction is in arrival order, so e heads every list it is in.
			p = p[1:]
			if len(p) == 0 {
				delete(g.postings, t)
				delete(g.df, t)
				continue
			}
			if cap(p) > 2*len(p)+16 {
				p = append([]*entry(nil), p...)
			}
			g.postings[t] = p
			g.df[t]--
		}
		if g.size[e.story]--; g.size[e.story] <= 0 {
			delete(g.size, e.story)
		}
	}
	if cap(g.docs) > 2*len(g.docs)+64 {
		g.docs = append([]*entry(nil), g.docs...)
	}
}

// Group runs the online grouping over docs in order, exactly as the live
// bot does: Match each doc, Add it to the matched story or to a new one.
// New stories are numbered 1, 2, 3… in order of their first doc.
func Group(docs []Doc, opt Options) map[string]int64 {
	g := NewGrouper(opt)
	out := make(map[string]int64, len(docs))
	var next int64
	for _, d := range docs {
		id, ok := g.Match(d)
		if !ok {
			next++
			id = next
		}
		g.Add(d, id)
		out[d.ID] = id
	}
	return out
}
