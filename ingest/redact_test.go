package ingest

import (
	"bytes"
	"context"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"newsdigest/fetch"
)

// lockedBuffer is a log sink safe for the ingester's goroutines.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// TestFailingSourceCredentialsRedacted: a source whose URL carries a user,
// a password and an API key fails; its stored last error, its WARN log
// line and the returned error name the URL without them.
func TestFailingSourceCredentialsRedacted(t *testing.T) {
	for _, tt := range []struct {
		name    string
		handler http.HandlerFunc
	}{
		{"malformed XML", textHandler("application/rss+xml", `<?xml version="1.0"?><rss version="2.0"><channel><item`)},
		{"server error", func(w http.ResponseWriter, r *http.Request) { http.Error(w, "boom", http.StatusBadGateway) }},
	} {
		t.Run(tt.name, func(t *testing.T) {
			s := newSite(t, nil)
			s.handle("/feed.xml", tt.handler)
			raw := strings.Replace(s.URL, "http://", "http://feeduser:PASSWORD@", 1) + "/feed.xml?apikey=KEY&lang=en"
			src := feedSource(7, "Locked feed", raw)
			st := newMemStore(src)
			ing := newTestIngester(t, st, fetch.Options{})
			var logs lockedBuffer
			ing.Log = slog.New(slog.NewTextHandler(&logs, nil))
			_, err := ing.FetchSource(context.Background(), src)
			if err == nil {
				t.Fatal("no error")
			}
			stored := st.source(7).State.LastError
			for what, text := range map[string]string{"stored error": stored, "returned error": err.Error(), "log": logs.String()} {
				if strings.Contains(text, "PASSWORD") || strings.Contains(text, "KEY") {
					t.Errorf("%s keeps a credential: %s", what, text)
				}
			}
			if !strings.Contains(stored, "feed.xml?apikey=REDACTED&lang=en") {
				t.Errorf("stored error lost the URL: %s", stored)
			}
		})
	}
}

// TestCutShortSourceCredentialsRedacted: the WARN line of a pass that
// reached its deadline names the source's URL without its user, password
// and API key, like the other lines of a pass.
func TestCutShortSourceCredentialsRedacted(t *testing.T) {
	s := newSlowSite(t, 2)
	raw := strings.Replace(s.URL, "http://", "http://feeduser:PASSWORD@", 1) + "/feed.rss?apikey=KEY&lang=en"
	src := feedSource(7, "Slow locked feed", raw)
	ing := newTestIngester(t, newMemStore(src), fetch.Options{})
	ing.PassTimeout = 500 * time.Millisecond
	var logs lockedBuffer
	ing.Log = slog.New(slog.NewTextHandler(&logs, nil))
	res, err := ing.FetchSource(context.Background(), src)
	if err != nil || res.CutShort == 0 {
		t.Fatalf("FetchSource = %+v, %v; want a pass cut short", res, err)
	}
	out := logs.String()
	if !strings.Contains(out, "deadline") || !strings.Contains(out, "feed.rss?apikey=REDACTED&lang=en") {
		t.Errorf("no deadline line naming the redacted URL in the log:\n%s", out)
	}
	if strings.Contains(out, "PASSWORD") || strings.Contains(out, "KEY&") {
		t.Errorf("the log keeps a credential:\n%s", out)
	}
}
