package cli

import (
	"bytes"
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

	"newsdigest/adapters/discord"
	"newsdigest/adapters/telegram"
	"newsdigest/adapters/telegram/faketelegram"
	"newsdigest/digest"
	"newsdigest/store/sqlite"
)

// langPage is one real page of testdata/languages and the edit another
// outlet's copy of it makes (a word added in one sentence), so that the
// copy is not the same text but the same article.
type langPage struct {
	code, from, to string
	// query is an inflected form of a word of the article that the
	// article itself does not hold in that form.
	query, hit string
}

var langPages = []langPage{
	{"de", "Beide Parteien streben", "Beide Parteien streben nach eigenen Angaben", "Kooperationen", "creditshelf kooperiert"},
	{"ru", "Все прошло стремительно", "Все прошло очень стремительно", "инаугурацией", "Причиной тайной инаугурации"},
	{"ja", "岐阜駅周辺は", "ＪＲ岐阜駅周辺は", "岐阜駅", "岐阜駅前店"},
}

// TestLanguagesEndToEnd runs `bot run` on two outlets that publish the
// same German, Russian and Japanese articles (real pages), and checks
// what issue 16 asks: each article's language is found, its card's three
// lines are whole sentences in that language, /article finds it by an
// inflected form, the two outlets' copies are one story, and a channel
// subscribed by a German-speaking admin with languages:de gets a digest
// of the German story only, in German.
func TestLanguagesEndToEnd(t *testing.T) {
	pages := map[string][]byte{}
	for _, p := range langPages {
		pages[p.code] = readGzFile(t, filepath.Join("testdata", "languages", p.code+".html.gz"))
		if !bytes.Contains(pages[p.code], []byte(p.from)) {
			t.Fatalf("%s page lacks %q", p.code, p.from)
		}
	}
	site := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var outlet string
		if _, err := fmt.Sscanf(r.URL.Path, "/%1s/feed.xml", &outlet); err == nil && strings.HasSuffix(r.URL.Path, "/feed.xml") {
			w.Header().Set("Content-Type", "application/rss+xml")
			fmt.Fprintf(w, `<?xml version="1.0"?><rss version="2.0"><channel><title>%s</title><link>http://%s/</link><description>t</description>`, outlet, r.Host)
			for i, p := range langPages {
				fmt.Fprintf(w, `<item><link>http://%s/%s/%s</link><guid>%s-%s</guid><pubDate>%s</pubDate></item>`,
					r.Host, outlet, p.code, outlet, p.code, time.Now().Add(-time.Duration(i+1)*time.Hour).Format(time.RFC1123Z))
			}
			fmt.Fprint(w, `</channel></rss>`)
			return
		}
		parts := strings.Split(strings.Trim(r.URL.Path, "/"), "/")
		if len(parts) == 2 {
			for _, p := range langPages {
				if parts[1] == p.code {
					page := pages[p.code]
					if parts[0] == "b" {
						page = bytes.Replace(page, []byte(p.from), []byte(p.to), 1)
					}
					w.Header().Set("Content-Type", "text/html; charset=utf-8")
					w.Write(page)
					return
				}
			}
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
  - name: Outlet A
    url: %s/a/feed.xml
  - name: Outlet B
    url: %s/b/feed.xml
telegram:
  api_url: %s
  poll_timeout: 1s
log:
  format: json
`, db, site.URL, site.URL, tg.URL())
	if err := os.WriteFile(cfg, []byte(y), 0o644); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var logs syncBuffer
	done := make(chan int, 1)
	env := map[string]string{"TELEGRAM_TOKEN": tg.Token(), "NEWSDIGEST_INSTANCE": "e2e-lang"}
	go func() {
		done <- Main(ctx, []string{"run", "--config", cfg, "--drain", "1s"}, Env{
			Stdin: strings.NewReader(""), Stdout: io.Discard, Stderr: &logs, Getenv: func(k string) string { return env[k] },
		})
	}()
	waitUntil(t, &logs, "both outlets ingested", func() bool { return countArticles(t, db) == 6 })
	waitUntil(t, &logs, "commands registered", func() bool { return len(tg.Commands()) > 0 })

	const chat = -100777
	group := faketelegram.Chat{ID: chat, Type: "supergroup", Title: "Redaktion"}
	tg.SetChatMember(chat, 7, "administrator")
	ask := func(text string) string {
		t.Helper()
		before := len(tg.Messages(fmt.Sprint(chat)))
		u := faketelegram.CommandUpdate(group, 7, 0, text)
		u.Message.From.LanguageCode = "de"
		if _, err := tg.SendUpdate(u); err != nil {
			t.Fatal(err)
		}
		waitUntil(t, &logs, "an answer to "+text, func() bool { return len(tg.Messages(fmt.Sprint(chat))) > before })
		return plain(tg.Messages(fmt.Sprint(chat))[before:])
	}
	for _, p := range langPages {
		got := ask("/article " + p.query)
		if !strings.Contains(got, p.hit) || !strings.Contains(got, "über Outlet") {
			t.Errorf("/article %s (%s) answered:\n%s\nwant the %s article, in German words", p.query, p.code, got, p.code)
		}
	}
	if got := ask("/subscribe 08:00 Europe/Berlin languages:de"); !strings.Contains(got, "Subscribed") {
		t.Errorf("/subscribe answered: %s", got)
	}
	cancel()
	select {
	case <-done:
	case <-time.After(20 * time.Second):
		t.Fatal("bot run did not stop")
	}

	st, err := sqlite.Open(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	arts, err := st.RecentArticles(context.Background(), time.Time{}, 10)
	if err != nil {
		t.Fatal(err)
	}
	story := map[string]int64{}
	cuts := 0
	for _, a := range arts {
		code := a.Language
		if len(a.Summary) != 3 {
			t.Errorf("%s (%s): %d summary lines %q", a.URL, code, len(a.Summary), a.Summary)
		}
		for _, line := range a.Summary {
			// A whole sentence of the body; one longer than a card line
			// (200 characters) is cut at a clause and ends with "…".
			body := strings.Join(strings.Fields(a.Body), " ")
			cut, isCut := strings.CutSuffix(line, "…")
			if isCut && !strings.Contains(body, cut) || !isCut && (!wholeSentence(line) || !strings.Contains(body, line)) {
				t.Errorf("%s (%s): summary line %q is not a whole sentence of the body", a.URL, code, line)
			}
			if isCut {
				cuts++
			}
			if code == "ja" && !strings.ContainsAny(line, "のはをにがでと") || code == "ru" && !strings.ContainsAny(line, "аеиоу") {
				t.Errorf("%s: line %q is not in %s", a.URL, line, code)
			}
		}
		if id, ok := story[code]; ok && id != a.StoryID {
			t.Errorf("the two %s copies are in stories %d and %d", code, id, a.StoryID)
		}
		story[code] = a.StoryID
	}
	t.Logf("%d of %d summary lines cut to fit a card line", cuts, 3*len(arts))
	if len(story) != 3 || story["de"] == story["ru"] || story["ru"] == story["ja"] || story["de"] == story["ja"] {
		t.Errorf("stories by language %v, want de, ru and ja each its own", story)
	}
	sub, err := st.Subscription(context.Background(), digest.Telegram, fmt.Sprint(chat), "")
	if err != nil || sub.Locale != "de" || len(sub.Languages) != 1 || sub.Languages[0] != "de" {
		t.Fatalf("stored subscription %+v, %v", sub, err)
	}
	// The digest this subscription gets, through the delivery planner's
	// selection (/digest's preview) and both platforms' renderers.
	stories, err := st.Stories(context.Background(), time.Now().Add(-48*time.Hour), time.Now().Add(time.Hour), true)
	if err != nil {
		t.Fatal(err)
	}
	view := digest.DigestView{Sub: sub, Scheduled: time.Now()}
	for _, s := range stories {
		if s.Lead.Language == "de" {
			c := s.Card()
			c.Locale = sub.Locale
			view.Cards = append(view.Cards, c)
		}
	}
	var tgText strings.Builder
	for _, m := range telegram.RenderDigestMessages(view) {
		tgText.WriteString(m.Text)
	}
	for _, want := range []string{"Tägliche Übersicht", "1 Meldung", "über Outlet", "auch berichtet von Outlet"} {
		if !strings.Contains(tgText.String(), want) {
			t.Errorf("the Telegram digest lacks %q:\n%s", want, tgText.String())
		}
	}
	msgs, err := discord.RenderDigest(view)
	if err != nil {
		t.Fatal(err)
	}
	if len(msgs) == 0 || !strings.Contains(msgs[0].Content, "Tägliche Übersicht") ||
		len(msgs[0].Embeds) == 0 || !strings.Contains(msgs[0].Embeds[0].Footer.Text, "auch berichtet von 1 Quelle") {
		t.Errorf("the Discord digest is not in German: %+v", msgs[0])
	}
}

// wholeSentence reports a line that ends a sentence: with a full stop,
// question or exclamation mark of any script (and closing quotes).
func wholeSentence(s string) bool {
	s = strings.TrimRight(s, "\"'”’»)」』）")
	return strings.HasSuffix(s, ".") || strings.HasSuffix(s, "!") || strings.HasSuffix(s, "?") ||
		strings.HasSuffix(s, "。") || strings.HasSuffix(s, "！") || strings.HasSuffix(s, "？")
}

func readGzFile(t *testing.T, path string) []byte {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	b, err := io.ReadAll(zr)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
