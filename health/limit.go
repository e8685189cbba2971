package health

import (
	"net"
	"net/http"
	"sync"
	"time"
)

// limitListener caps the connections open at once, like
// netutil.LimitListener, but a new connection does not simply wait: when
// all slots are taken it closes the connection that has waited longest
// without a request under way (one still sending its headers, or idle on
// keep-alive). Clients that drip their headers or sit idle therefore
// cannot keep /healthz or a webhook out; only requests being read or
// answered hold their slot, and the read and write timeouts bound those.
type limitListener struct {
	net.Listener
	max int

	mu     sync.Mutex
	cond   *sync.Cond
	open   map[*limitConn]struct{}
	closed bool
}

type limitConn struct {
	net.Conn
	l     *limitListener
	once  sync.Once
	state http.ConnState // guarded by l.mu
	since time.Time      // when it entered state
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

// victim is the connection without a request under way that has been so
// longest, or nil. l.mu is held.
func (l *limitListener) victim() *limitConn {
	var v *limitConn
	for c := range l.open {
		if c.state != http.StateNew && c.state != http.StateIdle {
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

// track is the server's ConnState hook: it records each connection's state.
func (l *limitListener) track(c net.Conn, s http.ConnState) {
	lc, ok := c.(*limitConn)
	if !ok {
		return
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	lc.state, lc.since = s, time.Now()
	switch s {
	case http.StateClosed, http.StateHijacked:
		l.release(lc)
	case http.StateIdle:
		l.cond.Signal() // a waiting Accept may close it now
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

// limit wraps ln with the cap and hooks srv's ConnState to it.
func limit(srv *http.Server, ln net.Listener, max int) net.Listener {
	l := newLimitListener(ln, max)
	prev := srv.ConnState
	srv.ConnState = func(c net.Conn, s http.ConnState) {
		l.track(c, s)
		if prev != nil {
			prev(c, s)
		}
	}
	return l
}
