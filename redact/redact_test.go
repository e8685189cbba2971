package redact

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"net/url"
	"strings"
	"testing"
)

func TestURL(t *testing.T) {
	tests := []struct{ in, want string }{
		{"http://feeduser:PASSWORD@host/feed.xml?apikey=KEY", "http://feeduser:REDACTED@host/feed.xml?apikey=REDACTED"},
		{"https://TOKEN@example.com/rss", "https://REDACTED@example.com/rss"},
		{"https://example.com/rss?page=2&api_key=abc&lang=en", "https://example.com/rss?page=2&api_key=REDACTED&lang=en"},
		{"https://example.com/a?access_token=x&X-Amz-Signature=y&X-Amz-Credential=z&sig=s", "https://example.com/a?access_token=REDACTED&X-Amz-Signature=REDACTED&X-Amz-Credential=REDACTED&sig=REDACTED"},
		{"https://example.com/a?Token=x&secret=y&passwd=p&password=q&auth=a&key=k&signature=s", "https://example.com/a?Token=REDACTED&secret=REDACTED&passwd=REDACTED&password=REDACTED&auth=REDACTED&key=REDACTED&signature=REDACTED"},
		{"postgres://bot:s3cret@db:5432/news?sslmode=disable", "postgres://bot:REDACTED@db:5432/news?sslmode=disable"},
		{"postgres://postgres@127.0.0.1:5432/test?sslmode=disable", "postgres://postgres@127.0.0.1:5432/test?sslmode=disable"},
		{"postgres://u@h/db?password=pw", "postgres://u@h/db?password=REDACTED"},
		{"https://example.com/news?id=7&monkey=1&keyword=go", "https://example.com/news?id=7&monkey=1&keyword=go"},
		{"https://api.telegram.org/bot123456:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw/sendMessage", "https://api.telegram.org/botREDACTED/sendMessage"},
		{"http://u:p%zz@host/x", "http://REDACTED@host/x"}, // does not parse
		{"not a url", "not a url"},
	}
	for _, tt := range tests {
		if got := URL(tt.in); got != tt.want {
			t.Errorf("URL(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestText(t *testing.T) {
	tests := []struct{ in, want string }{
		{`ingest: source s: ingest: feed http://feeduser:PASSWORD@host/feed.xml?apikey=KEY: XML syntax error on line 1`,
			`ingest: source s: ingest: feed http://feeduser:REDACTED@host/feed.xml?apikey=REDACTED: XML syntax error on line 1`},
		{`Get "https://u:pw@h/x?token=t": dial tcp: lookup h: no such host`,
			`Get "https://u:REDACTED@h/x?token=REDACTED": dial tcp: lookup h: no such host`},
		{`host=db user=bot password=hunter2 dbname=news`, `host=db user=bot password=REDACTED dbname=news`},
		{`retry in 3s, next_fetch=2026-01-01 failures=3`, `retry in 3s, next_fetch=2026-01-01 failures=3`},
		{`plain text without anything`, `plain text without anything`},
	}
	for _, tt := range tests {
		if got := Text(tt.in); got != tt.want {
			t.Errorf("Text(%q)\n = %q\nwant %q", tt.in, got, tt.want)
		}
	}
}

func TestError(t *testing.T) {
	base := fmt.Errorf("fetch http://a:b@h/?key=k: %w", fs.ErrNotExist)
	err := Error(base)
	if strings.Contains(err.Error(), ":b@") || strings.Contains(err.Error(), "key=k") {
		t.Errorf("Error kept a secret: %q", err)
	}
	if !errors.Is(err, fs.ErrNotExist) {
		t.Error("Error broke the chain for errors.Is")
	}
	if Error(nil) != nil {
		t.Error("Error(nil) != nil")
	}
	clean := errors.New("nothing secret")
	if Error(clean) != clean {
		t.Error("a clean error was wrapped")
	}
}

func TestAttr(t *testing.T) {
	var buf bytes.Buffer
	log := slog.New(slog.NewTextHandler(&buf, &slog.HandlerOptions{ReplaceAttr: Attr}))
	log.Warn("fetching http://u:pw1@h/ failed", "url", "http://u:pw2@h/?apikey=k3",
		"err", errors.New("get https://h/?token=t4: EOF"), "n", 3,
		"link", &url.URL{Scheme: "https", Host: "h", User: url.UserPassword("u", "pw5")}) // a Stringer
	out := buf.String()
	for _, secret := range []string{"pw1", "pw2", "k3", "t4", "pw5"} {
		if strings.Contains(out, secret) {
			t.Errorf("log line kept %q: %s", secret, out)
		}
	}
	if !strings.Contains(out, "n=3") {
		t.Errorf("log line lost a plain value: %s", out)
	}
}
