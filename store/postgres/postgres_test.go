package postgres_test

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net/url"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"

	"newsdigest/digest"
	"newsdigest/internal/testenv"
	"newsdigest/store/postgres"
	"newsdigest/store/storetest"
)

// testURL returns the test server's URL, or skips.
func testURL(t testing.TB) string {
	t.Helper()
	return testenv.Postgres(t)
}

// openFresh opens a store in a new schema of its own, dropped at cleanup,
// so that parallel runs never see each other's tables.
func openFresh(t testing.TB) *postgres.Store {
	s, drop, err := openSchema(testURL(t))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		s.Close()
		if err := drop(); err != nil {
			t.Error(err)
		}
	})
	return s
}

// openSchema creates a schema with a random name and opens a store in it;
// drop removes the schema.
func openSchema(base string) (s *postgres.Store, drop func() error, err error) {
	var b [6]byte
	rand.Read(b[:])
	return openNamedSchema(base, "nd_test_"+hex.EncodeToString(b[:]))
}

// openNamedSchema creates the schema if needed and opens a store in it.
func openNamedSchema(base, schema string) (s *postgres.Store, drop func() error, err error) {
	ctx := context.Background()
	admin, err := pgx.Connect(ctx, base)
	if err != nil {
		return nil, nil, fmt.Errorf("connect to NEWSDIGEST_TEST_POSTGRES: %w", err)
	}
	defer admin.Close(ctx)
	if _, err := admin.Exec(ctx, "CREATE SCHEMA IF NOT EXISTS "+pgx.Identifier{schema}.Sanitize()); err != nil {
		return nil, nil, fmt.Errorf("create schema: %w", err)
	}
	drop = func() error {
		c, err := pgx.Connect(context.Background(), base)
		if err != nil {
			return fmt.Errorf("drop schema %s: %w", schema, err)
		}
		defer c.Close(context.Background())
		if _, err := c.Exec(context.Background(), "DROP SCHEMA "+pgx.Identifier{schema}.Sanitize()+" CASCADE"); err != nil {
			return fmt.Errorf("drop schema %s: %w", schema, err)
		}
		return nil
	}
	u, err := url.Parse(base)
	if err != nil {
		drop()
		return nil, nil, fmt.Errorf("NEWSDIGEST_TEST_POSTGRES: %w", err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	s, err = postgres.Open(ctx, u.String())
	if err != nil {
		drop()
		return nil, nil, fmt.Errorf("open: %w", err)
	}
	return s, drop, nil
}

func TestStore(t *testing.T) {
	testURL(t) // skips the whole suite when no server is named
	storetest.Run(t, func(t *testing.T) digest.Store { return openFresh(t) })
}

// TestOpenErrorsHideThePassword: a store URL that does not parse or does
// not connect gives an error without its password (needs no server).
func TestOpenErrorsHideThePassword(t *testing.T) {
	for _, u := range []string{
		"postgres://bot:hunter2@db.example:notaport/news",
		"postgres://bot:hunter2@127.0.0.1:1/news?connect_timeout=1&password=hunter2",
	} {
		_, err := postgres.Open(context.Background(), u)
		if err == nil {
			t.Fatalf("Open(%s) succeeded", u)
		}
		if strings.Contains(err.Error(), "hunter2") {
			t.Errorf("Open error shows the password: %v", err)
		}
	}
}
