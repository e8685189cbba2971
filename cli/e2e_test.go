package cli

import (
	"compress/gzip"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"newsdigest/adapters/telegram/faketelegram"
	"newsdigest/digest"
	"newsdigest/store/sqlite"
)

// TestRunEndToEnd starts `bot run` as a user would: a config with one feed
// (a local server serving real news pages), TELEGRAM_TOKEN in the
// environment and telegram.api_url pointing at the fake Bot API. The bot
// ingests the feed, registers its commands, and answers /trending,
// /article and /subscribe in a chat, with cards from the real pages.
func TestRunEndToEnd(t *testing.T) {
	pages := loadPages(t, 3)
	site := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/feed.xml" {
			w.Header().Set("Content-Type", "application/rss+xml")
			fmt.Fprint(w, `<?xml version="1.0"?><rss version="2.0"><channel><title>Bench News</title><link>http://`+r.Host+`/</link><description>test</description>`)
			for i := range pages {
				fmt.Fprintf(w, `<item><title>Story %d</title><link>http://%s/a/%d</link><guid>a-%d</guid><description>Teaser only.</description><pubDate>%s</pubDate></item>`,
					i, r.Host, i, i, time.Now().Add(-time.Hour).Format(time.RFC1123Z))
			}
			fmt.Fprint(w, `</channel></rss>`)
			return
		}
		var i int
		if _, err := fmt.Sscanf(r.URL.Path, "/a/%d", &i); err == nil && i < len(pages) {
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			w.Write(pages[i])
			return
		}
		http.NotFound(w, r)
	}))
	defer site.Close()
	tg := faketelegram.New(faketelegram.Options{})
	defer tg.Close()

	dir := t.TempDir()
	db := filepath.Join(dir, "bot.db")
	cfg := filepath.Join(dir, "config.yaml")
	y := fmt.Sprintf(`store:
  path: %s
fetch:
  allow_private: true
  host_gap: 0s
sources:
  - name: Bench News
    url: %s/feed.xml
telegram:
  api_url: %s
  poll_timeout: 1s
log:
  format: json
`, db, site.URL, tg.URL())
	if err := os.WriteFile(cfg, []byte(y), 0o644); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var logs syncBuffer
	done := make(chan int, 1)
	env := map[string]string{"TELEGRAM_TOKEN": tg.Token(), "NEWSDIGEST_INSTANCE": "e2e"}
	go func() {
		done <- Main(ctx, []string{"run", "--config", cfg, "--drain", "1s"}, Env{
			Stdin: strings.NewReader(""), Stdout: io.Discard, Stderr: &logs, Getenv: func(k string) string { return env[k] },
		})
	}()
	waitUntil(t, &logs, "the feed ingested", func() bool { return strings.Contains(logs.String(), `"new":3`) || countArticles(t, db) == 3 })
	waitUntil(t, &logs, "commands registered", func() bool { return len(tg.Commands()) > 0 })

	const chat = -100123
	group := faketelegram.Chat{ID: chat, Type: "supergroup", Title: "Newsroom"}
	tg.SetChatMember(chat, 7, "administrator")
	ask := func(text string, want int) []faketelegram.SentMessage {
		t.Helper()
		before := len(tg.Messages(fmt.Sprint(chat)))
		if _, err := tg.SendUpdate(faketelegram.CommandUpdate(group, 7, 0, text)); err != nil {
			t.Fatal(err)
		}
		waitUntil(t, &logs, "an answer to "+text, func() bool { return len(tg.Messages(fmt.Sprint(chat))) >= before+want })
		return tg.Messages(fmt.Sprint(chat))[before:]
	}

	trending := ask("/trending", 1)
	all := plain(trending)
	if !strings.Contains(all, "Trending in the last 24 hours") || strings.Count(all, "via Bench News") != 3 {
		t.Errorf("/trending answered:\n%s", all)
	}
	headline := firstHeadline(t, db)
	word := strings.Fields(headline)[len(strings.Fields(headline))-1]
	article := plain(ask("/article "+strings.Trim(word, `"'.,:;!?`), 1))
	if !strings.Contains(article, headline) {
		t.Errorf("/article %s answered:\n%s\nwant the card of %q", word, article, headline)
	}
	sub := plain(ask("/subscribe 08:00 Europe/Berlin", 1))
	if !strings.Contains(sub, "Subscribed") || !strings.Contains(sub, "08:00 Europe/Berlin") {
		t.Errorf("/subscribe answered: %s", sub)
	}
	if v := tg.Violations(); len(v) > 0 {
		t.Errorf("the fake Telegram saw violations: %q", v)
	}
	cancel()
	select {
	case code := <-done:
		if code != 0 {
			t.Errorf("bot run exited %d", code)
		}
	case <-time.After(20 * time.Second):
		t.Fatal("bot run did not stop")
	}
	if strings.Contains(logs.String(), tg.Token()) {
		t.Error("the token appears in the logs")
	}
	st, err := sqlite.Open(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	s, err := st.Subscription(context.Background(), digest.Telegram, fmt.Sprint(chat), "")
	if err != nil || !s.Active || s.TimeZone != "Europe/Berlin" {
		t.Errorf("stored subscription %+v, %v", s, err)
	}
}

func plain(ms []faketelegram.SentMessage) string {
	var b strings.Builder
	for _, m := range ms {
		b.WriteString(m.Plain + "\n")
	}
	return b.String()
}

func waitUntil(t *testing.T, logs *syncBuffer, what string, ok func() bool) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for !ok() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s; logs:\n%s", what, logs.String())
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func countArticles(t *testing.T, db string) int {
	st, err := sqlite.Open(context.Background(), db)
	if err != nil {
		return 0
	}
	defer st.Close()
	as, err := st.RecentArticles(context.Background(), time.Time{}, 100)
	if err != nil {
		return 0
	}
	return len(as)
}

func firstHeadline(t *testing.T, db string) string {
	t.Helper()
	st, err := sqlite.Open(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	as, err := st.RecentArticles(context.Background(), time.Time{}, 1)
	if err != nil || len(as) == 0 {
		t.Fatalf("no article stored: %v", err)
	}
	return as[0].Headline
}

// loadPages reads n real news pages: testdata/pages holds three pages of
// the extraction bench (../shared/bench/extraction/html, Zyte's
// article-extraction benchmark, MIT), copied unchanged.
func loadPages(t *testing.T, n int) [][]byte {
	t.Helper()
	matches, err := filepath.Glob(filepath.Join("testdata", "pages", "*.html.gz"))
	if err != nil || len(matches) < n {
		t.Fatalf("testdata/pages holds %d pages, want %d: %v", len(matches), n, err)
	}
	var out [][]byte
	for _, m := range matches[:n] {
		f, err := os.Open(m)
		if err != nil {
			t.Fatal(err)
		}
		zr, err := gzip.NewReader(f)
		if err != nil {
			t.Fatal(err)
		}
		page, err := io.ReadAll(zr)
		f.Close()
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, page)
	}
	return out
}
