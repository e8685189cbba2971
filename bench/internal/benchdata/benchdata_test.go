package benchdata

import (
	"bytes"
	"compress/gzip"
	"os"
	"path/filepath"
	"testing"
)

func TestReadGz(t *testing.T) {
	dir := t.TempDir()
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	zw.Write([]byte("<html>page</html>"))
	zw.Close()
	good := filepath.Join(dir, "page.html.gz")
	os.WriteFile(good, buf.Bytes(), 0o644)
	got, err := ReadGz(good)
	if err != nil || string(got) != "<html>page</html>" {
		t.Fatalf("ReadGz = %q, %v", got, err)
	}
	plain := filepath.Join(dir, "plain.html")
	os.WriteFile(plain, []byte("<html>"), 0o644)
	if _, err := ReadGz(plain); err == nil {
		t.Error("a file that is not gzip gave no error")
	}
	cut := filepath.Join(dir, "cut.html.gz")
	os.WriteFile(cut, buf.Bytes()[:buf.Len()-6], 0o644)
	if _, err := ReadGz(cut); err == nil {
		t.Error("a truncated gzip file gave no error")
	}
	if _, err := ReadGz(filepath.Join(dir, "missing.gz")); err == nil {
		t.Error("a missing file gave no error")
	}
}

func TestReadJSON(t *testing.T) {
	dir := t.TempDir()
	good := filepath.Join(dir, "labels.json")
	os.WriteFile(good, []byte(`{"https://example.org/a": {"file": "a.html"}}`), 0o644)
	var labels map[string]struct {
		File string `json:"file"`
	}
	if err := ReadJSON(good, &labels); err != nil || labels["https://example.org/a"].File != "a.html" {
		t.Fatalf("ReadJSON = %v, %v", labels, err)
	}
	bad := filepath.Join(dir, "bad.json")
	os.WriteFile(bad, []byte(`{"a": `), 0o644)
	if err := ReadJSON(bad, &labels); err == nil {
		t.Error("broken JSON gave no error")
	}
	if err := ReadJSON(filepath.Join(dir, "missing.json"), &labels); err == nil {
		t.Error("a missing file gave no error")
	}
}
