package cli

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"newsdigest/ingest"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"newsdigest/adapters/discord"
	"newsdigest/adapters/discord/fakediscord"
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
	site, published := harbourSite(t)
	st, h, ing := sourceRig(t)
	ctx := context.Background()
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
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

	headline := readTwice(t, st, ing, published, src.URL)
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

// harbourSite is a small news site: a home page that links its feed, the
// feed, and real article pages (testdata/pages); published says how many
// articles it lists now.
func harbourSite(t *testing.T) (*httptest.Server, *atomic.Int32) {
	t.Helper()
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
	t.Cleanup(site.Close)

	return site, &published
}

// sourceRig is the bot's command side on SQLite: the handler with the
// chat sources wired to the polite fetcher, the ingester and the planner.
func sourceRig(t *testing.T) (*sqlite.Store, *commands.Handler, *ingest.Ingester) {
	t.Helper()
	st, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "bot.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	c := config.Defaults()
	c.Fetch.AllowPrivate = true
	c.Fetch.HostGap = 0
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	g := story.NewGrouper(story.Options{})
	ing := newIngester(c, st, g, nil, log)
	engine := delivery.New(st, nil, delivery.Options{MaxStories: 10, Rank: story.ForDigest, Log: log})
	h := &commands.Handler{Store: st, Trending: story.Trending, NextRun: schedule.Next, MaxStories: 10, Log: log,
		Preview: engine.Preview, ChatSources: chatSources(c, ing.Fetcher)}
	return st, h, ing
}

// readTwice reads a source as the ingester does: its first read is its
// back catalogue (never a digest's), then the site publishes a new
// article, which the second read takes. It returns that article's headline.
func readTwice(t *testing.T, st *sqlite.Store, ing *ingest.Ingester, published *atomic.Int32, url string) string {
	t.Helper()
	ctx := context.Background()
	src, err := st.SourceByURL(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := ing.FetchSource(ctx, src); err != nil {
		t.Fatal(err)
	}
	published.Store(3)
	if src, err = st.SourceByURL(ctx, url); err != nil {
		t.Fatal(err)
	}
	if res, err := ing.FetchSource(ctx, src); err != nil || res.New != 1 {
		t.Fatalf("second read: %+v, %v", res, err)
	}
	fresh, err := st.RecentArticles(ctx, time.Now().Add(-time.Hour), 10)
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range fresh {
		if a.SourceID == src.ID && !a.Backlog {
			return a.Headline
		}
	}
	t.Fatal("the new article was not stored")
	return ""
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

// TestSourceFromTheChatOnDiscord is TestSourceFromTheChat on the fake
// Discord: the admin's /source add subcommand, the preview with its
// buttons, the press, and the two channels' next digests.
func TestSourceFromTheChatOnDiscord(t *testing.T) {
	site, published := harbourSite(t)
	st, h, ing := sourceRig(t)
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	srv := fakediscord.New(t)
	bot, err := discord.New(discord.Config{Token: fakediscord.Token, APIURL: srv.APIURL(), HTTPTimeout: 10 * time.Second}, h, log)
	if err != nil {
		t.Fatal(err)
	}
	sctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := bot.Start(sctx); err != nil {
		t.Fatal(err)
	}
	defer bot.Close()
	const guild, ours, theirs = "900", "901", "902"
	srv.AddTextChannel(ours, guild)
	srv.AddTextChannel(theirs, guild)
	// answer runs an interaction and returns what it finally showed: the
	// callback, or the last edit of a deferred one.
	answer := func(in fakediscord.Interaction, err error) fakediscord.Response {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		got, err := srv.WaitInteraction(ctx, in.ID, func(i fakediscord.Interaction) bool {
			return i.Callback != nil && (i.Callback.Type != 5 && i.Callback.Type != 6 || len(i.Edits) > 0)
		})
		if err != nil {
			t.Fatal(err)
		}
		if len(got.Edits) > 0 {
			return got.Edits[len(got.Edits)-1]
		}
		return *got.Callback
	}
	run := func(channel, name, sub string, opts map[string]any, perms int64) fakediscord.Response {
		t.Helper()
		return answer(srv.SendInteraction(fakediscord.CommandInteraction{Name: name, Subcommand: sub, Options: opts,
			GuildID: guild, ChannelID: channel, UserID: "77", Permissions: perms}))
	}
	admin := fakediscord.PermManageChannels
	for _, ch := range []string{ours, theirs} {
		if r := run(ch, "subscribe", "", map[string]any{"time": "08:00", "timezone": "UTC"}, admin); !strings.Contains(r.Content, "Subscribed") {
			t.Fatalf("/subscribe: %q", r.Content)
		}
	}
	if r := run(ours, "source", "add", map[string]any{"url": site.URL + "/"}, fakediscord.PermSendMessages); !strings.Contains(r.Content, "Manage Channels") {
		t.Errorf("a member's /source add: %q", r.Content)
	}
	preview := run(ours, "source", "add", map[string]any{"url": site.URL + "/"}, admin)
	buttons := preview.Buttons()
	if !strings.Contains(preview.Content, "Add Harbour Gazette") || len(preview.Embeds) != 1 || len(buttons) != 2 {
		t.Fatalf("preview: %q, %d cards, buttons %+v", preview.Content, len(preview.Embeds), buttons)
	}
	if _, err := st.SourceByURL(context.Background(), site.URL+"/news.xml"); err == nil {
		t.Fatal("the source was stored before the confirmation")
	}
	if r := answer(srv.SendPress(fakediscord.ButtonPress{CustomID: buttons[0].CustomID, GuildID: guild, ChannelID: ours, UserID: "77",
		Permissions: admin})); !strings.Contains(r.Content, "Added Harbour Gazette") {
		t.Fatalf("the press answered %q", r.Content)
	}
	headline := readTwice(t, st, ing, published, site.URL+"/news.xml")
	titles := func(r fakediscord.Response) string {
		var b strings.Builder
		for _, e := range r.Embeds {
			b.WriteString(e.Title + "\n")
		}
		return b.String()
	}
	if r := run(ours, "digest", "", nil, admin); !strings.Contains(titles(r), headline) {
		t.Errorf("our digest lacks %q: %q", headline, titles(r))
	}
	if r := run(theirs, "digest", "", nil, admin); strings.Contains(titles(r), headline) {
		t.Errorf("another channel's digest holds %q", headline)
	}
	if v := srv.Violations(); len(v) > 0 {
		t.Errorf("violations: %q", v)
	}
}
