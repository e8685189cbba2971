package cli

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"newsdigest/adapters/telegram"
	"newsdigest/adapters/telegram/faketelegram"
	"newsdigest/commands"
	"newsdigest/config"
	"newsdigest/delivery"
	"newsdigest/digest"
	"newsdigest/digest/story"
	"newsdigest/schedule"
	"newsdigest/store/sqlite"
)

// TestSourceFromTheChat: an admin adds a news site's home page from a
// Telegram chat, sees the preview with the card of its newest article,
// confirms with the button, and that chat's next digest holds the site's
// new article while another chat's digest does not. Real adapter against
// the fake Bot API, real handler, discovery through the polite fetcher,
// the ingester and the delivery planner's selection, on SQLite.
func TestSourceFromTheChat(t *testing.T) {
	pages := loadPages(t, 3)
	var published atomic.Int32 // articles the local site lists
	published.Store(2)
	site := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch {
		case r.URL.Path == "/":
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			fmt.Fprintf(w, `<!doctype html><html><head><title>Harbour Gazette</title><link rel="alternate" type="application/rss+xml" href="/news.xml"></head><body><h1>Harbour Gazette</h1></body></html>`)
		case r.URL.Path == "/news.xml":
			w.Header().Set("Content-Type", "application/rss+xml")
			fmt.Fprintf(w, `<?xml version="1.0"?><rss version="2.0"><channel><title>Harbour Gazette</title><link>http://%s/</link><description>d</description>`, r.Host)
			for i := int(published.Load()) - 1; i >= 0; i-- {
				fmt.Fprintf(w, `<item><link>http://%s/story/%d</link><guid>hg-%d</guid><pubDate>%s</pubDate></item>`,
					r.Host, i, i, time.Now().Add(-time.Duration(3-i)*time.Hour).Format(time.RFC1123Z))
			}
			fmt.Fprint(w, `</channel></rss>`)
		case strings.HasPrefix(r.URL.Path, "/story/"):
			var i int
			fmt.Sscanf(r.URL.Path, "/story/%d", &i)
			if i >= int(published.Load()) {
				http.NotFound(w, r)
				return
			}
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			w.Write(pages[i])
		default:
			http.NotFound(w, r)
		}
	}))
	defer site.Close()

	ctx := context.Background()
	st, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "bot.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	c := config.Defaults()
	c.Fetch.AllowPrivate = true
	c.Fetch.HostGap = 0
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	g := story.NewGrouper(story.Options{})
	ing := newIngester(c, st, g, nil, log)
	engine := delivery.New(st, nil, delivery.Options{MaxStories: 10, Rank: story.ForDigest, Log: log})
	h := &commands.Handler{Store: st, Trending: story.Trending, NextRun: schedule.Next, MaxStories: 10, Log: log,
		Preview: engine.Preview, ChatSources: chatSources(c, ing.Fetcher)}

	tg := faketelegram.New(faketelegram.Options{PerChatInterval: -1})
	defer tg.Close()
	bot, err := telegram.New(telegram.Config{Token: tg.Token(), APIURL: tg.URL(), PollTimeout: time.Second}, h, log)
	if err != nil {
		t.Fatal(err)
	}
	bctx, cancel := context.WithCancel(ctx)
	defer cancel()
	if err := bot.Start(bctx); err != nil {
		t.Fatal(err)
	}
	defer bot.Close()

	ours := faketelegram.Chat{ID: -100111, Type: "supergroup", Title: "Harbour town"}
	theirs := faketelegram.Chat{ID: -100222, Type: "supergroup", Title: "Elsewhere"}
	for _, chat := range []faketelegram.Chat{ours, theirs} {
		tg.SetChatMember(chat.ID, 7, "administrator")
	}
	tg.SetChatMember(ours.ID, 8, "member")
	ask := func(chat faketelegram.Chat, from int64, text string) faketelegram.SentMessage {
		t.Helper()
		before := len(tg.Messages(fmt.Sprint(chat.ID)))
		if _, err := tg.SendUpdate(faketelegram.CommandUpdate(chat, from, 0, text)); err != nil {
			t.Fatal(err)
		}
		waitFor(t, "an answer to "+text, func() bool { return len(tg.Messages(fmt.Sprint(chat.ID))) > before })
		return tg.Messages(fmt.Sprint(chat.ID))[before]
	}
	for _, chat := range []faketelegram.Chat{ours, theirs} {
		if m := ask(chat, 7, "/subscribe 08:00 UTC"); !strings.Contains(m.Plain, "Subscribed") {
			t.Fatalf("/subscribe: %s", m.Plain)
		}
	}
	if m := ask(ours, 8, "/source add "+site.URL+"/"); !strings.Contains(m.Plain, "only for") {
		t.Errorf("a member's /source add: %s", m.Plain)
	}
	preview := ask(ours, 7, "/source add "+site.URL+"/")
	if !strings.Contains(preview.Plain, "Add Harbour Gazette") || !strings.Contains(preview.Plain, "feed linked from the page") ||
		preview.ReplyMarkup == nil || len(preview.ReplyMarkup.InlineKeyboard) == 0 {
		t.Fatalf("preview: %q, buttons %+v", preview.Plain, preview.ReplyMarkup)
	}
	all := tg.Messages(fmt.Sprint(ours.ID))
	if last := all[len(all)-1]; !strings.Contains(last.Plain, "Its newest article") && !strings.Contains(preview.Plain, "Its newest article") {
		t.Errorf("no card of the newest article in the preview")
	}
	if _, err := st.SourceByURL(ctx, site.URL+"/news.xml"); err == nil {
		t.Fatal("the source was stored before the confirmation")
	}
	okID := preview.ReplyMarkup.InlineKeyboard[0][0].CallbackData
	if _, err := tg.SendUpdate(tg.PressUpdate(ours, 7, preview.MessageID, okID, preview.Photo != "")); err != nil {
		t.Fatal(err)
	}
	var src digest.Source
	waitFor(t, "the confirmation's answer", func() bool {
		all := tg.Messages(fmt.Sprint(ours.ID))
		return strings.Contains(plain(all), "Added Harbour Gazette")
	})
	waitFor(t, "the source stored", func() bool {
		src, err = st.SourceByURL(ctx, site.URL+"/news.xml")
		return err == nil
	})
	if src.Origin != digest.OriginChat || src.Name != "Harbour Gazette" {
		t.Errorf("stored source %+v", src)
	}

	// The first read of a source is its back catalogue (never a digest's);
	// then the site publishes a new article, which the next read takes.
	if _, err := ing.FetchSource(ctx, src); err != nil {
		t.Fatal(err)
	}
	published.Store(3)
	if src, err = st.SourceByURL(ctx, src.URL); err != nil {
		t.Fatal(err)
	}
	if res, err := ing.FetchSource(ctx, src); err != nil || res.New != 1 {
		t.Fatalf("second read: %+v, %v", res, err)
	}
	fresh, err := st.RecentArticles(ctx, time.Now().Add(-time.Hour), 10)
	if err != nil || len(fresh) == 0 {
		t.Fatalf("recent articles: %v %v", fresh, err)
	}
	headline := ""
	for _, a := range fresh {
		if a.SourceID == src.ID && !a.Backlog {
			headline = a.Headline
		}
	}
	if headline == "" {
		t.Fatal("the new article was not stored")
	}
	word := strings.Fields(headline)[0]
	if m := ask(ours, 7, "/digest"); !strings.Contains(m.Plain, headline) {
		t.Errorf("our digest lacks the site's new article %q:\n%s", headline, m.Plain)
	}
	if m := ask(theirs, 7, "/digest"); strings.Contains(m.Plain, headline) {
		t.Errorf("another chat's digest holds %q (%s):\n%s", headline, word, m.Plain)
	}
	if m := ask(ours, 7, "/source list"); !strings.Contains(m.Plain, "Harbour Gazette") {
		t.Errorf("/source list: %s", m.Plain)
	}
	if v := tg.Violations(); len(v) > 0 {
		t.Errorf("violations: %q", v)
	}
}

// waitFor polls cond until it holds or 15 s pass.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}
