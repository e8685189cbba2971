package ingest

import (
	"bytes"
	"context"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"testing"

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
