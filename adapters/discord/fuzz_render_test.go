package discord

import (
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"newsdigest/adapters/discord/fakediscord"
	"newsdigest/digest"
)

// FuzzRenderDigest: whatever the cards hold, every rendered message is
// within Discord's limits and passes the published MessageCreateRequest
// schema, and no card is lost.
func FuzzRenderDigest(f *testing.F) {
	spec, err := fakediscord.EmbeddedSpec()
	if err != nil {
		f.Fatal(err)
	}
	f.Add("Headline *with* markdown", "One line.\nTwo lines.", "Reuters", "https://example.com/a", "AP,AFP", 3, int64(1739936160))
	f.Add(strings.Repeat("long headline ", 40), strings.Repeat("x", 5000), strings.Repeat("S", 3000), "not a url", strings.Repeat("Outlet,", 400), 12, int64(0))
	f.Add("🇩🇪\u200d\xff", "e\u0301\n\n", "", "https://"+strings.Repeat("a", 3000)+".com", "", 1, int64(-5))
	f.Fuzz(func(t *testing.T, headline, summary, source, url, sources string, n int, unix int64) {
		n = n % 30
		if n < 0 {
			n = -n
		}
		var srcs []string
		if sources != "" {
			srcs = strings.Split(sources, ",")
		}
		cs := make([]digest.Card, n)
		for i := range cs {
			cs[i] = digest.Card{Headline: headline, Summary: strings.Split(summary, "\n"), Source: source, URL: url,
				Sources: srcs, Dateline: digest.Dateline{Place: source, Desk: headline}, Time: time.Unix(unix%4e9, 0)}
		}
		msgs, err := RenderDigest(digest.DigestView{Sub: digest.Subscription{TimeZone: source}, Scheduled: time.Unix(unix%4e9, 0), Cards: cs})
		if err != nil {
			t.Fatal(err)
		}
		embeds := 0
		for _, m := range msgs {
			b, err := renderMessage(m)
			if err != nil {
				t.Fatal(err)
			}
			if !utf8.Valid(b) {
				t.Fatalf("invalid UTF-8 in %s", b)
			}
			problems := fakediscord.CheckMessageLimits(b, true)
			if spec != nil {
				problems = append(problems, spec.Check("MessageCreateRequest", b)...)
			}
			if len(problems) > 0 {
				t.Fatalf("message fails: %v\n%s", problems, b)
			}
			embeds += len(m.Embeds)
		}
		if embeds != n {
			t.Fatalf("%d embeds for %d cards", embeds, n)
		}
	})
}
