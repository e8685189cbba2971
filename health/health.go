// Package health serves the bot's HTTP listener: /healthz (the process is
// up), /readyz (the store is open and every enabled platform is connected),
// /metrics, and the platforms' webhooks.
package health

import (
	"context"
	"fmt"
	"log/slog"
	"net"
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
// Why a check failed goes to log at debug level (nil: slog's default).
func Mux(checks map[string]Check, timeout time.Duration, routes map[string]http.Handler, log *slog.Logger) *http.ServeMux {
	if log == nil {
		log = slog.Default()
	}
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
			log.Debug("not ready", "component", n, "err", failed[n])
		}
		w.WriteHeader(http.StatusServiceUnavailable)
		fmt.Fprintf(w, "not ready: %s\n", strings.Join(names, ", "))
	})
	for path, h := range routes {
		mux.Handle(path, LimitBody(h, DefaultLimits.MaxBody))
	}
	return mux
}

// Limits of the listener: a client that drips its request, holds a
// connection idle or sends a large body is cut, and the number of open
// connections is capped, so that slow clients can use up neither the
// process's file descriptors nor its memory.
type Limits struct {
	ReadHeader time.Duration // the request line and headers
	Read       time.Duration // the whole request, body included
	// Write bounds the handling and the response (a Telegram webhook
	// update is answered after it is handled).
	Write          time.Duration
	Idle           time.Duration // a keep-alive connection that sends nothing
	MaxHeaderBytes int
	// MaxBody caps every request body (Discord interactions and Telegram
	// updates are a few KiB); a longer declared length is refused unread.
	MaxBody int64
	// MaxConns caps the connections open at once (less if the descriptor
	// limit is low: a quarter of it). When all are taken, a
	// new one closes the one that has waited longest without a request
	// under way (dripping its headers, idle on keep-alive); with none such,
	// it waits in the kernel's accept queue, holding no descriptor of ours.
	MaxConns int
}

// DefaultLimits are the listener's limits.
var DefaultLimits = Limits{
	ReadHeader: 5 * time.Second, Read: 10 * time.Second, Write: 30 * time.Second, Idle: 30 * time.Second,
	MaxHeaderBytes: 16 << 10, MaxBody: 1 << 20, MaxConns: 4096,
}

// NewServer returns the listener's server for addr with DefaultLimits'
// timeouts and header cap. Serve adds the connection cap; Mux the body cap.
func NewServer(addr string, h http.Handler) *http.Server {
	return newServer(addr, h, DefaultLimits)
}

func newServer(addr string, h http.Handler, l Limits) *http.Server {
	return &http.Server{
		Addr:              addr,
		Handler:           h,
		ReadHeaderTimeout: l.ReadHeader,
		ReadTimeout:       l.Read,
		WriteTimeout:      l.Write,
		IdleTimeout:       l.Idle,
		MaxHeaderBytes:    l.MaxHeaderBytes,
	}
}

// LimitBody refuses a request whose declared length is over max with 413
// before anything of it is read, and caps what a handler can read of a
// body without a length.
func LimitBody(h http.Handler, max int64) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.ContentLength > max {
			w.Header().Set("Connection", "close")
			http.Error(w, "request body too large", http.StatusRequestEntityTooLarge)
			return
		}
		r.Body = http.MaxBytesReader(w, r.Body, max)
		h.ServeHTTP(w, r)
	})
}

// maxConns is DefaultLimits.MaxConns, or less when the process's
// descriptor limit leaves room for fewer (a quarter of it).
func maxConns() int {
	n := DefaultLimits.MaxConns
	if b := fdBudget(); b > 0 && b < n {
		n = max(b, 16)
	}
	return n
}

// Serve runs srv until ctx ends, then shuts it down within grace. It
// listens on srv.Addr with at most maxConns() connections open at once.
func Serve(ctx context.Context, srv *http.Server, grace time.Duration) error {
	ln, err := net.Listen("tcp", srv.Addr)
	if err != nil {
		return fmt.Errorf("health: listen on %s: %w", srv.Addr, err)
	}
	return serve(ctx, srv, limit(srv, ln, maxConns()), grace)
}

func serve(ctx context.Context, srv *http.Server, ln net.Listener, grace time.Duration) error {
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return fmt.Errorf("health: listen on %s: %w", srv.Addr, err)
	case <-ctx.Done():
	}
	sctx, cancel := context.WithTimeout(context.Background(), grace)
	defer cancel()
	return srv.Shutdown(sctx)
}
