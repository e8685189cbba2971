package extract

import (
	"encoding/json"
	"fmt"
	"os"
	"strings"
	"testing"

	"newsdigest/digest"
	"newsdigest/internal/testenv"
)

// hugePage builds a page of about size bytes whose article is one
// paragraph: the real body of testdata/sciencealert.golden repeated (the
// shape of a hostile page: nothing to split it on).
func hugePage(tb testing.TB, size int, paragraphs bool) []byte {
	raw, err := os.ReadFile("testdata/sciencealert.golden")
	if err != nil {
		tb.Fatal(err)
	}
	var g struct{ Headline, Body string }
	if err := json.Unmarshal(raw, &g); err != nil {
		tb.Fatal(err)
	}
	text := strings.ReplaceAll(g.Body, "\n\n", " ")
	sep := " "
	if paragraphs {
		sep = "</p>\n<p>"
	}
	var b strings.Builder
	b.Grow(size + 4096)
	fmt.Fprintf(&b, "<!DOCTYPE html><html><head><title>%s</title></head><body><article><h1>%s</h1><p>", g.Headline, g.Headline)
	for b.Len() < size {
		b.WriteString(text)
		b.WriteString(sep)
	}
	b.WriteString("</p></article></body></html>")
	return []byte(b.String())
}

// BenchmarkExtractHugePage measures extraction's memory on one-paragraph
// pages of 16, 64 and 99 MiB (and 99 MiB of short paragraphs): peak heap
// in MB and as a multiple of the page's size. The bound: extraction reads
// MaxPageBytes at most and keeps MaxBodyBytes of body, so the peak stays
// flat past 16 MiB.
//
//	go test ./digest/extract -run '^$' -bench HugePage -benchtime 1x
func BenchmarkExtractHugePage(b *testing.B) {
	for _, tc := range []struct {
		mib        int
		paragraphs bool
	}{{16, false}, {64, false}, {99, false}, {99, true}} {
		name := fmt.Sprintf("%dMiB-one-paragraph", tc.mib)
		if tc.paragraphs {
			name = fmt.Sprintf("%dMiB-paragraphs", tc.mib)
		}
		b.Run(name, func(b *testing.B) {
			page := digest.Page{URL: "https://www.sciencealert.com/huge", ContentType: "text/html; charset=utf-8", Body: hugePage(b, tc.mib<<20, tc.paragraphs)}
			var peak uint64
			for b.Loop() {
				peak = max(peak, testenv.PeakHeap(func() {
					if _, err := Extract(page, Options{}); err != nil {
						b.Fatal(err)
					}
				}))
			}
			b.ReportMetric(float64(peak)/(1<<20), "peak-heap-MB")
			b.ReportMetric(float64(peak)/float64(len(page.Body)), "peak/page")
		})
	}
}

// TestExtractMemoryBound: a 32 MiB one-paragraph page is extracted with a
// peak heap of at most 16 × MaxPageBytes besides the page itself (held by
// the caller), and its body is cut to MaxBodyBytes. Before the bounds it
// took about 18 bytes per byte of page.
func TestExtractMemoryBound(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a 32 MiB page")
	}
	page := digest.Page{URL: "https://www.sciencealert.com/huge", Body: hugePage(t, 32<<20, false)}
	var a digest.Article
	var err error
	peak := testenv.PeakHeap(func() { a, err = Extract(page, Options{}) })
	if err != nil {
		t.Fatal(err)
	}
	if len(a.Body) > MaxBodyBytes || len(a.Body) < MaxBodyBytes/2 {
		t.Errorf("body of %d bytes, want at most %d", len(a.Body), MaxBodyBytes)
	}
	if limit := uint64(len(page.Body)) + 16*MaxPageBytes; peak > limit {
		t.Errorf("peak heap %d MB, want at most %d MB", peak>>20, limit>>20)
	}
}
