package health

// The slow-client load: go test ./health -run '^$' -bench SlowClients -benchtime 1x
//
// It starts the listener in a child process (this test binary again) and
// opens NEWSDIGEST_LOAD_CONNS connections (default 3000) to it on
// 127.0.0.1 for NEWSDIGEST_LOAD_SECONDS (default 15): a third drip their
// headers, a third announce a 100 kB body and drip it, a third send one
// request and stay idle on keep-alive; a client the server cuts connects
// again. Meanwhile /healthz is asked every 500 ms on a fresh connection
// (2 s timeout). At the end, with every client still at it, it reads the
// child's open descriptors and resident memory from /proc. It does this
// for the listener as it was (only a 10 s ReadHeaderTimeout, no cap) and
// for the listener as the bot builds it now (NewServer, the connection
// cap, the body cap), in the same run. Linux only (/proc).

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// TestLoadChild is the child process's listener; it does nothing in a
// normal test run.
func TestLoadChild(t *testing.T) {
	mode := os.Getenv("NEWSDIGEST_LOAD_CHILD")
	if mode == "" {
		t.Skip("the listener of BenchmarkSlowClients, run only as its child process")
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	routes := map[string]http.Handler{"/upload": http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body)
	})}
	h := Mux(nil, time.Second, routes, nil)
	ctx, cancel := context.WithCancel(context.Background())
	go func() { io.Copy(io.Discard, os.Stdin); cancel() }() // the parent closes stdin to stop us
	fmt.Printf("addr %s\n", ln.Addr())
	if mode == "before" {
		srv := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second}
		go func() { <-ctx.Done(); srv.Close() }()
		srv.Serve(ln)
		return
	}
	srv := NewServer("", h)
	serve(ctx, srv, limit(srv, ln, maxConns()), time.Second)
}

type loadResult struct {
	fdsBefore, fdsEnd int
	rssBefore, rssEnd int // kB
	hwm               int // peak resident kB
	cuts              int64
	probes, answered  int
	slowest           time.Duration
}

func envInt(name string, def int) int {
	if v, err := strconv.Atoi(os.Getenv(name)); err == nil && v > 0 {
		return v
	}
	return def
}

// procStatus reads a kB field of /proc/PID/status.
func procStatus(pid int, field string) int {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return -1
	}
	for _, line := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, field+":"); ok {
			n, _ := strconv.Atoi(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")))
			return n
		}
	}
	return -1
}

func openFDs(pid int) int {
	es, err := os.ReadDir(fmt.Sprintf("/proc/%d/fd", pid))
	if err != nil {
		return -1
	}
	return len(es)
}

// slowLoad runs the load against a child listener of the given mode.
func slowLoad(tb testing.TB, mode string, conns int, hold time.Duration) loadResult {
	cmd := exec.Command(os.Args[0], "-test.run=^TestLoadChild$", "-test.bench=^$")
	cmd.Env = append(os.Environ(), "NEWSDIGEST_LOAD_CHILD="+mode)
	stdin, err := cmd.StdinPipe()
	if err != nil {
		tb.Fatal(err)
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		tb.Fatal(err)
	}
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		tb.Fatal(err)
	}
	defer func() { stdin.Close(); cmd.Wait() }()
	line, err := bufio.NewReader(stdout).ReadString('\n')
	addr, ok := strings.CutPrefix(strings.TrimSpace(line), "addr ")
	if err != nil || !ok {
		tb.Fatalf("child: %q, %v", line, err)
	}
	pid := cmd.Process.Pid
	time.Sleep(200 * time.Millisecond)
	r := loadResult{fdsBefore: openFDs(pid), rssBefore: procStatus(pid, "VmRSS")}

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var wg sync.WaitGroup
	for i := range conns {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for ctx.Err() == nil {
				if attack(ctx, addr, i%3) {
					atomic.AddInt64(&r.cuts, 1)
				}
			}
		}()
	}
	probe := &http.Client{Timeout: 2 * time.Second, Transport: &http.Transport{DisableKeepAlives: true}}
	end := time.After(hold)
	tick := time.NewTicker(500 * time.Millisecond)
	for done := false; !done; {
		select {
		case <-end:
			done = true
		case <-tick.C:
			r.probes++
			start := time.Now()
			resp, err := probe.Get("http://" + addr + "/healthz")
			if err == nil {
				io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				if resp.StatusCode == 200 {
					r.answered++
				}
			}
			r.slowest = max(r.slowest, time.Since(start))
		}
	}
	tick.Stop()
	// The snapshot is taken with every client still at it.
	r.fdsEnd, r.rssEnd, r.hwm = openFDs(pid), procStatus(pid, "VmRSS"), procStatus(pid, "VmHWM")
	cancel()
	wg.Wait()
	return r
}

// attack runs one slow client of the given kind until ctx ends or the
// server closes its connection; it reports whether the server did.
func attack(ctx context.Context, addr string, kind int) (cut bool) {
	d := net.Dialer{Timeout: 5 * time.Second}
	c, err := d.DialContext(ctx, "tcp", addr)
	if err != nil {
		select { // refused or out of descriptors: wait, then try again
		case <-ctx.Done():
		case <-time.After(100 * time.Millisecond):
		}
		return false
	}
	defer c.Close()
	closed := make(chan struct{})
	go func() {
		defer close(closed)
		io.Copy(io.Discard, c) // returns when the server closes, or we do
	}()
	switch kind {
	case 0:
		_, err = io.WriteString(c, "GET /healthz HTTP/1.1\r\nHost: x\r\n")
	case 1:
		_, err = io.WriteString(c, "POST /upload HTTP/1.1\r\nHost: x\r\nContent-Length: 100000\r\n\r\n")
	case 2:
		_, err = io.WriteString(c, "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
	}
	if err != nil {
		return true
	}
	t := time.NewTicker(time.Second)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return false
		case <-closed:
			return true
		case <-t.C:
			if kind == 2 {
				continue // idle
			}
			if _, err := c.Write([]byte("a")); err != nil {
				return true
			}
		}
	}
}

func BenchmarkSlowClients(b *testing.B) {
	if _, err := os.Stat("/proc/self/status"); err != nil {
		b.Skip("needs Linux's /proc to read the listener's descriptors and memory")
	}
	conns := envInt("NEWSDIGEST_LOAD_CONNS", 3000)
	hold := time.Duration(envInt("NEWSDIGEST_LOAD_SECONDS", 15)) * time.Second
	for range b.N {
		before := slowLoad(b, "before", conns, hold)
		now := slowLoad(b, "now", conns, hold)
		fmt.Printf("\n%d slow clients for %s on 127.0.0.1 (a third each: dripped headers, dripped body, idle keep-alive); connection cap now %d\n", conns, hold, maxConns())
		fmt.Printf("%-32s %16s %18s %10s %14s %12s\n", "listener (child process)", "open fds", "RSS MB", "peak MB", "/healthz ok", "cut by srv")
		for _, row := range []struct {
			name string
			r    loadResult
		}{{"before: ReadHeaderTimeout only", before}, {"now: timeouts, caps", now}} {
			r := row.r
			fmt.Printf("%-32s %6d → %-7d %7.1f → %-8.1f %10.1f %7d of %-4d %12d\n", row.name, r.fdsBefore, r.fdsEnd,
				float64(r.rssBefore)/1024, float64(r.rssEnd)/1024, float64(r.hwm)/1024, r.answered, r.probes, r.cuts)
		}
		fmt.Printf("slowest /healthz probe: before %s, now %s\n", before.slowest.Round(time.Millisecond), now.slowest.Round(time.Millisecond))
		b.ReportMetric(float64(before.fdsEnd), "fds_before")
		b.ReportMetric(float64(now.fdsEnd), "fds_now")
		b.ReportMetric(float64(before.rssEnd)/1024, "RSS_MB_before")
		b.ReportMetric(float64(now.rssEnd)/1024, "RSS_MB_now")
	}
}
