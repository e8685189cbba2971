package main

import (
	"math"
	"regexp"
	"strings"

	"newsdigest/digest/story"
)

// The baseline the issue names: plain TF-IDF (scikit-learn's defaults:
// tokens of two or more word characters, lower-cased, English stop words
// removed, raw term counts, smooth idf ln((1+n)/(1+df))+1 from the docs
// being grouped, L2-normalised), cosine similarity, and offline
// average-link agglomerative clustering cut at a threshold. It sees the
// whole set at once, which an online grouper cannot.

var baseTokens = regexp.MustCompile(`\w\w+`)

// baseStop is a short English stop list (function words only).
var baseStop = func() map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(`a about above after again against all am an and any are as at be because been
before being below between both but by can could did do does doing down during each few for from further had has
have having he her here hers herself him himself his how i if in into is it its itself just me more most my myself
no nor not now of off on once only or other our ours ourselves out over own same she should so some such than that
the their theirs them themselves then there these they this those through to too under until up very was we were
what when where which while who whom why will with would you your yours yourself yourselves also said says`) {
		m[w] = true
	}
	return m
}()

type sparse map[string]float64

func tfidfVectors(docs []story.Doc) []sparse {
	tfs := make([]map[string]int, len(docs))
	df := map[string]int{}
	for i, d := range docs {
		tf := map[string]int{}
		for _, t := range baseTokens.FindAllString(strings.ToLower(d.Title+"\n"+d.Text), -1) {
			if !baseStop[t] {
				tf[t]++
			}
		}
		for t := range tf {
			df[t]++
		}
		tfs[i] = tf
	}
	n := float64(len(docs))
	out := make([]sparse, len(docs))
	for i, tf := range tfs {
		v := sparse{}
		var norm float64
		for t, c := range tf {
			w := float64(c) * (math.Log((1+n)/(1+float64(df[t]))) + 1)
			v[t] = w
			norm += w * w
		}
		norm = math.Sqrt(norm)
		for t := range v {
			v[t] /= norm
		}
		out[i] = v
	}
	return out
}

func dot(a, b sparse) float64 {
	if len(a) > len(b) {
		a, b = b, a
	}
	var s float64
	for t, w := range a {
		s += w * b[t]
	}
	return s
}

// merge is one step of the dendrogram: clusters a and b joined at height sim.
type merge struct {
	a, b int
	sim  float64
}

// averageLink builds the average-link dendrogram of docs (naive O(n³),
// fine for a few hundred docs).
func averageLink(docs []story.Doc) []merge {
	vecs := tfidfVectors(docs)
	n := len(docs)
	// sum[i][j]: total pairwise similarity between clusters i and j.
	sum := make([][]float64, n)
	for i := range sum {
		sum[i] = make([]float64, n)
	}
	for i := 0; i < n; i++ {
		for j := i + 1; j < n; j++ {
			s := dot(vecs[i], vecs[j])
			sum[i][j], sum[j][i] = s, s
		}
	}
	size := make([]int, n)
	alive := make([]bool, n)
	for i := range size {
		size[i], alive[i] = 1, true
	}
	var out []merge
	for k := 0; k < n-1; k++ {
		bi, bj, best := -1, -1, math.Inf(-1)
		for i := 0; i < n; i++ {
			if !alive[i] {
				continue
			}
			for j := i + 1; j < n; j++ {
				if !alive[j] {
					continue
				}
				if avg := sum[i][j] / float64(size[i]*size[j]); avg > best {
					bi, bj, best = i, j, avg
				}
			}
		}
		out = append(out, merge{bi, bj, best})
		alive[bj] = false
		size[bi] += size[bj]
		for m := 0; m < n; m++ {
			if alive[m] && m != bi {
				sum[bi][m] += sum[bj][m]
				sum[m][bi] = sum[bi][m]
			}
		}
	}
	return out
}

// cut applies the dendrogram's merges down to the threshold.
func cut(docs []story.Doc, merges []merge, threshold float64) map[string]int64 {
	parent := make([]int, len(docs))
	for i := range parent {
		parent[i] = i
	}
	var find func(int) int
	find = func(i int) int {
		for parent[i] != i {
			parent[i] = parent[parent[i]]
			i = parent[i]
		}
		return i
	}
	for _, m := range merges {
		if m.sim < threshold {
			break
		}
		parent[find(m.b)] = find(m.a)
	}
	out := make(map[string]int64, len(docs))
	for i, d := range docs {
		out[d.ID] = int64(find(i)) + 1
	}
	return out
}
