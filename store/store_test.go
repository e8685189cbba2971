package store_test

import (
	"context"
	"errors"
	"path/filepath"
	"testing"

	"newsdigest/digest"
	"newsdigest/store"
	"newsdigest/store/sqlite"
)

func TestOpenSQLitePath(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "sub.db")
	s, err := store.Open(ctx, path, nil)
	if err != nil {
		t.Fatalf("Open(%s): %v", path, err)
	}
	defer s.Close()
	if _, ok := s.(*sqlite.Store); !ok {
		t.Fatalf("Open(path) = %T, want *sqlite.Store", s)
	}
	_, err = s.Search(ctx, "   ", 5)
	if !errors.Is(err, store.ErrBadQuery) {
		t.Errorf("Search(blank) err = %v, want store.ErrBadQuery", err)
	}
	if _, err := s.SubscriptionByID(ctx, 1); !errors.Is(err, digest.ErrNotFound) {
		t.Errorf("SubscriptionByID on an empty store: %v", err)
	}
}

func TestIsPostgres(t *testing.T) {
	for dsn, want := range map[string]bool{
		"postgres://u@h/db":   true,
		"postgresql://u@h/db": true,
		"newsdigest.db":       false,
		"/var/lib/x.db":       false,
		":memory:":            false,
	} {
		if got := store.IsPostgres(dsn); got != want {
			t.Errorf("IsPostgres(%q) = %v, want %v", dsn, got, want)
		}
	}
}
