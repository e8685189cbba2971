package telegram

import (
	"strings"
	"unicode/utf8"
)

// EscapeHTML escapes text for Telegram's HTML parse mode. Telegram knows
// only the named entities &lt; &gt; &amp; and &quot;, so those three
// characters are all that text needs. Invalid UTF-8 is replaced with
// U+FFFD, because Telegram rejects a request whose text is not UTF-8.
func EscapeHTML(s string) string {
	return escape(s, false)
}

// EscapeAttr escapes a value for a double-quoted attribute (an href): the
// text escapes plus the double quote.
func EscapeAttr(s string) string {
	return escape(s, true)
}

func escape(s string, attr bool) string {
	var b strings.Builder
	b.Grow(len(s) + len(s)/8)
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size <= 1:
			b.WriteRune(utf8.RuneError)
		case r == '<':
			b.WriteString("&lt;")
		case r == '>':
			b.WriteString("&gt;")
		case r == '&':
			b.WriteString("&amp;")
		case r == '"' && attr:
			b.WriteString("&quot;")
		default:
			b.WriteString(s[i : i+size])
		}
		i += size
	}
	return b.String()
}

// utf16Len counts s the way Telegram counts message length: in UTF-16
// code units (a rune above U+FFFF takes two).
func utf16Len(s string) int {
	n := 0
	for _, r := range s {
		if r >= 0x10000 {
			n += 2
		} else {
			n++
		}
	}
	return n
}
