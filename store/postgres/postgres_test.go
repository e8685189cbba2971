package postgres_test

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"net/url"
	"os"
	"testing"

	"github.com/jackc/pgx/v5"

	"newsdigest/digest"
	"newsdigest/store/postgres"
	"newsdigest/store/storetest"
)

// testURL returns the test server's URL, or skips.
func testURL(t testing.TB) string {
	u := os.Getenv("NEWSDIGEST_TEST_POSTGRES")
	if u == "" {
		t.Skip("set NEWSDIGEST_TEST_POSTGRES=postgres://… to run the PostgreSQL store tests")
	}
	return u
}

// openFresh opens a store in a new schema of its own, dropped at cleanup,
// so that parallel runs never see each other's tables.
func openFresh(t testing.TB) *postgres.Store {
	base := testURL(t)
	ctx := context.Background()
	var b [6]byte
	rand.Read(b[:])
	schema := "nd_test_" + hex.EncodeToString(b[:])
	admin, err := pgx.Connect(ctx, base)
	if err != nil {
		t.Fatalf("connect to NEWSDIGEST_TEST_POSTGRES: %v", err)
	}
	defer admin.Close(ctx)
	if _, err := admin.Exec(ctx, "CREATE SCHEMA "+schema); err != nil {
		t.Fatalf("create schema: %v", err)
	}
	t.Cleanup(func() {
		c, err := pgx.Connect(context.Background(), base)
		if err != nil {
			t.Errorf("drop schema %s: %v", schema, err)
			return
		}
		defer c.Close(context.Background())
		if _, err := c.Exec(context.Background(), "DROP SCHEMA "+schema+" CASCADE"); err != nil {
			t.Errorf("drop schema %s: %v", schema, err)
		}
	})
	u, err := url.Parse(base)
	if err != nil {
		t.Fatalf("NEWSDIGEST_TEST_POSTGRES: %v", err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	s, err := postgres.Open(ctx, u.String())
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func TestStore(t *testing.T) {
	storetest.Run(t, func(t *testing.T) digest.Store { return openFresh(t) })
}
