package telegram

import (
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"newsdigest/adapters/telegram/faketelegram"
	"newsdigest/digest"
)

var updateGolden = flag.Bool("update", false, "rewrite the golden files in testdata/")

func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *updateGolden {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("read golden file (run with -update to create it): %v", err)
	}
	if got != string(want) {
		t.Errorf("%s differs from the golden file:\n--- got\n%s\n--- want\n%s", name, got, want)
	}
}

var riyadh = time.FixedZone("AST", 3*3600)

func sampleCard() digest.Card {
	return digest.Card{
		Headline: `Saudi & Gulf talks: "progress" <at last>`,
		Dateline: digest.Dateline{Place: "Riyadh", Published: time.Date(2025, 2, 19, 3, 6, 0, 0, riyadh), HasTime: true, Zone: "AST", Desk: "Devdiscourse News Desk"},
		Summary: []string{
			"Ministers met in Riyadh on Tuesday.",
			"They agreed on a <framework> for trade & energy.",
			"Talks resume next month.",
		},
		Source:  "Devdiscourse",
		URL:     "https://www.devdiscourse.com/article/x?a=1&b=\"2\"",
		Sources: []string{"Reuters", "AP"},
	}
}

func TestCardHTML(t *testing.T) {
	tests := []struct {
		name string
		card digest.Card
	}{
		{"card_full.html", sampleCard()},
		{"card_no_url.html", digest.Card{Headline: "Local news", Summary: []string{"One line."}, Source: "Gazette", URL: "javascript:alert(1)"}},
		{"card_bare.html", digest.Card{Headline: "Just a headline"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := CardHTML(tt.card)
			if _, _, err := faketelegram.ParseHTML(got); err != nil {
				t.Fatalf("CardHTML is not valid Telegram HTML: %v\n%s", err, got)
			}
			golden(t, tt.name, got+"\n")
		})
	}
}

func TestCardHTMLVisibleText(t *testing.T) {
	c := sampleCard()
	text, ents, err := faketelegram.ParseHTML(CardHTML(c))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{c.Headline, c.Summary[1], "Riyadh, 19 Feb 2025 03:06 AST · Devdiscourse News Desk", "via Devdiscourse · also covered by Reuters, AP"} {
		if !strings.Contains(text, want) {
			t.Errorf("visible text lacks %q:\n%s", want, text)
		}
	}
	var link string
	for _, e := range ents {
		if e.Type == "text_link" {
			link = e.URL
		}
	}
	if link != c.URL {
		t.Errorf("link = %q, want %q", link, c.URL)
	}
}

func digestOf(n int, summary string) digest.DigestView {
	d := digest.DigestView{
		Sub:       digest.Subscription{ID: 7, TimeZone: "Europe/Berlin"},
		Scheduled: time.Date(2026, 3, 2, 7, 0, 0, 0, time.UTC),
	}
	for i := range n {
		c := sampleCard()
		c.Headline = strings.Repeat("H", i%3+1) + " story"
		c.URL = "https://news.example/" + strings.Repeat("a", i+1)
		c.Summary = []string{summary, summary, summary}
		d.Cards = append(d.Cards, c)
	}
	return d
}

func decode(t *testing.T, payloads [][]byte) []Message {
	t.Helper()
	var out []Message
	for _, p := range payloads {
		var m Message
		if err := json.Unmarshal(p, &m); err != nil {
			t.Fatalf("payload %s: %v", p, err)
		}
		out = append(out, m)
	}
	return out
}

func TestRenderDigestGolden(t *testing.T) {
	d := digestOf(2, "A short line.")
	d.Late = true
	payloads, err := RenderDigest(d)
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	for _, p := range payloads {
		b.Write(p)
		b.WriteString("\n")
	}
	golden(t, "digest_two_cards.jsonl", b.String())
}

func TestRenderDigestSplits(t *testing.T) {
	long := strings.Repeat("ё", 150) + strings.Repeat("😀", 25) // 200 UTF-16 units
	tests := []struct {
		name      string
		cards     int
		summary   string
		wantParts int
	}{
		{"empty", 0, "", 1},
		{"one", 1, "x", 1},
		{"fits one", 5, long, 1},
		{"forty long cards", 40, long, 0},
		{"emoji heavy", 30, strings.Repeat("😀", 100), 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := digestOf(tt.cards, tt.summary)
			payloads, err := RenderDigest(d)
			if err != nil {
				t.Fatal(err)
			}
			msgs := decode(t, payloads)
			if tt.wantParts > 0 && len(msgs) != tt.wantParts {
				t.Fatalf("%d messages, want %d", len(msgs), tt.wantParts)
			}
			if tt.wantParts == 0 && len(msgs) < 2 {
				t.Fatalf("%d messages, want a split", len(msgs))
			}
			var all strings.Builder
			previews := 0
			for i, m := range msgs {
				text, _, err := faketelegram.ParseHTML(m.Text)
				if err != nil {
					t.Fatalf("message %d: %v", i, err)
				}
				if n := faketelegram.UTF16Len(text); n > MaxMessageLen || n == 0 {
					t.Fatalf("message %d has %d UTF-16 units", i, n)
				}
				if m.ParseMode != "HTML" {
					t.Fatalf("message %d parse mode %q", i, m.ParseMode)
				}
				if m.LinkPreview == nil || !m.LinkPreview.IsDisabled {
					previews++
				}
				all.WriteString(text + "\n\n")
			}
			if previews > 1 {
				t.Fatalf("%d messages with link previews, want at most 1", previews)
			}
			// Every card is whole in exactly one message, in order.
			pos := 0
			for i, c := range d.Cards {
				want, _, _ := faketelegram.ParseHTML(CardHTML(c))
				at := strings.Index(all.String()[pos:], want)
				if at < 0 {
					t.Fatalf("card %d not found whole after position %d", i, pos)
				}
				pos += at + len(want)
			}
			if tt.cards == 0 && !strings.Contains(all.String(), "No new stories") {
				t.Fatalf("empty digest says %q", all.String())
			}
		})
	}
}

func TestRenderDigestOversizedCardFallsBack(t *testing.T) {
	d := digestOf(2, "")
	d.Cards[1].Summary = []string{strings.Repeat("x", 2000), strings.Repeat("y", 2000), strings.Repeat("z", 2000)}
	msgs := decode(t, must(RenderDigest(d)))
	var all string
	for i, m := range msgs {
		text, _, err := faketelegram.ParseHTML(m.Text)
		if err != nil {
			t.Fatal(err)
		}
		if n := faketelegram.UTF16Len(text); n > MaxMessageLen {
			t.Fatalf("message %d has %d units", i, n)
		}
		all += m.Text
	}
	if strings.Contains(all, "xxxx") || !strings.Contains(all, `href="`+d.Cards[1].URL+`"`) {
		t.Fatalf("oversized card not reduced to headline and link:\n%s", all)
	}
}

func TestRenderDigestPreviewIsFirstCard(t *testing.T) {
	d := digestOf(3, "x")
	msgs := decode(t, must(RenderDigest(d)))
	if lp := msgs[0].LinkPreview; lp == nil || lp.IsDisabled || lp.URL != d.Cards[0].URL {
		t.Fatalf("first message preview = %+v, want the first card's URL", lp)
	}
}

func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}

func TestReplyMessagesGolden(t *testing.T) {
	c := sampleCard()
	msgs := ReplyMessages(digest.CommandReply{Text: "Top stories for <AI> & more:", Cards: []digest.Card{c}})
	var b strings.Builder
	for _, m := range msgs {
		if _, _, err := faketelegram.ParseHTML(m.Text); err != nil {
			t.Fatal(err)
		}
		b.Write(must(m.MarshalPayload()))
		b.WriteString("\n")
	}
	golden(t, "reply_text_and_card.jsonl", b.String())
	if empty := ReplyMessages(digest.CommandReply{}); len(empty) != 1 || empty[0].Text == "" {
		t.Fatalf("empty reply rendered as %+v", empty)
	}
}
