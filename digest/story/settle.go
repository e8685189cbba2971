package story

import (
	"container/heap"
	"fmt"
	"sort"
)

// Move is one doc that Settle puts into another story.
type Move struct {
	DocID    string
	From, To int64
}

// pairFloor is the share of the lower of two docs' thresholds their
// similarity needs to count in Settle's graph. A weaker pair counts as 0
// in the averages, which makes merges of large groups a little harder; it
// bounds the memory a window of thousands of close docs needs. Half a
// threshold changes nothing on ECB+ (whole texts or first lines) against
// keeping every pair down to 0.02.
const pairFloor = 0.5

// Settle regroups the whole window at once, whatever order the docs came
// in, and returns the moves that would make the window's stories match
// (in window order); Apply makes them. The grouping is average-link
// agglomerative clustering under the same similarity as Match: a doc joins
// a group when its average similarity with the group's docs reaches the
// mean of their thresholds (see the package doc), and two groups of
// several docs merge only at a margin above that, growing with the
// smaller group's size (Options.MergeMargin): a group's members share the
// words of its topic, so two groups of look-alike events (two quakes, two
// rehab stays) resemble each other more than a lone doc of one resembles
// the other.
//
// The groups then take over the window's story IDs: each story ID goes to
// the group holding most of its docs (the larger overlap first, then the
// lower ID), so a story that only grows keeps its ID, and a group left
// without one gets newID() (in order of its first doc). On an error from
// newID, Settle returns it and no moves.
//
// Online matching commits each doc when it comes, so an early doc of a
// look-alike event can be absorbed by the first story of its topic, or
// two early halves of one event stay apart; the live bot settles every
// minute while articles come in (ingest.Ingester.Regroup), and Settle
// undoes what a fuller view shows to be wrong.
func (g *Grouper) Settle(newID func() (int64, error)) ([]Move, error) {
	g.mu.Lock()
	defer g.mu.Unlock()
	n := len(g.docs)
	if n == 0 {
		return nil, nil
	}
	clusters := g.cluster()
	// Overlaps between the groups found and the current stories.
	type overlap struct {
		group int
		story int64
		n     int
	}
	counts := map[[2]int64]int{}
	for gi, members := range clusters {
		for _, i := range members {
			counts[[2]int64{int64(gi), g.docs[i].story}]++
		}
	}
	ovs := make([]overlap, 0, len(counts))
	for k, c := range counts {
		ovs = append(ovs, overlap{int(k[0]), k[1], c})
	}
	sort.Slice(ovs, func(i, j int) bool {
		a, b := ovs[i], ovs[j]
		if a.n != b.n {
			return a.n > b.n
		}
		if a.story != b.story {
			return a.story < b.story
		}
		return a.group < b.group
	})
	groupID := make([]int64, len(clusters))
	taken := map[int64]bool{}
	for _, o := range ovs {
		if groupID[o.group] != 0 || taken[o.story] {
			continue
		}
		groupID[o.group], taken[o.story] = o.story, true
	}
	// clusters is in order of each group's first doc.
	for gi := range clusters {
		if groupID[gi] == 0 {
			id, err := newID()
			if err != nil {
				return nil, fmt.Errorf("story: settle: new story: %w", err)
			}
			groupID[gi] = id
		}
	}
	groupOf := make([]int, n)
	for gi, members := range clusters {
		for _, i := range members {
			groupOf[i] = gi
		}
	}
	var moves []Move
	for i, e := range g.docs {
		if to := groupID[groupOf[i]]; e.story != to {
			moves = append(moves, Move{DocID: e.id, From: e.story, To: to})
		}
	}
	return moves, nil
}

// Apply makes the moves Settle returned, once the caller has stored them.
// A move of a doc that has left the window, or whose story is no longer
// From, is skipped.
func (g *Grouper) Apply(moves []Move) {
	if len(moves) == 0 {
		return
	}
	g.mu.Lock()
	defer g.mu.Unlock()
	g.cacheID, g.cacheTF, g.cacheSim = "", nil, nil
	for _, m := range moves {
		if e := g.byID[m.DocID]; e != nil && e.story == m.From {
			g.setStory(e, m.To)
		}
	}
}

// Has reports whether a doc with this ID is in the window.
func (g *Grouper) Has(id string) bool {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.byID[id] != nil
}

// Relabel sets the story of each window doc named in stories (doc ID →
// story ID) to the one given, as the store has it: several bot instances
// share one store and regroup it, each with a grouper of its own. It
// returns how many docs changed story.
func (g *Grouper) Relabel(stories map[string]int64) int {
	g.mu.Lock()
	defer g.mu.Unlock()
	n := 0
	for id, s := range stories {
		if e := g.byID[id]; e != nil && e.story != s {
			g.setStory(e, s)
			n++
		}
	}
	if n > 0 {
		g.cacheID, g.cacheTF, g.cacheSim = "", nil, nil
	}
	return n
}

func (g *Grouper) setStory(e *entry, s int64) {
	if g.size[e.story]--; g.size[e.story] <= 0 {
		delete(g.size, e.story)
	}
	e.story = s
	g.size[s]++
}

// cluster runs average-link agglomerative clustering over the window and
// returns the groups as lists of window indexes, each in window order.
func (g *Grouper) cluster() [][]int {
	n := len(g.docs)
	// Norms under the current IDF.
	norms := make([]float64, n)
	for i, e := range g.docs {
		e.norm, e.normN = 0, 0
		norms[i] = g.normOf(e, n)
	}
	for i, e := range g.docs {
		e.pos = i
	}
	// Pair similarities above the floor, each pair once (j < i). Keys and
	// sums are 32-bit: a window of 5,000 close docs has some 300,000 pairs.
	adj := make([]map[int32]float32, n)
	for i := range adj {
		adj[i] = map[int32]float32{}
	}
	ths := make([]float64, n)
	for i, e := range g.docs {
		ths[i] = g.threshold(len(e.terms))
	}
	dots := make([]float64, n)
	var touched []int
	for i, e := range g.docs {
		for _, tc := range e.terms {
			t := &g.terms[tc.id]
			idf := g.idf(len(t.postings), n)
			if t.entity {
				idf *= g.opt.EntityWeight
			}
			f := float64(tc.ltf) * idf * idf
			for _, p := range t.postings {
				j := p.e.pos
				if j >= i {
					break // postings are in arrival order
				}
				if dots[j] == 0 {
					touched = append(touched, j)
				}
				dots[j] += f * float64(p.ltf)
			}
		}
		for _, j := range touched {
			sim := dots[j] / (norms[i] * norms[j]) * g.timeFactor(e.when, g.docs[j].when)
			if sim >= pairFloor*min(ths[i], ths[j]) {
				adj[i][int32(j)] = float32(sim)
				adj[j][int32(i)] = float32(sim)
			}
			dots[j] = 0
		}
		touched = touched[:0]
	}
	// Clusters: members, the sum of their thresholds, and the summed
	// similarity to each neighbouring cluster.
	type clus struct {
		members []int
		thSum   float64
		sums    map[int32]float32
		version int32
		alive   bool
		// names counts the members naming each word in their headline
		// and lead (nil for a lone doc); own lists the group's own names.
		names map[int32]int32
		own   []int32
	}
	cs := make([]*clus, n)
	for i := range g.docs {
		cs[i] = &clus{members: []int{i}, thSum: ths[i], sums: adj[i], alive: true}
	}
	// gain is how far two clusters' average similarity lies above the
	// mean threshold of their docs, raised for two groups of several docs,
	// and raised again when each group has a name of its own that no
	// member of the other names in its headline and lead.
	gain := func(a, b int32, sum float32) float64 {
		na, nb := float64(len(cs[a].members)), float64(len(cs[b].members))
		th := (cs[a].thSum/na + cs[b].thSum/nb) / 2
		th *= 1 + g.opt.MergeMargin*(1-1/min(na, nb))
		avg := float64(sum) / (na * nb)
		if avg >= th && na > 1 && nb > 1 && g.opt.ConflictMargin > 0 &&
			lacksOwn(cs[a].own, cs[b].names) && lacksOwn(cs[b].own, cs[a].names) {
			th *= 1 + g.opt.ConflictMargin
		}
		return avg - th
	}
	push := func(h *pairHeap, a, b int32, sum float32) {
		if gn := gain(a, b, sum); gn >= 0 {
			if b < a {
				a, b = b, a
			}
			heap.Push(h, pair{gn, a, b, cs[a].version, cs[b].version})
		}
	}
	h := &pairHeap{}
	for i := range cs {
		for j, s := range cs[i].sums {
			if j < int32(i) {
				push(h, int32(i), j, s)
			}
		}
	}
	for h.Len() > 0 {
		p := heap.Pop(h).(pair)
		x, y := p.a, p.b
		a, b := cs[x], cs[y]
		if !a.alive || !b.alive || a.version != p.va || b.version != p.vb {
			continue
		}
		// Merge the cluster with fewer neighbours into the other.
		if len(a.sums) < len(b.sums) {
			x, y, a, b = y, x, b, a
		}
		a.members = append(a.members, b.members...)
		a.thSum += b.thSum
		a.version++
		b.alive = false
		delete(a.sums, y)
		for k, s := range b.sums {
			if k == x {
				continue
			}
			a.sums[k] += s
			ck := cs[k]
			ck.sums[x] += s
			delete(ck.sums, y)
		}
		b.sums = nil
		a.names = g.mergeNames(a.names, a.members[:len(a.members)-len(b.members)], b.names, b.members)
		a.own = g.ownNames(a.names, len(a.members), a.own[:0])
		b.names, b.own = nil, nil
		for k, s := range a.sums {
			push(h, x, k, s)
		}
	}
	var out [][]int
	for _, c := range cs {
		if c.alive {
			sort.Ints(c.members)
			out = append(out, c.members)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i][0] < out[j][0] })
	return out
}

// mergeNames returns the name counts of two groups joined: each group's
// counts, or its members' names when it is a lone doc (nil counts).
func (g *Grouper) mergeNames(a map[int32]int32, am []int, b map[int32]int32, bm []int) map[int32]int32 {
	if a == nil {
		a = make(map[int32]int32)
		for _, i := range am {
			for _, w := range g.docs[i].names {
				a[w]++
			}
		}
	}
	if b == nil {
		for _, i := range bm {
			for _, w := range g.docs[i].names {
				a[w]++
			}
		}
		return a
	}
	for w, c := range b {
		a[w] += c
	}
	return a
}

// ownNames lists (into out) a group's own names: those named by at least
// two of its size members, at least half of them, and by at least half
// of the window's docs that use the word at all. The last condition
// keeps the names of the whole topic out ("Navy", "Somali" in every
// report of a piracy wave): a name is the group's own only when the
// group holds most of its uses.
func (g *Grouper) ownNames(names map[int32]int32, size int, out []int32) []int32 {
	for w, c := range names {
		if c >= 2 && 2*int(c) >= size && 2*int(c) >= len(g.terms[w].postings) {
			out = append(out, w)
		}
	}
	return out
}

// lacksOwn reports whether one of a group's own names is named by no
// member of the other group.
func lacksOwn(own []int32, other map[int32]int32) bool {
	for _, w := range own {
		if other[w] == 0 {
			return true
		}
	}
	return false
}

type pair struct {
	gain   float64
	a, b   int32 // a < b
	va, vb int32
}

type pairHeap []pair

func (h pairHeap) Len() int { return len(h) }
func (h pairHeap) Less(i, j int) bool {
	if h[i].gain != h[j].gain {
		return h[i].gain > h[j].gain
	}
	if h[i].a != h[j].a {
		return h[i].a < h[j].a
	}
	return h[i].b < h[j].b
}
func (h pairHeap) Swap(i, j int) { h[i], h[j] = h[j], h[i] }
func (h *pairHeap) Push(x any)   { *h = append(*h, x.(pair)) }
func (h *pairHeap) Pop() any {
	old := *h
	x := old[len(old)-1]
	*h = old[:len(old)-1]
	return x
}
