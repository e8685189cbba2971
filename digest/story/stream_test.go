package story

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"iter"
	"maps"
	"strings"
	"testing"
	"time"

	"newsdigest/internal/testenv"
)

// TestGroupStreamIsGroup: grouping the docs of a JSON-lines file as a
// stream gives what Group gives on the docs themselves (real ECB+ docs in
// testdata, and the small fixtures): ScanJSONL keeps all Group uses.
func TestGroupStreamIsGroup(t *testing.T) {
	sets := [][]Doc{{quakeA, other, quakeB, {ID: "e", Text: "The budget vote in parliament failed."}, quakeC}, ecbplus(t)}
	for _, docs := range sets {
		var buf bytes.Buffer
		for _, d := range docs {
			m := map[string]any{"id": d.ID, "title": d.Title, "text": d.Text, "source": d.Source, "url": d.URL}
			if !d.Published.IsZero() {
				m["published"] = d.Published.Format(time.RFC3339Nano)
			}
			line, _ := json.Marshal(m)
			buf.Write(line)
			buf.WriteByte('\n')
		}
		got, err := GroupStream(ScanJSONL(&buf), Options{})
		if err != nil {
			t.Fatal(err)
		}
		if want := Group(docs, Options{}); !maps.Equal(got, want) {
			t.Errorf("%d docs: GroupStream differs from Group", len(docs))
		}
	}
}

func TestScanJSONLStopsAtError(t *testing.T) {
	in := "{\"id\":1,\"text\":\"a\"}\n{\"id\":2,\"text\":\n{\"id\":3,\"text\":\"c\"}\n"
	n := 0
	var last error
	for _, err := range ScanJSONL(strings.NewReader(in)) {
		n++
		last = err
	}
	if n != 2 || last == nil || !strings.Contains(last.Error(), "line 2") {
		t.Errorf("%d yields, last error %v; want one doc, then the error of line 2", n, last)
	}
}

// nearIdentical yields n near-identical docs (the quake report with one
// word changed) without holding them.
func nearIdentical(n int) iter.Seq2[Doc, error] {
	words := strings.Fields(quakeA.Text)
	return func(yield func(Doc, error) bool) {
		for i := range n {
			w := append([]string(nil), words...)
			w[i%len(w)] = fmt.Sprintf("w%d", i)
			d := Doc{ID: fmt.Sprint(i), Title: quakeA.Title, Text: strings.Join(w, " ") + " " + strings.Repeat(quakeB.Text+" ", 20)}
			if !yield(d, nil) {
				return
			}
		}
	}
}

// BenchmarkGroupStreamMemory: peak heap of grouping 2,000 and 20,000
// near-identical docs with a window of 500, as a stream (GroupStream) and
// held whole (Group over the slice ReadJSONL gave before): the stream's
// peak stays flat as the input grows tenfold.
//
//	go test ./digest/story -run '^$' -bench GroupStreamMemory -benchtime 1x
func BenchmarkGroupStreamMemory(b *testing.B) {
	for _, n := range []int{2000, 20000} {
		b.Run(fmt.Sprintf("stream-%d", n), func(b *testing.B) {
			var peak uint64
			for b.Loop() {
				peak = max(peak, testenv.PeakHeap(func() {
					if _, err := GroupStream(nearIdentical(n), Options{MaxDocs: 500}); err != nil {
						b.Fatal(err)
					}
				}))
			}
			b.ReportMetric(float64(peak)/(1<<20), "peak-heap-MB")
		})
		b.Run(fmt.Sprintf("whole-%d", n), func(b *testing.B) {
			var peak uint64
			for b.Loop() {
				peak = max(peak, testenv.PeakHeap(func() {
					var docs []Doc
					for d := range nearIdentical(n) {
						docs = append(docs, d)
					}
					Group(docs, Options{MaxDocs: 500})
				}))
			}
			b.ReportMetric(float64(peak)/(1<<20), "peak-heap-MB")
		})
	}
}

// TestGroupStreamStopsAtError: the first error of the stream is
// GroupStream's, and nothing after it is read.
func TestGroupStreamStopsAtError(t *testing.T) {
	bad := errors.New("line 2: unexpected end of JSON input")
	read := 0
	docs := func(yield func(Doc, error) bool) {
		for _, step := range []struct {
			d   Doc
			err error
		}{{quakeA, nil}, {Doc{}, bad}, {quakeB, nil}} {
			read++
			if !yield(step.d, step.err) {
				return
			}
		}
	}
	got, err := GroupStream(docs, Options{})
	if !errors.Is(err, bad) || got != nil {
		t.Errorf("GroupStream = %v, %v; want no result and the stream's error", got, err)
	}
	if read != 2 {
		t.Errorf("%d docs read, want 2: the stream stops at its error", read)
	}
}
