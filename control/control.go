// Package control keeps control characters out of text: Text and Line strip
// them from what the bot stores and sends (a feed's NUL, an ANSI escape
// sequence that would clear a terminal or retitle its window, a backspace
// that hides words), and Escape makes them visible where text goes to a
// terminal.
package control

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

const (
	esc = 0x1b
	bel = 0x07
	csi = 0x9b // C1 control sequence introducer
	st  = 0x9c // C1 string terminator
	osc = 0x9d // C1 operating system command
	dcs = 0x90
	sos = 0x98
	pm  = 0x9e
	apc = 0x9f
)

// Text returns s without control characters: escape sequences (CSI, OSC,
// DCS, …) are dropped whole, CR LF and lone CR become LF, newlines and tabs
// stay, every other C0 and C1 control and DEL goes, and invalid UTF-8
// becomes U+FFFD. Text without any comes back as is.
func Text(s string) string { return strip(s, false) }

// Line is Text for a one-line field (a headline, a name, an author):
// newlines and tabs become spaces too.
func Line(s string) string { return strip(s, true) }

// clean reports whether s needs no change.
func clean(s string, line bool) bool {
	for i := 0; i < len(s); i++ {
		b := s[i]
		switch {
		case b == '\n' || b == '\t':
			if line {
				return false
			}
		case b < 0x20 || b == 0x7f:
			return false
		case b == 0xc2 && i+1 < len(s) && s[i+1] >= 0x80 && s[i+1] <= 0x9f:
			return false // a C1 control in UTF-8
		}
	}
	return utf8.ValidString(s)
}

func strip(s string, line bool) string {
	if clean(s, line) {
		return s
	}
	s = strings.ToValidUTF8(s, "\uFFFD")
	var b strings.Builder
	b.Grow(len(s))
	rs := []rune(s)
	for i := 0; i < len(rs); i++ {
		r := rs[i]
		switch {
		case r == '\r':
			if i+1 < len(rs) && rs[i+1] == '\n' {
				continue // the LF follows
			}
			r = '\n'
		case r == esc || r == csi || r == osc || r == dcs || r == sos || r == pm || r == apc:
			i = skipSequence(rs, i)
			continue
		case r != '\n' && r != '\t' && unicode.IsControl(r):
			continue
		}
		if line && (r == '\n' || r == '\t') {
			r = ' '
		}
		b.WriteRune(r)
	}
	out := b.String()
	if line {
		out = strings.Join(strings.Fields(out), " ")
	}
	return out
}

// skipSequence returns the index of the last rune of the escape sequence
// starting at rs[i] (ECMA-48): ESC [ or CSI, then parameter and
// intermediate bytes and a final byte; ESC ] P X ^ _ or OSC DCS SOS PM APC,
// then a string up to BEL, ST or ESC \; ESC and one more character
// otherwise. An unterminated sequence runs to the end.
func skipSequence(rs []rune, i int) int {
	r := rs[i]
	kind := r
	if r == esc {
		if i+1 >= len(rs) {
			return i
		}
		switch rs[i+1] {
		case '[':
			kind = csi
		case ']':
			kind = osc
		case 'P':
			kind = dcs
		case 'X':
			kind = sos
		case '^':
			kind = pm
		case '_':
			kind = apc
		default:
			if rs[i+1] >= 0x20 && rs[i+1] < 0x7f {
				return i + 1 // a two-character sequence (ESC c, ESC 7, …)
			}
			return i // a lone ESC
		}
		i++
	}
	if kind == csi {
		for j := i + 1; j < len(rs); j++ {
			if rs[j] >= 0x40 && rs[j] <= 0x7e {
				return j
			}
			if rs[j] < 0x20 || rs[j] > 0x7e {
				return j - 1 // malformed: stop before it
			}
		}
		return len(rs) - 1
	}
	for j := i + 1; j < len(rs); j++ {
		switch {
		case rs[j] == bel || rs[j] == st:
			return j
		case rs[j] == esc && j+1 < len(rs) && rs[j+1] == '\\':
			return j + 1
		}
	}
	return len(rs) - 1
}

// Escape makes s safe to write to a terminal: every control character but
// newline and tab is shown as a Go escape (\x1b, \u009b), so a page's
// escape sequences are read, not run.
func Escape(s string) string {
	need := false
	for _, r := range s {
		if r != '\n' && r != '\t' && unicode.IsControl(r) || r == utf8.RuneError {
			need = true
			break
		}
	}
	if !need {
		return s
	}
	var b strings.Builder
	for i, w := 0, 0; i < len(s); i += w {
		r, size := utf8.DecodeRuneInString(s[i:])
		w = size
		switch {
		case r == utf8.RuneError && size == 1:
			fmt.Fprintf(&b, `\x%02x`, s[i])
		case r == '\n' || r == '\t':
			b.WriteRune(r)
		case r < 0x80 && unicode.IsControl(r):
			fmt.Fprintf(&b, `\x%02x`, r)
		case unicode.IsControl(r):
			fmt.Fprintf(&b, `\u%04x`, r)
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}
