package cli

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"newsdigest/config"
	"newsdigest/digest"
	"newsdigest/store"
)

// TestPreviewEscapesControlCharacters: a page whose headline and text hold
// real escape sequences (set the window title, clear the screen, blink,
// reset the terminal) and backspaces is printed with them made visible,
// never written raw to the operator's terminal.
func TestPreviewEscapesControlCharacters(t *testing.T) {
	for _, args := range [][]string{{"preview", "testdata/escapes.html"}, {"preview", "--json", "testdata/escapes.html"}} {
		code, out, errOut := runCLI(t, "", nil, args...)
		if code != 0 {
			t.Fatalf("%v: exit %d: %s", args, code, errOut)
		}
		if i := strings.IndexAny(out+errOut, "\x1b\x07\x08\u009b"); i >= 0 {
			t.Errorf("%v writes a raw control character: %q", args, (out + errOut)[max(0, i-20):min(len(out+errOut), i+20)])
		}
		if !strings.Contains(out, "Bridge") || !strings.Contains(out, "[2J") {
			t.Errorf("%v: the card or its escaped sequence is missing:\n%s", args, out)
		}
	}
}

// TestSourcesFetchEscapesNames: `bot sources --fetch` prints each source's
// name with its result; a source added from a chat may be named by its
// feed's title, escape sequences and all, and they are shown, not run.
func TestSourcesFetchEscapesNames(t *testing.T) {
	site := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/good.xml":
			w.Header().Set("Content-Type", "application/rss+xml")
			io.WriteString(w, `<?xml version="1.0"?><rss version="2.0"><channel><title>T</title></channel></rss>`)
		default:
			http.Error(w, "gone", http.StatusGone)
		}
	}))
	defer site.Close()
	cfg, _ := botConfig(t, "fetch:\n  allow_private: true\n")
	c, err := config.Load(cfg, func(string) string { return "" })
	if err != nil {
		t.Fatal(err)
	}
	st, err := store.Open(context.Background(), c.Store.Path, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []digest.Source{
		{Name: "Bad \x1b]0;pwned\x07 feed", URL: site.URL + "/gone.xml", Kind: digest.KindFeed, AddedBy: "telegram:1"},
		{Name: "Good \x1b[2J feed", URL: site.URL + "/good.xml", Kind: digest.KindFeed, AddedBy: "telegram:1"},
	} {
		if _, err := st.SaveSource(context.Background(), s); err != nil {
			t.Fatal(err)
		}
	}
	st.Close()
	code, out, errOut := runCLI(t, "", nil, "sources", "--fetch", "--config", cfg)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	if i := strings.IndexAny(out+errOut, "\x1b\x07"); i >= 0 {
		t.Errorf("bot sources --fetch writes a raw control character: %q", (out + errOut)[max(0, i-20):min(len(out+errOut), i+20)])
	}
	if !strings.Contains(errOut, `Bad \x1b]0;pwned\x07 feed: `) || !strings.Contains(errOut, `Good \x1b[2J feed: 0 items`) {
		t.Errorf("the fetch lines lack the escaped names:\n%s", errOut)
	}
}
