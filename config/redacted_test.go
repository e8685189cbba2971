package config

import (
	"fmt"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"

	"newsdigest/internal/testenv"
)

// TestRedactedSourcesAsOneDocument: printing the sources one by one gives
// the very text of one Marshal of the whole config.
func TestRedactedSourcesAsOneDocument(t *testing.T) {
	c, err := Parse([]byte("sources:\n  - name: A\n    url: https://a.example/feed\n    include: [x, \"y z\"]\n"+
		"  - name: B\n    url: https://b.example/feed\n    kind: html\n    link_selector: \"a.story\"\n    interval: 20m\n"), "t.yaml", func(string) string { return "" })
	if err != nil {
		t.Fatal(err)
	}
	got := c.Redacted()
	type secrets struct {
		DiscordToken          string `yaml:"DISCORD_TOKEN"`
		TelegramToken         string `yaml:"TELEGRAM_TOKEN"`
		TelegramWebhookSecret string `yaml:"TELEGRAM_WEBHOOK_SECRET"`
	}
	want, err := yaml.Marshal(struct {
		Config      `yaml:",inline"`
		Environment secrets `yaml:"environment"`
	}{c, secrets{c.Discord.Token.String(), c.Telegram.Token.String(), c.Telegram.WebhookSecret.String()}})
	if err != nil {
		t.Fatal(err)
	}
	if got != string(want) {
		t.Errorf("Redacted() =\n%s\nwant\n%s", got, want)
	}
}

// TestCheckConfigMemory: validating and printing 10,000 sources (a 0.9 MB
// file) peaks under 60 bytes of heap per byte of the file (after: about
// 36; before: about 210, 3 GB for 100,000 sources, most of it the YAML
// emitter holding every event of the document).
func TestCheckConfigMemory(t *testing.T) {
	if testing.Short() {
		t.Skip("parses 10,000 sources")
	}
	data := bigConfig(10_000)
	var out string
	peak := testenv.PeakHeap(func() {
		c, err := Parse(data, "big.yaml", func(string) string { return "" })
		if err != nil {
			t.Fatal(err)
		}
		out = c.Redacted()
	})
	if !strings.Contains(out, "Source 9999") {
		t.Fatal("the last source is not printed")
	}
	t.Logf("peak heap %d MB for a %d MB file", peak>>20, len(data)>>20)
	if per := peak / uint64(len(data)); per > 60 {
		t.Errorf("peak heap %d MB, %d bytes per byte of a %d MB file, want at most 60", peak>>20, per, len(data)>>20)
	}
}

func bigConfig(n int) []byte {
	var b strings.Builder
	b.WriteString("sources:\n")
	for i := range n {
		fmt.Fprintf(&b, "  - name: Source %d\n    url: https://news%d.example.com/feed.xml\n    include: [budget, council]\n", i, i)
	}
	return []byte(b.String())
}
