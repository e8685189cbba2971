package story

import (
	"math"
	"slices"
	"strings"
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
	// Language is the text's language code ("de", "ja"); "" is English.
	// Docs of two languages join one story only with CrossLanguage.
	Language string
}

// Options tunes a Grouper. The zero value means the defaults.
type Options struct {
	// Window bounds the docs kept, by Published (default 72h before the
	// newest dated doc seen).
	Window time.Duration
	// MaxDocs bounds the docs kept by arrival order, dated or not
	// (default 5000). It is the window for undated streams.
	MaxDocs int
	// Threshold is the average similarity a full-length doc needs with a
	// story to join it (default DefaultThreshold); shorter docs need less
	// (see the package doc).
	Threshold float64
	// EntityWeight multiplies the weight of names and numbers against
	// plain content words (default DefaultEntityWeight).
	EntityWeight float64
	// HalfLife is the time-proximity decay between two dated docs: their
	// similarity is halved for every HalfLife their dates lie apart beyond
	// a day (default 48h).
	HalfLife time.Duration
	// MergeMargin is how much more than their docs' mean threshold two
	// groups of several docs need to merge in Settle: the threshold is
	// scaled by 1 + MergeMargin·(1 − 1/m), m the smaller group's size
	// (default DefaultMergeMargin; negative for none).
	MergeMargin float64
	// ConflictMargin is how much more than the threshold two groups of
	// several docs need to merge in Settle when each has a name of its own
	// in its members' headlines and leads that no member of the other
	// names there, such as two title fights of one champion against
	// different challengers (see the package doc; default
	// DefaultConflictMargin, negative for none).
	ConflictMargin float64
	// PriorDocs is the prior of the online IDF: the grouper acts as if it
	// had already seen PriorDocs docs in which each term is absent
	// (default 100), so the first docs of a stream are not judged with a
	// degenerate IDF.
	PriorDocs float64
	// CrossLanguage lets docs in different languages join one story by
	// the names and numbers they share (off by default: see
	// bench/results/languages.md for how often that is right).
	CrossLanguage bool
}

// Defaults chosen on ECB+ with topics held out (see bench/results/stories.md).
const (
	DefaultThreshold    = 0.19
	DefaultEntityWeight = 1.0
	DefaultMergeMargin  = 0.60
	// DefaultConflictMargin: see Options.ConflictMargin.
	DefaultConflictMargin = 0.5
)

// The length adjustment of the threshold: a doc with u distinct features
// needs Threshold × clamp((u/fullLength)^lengthExponent, minLengthShare, 1).
const (
	fullLength     = 150
	lengthExponent = 0.4
	minLengthShare = 0.4
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
	if o.MergeMargin == 0 {
		o.MergeMargin = DefaultMergeMargin
	} else if o.MergeMargin < 0 {
		o.MergeMargin = 0
	}
	if o.ConflictMargin == 0 {
		o.ConflictMargin = DefaultConflictMargin
	} else if o.ConflictMargin < 0 {
		o.ConflictMargin = 0
	}
	if o.PriorDocs <= 0 {
		o.PriorDocs = 100
	}
	return o
}

// posting is one window doc holding a term, with the term's sublinear
// count (1 + ln tf) in it.
type posting struct {
	e   *entry
	ltf float32
}

// term is one feature known to the window, interned: docs refer to it by
// its index in Grouper.terms, which keeps a window of thousands of docs in
// tens of megabytes.
type term struct {
	name     string
	entity   bool
	postings []posting // window docs holding it, arrival order; len is its df
}

// termCount is one feature of a window doc.
type termCount struct {
	id  int32
	ltf float32
}

// entry is one doc kept in the window.
type entry struct {
	id    string // Doc.ID
	story int64
	when  time.Time // Published, zero when unknown
	terms []termCount
	names []int32 // the word terms of the names in its headline and lead, ascending
	norm  float64 // cached vector norm under the IDF of normN docs
	normN int
	dot   float64 // scratch for averages, under the lock
	pos   int     // scratch: the doc's window index during Settle
}

// Grouper groups a stream of docs into stories online. It is safe for
// concurrent use: Match and Add each hold one lock while they work.
type Grouper struct {
	opt Options

	mu     sync.Mutex
	docs   []*entry          // the window, in arrival order
	ids    map[string]int32  // feature → index in terms
	byID   map[string]*entry // window docs with an ID
	terms  []term
	free   []int32       // indexes of terms no window doc holds any more
	size   map[int64]int // story → number of window docs in it
	newest time.Time     // newest Published seen
	// The doc last matched, so that Add right after Match does the work once.
	cacheID  string
	cacheTF  map[string]float64
	cacheSim map[int64]float64
}

// NewGrouper returns an empty grouper.
func NewGrouper(opt Options) *Grouper {
	return &Grouper{
		opt:  opt.withDefaults(),
		ids:  make(map[string]int32),
		byID: make(map[string]*entry),
		size: make(map[int64]int),
	}
}

// Len is the number of docs in the window.
func (g *Grouper) Len() int {
	g.mu.Lock()
	defer g.mu.Unlock()
	return len(g.docs)
}

// Match finds the story the doc belongs to, without adding it: the story
// whose window docs have the highest average similarity with the doc,
// when that average reaches the doc's threshold.
func (g *Grouper) Match(d Doc) (storyID int64, ok bool) {
	g.mu.Lock()
	defer g.mu.Unlock()
	tf, sims := g.similarities(d)
	th := g.threshold(len(tf))
	var best int64
	var bestScore float64
	for s, sim := range sims {
		if sim < th {
			continue
		}
		if sim > bestScore || sim == bestScore && s < best {
			best, bestScore = s, sim
		}
	}
	return best, best != 0
}

// threshold is Threshold scaled down for docs with few distinct features:
// the cosine of two short texts about one event is lower than that of two
// long ones, because each short text names only a few of its details.
func (g *Grouper) threshold(features int) float64 {
	share := math.Pow(float64(features)/fullLength, lengthExponent)
	return g.opt.Threshold * min(1, max(minLengthShare, share))
}

// similarities returns the doc's features and its average similarity with
// every window story it shares a feature with, cached for the doc last
// asked about.
func (g *Grouper) similarities(d Doc) (map[string]float64, map[int64]float64) {
	if d.ID != "" && d.ID == g.cacheID && g.cacheTF != nil {
		return g.cacheTF, g.cacheSim
	}
	tf := g.featuresOf(d)
	sim := g.averages(d, tf)
	g.cacheID, g.cacheTF, g.cacheSim = d.ID, tf, sim
	return tf, sim
}

// idf is the online inverse document frequency of a term held by df of n
// docs, under a prior of PriorDocs docs without it: ln((n+P)/(df+0.5)).
func (g *Grouper) idf(df, n int) float64 {
	return math.Log((float64(n) + g.opt.PriorDocs) / (float64(df) + 0.5))
}

// weight is the TF-IDF weight of one feature from its sublinear count
// ltf: ltf × online idf, × EntityWeight for names and numbers.
func (g *Grouper) weight(entity bool, ltf float64, df, n int) float64 {
	w := ltf * g.idf(df, n)
	if entity {
		w *= g.opt.EntityWeight
	}
	return w
}

// df is the number of window docs holding the feature.
func (g *Grouper) df(name string) (int32, int) {
	id, ok := g.ids[name]
	if !ok {
		return -1, 0
	}
	return id, len(g.terms[id].postings)
}

func isEntity(term string) bool {
	return len(term) > 2 && term[1] == ':' && (term[0] == 'e' || term[0] == 'n')
}

// averages computes the doc's average cosine similarity with each story
// it shares a feature with: the sum of its similarities with the story's
// window docs over their number (average link). The doc itself counts in
// the IDF, as if it had been added.
func (g *Grouper) averages(d Doc, tf map[string]float64) map[int64]float64 {
	sums := make(map[int64]float64)
	if len(g.docs) == 0 {
		return sums
	}
	n := len(g.docs) + 1
	type qterm struct {
		id int32
		f  float64 // query weight × idf × entity factor
	}
	qs := make([]qterm, 0, len(tf))
	var qn float64
	for _, t := range sortedKeys(tf) {
		c := tf[t]
		id, df := g.df(t)
		ltf := 1 + math.Log(c)
		w := g.weight(isEntity(t), ltf, df+1, n)
		qn += w * w
		if id >= 0 {
			qs = append(qs, qterm{id, w * w / ltf})
		}
	}
	qn = math.Sqrt(qn)
	if qn == 0 {
		return sums
	}
	// A window doc's weight of t is its ltf times the same idf and entity
	// factor as the query's, so one product per posting.
	var touched []*entry
	for _, q := range qs {
		for _, p := range g.terms[q.id].postings {
			if p.e.dot == 0 {
				touched = append(touched, p.e)
			}
			p.e.dot += q.f * float64(p.ltf)
		}
	}
	for _, e := range touched {
		sums[e.story] += e.dot / (qn * g.normOf(e, n)) * g.timeFactor(d.Published, e.when)
		e.dot = 0
	}
	for s, sum := range sums {
		sums[s] = sum / float64(g.size[s])
	}
	return sums
}

// normOf returns the doc's vector norm, recomputed when the window has
// changed size by more than a twentieth since it was last computed (the
// IDF moves slowly; exactness is not worth a full pass per match).
func (g *Grouper) normOf(e *entry, n int) float64 {
	if e.norm > 0 && abs(n-e.normN)*20 <= e.normN {
		return e.norm
	}
	var s float64
	for _, tc := range e.terms {
		t := &g.terms[tc.id]
		w := g.weight(t.entity, float64(tc.ltf), len(t.postings)+1, n)
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

// Add records the doc under the story, then evicts the docs that left the
// window.
func (g *Grouper) Add(d Doc, storyID int64) {
	g.mu.Lock()
	defer g.mu.Unlock()
	var tf map[string]float64
	if d.ID != "" && d.ID == g.cacheID && g.cacheTF != nil {
		tf = g.cacheTF
	} else {
		tf = g.featuresOf(d)
	}
	g.cacheID, g.cacheTF, g.cacheSim = "", nil, nil
	e := &entry{id: d.ID, story: storyID, when: d.Published, terms: make([]termCount, 0, len(tf))}
	if d.ID != "" {
		g.byID[d.ID] = e
	}
	g.docs = append(g.docs, e)
	for _, name := range sortedKeys(tf) {
		c := tf[name]
		id := g.intern(name)
		ltf := float32(1 + math.Log(c))
		e.terms = append(e.terms, termCount{id, ltf})
		g.terms[id].postings = append(g.terms[id].postings, posting{e, ltf})
	}
	e.names = g.leadNames(d)
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
			break
		}
		g.docs[0] = nil
		if g.byID[e.id] == e {
			delete(g.byID, e.id)
		}
		g.docs = g.docs[1:]
		for _, tc := range e.terms {
			t := &g.terms[tc.id]
			// Eviction is in arrival order, so e heads every list it is in.
			t.postings[0] = posting{}
			t.postings = t.postings[1:]
			if len(t.postings) == 0 {
				delete(g.ids, t.name)
				*t = term{}
				g.free = append(g.free, tc.id)
				continue
			}
			if cap(t.postings) > 2*len(t.postings)+16 {
				t.postings = append([]posting(nil), t.postings...)
			}
		}
		if g.size[e.story]--; g.size[e.story] <= 0 {
			delete(g.size, e.story)
		}
	}
	if cap(g.docs) > 2*len(g.docs)+64 {
		g.docs = append([]*entry(nil), g.docs...)
	}
}

// leadNames lists the word terms of the names in the doc's headline and
// lead ("tony" and "thompson" for "Tony Thompson"): who and where the
// event is about, as news writing puts it first. Calendar words ("Friday",
// "July") and words of one or two letters are left out: they name no one.
// The doc holds each of these terms, so they stay valid while it is in
// the window.
func (g *Grouper) leadNames(d Doc) []int32 {
	f := make(map[string]float64)
	words, key := wordFunc(englishWords), wordPrefix
	if code := docLanguage(d); code != "" {
		// The doc's word features carry its language ("de|merkel").
		words, key = languageWords(code), wordPrefix+code+"|"
	}
	addFeatures(f, tokenize(d.Title), words)
	addFeatures(f, tokenize(lead(d.Text)), words)
	var out []int32
	for name := range f {
		if !strings.HasPrefix(name, entityPrefix) {
			continue
		}
		for _, w := range strings.Fields(name[len(entityPrefix):]) {
			if len(w) <= 2 || w == "of" || calendarWords[w] {
				continue
			}
			if id, ok := g.ids[key+w]; ok {
				out = append(out, id)
			}
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// intern returns the feature's index in terms, adding it if new.
func (g *Grouper) intern(name string) int32 {
	if id, ok := g.ids[name]; ok {
		return id
	}
	t := term{name: name, entity: isEntity(name)}
	var id int32
	if n := len(g.free); n > 0 {
		id = g.free[n-1]
		g.free = g.free[:n-1]
		g.terms[id] = t
	} else {
		id = int32(len(g.terms))
		g.terms = append(g.terms, t)
	}
	g.ids[name] = id
	return id
}

// Group runs the grouping over docs exactly as the live bot does over one
// ingest round: Match each doc in order and Add it to the matched story
// or to a new one, then Settle and Apply. New stories are numbered 1, 2,
// 3… in order of their creation. It is GroupStream over the slice.
func Group(docs []Doc, opt Options) map[string]int64 {
	out, _ := GroupStream(func(yield func(Doc, error) bool) {
		for _, d := range docs {
			if !yield(d, nil) {
				return
			}
		}
	}, opt) // a slice yields no error
	return out
}

// sortedKeys lists a doc's features in order, so that every sum over them
// is made in the same order whatever the map's: the grouping is then the
// same from one run to the next, to the last bit.
func sortedKeys(tf map[string]float64) []string {
	keys := make([]string, 0, len(tf))
	for k := range tf {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
