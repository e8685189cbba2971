package discord

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestTruncate(t *testing.T) {
	tests := []struct {
		name string
		in   string
		max  int
		want string
	}{
		{"fits", "short text", 20, "short text"},
		{"exact", "abcde", 5, "abcde"},
		{"word boundary", "the quick brown fox jumps", 16, "the quick brown…"},
		{"word boundary drops partial word", "the quick brown fox jumps", 13, "the quick…"},
		{"url dropped not cut", "read more at https://example.com/a/very/long/path", 30, "read more at…"},
		{"url kept when it fits", "see https://ex.com/a and more words here", 22, "see https://ex.com/a…"},
		{"one long word is cut", "abcdefghijklmnopqrstuvwxyz", 10, "abcdefghi…"},
		{"multibyte", "ééééééééééé", 5, "éééé…"},
		{"combining mark kept with base", "aaae\u0301\u0301bbb", 5, "aaa…"},
		{"flag not split", "ab🇩🇪🇫🇷cd", 4, "ab…"},
		{"flag kept whole", "ab🇩🇪🇫🇷cd", 5, "ab🇩🇪…"},
		{"zwj family not split", "ab👨\u200d👩\u200d👧xyz", 5, "ab…"},
		{"invalid utf8 replaced", "ab\xffcd", 10, "ab\uFFFDcd"},
		{"max one", "hello", 1, "…"},
		{"max zero", "hello", 0, ""},
		{"no dangling escape", `aaaa\* bbbbbbbbbbbbbbbbbbbbbbbbbbbbbb`, 6, "aaaa…"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Truncate(tt.in, tt.max)
			if got != tt.want {
				t.Errorf("Truncate(%q, %d) = %q, want %q", tt.in, tt.max, got, tt.want)
			}
			if runeLen(got) > max(tt.max, 0) {
				t.Errorf("Truncate(%q, %d) has %d characters", tt.in, tt.max, runeLen(got))
			}
		})
	}
}

func TestEscapeMarkdown(t *testing.T) {
	tests := []struct{ in, want string }{
		{"plain words", "plain words"},
		{"*bold* _it_ ~s~ `c` |sp|", `\*bold\* \_it\_ \~s\~ \` + "`c\\`" + ` \|sp\|`},
		{"> quote\n# head\n- item", "\\> quote\n\\# head\n\\- item"},
		{"a-b > c", "a-b > c"},
		{"see https://ex.com/a_b*c now", "see https://ex.com/a_b*c now"},
		{"[link](x)", `\[link\](x)`},
		{`back\slash`, `back\\slash`},
	}
	for _, tt := range tests {
		if got := EscapeMarkdown(tt.in); got != tt.want {
			t.Errorf("EscapeMarkdown(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func FuzzTruncate(f *testing.F) {
	for _, s := range []string{"", "hello world", "see https://example.com/x y", "🇩🇪🇫🇷🇮🇹", "e\u0301e\u0301e\u0301", "a\xffb", strings.Repeat("word ", 600)} {
		f.Add(s, 10)
	}
	f.Fuzz(func(t *testing.T, s string, max int) {
		max = max % 5000
		if max < 0 {
			max = -max
		}
		got := Truncate(s, max)
		if !utf8.ValidString(got) {
			t.Fatalf("Truncate(%q, %d) = %q: invalid UTF-8", s, max, got)
		}
		if runeLen(got) > max {
			t.Fatalf("Truncate(%q, %d) = %q: %d characters", s, max, got, runeLen(got))
		}
		if valid := strings.ToValidUTF8(s, "\uFFFD"); runeLen(valid) <= max && got != valid {
			t.Fatalf("Truncate(%q, %d) = %q changed a string that fits", s, max, got)
		}
		esc := EscapeMarkdown(s)
		if !utf8.ValidString(esc) {
			t.Fatalf("EscapeMarkdown(%q) invalid UTF-8", s)
		}
	})
}

func FuzzSplitText(f *testing.F) {
	f.Add("a b c\nd e f", 3)
	f.Add(strings.Repeat("x", 50), 7)
	f.Fuzz(func(t *testing.T, s string, max int) {
		max = max%3000 + 1
		if max < 1 {
			max = -max + 2
		}
		s = strings.ToValidUTF8(s, "\uFFFD")
		parts := splitText(s, max)
		for _, p := range parts {
			if runeLen(p) > max || !utf8.ValidString(p) {
				t.Fatalf("splitText(%q, %d) part %q over the limit or invalid", s, max, p)
			}
		}
		if strings.Join(strings.Fields(strings.Join(parts, " ")), "") != strings.Join(strings.Fields(s), "") {
			t.Fatalf("splitText(%q, %d) = %q lost text", s, max, parts)
		}
	})
}
