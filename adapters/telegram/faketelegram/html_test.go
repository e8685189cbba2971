package faketelegram

import (
	"strings"
	"testing"
)

func TestParseHTML(t *testing.T) {
	tests := []struct {
		name, in, text string
		entities       int
		err            string
	}{
		{"plain", "hello", "hello", 0, ""},
		{"bold link", `<b><a href="https://x.test/?a=1&amp;b=2">T &amp; U</a></b>`, "T & U", 2, ""},
		{"named entities", "&lt;&gt;&amp;&quot;", `<>&"`, 0, ""},
		{"numeric entities", "&#65;&#x42;&#128512;", "AB😀", 0, ""},
		{"literal gt", "a > b", "a > b", 0, ""},
		{"spoiler span", `<span class="tg-spoiler">x</span>`, "x", 1, ""},
		{"bare lt", "a < b", "", 0, "at byte offset 2"},
		{"bare amp", "AT&T rocks", "", 0, "Character '&' is reserved"},
		{"nbsp", "a&nbsp;b", "", 0, "Unsupported HTML entity"},
		{"unknown tag", "a<br>b", "", 0, `Unsupported start tag "br"`},
		{"misnested", "<b><i>x</b></i>", "", 0, "Unmatched end tag"},
		{"unclosed", "<b>x", "", 0, "Can't find end tag"},
		{"span without class", "<span>x</span>", "", 0, "tg-spoiler"},
		{"a without href", "<a>x</a>", "", 0, "href"},
		{"stray end", "x</b>", "", 0, "Unexpected end tag"},
		{"bad utf8", "a\xffb", "", 0, "UTF-8"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			text, ents, err := ParseHTML(tt.in)
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) {
					t.Fatalf("ParseHTML(%q) err = %v, want %q", tt.in, err, tt.err)
				}
				if !strings.HasPrefix(err.Error(), "Bad Request: can't parse entities: ") {
					t.Fatalf("error %q lacks Telegram's prefix", err)
				}
				return
			}
			if err != nil {
				t.Fatalf("ParseHTML(%q): %v", tt.in, err)
			}
			if text != tt.text || len(ents) != tt.entities {
				t.Fatalf("ParseHTML(%q) = %q, %d entities; want %q, %d", tt.in, text, len(ents), tt.text, tt.entities)
			}
		})
	}
}

func TestParseHTMLEntityOffsetsInUTF16(t *testing.T) {
	_, ents, err := ParseHTML("😀 <b>x</b>")
	if err != nil {
		t.Fatal(err)
	}
	if len(ents) != 1 || ents[0].Offset != 3 || ents[0].Length != 1 || ents[0].Type != "bold" {
		t.Fatalf("entities = %+v, want bold at UTF-16 offset 3 length 1", ents)
	}
}

func FuzzParseHTML(f *testing.F) {
	for _, s := range []string{"<b>x</b>", "a &amp; b", "<a href='x'>y</a>", "<", "&#0;", "<b><i></b>"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		text, ents, err := ParseHTML(s)
		if err != nil {
			return
		}
		n := UTF16Len(text)
		for _, e := range ents {
			if e.Offset < 0 || e.Length < 0 || e.Offset+e.Length > n {
				t.Fatalf("ParseHTML(%q): entity %+v outside text of %d units", s, e, n)
			}
		}
	})
}
