package sqlite

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"testing"

	"newsdigest/digest"
	"newsdigest/store/storetest"
)

// TestBulkStoresWhatAddArticleStores fills one store article by article
// and another through Bulk, and compares every table and the search
// index's content, term by term.
func TestBulkStoresWhatAddArticleStores(t *testing.T) {
	ctx := context.Background()
	arts := storetest.Generate(storetest.SyntheticDocs(60), 400, storetest.BenchNow)
	open := func() *Store {
		s, err := Open(ctx, ":memory:")
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Close() })
		for _, n := range []string{"Wire", "Daily"} {
			if _, err := s.SaveSource(ctx, digest.Source{Name: n, URL: "https://" + n + ".example/feed", Kind: digest.KindFeed}); err != nil {
				t.Fatal(err)
			}
		}
		return s
	}
	for i := range arts {
		switch i % 7 {
		case 1, 2: // a configured source: its name is looked up
			arts[i].SourceID, arts[i].Source = int64(i%7), ""
		case 3:
			arts[i].Backlog = true
			arts[i].Link = fmt.Sprintf("https://bench.example/page/%d?ref=feed", i)
		}
	}
	// A duplicate and an unknown source fail; neither may leave a story.
	dup := arts[10]
	dup.ItemKey, dup.ContentHash = "dup", "dup"
	bad := arts[11]
	bad.URL, bad.ItemKey, bad.ContentHash, bad.SourceID = "https://bad.example/", "bad", "bad", 99
	failing := map[int]digest.StoredArticle{100: dup, 200: bad}

	one, bulk := open(), open()
	fill := func(add func(context.Context, digest.StoredArticle) (digest.StoredArticle, error)) {
		for i, a := range arts {
			if f, ok := failing[i]; ok {
				if _, err := add(ctx, f); !errors.Is(err, digest.ErrDuplicate) && !errors.Is(err, digest.ErrNotFound) {
					t.Fatalf("adding a failing article: err = %v", err)
				}
			}
			if _, err := add(ctx, a); err != nil {
				t.Fatal(err)
			}
		}
	}
	fill(one.AddArticle)
	if err := bulk.Bulk(ctx, func(add func(context.Context, digest.StoredArticle) (digest.StoredArticle, error)) error {
		fill(add)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{
		`SELECT * FROM articles ORDER BY id`,
		`SELECT * FROM stories ORDER BY id`,
		`SELECT * FROM tombstones ORDER BY article_id`,
		`SELECT term, doc, col, offset FROM temp.vocab ORDER BY term, doc, col, offset`,
	} {
		a, b := dump(t, one, q), dump(t, bulk, q)
		if len(a) < 2 && q != `SELECT * FROM tombstones ORDER BY article_id` {
			t.Fatalf("%s: only %d rows", q, len(a))
		}
		if !reflect.DeepEqual(a, b) {
			t.Errorf("%s: AddArticle and Bulk differ (%d and %d rows)", q, len(a), len(b))
		}
	}
	// A batch whose fn fails keeps nothing.
	before := dump(t, bulk, `SELECT count(*) FROM articles`)
	more := storetest.Generate(storetest.SyntheticDocs(5), 3, storetest.BenchNow.Add(48*3600e9))
	err := bulk.Bulk(ctx, func(add func(context.Context, digest.StoredArticle) (digest.StoredArticle, error)) error {
		for _, a := range more {
			a.URL, a.ItemKey, a.ContentHash = a.URL+"/more", a.ItemKey+"-more", a.ContentHash+"-more"
			if _, err := add(ctx, a); err != nil {
				return err
			}
		}
		return errors.New("stop")
	})
	if err == nil || !reflect.DeepEqual(before, dump(t, bulk, `SELECT count(*) FROM articles`)) {
		t.Errorf("a failed batch: err = %v, articles %v then %v", err, before, dump(t, bulk, `SELECT count(*) FROM articles`))
	}
}

// dump reads every row of q as strings; temp.vocab is the search index's
// content (an fts5vocab table of its instances).
func dump(t *testing.T, s *Store, q string) [][]string {
	t.Helper()
	ctx := context.Background()
	if _, err := s.w.ExecContext(ctx, `CREATE VIRTUAL TABLE IF NOT EXISTS temp.vocab USING fts5vocab(main, articles_fts, instance)`); err != nil {
		t.Fatal(err)
	}
	rows, err := s.w.QueryContext(ctx, q)
	if err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		t.Fatal(err)
	}
	var out [][]string
	for rows.Next() {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			t.Fatal(err)
		}
		row := make([]string, len(cols))
		for i, v := range vals {
			row[i] = fmt.Sprintf("%T:%v", v, v)
		}
		out = append(out, row)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}
