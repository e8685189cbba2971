package health

import (
	"context"
	"io"
	"net"
	"net/http"
	"sync"
	"time"
)

// limitListener caps the connections open at once, like
// netutil.LimitListener, but a new connection does not simply wait behind
// slow ones: when all slots are taken, it closes the connection that has
// been slow longest, one that holds its slot without a request the server
// could act on: connected without sending, idle on keep-alive, still
// sending its request headers, or still sending the body its handler is
// reading. A request whose body has arrived is never closed: a new
// connection waits for it (in the kernel's accept queue, holding no
// descriptor of ours), and the write timeout bounds it. Clients that drip
// or idle can therefore use up neither descriptors nor memory, nor keep
// /healthz or a webhook out for longer than it takes to close them.
type limitListener struct {
	net.Listener
	max int

	mu     sync.Mutex
	cond   *sync.Cond
	open   map[*limitConn]struct{}
	closed bool
}

// phases of a connection, besides its http.ConnState.
const (
	phaseRequest  = iota // no handler running: connecting, reading headers, idle
	phaseBody            // the handler runs and the body has not all arrived
	phaseHandling        // the handler runs with the whole request
)

type limitConn struct {
	net.Conn
	l     *limitListener
	once  sync.Once
	state http.ConnState // guarded by l.mu
	phase int            // guarded by l.mu
	since time.Time      // when state or phase last changed; guarded by l.mu
}

func newLimitListener(inner net.Listener, max int) *limitListener {
	l := &limitListener{Listener: inner, max: max, open: map[*limitConn]struct{}{}}
	l.cond = sync.NewCond(&l.mu)
	return l
}

func (l *limitListener) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if err != nil {
		return nil, err
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	for len(l.open) >= l.max && !l.closed {
		if v := l.victim(); v != nil {
			l.release(v)
			go v.Conn.Close() // the server sees a read error and forgets it
			break
		}
		l.cond.Wait()
	}
	if l.closed {
		c.Close()
		return nil, net.ErrClosed
	}
	lc := &limitConn{Conn: c, l: l, state: http.StateNew, since: time.Now()}
	l.open[lc] = struct{}{}
	return lc, nil
}

// victim is the connection that has held its slot without a request to
// act on longest, or nil. l.mu is held.
func (l *limitListener) victim() *limitConn {
	var v *limitConn
	for c := range l.open {
		if c.phase == phaseHandling || c.state == http.StateClosed || c.state == http.StateHijacked {
			continue
		}
		if v == nil || c.since.Before(v.since) {
			v = c
		}
	}
	return v
}

// release frees c's slot. l.mu is held.
func (l *limitListener) release(c *limitConn) {
	if _, ok := l.open[c]; ok {
		delete(l.open, c)
		l.cond.Signal()
	}
}

func (l *limitListener) Close() error {
	l.mu.Lock()
	l.closed = true
	l.cond.Broadcast()
	l.mu.Unlock()
	return l.Listener.Close()
}

// track is the server's ConnState hook.
func (l *limitListener) track(c net.Conn, s http.ConnState) {
	lc, ok := c.(*limitConn)
	if !ok {
		return
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if s != lc.state {
		lc.state, lc.since = s, time.Now()
	}
	switch s {
	case http.StateClosed, http.StateHijacked:
		l.release(lc)
	case http.StateIdle:
		l.cond.Signal() // a waiting Accept may close it now
	}
}

func (l *limitListener) setPhase(c *limitConn, p int) {
	l.mu.Lock()
	defer l.mu.Unlock()
	c.phase, c.since = p, time.Now()
	if p != phaseHandling {
		l.cond.Signal()
	}
}

func (c *limitConn) Close() error {
	c.once.Do(func() {
		c.l.mu.Lock()
		c.l.release(c)
		c.l.mu.Unlock()
	})
	return c.Conn.Close()
}

type connKey struct{}

// watchedBody tells its connection when the whole body has arrived.
type watchedBody struct {
	io.ReadCloser
	once sync.Once
	done func()
}

func (b *watchedBody) Read(p []byte) (int, error) {
	n, err := b.ReadCloser.Read(p)
	if err != nil {
		b.once.Do(b.done) // EOF, or the body cap: nothing more is waited for
	}
	return n, err
}

// limit wraps ln with the cap and hooks srv (its ConnState, ConnContext
// and Handler) to it.
func limit(srv *http.Server, ln net.Listener, max int) net.Listener {
	l := newLimitListener(ln, max)
	prevState, prevCtx, h := srv.ConnState, srv.ConnContext, srv.Handler
	if h == nil {
		h = http.DefaultServeMux
	}
	srv.ConnState = func(c net.Conn, s http.ConnState) {
		l.track(c, s)
		if prevState != nil {
			prevState(c, s)
		}
	}
	srv.ConnContext = func(ctx context.Context, c net.Conn) context.Context {
		if prevCtx != nil {
			ctx = prevCtx(ctx, c)
		}
		return context.WithValue(ctx, connKey{}, c)
	}
	srv.Handler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		lc, ok := r.Context().Value(connKey{}).(*limitConn)
		if !ok {
			h.ServeHTTP(w, r)
			return
		}
		if r.Body == nil || r.Body == http.NoBody || r.ContentLength == 0 {
			l.setPhase(lc, phaseHandling)
		} else {
			l.setPhase(lc, phaseBody)
			r.Body = &watchedBody{ReadCloser: r.Body, done: func() { l.setPhase(lc, phaseHandling) }}
		}
		defer l.setPhase(lc, phaseRequest)
		h.ServeHTTP(w, r)
	})
	return l
}
