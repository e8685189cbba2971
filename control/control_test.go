package control

import (
	"strings"
	"testing"
)

func TestText(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"plain", "Talks in Riyadh\n\nThey met.\tOK", "Talks in Riyadh\n\nThey met.\tOK"},
		{"NUL", "Bre\x00aking", "Breaking"},
		{"clear screen and home", "\x1b[2J\x1b[HHeadline", "Headline"},
		{"colour", "\x1b[1;31mRED\x1b[0m alert", "RED alert"},
		{"window title (OSC, BEL)", "\x1b]0;pwned\x07News", "News"},
		{"window title (OSC, ST)", "\x1b]2;pwned\x1b\\News", "News"},
		{"hyperlink OSC 8", "\x1b]8;;http://evil.example\x1b\\click\x1b]8;;\x1b\\", "click"},
		{"C1 CSI", "a\u009b2Jb", "ab"},
		{"reset ESC c", "\x1bcText", "Text"},
		{"backspaces", "good\x08\x08\x08\x08evil", "goodevil"},
		{"DEL and bell", "a\x7fb\x07c", "abc"},
		{"CR LF and lone CR", "one\r\ntwo\rthree", "one\ntwo\nthree"},
		{"lone ESC at the end", "end\x1b", "end"},
		{"unterminated OSC", "ok\x1b]0;title", "ok"},
		{"invalid UTF-8", "caf\xe9", "caf\uFFFD"},
		{"keeps Unicode", "Zürich – 東京 🌍", "Zürich – 東京 🌍"},
	}
	for _, tt := range tests {
		if got := Text(tt.in); got != tt.want {
			t.Errorf("%s: Text(%q) = %q, want %q", tt.name, tt.in, got, tt.want)
		}
	}
}

func TestLine(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Head\nline\twith  tabs", "Head line with tabs"},
		{"\x1b[31mRed\x1b[0m\x00 news\r\n", "Red news"},
		{"plain headline", "plain headline"},
	}
	for _, tt := range tests {
		if got := Line(tt.in); got != tt.want {
			t.Errorf("Line(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestEscape(t *testing.T) {
	tests := []struct{ in, want string }{
		{"\x1b]0;pwned\x07title", `\x1b]0;pwned\x07title`},
		{"\x1b[2J\x1b[H", `\x1b[2J\x1b[H`},
		{"a\u009bb", `a\u009bb`},
		{"bad \xff byte", `bad \xff byte`},
		{"lines\nand\ttabs stay", "lines\nand\ttabs stay"},
		{"Zürich", "Zürich"},
	}
	for _, tt := range tests {
		got := Escape(tt.in)
		if got != tt.want {
			t.Errorf("Escape(%q) = %q, want %q", tt.in, got, tt.want)
		}
		if strings.ContainsAny(got, "\x1b\x07\u009b") {
			t.Errorf("Escape(%q) keeps a control character", tt.in)
		}
	}
}

func FuzzText(f *testing.F) {
	for _, s := range []string{"\x1b[2J", "\x1b]0;x\x07", "a\u009b", "\r\n", "caf\xe9", "ok"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		for _, out := range []string{Text(s), Line(s)} {
			for _, r := range out {
				if r != '\n' && r != '\t' && (r < 0x20 || r == 0x7f || r >= 0x80 && r <= 0x9f) {
					t.Fatalf("Text/Line(%q) keeps control %U: %q", s, r, out)
				}
			}
		}
		if e := Escape(s); strings.ContainsAny(e, "\x1b\x07\x00\u009b") {
			t.Fatalf("Escape(%q) = %q", s, e)
		}
	})
}
