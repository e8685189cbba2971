package fingerprint

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"newsdigest/internal/testenv"
)

// sharedDir is ../shared/bench/extraction beside the checkout: these are
// bench-scale checks, distributions over whole evaluation sets; they skip
// (loudly, see TestMain) without it.
func sharedDir(t testing.TB) string {
	t.Helper()
	return filepath.Dir(testenv.Shared(t, "bench/extraction/ground-truth.json"))
}

// TestMain reports the tests that skipped for want of ../shared.
func TestMain(m *testing.M) { testenv.Main(m) }

func loadBodies(t testing.TB, path string) map[string]string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]struct {
		ArticleBody string `json:"articleBody"`
	}
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	out := map[string]string{}
	for id, v := range m {
		out[id] = v.ArticleBody
	}
	return out
}

func percentile(d []int, p float64) int {
	s := slices.Clone(d)
	slices.Sort(s)
	return s[int(p*float64(len(s)-1))]
}

// TestSimHashSyndicatedPairs measures SimHash distances on real pairs: the
// same article as two extractors cut it from the same page (one keeps the
// headline, teaser or a caption, the other does not — what differs between
// two sites carrying one wire story), against pairs of different articles.
func TestSimHashSyndicatedPairs(t *testing.T) {
	dir := sharedDir(t)
	truth := loadBodies(t, filepath.Join(dir, "ground-truth.json"))
	var same []int
	for _, peer := range []string{"go_trafilatura", "readability_js"} {
		pred := loadBodies(t, filepath.Join(dir, "peers", peer+".json"))
		for id, body := range truth {
			p := pred[id]
			if len(Words(body)) < 50 || len(Words(p)) < 50 {
				continue
			}
			same = append(same, Distance(SimHash(body), SimHash(p)))
		}
	}
	ids := make([]string, 0, len(truth))
	for id := range truth {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	hashes := make([]uint64, len(ids))
	for i, id := range ids {
		hashes[i] = SimHash(truth[id])
	}
	var diff []int
	for i := range hashes {
		for j := i + 1; j < len(hashes); j++ {
			diff = append(diff, Distance(hashes[i], hashes[j]))
		}
	}
	near := 0
	for _, d := range same {
		if d <= NearDuplicate {
			near++
		}
	}
	falseNear := 0
	for _, d := range diff {
		if d <= NearDuplicate {
			falseNear++
		}
	}
	t.Logf("same article, two extractions: n=%d p10=%d median=%d p90=%d max=%d; within %d: %d (%.0f%%)",
		len(same), percentile(same, .1), percentile(same, .5), percentile(same, .9), slices.Max(same),
		NearDuplicate, near, 100*float64(near)/float64(len(same)))
	for _, k := range []int{6, 10, 14} {
		n := 0
		for _, d := range same {
			if d <= k {
				n++
			}
		}
		t.Logf("  within %d: %.0f%%", k, 100*float64(n)/float64(len(same)))
	}
	t.Logf("different articles: n=%d min=%d p1=%d median=%d; within %d: %d",
		len(diff), slices.Min(diff), percentile(diff, .01), percentile(diff, .5), NearDuplicate, falseNear)
	logWithin(t, "different articles", diff)
	if falseNear != 0 {
		t.Errorf("%d pairs of different articles are within distance %d", falseNear, NearDuplicate)
	}
	if m := percentile(diff, .5); m < 24 {
		t.Errorf("median distance of different articles = %d, want about 32 (bits not independent?)", m)
	}
	if m := percentile(same, .5); m > percentile(diff, .01) {
		t.Errorf("median distance of same-article pairs %d is not below the 1st percentile of different ones %d", m, percentile(diff, .01))
	}
}

// TestSimHashSameEventDifferentText checks that different reports of one
// event (ECB+ gold clusters) are not taken for copies of one article:
// grouping those is the story grouper's job, not the fingerprint's.
func TestSimHashSameEventDifferentText(t *testing.T) {
	f, err := os.Open(testenv.Shared(t, "bench/stories/ecbplus.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	byCluster := map[string][]uint64{}
	dec := json.NewDecoder(f)
	for dec.More() {
		var d struct{ Cluster, Text string }
		if err := dec.Decode(&d); err != nil {
			t.Fatal(err)
		}
		byCluster[d.Cluster] = append(byCluster[d.Cluster], SimHash(d.Text))
	}
	var dists []int
	for _, hs := range byCluster {
		for i := range hs {
			for j := i + 1; j < len(hs); j++ {
				dists = append(dists, Distance(hs[i], hs[j]))
			}
		}
	}
	near := 0
	for _, d := range dists {
		if d <= NearDuplicate {
			near++
		}
	}
	t.Logf("same event, different articles: n=%d min=%d p1=%d median=%d; within %d: %d",
		len(dists), slices.Min(dists), percentile(dists, .01), percentile(dists, .5), NearDuplicate, near)
	logWithin(t, "same event", dists)
	// ECB+ holds a few verbatim reprints of one wire text; allow those, no more.
	if float64(near) > 0.01*float64(len(dists)) {
		t.Errorf("%d of %d same-event pairs are within %d", near, len(dists), NearDuplicate)
	}
}

func logWithin(t *testing.T, what string, d []int) {
	for _, k := range []int{6, 8, 10} {
		n := 0
		for _, x := range d {
			if x <= k {
				n++
			}
		}
		t.Logf("  %s within %d: %d of %d", what, k, n, len(d))
	}
}
