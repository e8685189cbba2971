package health

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"
)

func get(t *testing.T, h http.Handler, path string) (int, string) {
	t.Helper()
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("GET", path, nil))
	b, _ := io.ReadAll(rec.Body)
	return rec.Code, string(b)
}

func TestHealthAndReadiness(t *testing.T) {
	storeErr := error(nil)
	checks := map[string]Check{
		"store":   func(ctx context.Context) error { return storeErr },
		"discord": func(ctx context.Context) error { return nil },
		"slow": func(ctx context.Context) error {
			<-ctx.Done() // a hung check is cut by the timeout
			return ctx.Err()
		},
	}
	mux := Mux(checks, 50*time.Millisecond, map[string]http.Handler{
		"/metrics": http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "m 1\n") }),
	}, nil)
	if code, body := get(t, mux, "/healthz"); code != 200 || body != "ok\n" {
		t.Errorf("/healthz = %d %q", code, body)
	}
	code, body := get(t, mux, "/readyz")
	if code != 503 || body != "not ready: slow\n" {
		t.Errorf("/readyz = %d %q, want 503 naming only the slow check", code, body)
	}
	delete(checks, "slow")
	// An internal error's text (here a path) is not for whoever asks.
	storeErr = errors.New("sqlite: open /data/secret-name.db: database is closed")
	if code, body := get(t, mux, "/readyz"); code != 503 || body != "not ready: store\n" {
		t.Errorf("/readyz = %d %q, want the component's name only", code, body)
	}
	storeErr = nil
	if code, body := get(t, mux, "/readyz"); code != 200 || body != "ready\n" {
		t.Errorf("/readyz = %d %q", code, body)
	}
	if code, body := get(t, mux, "/metrics"); code != 200 || body != "m 1\n" {
		t.Errorf("/metrics = %d %q", code, body)
	}
}
