package sqlite_test

import (
	"context"
	"path/filepath"
	"testing"

	"newsdigest/digest"
	"newsdigest/store/sqlite"
	"newsdigest/store/storetest"
)

func TestStoreFile(t *testing.T) {
	storetest.Run(t, func(t *testing.T) digest.Store {
		s, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "news.db"))
		if err != nil {
			t.Fatalf("Open: %v", err)
		}
		return s
	})
}

func TestStoreMemory(t *testing.T) {
	storetest.Run(t, func(t *testing.T) digest.Store {
		s, err := sqlite.Open(context.Background(), ":memory:")
		if err != nil {
			t.Fatalf("Open: %v", err)
		}
		return s
	})
}
