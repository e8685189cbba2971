package summary

import (
	"flag"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

// TestGolden keeps the summaries of the seed page and of the first five
// true bodies (by ID) of the extraction benchmark in
// testdata/summaries.golden, so that a change of behaviour shows up as a
// diff. Run with -update to accept a change. (The CNN/DailyMail articles,
// which may not be copied here, are checked by TestSummarizeCNNDM and
// scored by bench/summaries.)
func TestGolden(t *testing.T) {
	var b strings.Builder
	b.WriteString("== seed 000_1a245fab6bbc05c5\n")
	for _, l := range Summarize(seedBody(t)) {
		b.WriteString(l + "\n")
	}
	truth := realBodies(t)
	ids := slices.Sorted(maps.Keys(truth))
	for _, id := range ids[:5] {
		b.WriteString("== extraction " + id + "\n")
		for _, l := range Summarize(truth[id]) {
			b.WriteString(l + "\n")
		}
	}
	path := filepath.Join("testdata", "summaries.golden")
	if *update {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run with -update to create it)", err)
	}
	if got := b.String(); got != string(want) {
		t.Errorf("summaries differ from %s (run with -update to accept):\n got:\n%s\nwant:\n%s", path, got, want)
	}
}
