package delivery

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"newsdigest/digest"
	"newsdigest/store/sqlite"
)

// The kill test runs the engine in a child process (this test binary,
// re-executed with these variables set), which sends to a fake platform
// served by the parent over HTTP. The parent kills the child with SIGKILL
// while it handles a chosen message, before answering it: the message
// reached the platform, the child never recorded it. A new engine then
// finishes on the same database file.
const (
	envChild = "DELIVERY_KILL_CHILD_DB"
	envURL   = "DELIVERY_KILL_CHILD_URL"
	envIdem  = "DELIVERY_KILL_CHILD_IDEMPOTENT"
)

// httpMessenger renders like fakeMessenger and sends to the parent's fake
// platform.
type httpMessenger struct {
	*fakeMessenger
	url string
}

func (m *httpMessenger) Send(ctx context.Context, d digest.Delivery) (string, error) {
	body, _ := json.Marshal(sent{Chat: d.ChatID, Key: d.Key, Payload: string(d.Payload)})
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, m.url, bytes.NewReader(body))
	if err != nil {
		return "", err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return "", &digest.TemporaryError{Platform: m.platform, Err: err}
	}
	defer resp.Body.Close()
	id, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK {
		return "", &digest.TemporaryError{Platform: m.platform, Err: fmt.Errorf("status %d", resp.StatusCode)}
	}
	return string(id), nil
}

// platformServer records messages; with idem it drops a repeated key (a
// Discord nonce). onMessage runs before the answer, with the count so far.
type platformServer struct {
	idem      bool
	mu        sync.Mutex
	msgs      []sent
	onMessage func(n int, s sent)
}

func (p *platformServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	var s sent
	if err := json.NewDecoder(r.Body).Decode(&s); err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	p.mu.Lock()
	dup := false
	if p.idem {
		for _, x := range p.msgs {
			dup = dup || x.Key == s.Key
		}
	}
	if !dup {
		p.msgs = append(p.msgs, s)
	}
	n, hook := len(p.msgs), p.onMessage
	p.mu.Unlock()
	if hook != nil && !dup {
		hook(n, s)
	}
	fmt.Fprint(w, "m-"+s.Key)
}

func (p *platformServer) sent() []sent {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]sent(nil), p.msgs...)
}

// childOptions are the engine's options in the child and after the
// restart: the same Owner, as an instance restarted under its configured ID
// takes its parts back at once instead of waiting out its lease.
func childOptions() Options {
	o := testOptions(&fakeClock{t: berlin08.Add(time.Second)})
	o.Concurrency = 2
	o.Owner = "instance-1"
	o.Lease = time.Minute
	o.SendTimeout = 20 * time.Second // no timeouts: they would be another source of duplicates
	return o
}

// TestKillChild is the child's body; it does nothing in a normal run.
func TestKillChild(t *testing.T) {
	path := os.Getenv(envChild)
	if path == "" {
		t.Skip("only run as the child of TestKillNine")
	}
	st, err := sqlite.Open(context.Background(), path, sqlite.WithLogger(quiet()))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	m := &httpMessenger{fakeMessenger: newFakeMessenger(digest.Telegram, os.Getenv(envIdem) == "1"), url: os.Getenv(envURL)}
	o := childOptions()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	New(st, []digest.Messenger{m}, o).Run(ctx) // until killed
}

func TestKillNine(t *testing.T) {
	if os.Getenv(envChild) != "" {
		t.Skip("in the child")
	}
	for _, idem := range []bool{true, false} {
		t.Run(fmt.Sprint("idempotent=", idem), func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "bot.db")
			chats := []string{"200", "201", "202"}
			seedSQLite(t, path, digest.Telegram, chats, 10, 0) // 5 parts per chat
			plat := &platformServer{idem: idem}
			srv := httptest.NewServer(plat)
			defer srv.Close()

			cmd := exec.Command(os.Args[0], "-test.run=^TestKillChild$", "-test.count=1")
			cmd.Env = append(os.Environ(), envChild+"="+path, envURL+"="+srv.URL, envIdem+"="+map[bool]string{true: "1", false: "0"}[idem])
			var out bytes.Buffer
			cmd.Stdout, cmd.Stderr = &out, &out
			killed := make(chan string, 1)
			proc := make(chan *os.Process, 1)
			plat.mu.Lock()
			plat.onMessage = func(n int, s sent) {
				if n == 7 { // mid-digest: the third part of some chat
					if err := (<-proc).Kill(); err == nil {
						killed <- s.Key
					}
				}
			}
			plat.mu.Unlock()
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			proc <- cmd.Process
			var inFlight string
			select {
			case inFlight = <-killed:
			case <-time.After(30 * time.Second):
				cmd.Process.Kill()
				t.Fatalf("the child never reached the 7th message; its output:\n%s", out.String())
			}
			err := cmd.Wait()
			if ps := cmd.ProcessState; ps == nil || ps.Success() {
				t.Fatalf("child not killed: %v\n%s", err, out.String())
			}
			plat.mu.Lock()
			plat.onMessage = nil
			before := len(plat.msgs)
			plat.mu.Unlock()

			// Restart on the same file.
			st, err := sqlite.Open(context.Background(), path, sqlite.WithLogger(quiet()))
			if err != nil {
				t.Fatal(err)
			}
			defer st.Close()
			// The parts recorded as in flight at the kill: the only ones
			// that may come twice.
			sending := map[string]int{}
			for _, d := range outbox(t, st) {
				if d.State == digest.Sending {
					sending[d.Key] = 1
				}
			}
			if sending[inFlight] != 1 {
				t.Errorf("the killed message %s is not recorded as in flight: %v", inFlight, sending)
			}
			m := &httpMessenger{fakeMessenger: newFakeMessenger(digest.Telegram, idem), url: srv.URL}
			o := childOptions()
			e := New(st, []digest.Messenger{m}, o)
			ctx, cancel := context.WithCancel(context.Background())
			done := make(chan error, 1)
			go func() { done <- e.Run(ctx) }()
			waitFor(t, "every part final after the restart", func() bool { return allFinal(outbox(t, st)) })
			cancel()
			if err := <-done; err != nil {
				t.Fatal(err)
			}
			for _, d := range outbox(t, st) {
				if d.State != digest.Sent {
					t.Errorf("part %s is %s: %s", d.Key, d.State, d.Error)
				}
			}
			msgs := plat.sent()
			t.Logf("%d messages before the kill, %d in all; killed while answering %s", before, len(msgs), inFlight)
			t.Logf("in flight at the kill: %v", sending)
			checkDelivered(t, msgs, chats, 5, idem, sending)
			if !idem {
				n := 0
				for _, s := range msgs {
					if s.Key == inFlight {
						n++
					}
				}
				if n != 2 {
					t.Errorf("the part in flight at the kill arrived %d times; the resend rule says twice on a non-idempotent platform", n)
				}
			}
		})
	}
}
