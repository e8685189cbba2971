// Package health serves the bot's HTTP listener: /healthz (the process is
// up), /readyz (the store is open and every enabled platform is connected),
// /metrics, and the platforms' webhooks.
package health

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"sort"
	"strings"
	"sync"
	"time"
)

// Check is one readiness check; nil means ready.
type Check func(ctx context.Context) error

// Mux builds the listener's routes. checks are run on /readyz, in parallel,
// each bounded by timeout; routes adds webhook and metrics handlers by path.
func Mux(checks map[string]Check, timeout time.Duration, routes map[string]http.Handler) *http.ServeMux {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		fmt.Fprintln(w, "ok")
	})
	mux.HandleFunc("GET /readyz", func(w http.ResponseWriter, r *http.Request) {
		ctx, cancel := context.WithTimeout(r.Context(), timeout)
		defer cancel()
		var mu sync.Mutex
		var wg sync.WaitGroup
		failed := map[string]string{}
		for name, check := range checks {
			wg.Add(1)
			go func() {
				defer wg.Done()
				if err := check(ctx); err != nil {
					mu.Lock()
					failed[name] = err.Error()
					mu.Unlock()
				}
			}()
		}
		wg.Wait()
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		if len(failed) == 0 {
			fmt.Fprintln(w, "ready")
			return
		}
		names := make([]string, 0, len(failed))
		for n := range failed {
			names = append(names, n)
		}
		sort.Strings(names)
		// Anyone may ask: the answer names the components only. Their
		// errors (a host name, a path, a driver's message) go to the log.
		for _, n := range names {
			slog.Debug("not ready", "component", n, "err", failed[n])
		}
		w.WriteHeader(http.StatusServiceUnavailable)
		fmt.Fprintf(w, "not ready: %s\n", strings.Join(names, ", "))
	})
	for path, h := range routes {
		mux.Handle(path, h)
	}
	return mux
}

// Serve runs srv until ctx ends, then shuts it down within grace.
func Serve(ctx context.Context, srv *http.Server, grace time.Duration) error {
	errc := make(chan error, 1)
	go func() { errc <- srv.ListenAndServe() }()
	select {
	case err := <-errc:
		return fmt.Errorf("health: listen on %s: %w", srv.Addr, err)
	case <-ctx.Done():
	}
	sctx, cancel := context.WithTimeout(context.Background(), grace)
	defer cancel()
	return srv.Shutdown(sctx)
}
