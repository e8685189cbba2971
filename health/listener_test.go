package health

import (
	"bufio"
	"context"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"
)

// startServer serves h on 127.0.0.1 with limits l (the connection cap
// included) until the test ends.
func startServer(t *testing.T, h http.Handler, l Limits) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		srv := newServer(ln.Addr().String(), h, l)
		_ = serve(ctx, srv, limit(srv, ln, l.MaxConns), time.Second)
	}()
	t.Cleanup(func() { cancel(); <-done })
	return ln.Addr().String()
}

// closedWithin reports whether the server closes c within d (reading
// whatever it sends until EOF or an error).
func closedWithin(c net.Conn, d time.Duration) bool {
	c.SetReadDeadline(time.Now().Add(d))
	_, err := io.Copy(io.Discard, c)
	if ne, ok := err.(net.Error); ok && ne.Timeout() {
		return false
	}
	return true
}

var small = Limits{ReadHeader: 200 * time.Millisecond, Read: 300 * time.Millisecond, Write: time.Second,
	Idle: 300 * time.Millisecond, MaxHeaderBytes: 4 << 10, MaxBody: 1 << 10, MaxConns: 4}

func echoLen() http.Handler {
	return LimitBody(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n, err := io.Copy(io.Discard, r.Body)
		if err != nil {
			http.Error(w, "too large", http.StatusRequestEntityTooLarge)
			return
		}
		io.WriteString(w, strings.Repeat("x", int(n%10)))
	}), small.MaxBody)
}

// TestDrippedBodyIsCut: a body sent a byte at a time is cut by the read
// timeout, not held for minutes.
func TestDrippedBodyIsCut(t *testing.T) {
	addr := startServer(t, echoLen(), small)
	c, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	io.WriteString(c, "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n")
	cut := make(chan bool, 1)
	go func() { cut <- closedWithin(c, 10*time.Second) }()
	for range 20 { // 1 byte every 100 ms: 2 s, far past the 300 ms read timeout
		if _, err := c.Write([]byte("a")); err != nil {
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	if !<-cut {
		t.Error("a dripped body held the connection for 10 s")
	}
}

// TestIdleKeepAliveIsClosed: a keep-alive connection that sends nothing
// after its request is closed by the idle timeout.
func TestIdleKeepAliveIsClosed(t *testing.T) {
	addr := startServer(t, echoLen(), small)
	c, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	io.WriteString(c, "GET / HTTP/1.1\r\nHost: x\r\n\r\n")
	br := bufio.NewReader(c)
	resp, err := http.ReadResponse(br, nil)
	if err != nil {
		t.Fatal(err)
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	c.SetReadDeadline(time.Now().Add(10 * time.Second))
	if _, err := br.ReadByte(); err == nil {
		t.Fatal("unexpected bytes on an idle connection")
	} else if ne, ok := err.(net.Error); ok && ne.Timeout() {
		t.Error("an idle keep-alive connection was held for 10 s")
	}
}

// TestLargeBodyRefusedUnread: a declared length over the cap gets 413 at
// once, though the body never comes.
func TestLargeBodyRefusedUnread(t *testing.T) {
	l := small
	l.Read = time.Minute // the 413 must not wait for the read timeout
	addr := startServer(t, echoLen(), l)
	c, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	io.WriteString(c, "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 104857600\r\n\r\n")
	c.SetReadDeadline(time.Now().Add(5 * time.Second))
	resp, err := http.ReadResponse(bufio.NewReader(c), nil)
	if err != nil {
		t.Fatalf("no answer before the body: %v", err)
	}
	if resp.StatusCode != http.StatusRequestEntityTooLarge {
		t.Errorf("status %d, want 413", resp.StatusCode)
	}
	// A chunked body without a length is capped while read.
	resp2, err := http.Post("http://"+addr+"/", "text/plain", io.MultiReader(strings.NewReader(strings.Repeat("y", 4<<10))))
	if err != nil {
		t.Fatal(err)
	}
	resp2.Body.Close()
	if resp2.StatusCode != http.StatusRequestEntityTooLarge {
		t.Errorf("chunked 4 KiB body: status %d, want 413", resp2.StatusCode)
	}
}

// TestConnectionCap: with every slot held by a request being handled,
// another connection is not served until one ends; slots held by clients
// dripping their headers or idle go to a new connection, oldest first.
func TestConnectionCap(t *testing.T) {
	l := small
	// Longer than any wait below: a slot comes free only by the cap's own
	// closing, not by a timeout.
	l.ReadHeader, l.Read, l.Idle = time.Minute, time.Minute, time.Minute
	release := make(chan struct{})
	entered := make(chan struct{}, l.MaxConns)
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/block" {
			entered <- struct{}{}
			<-release
		}
		io.WriteString(w, "ok")
	})
	addr := startServer(t, h, l)
	dial := func(req string) net.Conn {
		c, err := net.Dial("tcp", addr)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { c.Close() })
		io.WriteString(c, req)
		return c
	}
	served := func(c net.Conn, within time.Duration) bool {
		c.SetReadDeadline(time.Now().Add(within))
		resp, err := http.ReadResponse(bufio.NewReader(c), nil)
		return err == nil && resp.StatusCode == 200
	}

	// Slow clients hold every slot; a probe still gets in, and the oldest
	// slow client is the one closed.
	var slow []net.Conn
	for range l.MaxConns {
		slow = append(slow, dial("GET / HTTP/1.1\r\nHost: x\r\n")) // headers never finished
		time.Sleep(10 * time.Millisecond)                          // an order to their ages
	}
	probe := dial("GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
	if !served(probe, 5*time.Second) {
		t.Fatal("a probe was kept out by clients dripping their headers")
	}
	if !closedWithin(slow[0], 5*time.Second) {
		t.Error("the oldest slow client was not the one closed")
	}
	for _, c := range slow {
		c.Close()
	}

	// Requests under way are never closed: a new connection waits.
	for range l.MaxConns {
		dial("GET /block HTTP/1.1\r\nHost: x\r\n\r\n")
	}
	for range l.MaxConns {
		<-entered // every slot has a request under way
	}
	extra := dial("GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
	if served(extra, 300*time.Millisecond) {
		t.Fatal("a connection over the cap was served while every slot had a request under way")
	}
	close(release)
	if !served(extra, 10*time.Second) {
		t.Fatal("once the requests ended, the waiting connection was not served")
	}
}

func TestDefaultLimitsSet(t *testing.T) {
	srv := NewServer("127.0.0.1:0", http.NotFoundHandler())
	if srv.ReadHeaderTimeout <= 0 || srv.ReadTimeout <= 0 || srv.WriteTimeout <= 0 || srv.IdleTimeout <= 0 || srv.MaxHeaderBytes <= 0 {
		t.Errorf("server without a limit: %+v", srv)
	}
	if DefaultLimits.MaxConns <= 0 || DefaultLimits.MaxBody <= 0 {
		t.Errorf("limits = %+v", DefaultLimits)
	}
}
