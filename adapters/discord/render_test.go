package discord

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"

	"newsdigest/digest"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("read golden file (run go test -update): %v", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from the rendered output:\n--- got ---\n%s\n--- want ---\n%s", path, got, want)
	}
}

var berlin = mustZone("Europe/Berlin")

func mustZone(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		panic(err)
	}
	return loc
}

func sampleCard(i int) digest.Card {
	return digest.Card{
		Headline: fmt.Sprintf("Saudi *minister* meets envoys in Riyadh, round %d", i),
		Dateline: digest.Dateline{
			Place: "Riyadh", Published: time.Date(2025, 2, 19, 3, 6, 0, 0, time.FixedZone("IST", 5*3600+1800)),
			HasTime: true, Zone: "IST", Desk: "Devdiscourse News Desk",
		},
		Summary: []string{
			"The minister met envoys of five countries on Tuesday.",
			"Talks covered trade_routes and energy.",
			"A joint statement is expected on Friday.",
		},
		Source:  "Devdiscourse",
		URL:     fmt.Sprintf("https://www.devdiscourse.com/article/%d", i),
		Sources: []string{"Reuters", "Arab News"},
		Time:    time.Date(2025, 2, 18, 21, 36, 0, 0, time.UTC),
	}
}

func TestCardEmbed(t *testing.T) {
	full := sampleCard(1)
	tests := []struct {
		name  string
		card  digest.Card
		check func(t *testing.T, e *discordgo.MessageEmbed)
	}{
		{"title linked and escaped", full, func(t *testing.T, e *discordgo.MessageEmbed) {
			if e.Title != `Saudi \*minister\* meets envoys in Riyadh, round 1` || e.URL != full.URL {
				t.Errorf("title %q url %q", e.Title, e.URL)
			}
		}},
		{"summary lines as description", full, func(t *testing.T, e *discordgo.MessageEmbed) {
			want := "The minister met envoys of five countries on Tuesday.\nTalks covered trade\\_routes and energy.\nA joint statement is expected on Friday."
			if e.Description != want {
				t.Errorf("description %q", e.Description)
			}
		}},
		{"dateline as author, sources in footer", full, func(t *testing.T, e *discordgo.MessageEmbed) {
			if e.Author == nil || e.Author.Name != "Riyadh, 19 Feb 2025 03:06 IST · Devdiscourse News Desk" {
				t.Errorf("author %+v", e.Author)
			}
			if e.Footer == nil || e.Footer.Text != "Devdiscourse · also covered by 2 sources: Reuters, Arab News" {
				t.Errorf("footer %+v", e.Footer)
			}
			if e.Timestamp != "2025-02-18T21:36:00Z" {
				t.Errorf("timestamp %q", e.Timestamp)
			}
		}},
		{"one other source is singular", digest.Card{Headline: "H", Source: "A", Sources: []string{"B"}}, func(t *testing.T, e *discordgo.MessageEmbed) {
			if e.Footer == nil || e.Footer.Text != "A · also covered by 1 source: B" {
				t.Errorf("footer %+v", e.Footer)
			}
		}},
		{"no sources, no phrase", digest.Card{Headline: "H", Source: "A"}, func(t *testing.T, e *discordgo.MessageEmbed) {
			if e.Footer == nil || e.Footer.Text != "A" || e.Author != nil || e.Timestamp != "" {
				t.Errorf("footer %+v author %+v ts %q", e.Footer, e.Author, e.Timestamp)
			}
		}},
		{"bad URL left out", digest.Card{Headline: "H", URL: "javascript:alert(1)"}, func(t *testing.T, e *discordgo.MessageEmbed) {
			if e.URL != "" {
				t.Errorf("url %q", e.URL)
			}
		}},
		{"dated by published when no time", digest.Card{Headline: "H", Dateline: digest.Dateline{Published: time.Date(2025, 1, 2, 3, 4, 5, 0, berlin)}}, func(t *testing.T, e *discordgo.MessageEmbed) {
			if e.Timestamp != "2025-01-02T02:04:05Z" {
				t.Errorf("timestamp %q", e.Timestamp)
			}
		}},
		{"long fields cut to limits", digest.Card{Headline: strings.Repeat("headline ", 100), Summary: []string{strings.Repeat("x ", 3000)}, Dateline: digest.Dateline{Place: strings.Repeat("P", 400)}, Source: "S", Sources: strings.Split(strings.Repeat("Outlet,", 500), ",")}, func(t *testing.T, e *discordgo.MessageEmbed) {
			if runeLen(e.Title) > MaxTitle || runeLen(e.Description) > MaxDescription || runeLen(e.Author.Name) > MaxAuthor || runeLen(e.Footer.Text) > MaxFooter {
				t.Errorf("over limits: title %d desc %d author %d footer %d", runeLen(e.Title), runeLen(e.Description), runeLen(e.Author.Name), runeLen(e.Footer.Text))
			}
			if embedLen(e) > MaxEmbedTotal {
				t.Errorf("one card is %d characters", embedLen(e))
			}
			if !strings.HasSuffix(e.Title, "headline…") {
				t.Errorf("title not cut at a word: %q", e.Title[len(e.Title)-20:])
			}
		}},
		{"empty headline", digest.Card{}, func(t *testing.T, e *discordgo.MessageEmbed) {
			if e.Title == "" {
				t.Error("empty title")
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { tt.check(t, CardEmbed(tt.card)) })
	}
}

func cards(n int, edit func(*digest.Card)) []digest.Card {
	out := make([]digest.Card, n)
	for i := range out {
		out[i] = sampleCard(i + 1)
		if edit != nil {
			edit(&out[i])
		}
	}
	return out
}

func TestRenderDigestGolden(t *testing.T) {
	sub := digest.Subscription{ID: 7, ChatID: "42", Time: "08:00", TimeZone: "Europe/Berlin"}
	at := time.Date(2025, 2, 19, 8, 0, 0, 0, berlin)
	longFooter := func(c *digest.Card) { c.Sources = strings.Split(strings.Repeat("Some Outlet Name,", 60), ",") }
	tests := []struct {
		name      string
		view      digest.DigestView
		wantParts int
	}{
		{"digest_three", digest.DigestView{Sub: sub, Scheduled: at, Cards: cards(3, nil)}, 1},
		{"digest_late", digest.DigestView{Sub: sub, Scheduled: at, Cards: cards(1, nil), Late: true}, 1},
		{"digest_empty", digest.DigestView{Sub: sub, Scheduled: at}, 1},
		{"digest_twelve", digest.DigestView{Sub: sub, Scheduled: at, Cards: cards(12, nil)}, 2},
		{"digest_long", digest.DigestView{Sub: sub, Scheduled: at, Cards: cards(8, longFooter)}, 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			msgs, err := RenderDigest(tt.view)
			if err != nil {
				t.Fatal(err)
			}
			if len(msgs) != tt.wantParts {
				t.Errorf("%d messages, want %d", len(msgs), tt.wantParts)
			}
			n := 0
			for i, m := range msgs {
				checkMessage(t, m)
				for _, e := range m.Embeds {
					if want := fmt.Sprintf("https://www.devdiscourse.com/article/%d", n+1); e.URL != want {
						t.Errorf("message %d: card %s out of order, want %s", i, e.URL, want)
					}
					n++
				}
			}
			if n != len(tt.view.Cards) {
				t.Errorf("%d embeds, want %d", n, len(tt.view.Cards))
			}
			b, err := json.MarshalIndent(msgs, "", "  ")
			if err != nil {
				t.Fatal(err)
			}
			golden(t, tt.name+".json", append(b, '\n'))
		})
	}
}

func TestRenderDigestHeader(t *testing.T) {
	at := time.Date(2025, 7, 1, 6, 0, 0, 0, time.UTC)
	msgs, _ := RenderDigest(digest.DigestView{Sub: digest.Subscription{TimeZone: "Europe/Berlin"}, Scheduled: at, Late: true})
	if want := "**Daily digest (late)** · Tue 1 Jul 2025, 08:00 CEST\n" + EmptyDigestNote; msgs[0].Content != want {
		t.Errorf("content %q, want %q", msgs[0].Content, want)
	}
	msgs, _ = RenderDigest(digest.DigestView{Sub: digest.Subscription{TimeZone: "Not/AZone"}, Scheduled: at, Cards: cards(2, nil)})
	if !strings.HasPrefix(msgs[0].Content, "**Daily digest** · 2 stories · Tue 1 Jul 2025, 06:00 UTC") {
		t.Errorf("content %q", msgs[0].Content)
	}
}

// checkMessage asserts every limit of one message.
func checkMessage(t *testing.T, m *discordgo.MessageSend) {
	t.Helper()
	if runeLen(m.Content) > MaxContent {
		t.Errorf("content is %d characters", runeLen(m.Content))
	}
	if len(m.Embeds) > MaxEmbeds {
		t.Errorf("%d embeds", len(m.Embeds))
	}
	total := 0
	for _, e := range m.Embeds {
		total += embedLen(e)
	}
	if total > MaxEmbedTotal {
		t.Errorf("embeds total %d characters", total)
	}
	if m.Content == "" && len(m.Embeds) == 0 {
		t.Error("empty message")
	}
}

func TestRenderReply(t *testing.T) {
	tests := []struct {
		name      string
		reply     digest.CommandReply
		wantMsgs  int
		wantFirst string
	}{
		{"text only", digest.CommandReply{Text: "No match for *foo*."}, 1, `No match for \*foo\*.`},
		{"cards", digest.CommandReply{Text: "Trending", Cards: cards(3, nil)}, 1, "Trending"},
		{"eleven cards", digest.CommandReply{Cards: cards(11, nil)}, 2, ""},
		{"long text", digest.CommandReply{Text: strings.Repeat("word ", 1000)}, 3, ""},
		{"empty", digest.CommandReply{}, 1, emptyReplyNote},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			msgs := renderReply(tt.reply)
			if len(msgs) != tt.wantMsgs {
				t.Fatalf("%d messages, want %d", len(msgs), tt.wantMsgs)
			}
			if tt.wantFirst != "" && msgs[0].Content != tt.wantFirst {
				t.Errorf("first content %q", msgs[0].Content)
			}
			n := 0
			for _, m := range msgs {
				checkMessage(t, m)
				n += len(m.Embeds)
			}
			if n != len(tt.reply.Cards) {
				t.Errorf("%d embeds, want %d", n, len(tt.reply.Cards))
			}
		})
	}
}
