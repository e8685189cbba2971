package cli

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"newsdigest/adapters/discord/fakediscord"
	"newsdigest/adapters/telegram/faketelegram"
	"newsdigest/config"
)

// botConfig writes a config with its own store and listener, plus extra
// YAML, and returns its path and the listener's address.
func botConfig(t *testing.T, extra string) (string, string) {
	t.Helper()
	dir := t.TempDir()
	addr := freePort(t)
	y := fmt.Sprintf("store:\n  path: %s\nhttp:\n  listen: %q\nlog:\n  format: json\n%s", filepath.Join(dir, "bot.db"), addr, extra)
	path := filepath.Join(dir, "config.yaml")
	if err := os.WriteFile(path, []byte(y), 0o644); err != nil {
		t.Fatal(err)
	}
	return path, addr
}

// startBot runs `bot run` in the background; the channel gets its exit code.
func startBot(ctx context.Context, cfg string, env map[string]string, logs io.Writer) <-chan int {
	done := make(chan int, 1)
	go func() {
		done <- Main(ctx, []string{"run", "--config", cfg, "--drain", "1s"}, Env{
			Stdin: strings.NewReader(""), Stdout: io.Discard, Stderr: logs, Getenv: func(k string) string { return env[k] },
		})
	}()
	return done
}

func httpGet(addr, path string) (int, string) {
	c := &http.Client{Timeout: 2 * time.Second}
	resp, err := c.Get("http://" + addr + path)
	if err != nil {
		return 0, err.Error()
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// testApp makes an App (not running) on a config of its own store and
// listener plus extra YAML, env being its environment; its JSON log goes
// to the buffer returned.
func testApp(t *testing.T, extra string, env map[string]string, instance string) (*App, *syncBuffer) {
	t.Helper()
	c, err := config.Parse([]byte(fmt.Sprintf("store:\n  path: %s\nhttp:\n  listen: %q\n%s",
		filepath.Join(t.TempDir(), "bot.db"), freePort(t), extra)), "test.yaml", func(k string) string { return env[k] })
	if err != nil {
		t.Fatal(err)
	}
	logs := &syncBuffer{}
	return NewApp(c, slog.New(slog.NewJSONHandler(logs, nil)), instance), logs
}

// gatedProxy forwards requests to target, but answers them with shut
// while closed is true.
func gatedProxy(t *testing.T, target string, closed *atomic.Bool, shut http.HandlerFunc) *httptest.Server {
	u, err := url.Parse(target)
	if err != nil {
		t.Fatal(err)
	}
	proxy := httputil.NewSingleHostReverseProxy(u)
	front := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if closed.Load() {
			shut(w, r)
			return
		}
		proxy.ServeHTTP(w, r)
	}))
	t.Cleanup(front.Close)
	return front
}

// TestRejectedTokenStopsEverything: a token the platform rejects is fatal.
// Before, delivery stopped but ingestion and /healthz went on for good, so
// no supervisor restarted the bot; now `bot run` exits 1 within seconds
// and its listener is gone.
func TestRejectedTokenStopsEverything(t *testing.T) {
	tg := faketelegram.New(faketelegram.Options{})
	defer tg.Close()
	dc := fakediscord.New(t)
	defer dc.Close()
	for _, tc := range []struct {
		name, extra string
		env         map[string]string
	}{
		{"telegram", fmt.Sprintf("telegram:\n  api_url: %s\n", tg.URL()), map[string]string{"TELEGRAM_TOKEN": "999:rejected"}},
		{"discord", fmt.Sprintf("discord:\n  api_url: %s\n", dc.APIURL()), map[string]string{"DISCORD_TOKEN": "rejected"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			// A source that never answers keeps ingestion busy: it must be cut too.
			hang := make(chan struct{})
			site := newHangingSite(hang)
			defer func() { close(hang); site.Close() }()
			cfg, addr := botConfig(t, tc.extra+"fetch:\n  allow_private: true\nsources:\n  - name: Slow\n    url: "+site.URL+"/feed.xml\n")
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			var logs syncBuffer
			start := time.Now()
			done := startBot(ctx, cfg, tc.env, &logs)
			select {
			case code := <-done:
				if code != 1 {
					t.Errorf("bot run exited %d, want 1; logs:\n%s", code, logs.String())
				}
			case <-time.After(30 * time.Second):
				t.Fatalf("bot run still runs 30 s after a rejected token; logs:\n%s", logs.String())
			}
			t.Logf("exited after %s", time.Since(start).Round(time.Millisecond))
			if code, body := httpGet(addr, "/healthz"); code != 0 {
				t.Errorf("/healthz still answers %d %q after the fatal error", code, body)
			}
			l := logs.String()
			if !strings.Contains(l, "stopping after a fatal error") || !strings.Contains(l, "store closed") {
				t.Errorf("logs lack the fatal stop and the store closing:\n%s", l)
			}
			if strings.Contains(l, "rejected\"") || strings.Contains(l, "999:rejected") {
				t.Errorf("the token appears in the logs:\n%s", l)
			}
		})
	}
}

// newHangingSite serves a feed whose requests hang until release closes.
func newHangingSite(release chan struct{}) *httptest.Server {
	return httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-release:
		case <-r.Context().Done():
		}
	}))
}

// TestUnreachablePlatformIsRetried: a platform that cannot be reached at
// start (here the Bot API answers 503, then refuses connections) is not
// fatal: the bot keeps running, /healthz answers, /readyz says telegram is
// not ready, and once the API is back the bot connects and is ready.
func TestUnreachablePlatformIsRetried(t *testing.T) {
	tg := faketelegram.New(faketelegram.Options{})
	defer tg.Close()
	var down atomic.Bool
	down.Store(true)
	front := gatedProxy(t, tg.URL(), &down, func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "<html>503 Service Temporarily Unavailable</html>", http.StatusServiceUnavailable)
	})
	app, logs := testApp(t, "telegram:\n  api_url: "+front.URL+"\n  poll_timeout: 1s\n", map[string]string{"TELEGRAM_TOKEN": tg.Token()}, "retry-test")
	app.RetryMin, app.RetryMax, app.Drain = 50*time.Millisecond, 200*time.Millisecond, time.Second
	defer app.Close()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	done := make(chan error, 1)
	go func() { done <- app.Run(ctx) }()
	addr := app.Config.HTTP.Listen

	waitUntil(t, logs, "two failed attempts", func() bool { return strings.Count(logs.String(), "platform unreachable; retrying") >= 2 })
	if code, body := httpGet(addr, "/healthz"); code != 200 {
		t.Errorf("/healthz = %d %q while Telegram is down, want 200", code, body)
	}
	if code, body := httpGet(addr, "/readyz"); code != 503 || !strings.Contains(body, "telegram") {
		t.Errorf("/readyz = %d %q while Telegram is down, want 503 naming telegram", code, body)
	}
	select {
	case err := <-done:
		t.Fatalf("Run returned %v while the platform was only unreachable; logs:\n%s", err, logs.String())
	default:
	}
	down.Store(false)
	waitUntil(t, logs, "ready", func() bool { code, _ := httpGet(addr, "/readyz"); return code == 200 })
	if len(tg.Commands()) == 0 {
		t.Error("commands not registered after the API came back")
	}
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("Run = %v after the context ended, want nil", err)
		}
	case <-time.After(20 * time.Second):
		t.Fatal("Run did not stop")
	}
}

// TestTwoAppsInOneProcess runs two bots side by side: each has its own
// store, listener, logger and instance name, and running them changes no
// process-wide state (slog's default logger stays as it was).
func TestTwoAppsInOneProcess(t *testing.T) {
	before := slog.Default()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	type bot struct {
		app  *App
		logs *syncBuffer
		done chan error
	}
	var bots []bot
	for i := range 2 {
		cfg, _ := botConfig(t, "")
		c, err := config.Load(cfg, func(string) string { return "" })
		if err != nil {
			t.Fatal(err)
		}
		logs := &syncBuffer{}
		b := bot{NewApp(c, slog.New(slog.NewJSONHandler(logs, nil)), fmt.Sprintf("instance-%d", i)), logs, make(chan error, 1)}
		go func() { b.done <- b.app.Run(ctx) }()
		bots = append(bots, b)
	}
	for i, b := range bots {
		waitUntil(t, b.logs, "bot ready", func() bool { code, _ := httpGet(b.app.Config.HTTP.Listen, "/readyz"); return code == 200 })
		if !strings.Contains(b.logs.String(), fmt.Sprintf(`"instance":"instance-%d"`, i)) {
			t.Errorf("bot %d logs lack its own instance:\n%s", i, b.logs.String())
		}
		if strings.Contains(b.logs.String(), fmt.Sprintf(`"instance":"instance-%d"`, 1-i)) {
			t.Errorf("bot %d logs hold the other bot's lines:\n%s", i, b.logs.String())
		}
	}
	if slog.Default() != before {
		t.Error("running a bot replaced slog's default logger")
	}
	cancel()
	for i, b := range bots {
		if err := <-b.done; err != nil {
			t.Errorf("bot %d: Run = %v", i, err)
		}
		if err := b.app.Close(); err != nil {
			t.Errorf("bot %d: Close = %v", i, err)
		}
	}
}

// TestRefusedPlatformIsNotFatal: Discord refusing connections at start is
// retried, not fatal: Run goes on, /readyz names discord, /healthz answers.
func TestRefusedPlatformIsNotFatal(t *testing.T) {
	closed := freePort(t) // nothing listens there
	app, logs := testApp(t, "discord:\n  api_url: http://"+closed+"/api/v10\n", map[string]string{"DISCORD_TOKEN": "some-token"}, "refused-test")
	c := app.Config
	app.RetryMin, app.RetryMax, app.Drain = 20*time.Millisecond, 100*time.Millisecond, time.Second
	defer app.Close()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	done := make(chan error, 1)
	go func() { done <- app.Run(ctx) }()
	waitUntil(t, logs, "three failed attempts", func() bool { return strings.Count(logs.String(), "platform unreachable; retrying") >= 3 })
	if code, body := httpGet(c.HTTP.Listen, "/readyz"); code != 503 || !strings.Contains(body, "discord") {
		t.Errorf("/readyz = %d %q, want 503 naming discord", code, body)
	}
	if code, _ := httpGet(c.HTTP.Listen, "/healthz"); code != 200 {
		t.Errorf("/healthz = %d while Discord is unreachable, want 200", code)
	}
	cancel()
	if err := <-done; err != nil {
		t.Errorf("Run = %v, want nil: an unreachable platform is not fatal", err)
	}
}

// TestSourcesNeedsAConfig: `bot sources` without a config says so and
// creates no newsdigest.db in the current folder (before, it made one).
func TestSourcesNeedsAConfig(t *testing.T) {
	t.Chdir(t.TempDir())
	code, _, stderr := runCLI(t, "", map[string]string{}, "sources")
	if code != 2 || !strings.Contains(stderr, "--config") {
		t.Errorf("bot sources without a config: exit %d, stderr %q; want 2 and how to name one", code, stderr)
	}
	if entries, _ := os.ReadDir("."); len(entries) != 0 {
		t.Errorf("bot sources without a config left %v in the current folder", entries)
	}
}

func TestHealthcheckDialsLoopbackForEveryInterface(t *testing.T) {
	for in, want := range map[string]string{
		":8080":          "127.0.0.1:8080",
		"0.0.0.0:8080":   "127.0.0.1:8080",
		"[::]:8080":      "127.0.0.1:8080",
		"127.0.0.1:9090": "127.0.0.1:9090",
		"[::1]:9090":     "[::1]:9090",
		"bot.local:80":   "bot.local:80",
	} {
		if got := dialAddr(in); got != want {
			t.Errorf("dialAddr(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestTokenRevokedWhileRunningIsFatal: a token Telegram rejects after the
// bot started (getUpdates answers 401) stops the bot like one rejected at
// start; before, polling stopped and the bot ran on deaf.
func TestTokenRevokedWhileRunningIsFatal(t *testing.T) {
	tg := faketelegram.New(faketelegram.Options{})
	defer tg.Close()
	var revoked atomic.Bool
	front := gatedProxy(t, tg.URL(), &revoked, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusUnauthorized)
		io.WriteString(w, `{"ok":false,"error_code":401,"description":"Unauthorized"}`)
	})
	app, logs := testApp(t, "telegram:\n  api_url: "+front.URL+"\n  poll_timeout: 1s\n", map[string]string{"TELEGRAM_TOKEN": tg.Token()}, "revoke-test")
	c := app.Config
	app.Drain = time.Second
	defer app.Close()
	done := make(chan error, 1)
	go func() { done <- app.Run(context.Background()) }()
	waitUntil(t, logs, "ready", func() bool { code, _ := httpGet(c.HTTP.Listen, "/readyz"); return code == 200 })
	revoked.Store(true)
	select {
	case err := <-done:
		if err == nil || !strings.Contains(err.Error(), "401") {
			t.Errorf("Run = %v, want the 401 that stopped polling", err)
		}
	case <-time.After(30 * time.Second):
		t.Fatalf("the bot runs on 30 s after its token was revoked; logs:\n%s", logs.String())
	}
	if code, _ := httpGet(c.HTTP.Listen, "/healthz"); code != 0 {
		t.Errorf("/healthz still answers %d after the fatal error", code)
	}
}

// TestAppDebugLinesGoToItsLog: at debug level, the fetcher's lines and the
// reasons /readyz gives for not being ready go to the App's own logger
// (which the operator configured, and which redacts), not to slog's
// default logger, which Run no longer replaces.
func TestAppDebugLinesGoToItsLog(t *testing.T) {
	site := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/rss+xml")
		io.WriteString(w, `<?xml version="1.0"?><rss version="2.0"><channel><title>T</title></channel></rss>`)
	}))
	defer site.Close()
	closed := freePort(t) // nothing listens there: Discord stays unready
	app, _ := testApp(t, "fetch:\n  allow_private: true\nsources:\n  - name: Local\n    url: "+site.URL+"/feed.xml\n"+
		"discord:\n  api_url: http://"+closed+"/api/v10\n", map[string]string{"DISCORD_TOKEN": "some-token"}, "debug-test")
	logs := &syncBuffer{}
	app.Log = slog.New(slog.NewJSONHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	app.RetryMin, app.RetryMax, app.Drain = 20*time.Millisecond, 100*time.Millisecond, time.Second
	defer app.Close()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	done := make(chan error, 1)
	go func() { done <- app.Run(ctx) }()
	waitUntil(t, logs, "the source fetched", func() bool { return strings.Contains(logs.String(), "ingest: source fetched") })
	if code, _ := httpGet(app.Config.HTTP.Listen, "/readyz"); code != 503 {
		t.Errorf("/readyz = %d while Discord is unreachable, want 503", code)
	}
	cancel()
	if err := <-done; err != nil {
		t.Errorf("Run = %v", err)
	}
	l := logs.String()
	if !strings.Contains(l, `"msg":"fetch: fetched"`) {
		t.Errorf("the fetcher's debug lines are not in the App's log:\n%s", l)
	}
	if !strings.Contains(l, `"msg":"not ready","component":"discord"`) {
		t.Errorf("/readyz's reason is not in the App's log:\n%s", l)
	}
}
