package extract

import (
	"compress/gzip"
	"io"
	"os"
	"path/filepath"
	"testing"
)

// sharedDir finds the shared evaluation data beside the checkout
// (../shared relative to the module root), or skips the test.
func sharedDir(t testing.TB) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			if _, err := os.Stat(filepath.Join(dir, "bench")); err == nil {
				break
			}
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Skip("module root not found")
		}
		dir = parent
	}
	shared := filepath.Join(filepath.Dir(dir), "shared")
	if _, err := os.Stat(shared); err != nil {
		t.Skipf("shared evaluation data not found at %s (it sits beside the checkout)", shared)
	}
	return shared
}

// readShared reads a file of the shared data, gunzipping .gz files.
func readShared(t testing.TB, rel string) []byte {
	t.Helper()
	path := filepath.Join(sharedDir(t), rel)
	f, err := os.Open(path)
	if err != nil {
		t.Skipf("shared file missing: %v", err)
	}
	defer f.Close()
	var r io.Reader = f
	if filepath.Ext(path) == ".gz" {
		zr, err := gzip.NewReader(f)
		if err != nil {
			t.Fatalf("gunzip %s: %v", path, err)
		}
		r = zr
	}
	b, err := io.ReadAll(r)
	if err != nil {
		t.Fatalf("read %s: %v", path, err)
	}
	return b
}
