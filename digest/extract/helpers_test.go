package extract

import (
	"compress/gzip"
	"io"
	"os"
	"path/filepath"
	"testing"

	"newsdigest/internal/testenv"
)

// readShared reads a file of the shared data beside the checkout
// (bench-scale tests only), gunzipping .gz files, or skips the test.
func readShared(t testing.TB, rel string) []byte {
	t.Helper()
	return readFile(t, testenv.Shared(t, rel))
}

// readFile reads a file, gunzipping .gz files.
func readFile(t testing.TB, path string) []byte {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
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

// TestMain reports the tests that skipped for want of ../shared.
func TestMain(m *testing.M) { testenv.Main(m) }
