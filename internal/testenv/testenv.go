// Package testenv makes the tests that need something outside the
// repository skip loudly: the PostgreSQL server named by
// NEWSDIGEST_TEST_POSTGRES, or the shared evaluation data in ../shared
// beside the checkout (bench-scale checks only; every unit and golden test
// carries its inputs in testdata/).
//
// A package whose tests may skip for want of either runs them through
// Main, which prints one line after the tests naming what was skipped and
// what enables it. `go test ./...` shows a passing package's output only
// with -v, so the line also goes to the terminal (/dev/tty) when there is
// one. With NEWSDIGEST_REQUIRE_ALL=1 (set by .ci/run) such a test fails
// instead of skipping.
package testenv

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"sync"
	"testing"
)

// PostgresEnv names the PostgreSQL server the tests use.
const PostgresEnv = "NEWSDIGEST_TEST_POSTGRES"

// RequireEnv, set to 1, turns the skips of this package into failures.
const RequireEnv = "NEWSDIGEST_REQUIRE_ALL"

// SkipLogEnv names a file each skip is appended to ("what<TAB>test" a
// line), which test.sh sums up in one line after `go test ./...`.
const SkipLogEnv = "NEWSDIGEST_SKIP_LOG"

var (
	mu      sync.Mutex
	skipped = map[string][]string{} // what is missing → tests skipped
)

func required() bool { return os.Getenv(RequireEnv) == "1" }

// skip skips tb for want of what (or fails it under NEWSDIGEST_REQUIRE_ALL).
func skip(tb testing.TB, what, msg string) {
	tb.Helper()
	if required() {
		tb.Fatalf("%s (%s=1: nothing may skip)", msg, RequireEnv)
	}
	mu.Lock()
	skipped[what] = append(skipped[what], tb.Name())
	if p := os.Getenv(SkipLogEnv); p != "" {
		if f, err := os.OpenFile(p, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o644); err == nil {
			fmt.Fprintf(f, "%s\t%s\n", what, tb.Name())
			f.Close()
		}
	}
	mu.Unlock()
	tb.Skip(msg)
}

// Postgres returns the URL in NEWSDIGEST_TEST_POSTGRES, or skips tb.
func Postgres(tb testing.TB) string {
	tb.Helper()
	u := os.Getenv(PostgresEnv)
	if u == "" {
		skip(tb, "PostgreSQL (set "+PostgresEnv+"=postgres://user@host:5432/db?sslmode=disable)",
			"set "+PostgresEnv+"=postgres://user@host:5432/db?sslmode=disable to run the PostgreSQL tests")
	}
	return u
}

// SharedDir is ../shared beside the module root (it may not exist).
func SharedDir() string {
	_, file, _, _ := runtime.Caller(0)
	// file is <root>/internal/testenv/testenv.go.
	return filepath.Join(filepath.Dir(file), "..", "..", "..", "shared")
}

// Shared returns the path of rel under ../shared, or skips tb when it is
// missing.
func Shared(tb testing.TB, rel string) string {
	tb.Helper()
	p := filepath.Join(SharedDir(), rel)
	if _, err := os.Stat(p); err != nil {
		SkipShared(tb, rel, err)
	}
	return p
}

// SkipShared skips tb, which needs rel under ../shared and could not read
// it (err).
func SkipShared(tb testing.TB, rel string, err error) {
	tb.Helper()
	skip(tb, "the shared evaluation data (put shared/ beside the checkout, as ../shared)",
		fmt.Sprintf("bench-scale test: needs ../shared/%s beside the checkout: %v", rel, err))
}

// Main runs the package's tests, reports what skipped and why, and exits.
func Main(m *testing.M) { os.Exit(Run(m)) }

// Run is Main for a TestMain that has more to do: it runs the tests,
// reports the skips and returns the exit code.
func Run(m *testing.M) int {
	code := m.Run()
	// go test hides a passing package's output: say it on the terminal too.
	if line := report(os.Stderr); line != "" && !testing.Verbose() {
		if tty, err := os.OpenFile("/dev/tty", os.O_WRONLY, 0); err == nil {
			fmt.Fprint(tty, line)
			tty.Close()
		}
	}
	return code
}

// report writes one line naming what was skipped and returns it.
func report(w io.Writer) string {
	mu.Lock()
	defer mu.Unlock()
	if len(skipped) == 0 {
		return ""
	}
	whats := make([]string, 0, len(skipped))
	for what := range skipped {
		whats = append(whats, what)
	}
	sort.Strings(whats)
	var parts []string
	for _, what := range whats {
		parts = append(parts, fmt.Sprintf("%d for want of %s", len(skipped[what]), what))
	}
	pkg := "tests"
	if exe, err := os.Executable(); err == nil {
		pkg = strings.TrimSuffix(filepath.Base(exe), ".test")
	}
	line := fmt.Sprintf("SKIPPED in %s: %s\n", pkg, strings.Join(parts, "; "))
	fmt.Fprint(w, line)
	return line
}
