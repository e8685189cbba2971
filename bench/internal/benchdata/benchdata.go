// Package benchdata reads the shared bench's files for the harnesses.
package benchdata

import (
	"compress/gzip"
	"encoding/json"
	"fmt"
	"io"
	"os"
)

// ReadGz returns the decompressed content of the gzip file at path.
func ReadGz(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		return nil, fmt.Errorf("gunzip %s: %w", path, err)
	}
	b, err := io.ReadAll(zr)
	if err != nil {
		return nil, fmt.Errorf("gunzip %s: %w", path, err)
	}
	return b, nil
}

// ReadJSON decodes the JSON file at path (a set's labels.json or
// ground-truth.json) into v.
func ReadJSON(path string, v any) error {
	b, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	if err := json.Unmarshal(b, v); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	return nil
}
