package testenv

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// recTB records what skip does instead of stopping the test.
type recTB struct {
	testing.TB
	fatal, skip string
}

type stop struct{}

func (r *recTB) Helper()                         {}
func (r *recTB) Name() string                    { return "TestX" }
func (r *recTB) Fatalf(format string, a ...any)  { r.fatal = format; panic(stop{}) }
func (r *recTB) Skip(a ...any)                   { r.skip = a[0].(string); panic(stop{}) }
func (r *recTB) Skipf(format string, a ...any)   { r.skip = format; panic(stop{}) }
func (r *recTB) Errorf(format string, a ...any)  { r.fatal = format }
func (r *recTB) Logf(format string, args ...any) {}

func run(tb *recTB, f func()) {
	defer func() {
		if p := recover(); p != nil {
			if _, ok := p.(stop); !ok {
				panic(p)
			}
		}
	}()
	f()
}

func TestSkipIsLoudAndRequireAllFails(t *testing.T) {
	t.Setenv(PostgresEnv, "")
	t.Setenv(RequireEnv, "")
	// The skips this test makes on purpose are not the run's: they go to a
	// log of its own, which must then name them.
	own := filepath.Join(t.TempDir(), "skips")
	t.Setenv(SkipLogEnv, own)
	mu.Lock()
	saved := skipped
	skipped = map[string][]string{}
	mu.Unlock()
	defer func() { mu.Lock(); skipped = saved; mu.Unlock() }()

	tb := &recTB{TB: t}
	run(tb, func() { Postgres(tb) })
	if tb.skip == "" || tb.fatal != "" || !strings.Contains(tb.skip, PostgresEnv) {
		t.Fatalf("without %s: skip %q, fatal %q; want a skip naming the variable", PostgresEnv, tb.skip, tb.fatal)
	}
	tb = &recTB{TB: t}
	run(tb, func() { Shared(tb, "no/such/file.json") })
	if !strings.Contains(tb.skip, "../shared/no/such/file.json") {
		t.Errorf("missing shared file: skip %q, want it named", tb.skip)
	}
	var out bytes.Buffer
	report(&out)
	line := out.String()
	if strings.Count(line, "\n") != 1 || !strings.Contains(line, "SKIPPED") ||
		!strings.Contains(line, "1 for want of PostgreSQL (set "+PostgresEnv) || !strings.Contains(line, "1 for want of the shared evaluation data") {
		t.Errorf("report = %q, want one line naming both and how to enable them", line)
	}
	if logged, err := os.ReadFile(own); err != nil || strings.Count(string(logged), "\n") != 2 || !strings.Contains(string(logged), "PostgreSQL") {
		t.Errorf("skip log %q, %v: want both skips, one a line", logged, err)
	}

	t.Setenv(RequireEnv, "1")
	tb = &recTB{TB: t}
	run(tb, func() { Postgres(tb) })
	if tb.fatal == "" || tb.skip != "" {
		t.Errorf("with %s=1: skip %q, fatal %q; want a failure", RequireEnv, tb.skip, tb.fatal)
	}
	tb = &recTB{TB: t}
	run(tb, func() { Shared(tb, "no/such/file.json") })
	if tb.fatal == "" || tb.skip != "" {
		t.Errorf("with %s=1 and no shared file: skip %q, fatal %q; want a failure", RequireEnv, tb.skip, tb.fatal)
	}
}

var sink []byte

// TestPeakHeap: 32 MiB held while f runs show in the peak.
func TestPeakHeap(t *testing.T) {
	peak := PeakHeap(func() {
		sink = make([]byte, 32<<20)
		for i := range sink {
			sink[i] = byte(i)
		}
	})
	sink = nil
	if peak < 32<<20 {
		t.Errorf("peak heap %d bytes while 32 MiB were held", peak)
	}
}
