package config

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func noEnv(string) string { return "" }

func TestExampleConfigLoads(t *testing.T) {
	c, err := Load("../config.example.yaml", noEnv)
	if err != nil {
		t.Fatalf("the example config must load: %v", err)
	}
	if len(c.Sources) != 2 || c.Sources[1].Kind != "html" || c.Sources[0].Interval.D() != 15*time.Minute {
		t.Errorf("sources = %+v", c.Sources)
	}
	if c.Digest.MaxStories != 10 || c.Digest.Grace.D() != 6*time.Hour {
		t.Errorf("digest = %+v", c.Digest)
	}
}

func TestDefaultsWithoutFile(t *testing.T) {
	c, err := Load("", noEnv)
	if err != nil {
		t.Fatal(err)
	}
	if c.Store.Path != "newsdigest.db" || c.Fetch.MaxBodyBytes != 5<<20 || c.HTTP.Listen != "" {
		t.Errorf("defaults = %+v", c)
	}
}

func TestBadValuesNameTheKey(t *testing.T) {
	tests := []struct {
		name, yaml, wantKey string
	}{
		{"unknown top key", "stroe:\n  path: x.db\n", "unknown key stroe"},
		{"unknown nested key", "fetch:\n  timeout: 10s\n  per_hots: 3\n", "unknown key fetch.per_hots"},
		{"unknown source key", "sources:\n  - name: A\n    url: https://a.example/\n    intervall: 5m\n", "unknown key sources[].intervall"},
		{"bad duration", "fetch:\n  timeout: soon\n", "config: timeout: line 2"},
		{"short interval", "sources:\n  - name: A\n    url: https://a.example/feed\n    interval: 30s\n", "sources[0] (A).interval"},
		{"bad kind", "sources:\n  - name: A\n    url: https://a.example/feed\n    kind: podcast\n", "sources[0] (A).kind"},
		{"html without selector", "sources:\n  - name: A\n    url: https://a.example/\n    kind: html\n", "link_selector"},
		{"bad source url", "sources:\n  - name: A\n    url: ftp://a.example/\n", "sources[0] (A).url"},
		{"duplicate name", "sources:\n  - name: A\n    url: https://a.example/\n  - name: a\n    url: https://b.example/\n", "sources[1] (a).name"},
		{"max stories", "digest:\n  max_stories: 100\n", "digest.max_stories"},
		{"bad int", "digest:\n  max_stories: ten\n", "key max_stories"},
		{"store url", "store:\n  url: mysql://x\n", "store.url"},
		{"escape in source name", "sources:\n  - name: \"A\\e[2J\"\n    url: https://a.example/\n", "sources[0]"},
		{"NUL in store path", "store:\n  path: \"news\\0.db\"\n", "store.path"},
		{"newline in store path", "store:\n  path: \"news\\n.db\"\n", "store.path"},
		{"guild id", "discord:\n  guild_id: my-guild\n", "discord.guild_id"},
		{"shard", "discord:\n  shard_id: 2\n  shard_count: 2\n", "discord.shard_id"},
		{"public key", "discord:\n  public_key: xyz\n", "discord.public_key"},
		{"webhook http", "telegram:\n  webhook_url: http://bot.example/hook\n", "telegram.webhook_url"},
		{"log format", "log:\n  format: xml\n", "log.format"},
		{"listen", "http:\n  listen: nowhere\n", "http.listen"},
		{"not yaml", "store: [\n", "not valid YAML"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse([]byte(tt.yaml), "test.yaml", noEnv)
			if err == nil {
				t.Fatalf("accepted %q", tt.yaml)
			}
			if !strings.Contains(err.Error(), tt.wantKey) {
				t.Errorf("error %q does not name %q", err, tt.wantKey)
			}
		})
	}
}

// TestListenFollowsGo: http.listen means what it means to Go's net
// package (before, a bare ":8080" was moved to loopback).
func TestListenFollowsGo(t *testing.T) {
	for _, addr := range []string{":8080", "127.0.0.1:8080", "[::1]:9090", "0.0.0.0:80"} {
		c, err := Parse([]byte(fmt.Sprintf("http:\n  listen: %q\n", addr)), "t", noEnv)
		if err != nil {
			t.Fatalf("listen %q: %v", addr, err)
		}
		if c.HTTP.Listen != addr {
			t.Errorf("listen %q became %q", addr, c.HTTP.Listen)
		}
	}
	for _, bad := range []string{"8080", "localhost", "127.0.0.1:99999"} {
		if _, err := Parse([]byte(fmt.Sprintf("http:\n  listen: %q\n", bad)), "t", noEnv); err == nil || !strings.Contains(err.Error(), "http.listen") {
			t.Errorf("listen %q: err = %v, want an http.listen error", bad, err)
		}
	}
}

func TestSecretsFromEnvAndFilesNeverPrinted(t *testing.T) {
	dir := t.TempDir()
	f := filepath.Join(dir, "tg")
	if err := os.WriteFile(f, []byte("123:tg-secret-token\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	env := map[string]string{"DISCORD_TOKEN": "discord-secret-token", "TELEGRAM_TOKEN_FILE": f}
	c, err := Parse(nil, "t", func(k string) string { return env[k] })
	if err != nil {
		t.Fatal(err)
	}
	if c.Discord.Token != "discord-secret-token" || c.Telegram.Token != "123:tg-secret-token" {
		t.Fatalf("tokens not read: %q %q", c.Discord.Token, c.Telegram.Token)
	}
	out := c.Redacted()
	for _, s := range []string{"discord-secret-token", "tg-secret-token"} {
		if strings.Contains(out, s) {
			t.Errorf("Redacted() shows a secret:\n%s", out)
		}
	}
	if !strings.Contains(out, "DISCORD_TOKEN: '[redacted]'") && !strings.Contains(out, "DISCORD_TOKEN: \"[redacted]\"") {
		t.Errorf("Redacted() should say the token is set:\n%s", out)
	}
}

func TestSecretFileMissing(t *testing.T) {
	_, err := Parse(nil, "t", func(k string) string {
		if k == "DISCORD_TOKEN_FILE" {
			return "/nonexistent/token"
		}
		return ""
	})
	var ce *Error
	if !errors.As(err, &ce) || ce.Key != "DISCORD_TOKEN_FILE" {
		t.Fatalf("err = %v, want a config.Error naming DISCORD_TOKEN_FILE", err)
	}
}

func TestWebhookNeedsSecretAndListener(t *testing.T) {
	y := []byte("telegram:\n  webhook_url: https://bot.example/hook\nhttp:\n  listen: 127.0.0.1:8443\n")
	if _, err := Parse(y, "t", noEnv); err == nil || !strings.Contains(err.Error(), "TELEGRAM_WEBHOOK_SECRET") {
		t.Fatalf("err = %v, want TELEGRAM_WEBHOOK_SECRET", err)
	}
	env := map[string]string{"TELEGRAM_WEBHOOK_SECRET": "s3cret_value"}
	if _, err := Parse(y, "t", func(k string) string { return env[k] }); err != nil {
		t.Fatal(err)
	}
}

// TestIntervalLeftOutIsAdaptive: a source without an interval is polled
// as often as it publishes (Interval 0); one with an interval keeps it.
func TestIntervalLeftOutIsAdaptive(t *testing.T) {
	path := filepath.Join(t.TempDir(), "c.yaml")
	y := "sources:\n  - name: A\n    url: https://a.example/feed\n  - name: B\n    url: https://b.example/feed\n    interval: 20m\n"
	if err := os.WriteFile(path, []byte(y), 0o644); err != nil {
		t.Fatal(err)
	}
	c, err := Load(path, noEnv)
	if err != nil {
		t.Fatal(err)
	}
	if c.Sources[0].Interval != 0 || c.Sources[1].Interval.D() != 20*time.Minute {
		t.Errorf("intervals %v and %v, want 0 (adaptive) and 20m", c.Sources[0].Interval.D(), c.Sources[1].Interval.D())
	}
}

// TestStoreURLPasswordRedacted: check-config's print and a bad source URL's
// error never show a password or an API key.
func TestStoreURLPasswordRedacted(t *testing.T) {
	c, err := Parse([]byte("store:\n  url: postgres://bot:hunter2@db.example:5432/news?sslmode=require\n"+
		"sources:\n  - name: A\n    url: https://feeds.example/rss?apikey=KEY123\n"), "t", noEnv)
	if err != nil {
		t.Fatal(err)
	}
	if c.Store.URL != "postgres://bot:hunter2@db.example:5432/news?sslmode=require" || c.Sources[0].URL != "https://feeds.example/rss?apikey=KEY123" {
		t.Fatalf("the config itself must keep the real values: %q %q", c.Store.URL, c.Sources[0].URL)
	}
	out := c.Redacted()
	if strings.Contains(out, "hunter2") || strings.Contains(out, "KEY123") {
		t.Errorf("Redacted() shows a secret:\n%s", out)
	}
	if !strings.Contains(out, "postgres://bot:REDACTED@db.example:5432/news?sslmode=require") {
		t.Errorf("Redacted() lost the store URL:\n%s", out)
	}
	_, err = Parse([]byte("sources:\n  - name: A\n    url: ftp://u:hunter2@a.example/?token=KEY123\n"), "t", noEnv)
	if err == nil || strings.Contains(err.Error(), "hunter2") || strings.Contains(err.Error(), "KEY123") {
		t.Errorf("bad source URL error = %v, want one without the secrets", err)
	}
}

// TestStoreURLFromEnv: NEWSDIGEST_STORE_URL, or a file named by
// NEWSDIGEST_STORE_URL_FILE, gives the store URL and wins over the file's.
func TestStoreURLFromEnv(t *testing.T) {
	const fromEnv = "postgres://bot:s3cret@db.example:5432/news"
	f := filepath.Join(t.TempDir(), "store-url")
	if err := os.WriteFile(f, []byte(fromEnv+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	for name, env := range map[string]map[string]string{
		"variable": {"NEWSDIGEST_STORE_URL": fromEnv},
		"file":     {"NEWSDIGEST_STORE_URL_FILE": f},
	} {
		c, err := Parse([]byte("store:\n  url: postgres://other@elsewhere/x\n"), "t", func(k string) string { return env[k] })
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if c.Store.URL != fromEnv {
			t.Errorf("%s: store URL = %q, want %q", name, c.Store.URL, fromEnv)
		}
		if strings.Contains(c.Redacted(), "s3cret") {
			t.Errorf("%s: Redacted() shows the password", name)
		}
	}
	_, err := Parse(nil, "t", func(k string) string {
		if k == "NEWSDIGEST_STORE_URL" {
			return "mysql://bot:s3cret@db/x"
		}
		return ""
	})
	if err == nil || strings.Contains(err.Error(), "s3cret") {
		t.Errorf("bad store URL from the environment: err = %v", err)
	}
}
