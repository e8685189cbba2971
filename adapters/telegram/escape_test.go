package telegram

import (
	"testing"

	"newsdigest/adapters/telegram/faketelegram"
)

func TestEscapeHTML(t *testing.T) {
	tests := []struct{ in, text, attr string }{
		{"plain", "plain", "plain"},
		{"a < b > c", "a &lt; b &gt; c", "a &lt; b &gt; c"},
		{"AT&T", "AT&amp;T", "AT&amp;T"},
		{`say "hi"`, `say "hi"`, "say &quot;hi&quot;"},
		{"&amp;", "&amp;amp;", "&amp;amp;"},
		{"bad \xff byte", "bad \uFFFD byte", "bad \uFFFD byte"},
		{"😀 ok", "😀 ok", "😀 ok"},
	}
	for _, tt := range tests {
		if got := EscapeHTML(tt.in); got != tt.text {
			t.Errorf("EscapeHTML(%q) = %q, want %q", tt.in, got, tt.text)
		}
		if got := EscapeAttr(tt.in); got != tt.attr {
			t.Errorf("EscapeAttr(%q) = %q, want %q", tt.in, got, tt.attr)
		}
	}
}

func TestUTF16Len(t *testing.T) {
	for in, want := range map[string]int{"": 0, "abc": 3, "é": 1, "😀": 2, "a😀b": 4} {
		if got := utf16Len(in); got != want {
			t.Errorf("utf16Len(%q) = %d, want %d", in, got, want)
		}
	}
}

// FuzzEscapeHTML checks that Telegram's HTML parser reads back exactly the
// text we escaped, in text and inside a link's href.
func FuzzEscapeHTML(f *testing.F) {
	for _, s := range []string{"", "a<b>c", "&amp;", "\"'", "&#65;", "<a href=\"x\">", "\xff", "😀&<"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		want := string([]rune(s)) // invalid bytes become U+FFFD, one each
		got, ents, err := faketelegram.ParseHTML(EscapeHTML(s))
		if err != nil {
			t.Fatalf("ParseHTML(EscapeHTML(%q)): %v", s, err)
		}
		if got != want || len(ents) != 0 {
			t.Fatalf("ParseHTML(EscapeHTML(%q)) = %q with %d entities, want %q", s, got, len(ents), want)
		}
		_, ents, err = faketelegram.ParseHTML(`<a href="` + EscapeAttr(s) + `">x</a>`)
		if err != nil {
			t.Fatalf("href EscapeAttr(%q): %v", s, err)
		}
		if len(ents) != 1 || ents[0].URL != want {
			t.Fatalf("href EscapeAttr(%q) parsed as %+v, want URL %q", s, ents, want)
		}
	})
}
