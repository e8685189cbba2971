package main

import (
	"context"
	"flag"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

// static is the bot built the way the Dockerfile builds it, once per test
// run, by TestMain (buildErr says why not).
var static struct {
	bin      string
	out      []byte
	buildErr error
}

// TestMain builds the static binary before the tests, when TestStaticBinary
// is to run: like the test binary itself it is a build product, so its
// compile (all of it again when the cache is cold, for CGO_ENABLED=0
// changes the packages that use the network) is not counted in the tests'
// -timeout, which a loaded machine would otherwise exceed.
func TestMain(m *testing.M) {
	flag.Parse()
	run := flag.Lookup("test.run").Value.String()
	if ok, _ := regexp.MatchString(run, "TestStaticBinary"); (run == "" || ok) && !testing.Short() {
		dir, err := os.MkdirTemp("", "bot-static")
		if err != nil {
			static.buildErr = err
		} else {
			static.bin = filepath.Join(dir, "bot")
			// The Dockerfile's build, without -trimpath: that flag changes
			// the cache key of every package, standard library included, so
			// it would compile everything again; the binary is the same bar
			// its file paths.
			build := exec.Command("go", "build", "-ldflags", "-s -w -X newsdigest/cli.Version=test", "-o", static.bin, ".")
			build.Env = append(os.Environ(), "CGO_ENABLED=0")
			static.out, static.buildErr = build.CombinedOutput()
		}
	}
	code := m.Run()
	if static.bin != "" {
		os.RemoveAll(filepath.Dir(static.bin))
	}
	os.Exit(code)
}

// TestStaticBinary runs the bot built the way the Dockerfile does
// (CGO_ENABLED=0): version, check-config on the image's config, and `run`
// with the example config until /healthz answers and SIGTERM stops it
// cleanly.
func TestStaticBinary(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	dir := t.TempDir()
	bin := static.bin
	if static.buildErr != nil || bin == "" {
		t.Fatalf("CGO_ENABLED=0 go build: %v\n%s", static.buildErr, static.out)
	}
	if out, err := exec.Command("file", bin).Output(); err == nil && !strings.Contains(string(out), "statically linked") {
		t.Errorf("the binary is not static: %s", out)
	}
	env := append(os.Environ(), "NEWSDIGEST_CONFIG=", "DISCORD_TOKEN=", "TELEGRAM_TOKEN=")
	run := func(args ...string) string {
		cmd := exec.Command(bin, args...)
		cmd.Env = env
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("bot %s: %v\n%s", strings.Join(args, " "), err, out)
		}
		return string(out)
	}
	if out := run("version"); !strings.HasPrefix(out, "newsdigest test") {
		t.Errorf("version: %q", out)
	}
	if out := run("check-config", "--config", "../../deploy/config.yaml"); !strings.Contains(out, "is valid") {
		t.Errorf("check-config of the image's config: %q", out)
	}

	// The example config, with the store and the listener moved here.
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	example, err := os.ReadFile("../../config.example.yaml")
	if err != nil {
		t.Fatal(err)
	}
	y := strings.Replace(string(example), "path: newsdigest.db", "path: "+filepath.Join(dir, "bot.db"), 1)
	y = strings.Replace(y, `listen: ""`, `listen: "`+addr+`"`, 1)
	cfg := filepath.Join(dir, "config.yaml")
	if err := os.WriteFile(cfg, []byte(y), 0o644); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, "run", "--config", cfg)
	cmd.Env = env
	var logs strings.Builder
	cmd.Stderr = &logs
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	healthy := false
	for i := 0; i < 200 && !healthy; i++ {
		if resp, err := http.Get("http://" + addr + "/healthz"); err == nil {
			healthy = resp.StatusCode == 200
			resp.Body.Close()
		}
		time.Sleep(50 * time.Millisecond)
	}
	if !healthy {
		cmd.Process.Kill()
		cmd.Wait()
		t.Fatalf("/healthz never answered; logs:\n%s", logs.String())
	}
	cmd.Env = env
	check := exec.Command(bin, "healthcheck", "--config", cfg)
	check.Env = env
	if out, err := check.CombinedOutput(); err != nil || strings.TrimSpace(string(out)) != "ok" {
		t.Errorf("bot healthcheck: %v %q", err, out)
	}
	cmd.Process.Signal(os.Interrupt)
	if err := cmd.Wait(); err != nil {
		t.Errorf("bot run after SIGINT: %v; logs:\n%s", err, logs.String())
	}
	if !strings.Contains(logs.String(), "store closed") {
		t.Errorf("the store was not closed on shutdown; logs:\n%s", logs.String())
	}
}

// TestDockerfile checks what can be checked without a Docker engine.
func TestDockerfile(t *testing.T) {
	b, err := os.ReadFile("../../Dockerfile")
	if err != nil {
		t.Fatal(err)
	}
	d := string(b)
	for _, want := range []*regexp.Regexp{
		regexp.MustCompile(`(?m)^FROM golang:1\.26\S* AS build$`),
		regexp.MustCompile(`CGO_ENABLED=0 go build .* ./cmd/bot`),
		regexp.MustCompile(`(?m)^FROM gcr\.io/distroless/static\S*:nonroot$`),
		regexp.MustCompile(`(?m)^USER 65532:65532$`),
		regexp.MustCompile(`(?m)^VOLUME \["/data"\]$`),
		regexp.MustCompile(`(?m)^HEALTHCHECK .*bot", "healthcheck"\]$`),
		regexp.MustCompile(`(?m)^COPY deploy/config.yaml /config/config.yaml$`),
	} {
		if !want.MatchString(d) {
			t.Errorf("Dockerfile lacks %s", want)
		}
	}
	if strings.Count(d, "\nFROM ") != 2 || !strings.HasPrefix(d, "# syntax") {
		t.Errorf("want exactly two stages")
	}
	cfg, err := os.ReadFile("../../deploy/config.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(cfg), "path: /data/") || !strings.Contains(string(cfg), "listen: 127.0.0.1:") {
		t.Errorf("the image's config must keep the database on /data and /healthz on loopback:\n%s", cfg)
	}
}
