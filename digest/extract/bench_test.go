package extract

import (
	"encoding/json"
	"sort"
	"testing"

	"newsdigest/digest"
)

// BenchmarkExtract extracts real pages of the shared extraction set, one
// after another (b.N counts pages).
func BenchmarkExtract(b *testing.B) {
	var truth map[string]struct {
		URL string `json:"url"`
	}
	if err := json.Unmarshal(readShared(b, "bench/extraction/ground-truth.json"), &truth); err != nil {
		b.Fatal(err)
	}
	var ids []string
	for id := range truth {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	ids = ids[:min(len(ids), 20)]
	pages := make([]digest.Page, len(ids))
	size := 0
	for i, id := range ids {
		pages[i] = digest.Page{URL: truth[id].URL, Body: readShared(b, "bench/extraction/html/"+id+".html.gz"), Name: id}
		size += len(pages[i].Body)
	}
	b.SetBytes(int64(size / len(pages)))
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		if _, err := Extract(pages[i%len(pages)], Options{}); err != nil {
			b.Logf("%s: %v", pages[i%len(pages)].Name, err)
		}
	}
}

func BenchmarkExtractSeed(b *testing.B) {
	body := readShared(b, "seeds/000_1a245fab6bbc05c5.txt")
	for b.Loop() {
		if _, err := Extract(digest.Page{Body: body, Name: "seed"}, Options{}); err != nil {
			b.Fatal(err)
		}
	}
}
