package discord

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Discord's limits, in characters (Unicode code points).
const (
	MaxContent         = 2000
	MaxEmbeds          = 10
	MaxTitle           = 256
	MaxDescription     = 4096
	MaxFooter          = 2048
	MaxAuthor          = 256
	MaxFieldName       = 256
	MaxFieldValue      = 1024
	MaxFields          = 25
	MaxEmbedTotal      = 6000 // all embeds of one message together
	MaxURL             = 2048
	maxCardFooter      = 1024 // keeps one card's embed well under MaxEmbedTotal
	ellipsis           = "…"
	minWordCutFraction = 2 // a word-boundary cut keeps at least 1/2 of the budget
)

// runeLen counts characters the way Discord's limits do.
func runeLen(s string) int { return utf8.RuneCountInString(s) }

// Truncate cuts s to at most max characters. It cuts at a word boundary and
// ends with an ellipsis; it never splits a character and avoids splitting a
// grapheme (a base and its combining marks, joiners, variation selectors).
// A URL is never cut: if the cut would fall inside one, the URL is dropped.
// Invalid UTF-8 is replaced first, so the result is always valid.
func Truncate(s string, max int) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	if runeLen(s) <= max {
		return s
	}
	if max <= 0 {
		return ""
	}
	if max == 1 {
		return ellipsis
	}
	budget := max - 1 // room for the ellipsis
	// end is the byte offset just after the first budget runes.
	end := 0
	for i := 0; i < budget; i++ {
		_, n := utf8.DecodeRuneInString(s[end:])
		end += n
	}
	// The token the cut falls into runs from tokStart to tokEnd.
	tokStart := end
	for tokStart > 0 {
		r, n := utf8.DecodeLastRuneInString(s[:tokStart])
		if unicode.IsSpace(r) {
			break
		}
		tokStart -= n
	}
	cutsWord := end < len(s) && !isSpaceAt(s, end) && tokStart < end
	cut := end
	if cutsWord {
		tokEnd := end
		for tokEnd < len(s) && !isSpaceAt(s, tokEnd) {
			_, n := utf8.DecodeRuneInString(s[tokEnd:])
			tokEnd += n
		}
		switch {
		case isURL(s[tokStart:tokEnd]):
			cut = tokStart // drop the link rather than break it
		case runeLen(s[:tokStart]) >= budget/minWordCutFraction:
			cut = tokStart
		default:
			cut = graphemeCut(s, end) // one long word: cut inside it
		}
	}
	out := strings.TrimRightFunc(s[:cut], unicode.IsSpace)
	out = dropDanglingEscape(out)
	return out + ellipsis
}

func isSpaceAt(s string, i int) bool {
	r, _ := utf8.DecodeRuneInString(s[i:])
	return unicode.IsSpace(r)
}

// graphemeCut moves a cut at byte offset i back so that it does not separate
// a character from the marks or joiners that extend it.
func graphemeCut(s string, i int) int {
	for i > 0 {
		r, _ := utf8.DecodeRuneInString(s[i:])
		prev, n := utf8.DecodeLastRuneInString(s[:i])
		if !extends(r) && prev != '\u200d' && !isRegionalPair(s, i) {
			return i
		}
		i -= n
	}
	return i
}

// extends reports whether r continues the grapheme before it.
func extends(r rune) bool {
	return unicode.Is(unicode.Mn, r) || unicode.Is(unicode.Me, r) || unicode.Is(unicode.Mc, r) ||
		r == '\u200d' || (r >= '\ufe00' && r <= '\ufe0f') || (r >= 0x1f3fb && r <= 0x1f3ff) ||
		(r >= 0xe0020 && r <= 0xe007f)
}

// isRegionalPair reports whether offset i falls between the two regional
// indicators of one flag (an odd number of them precede i).
func isRegionalPair(s string, i int) bool {
	r, _ := utf8.DecodeRuneInString(s[i:])
	if !isRegional(r) {
		return false
	}
	n := 0
	for j := i; j > 0; {
		p, size := utf8.DecodeLastRuneInString(s[:j])
		if !isRegional(p) {
			break
		}
		n++
		j -= size
	}
	return n%2 == 1
}

func isRegional(r rune) bool { return r >= 0x1f1e6 && r <= 0x1f1ff }

func isURL(tok string) bool {
	t := strings.TrimLeft(tok, "(<[\"'")
	return strings.HasPrefix(t, "http://") || strings.HasPrefix(t, "https://") || strings.HasPrefix(t, "www.")
}

// dropDanglingEscape removes a trailing unpaired backslash, which would
// otherwise escape the ellipsis.
func dropDanglingEscape(s string) string {
	n := 0
	for i := len(s) - 1; i >= 0 && s[i] == '\\'; i-- {
		n++
	}
	if n%2 == 1 {
		return s[:len(s)-1]
	}
	return s
}

// EscapeMarkdown escapes the characters Discord's markdown would act on, so
// that text from a page shows as written. URLs are left alone so that they
// stay links.
func EscapeMarkdown(s string) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	var b strings.Builder
	b.Grow(len(s) + 8)
	lineStart := true
	for i := 0; i < len(s); {
		if lineStart || isSpaceAt(s, max(i-1, 0)) {
			if j := urlEnd(s, i); j > i {
				b.WriteString(s[i:j])
				i = j
				lineStart = false
				continue
			}
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		switch {
		case strings.ContainsRune("\\*_~`|[]", r):
			b.WriteByte('\\')
		case lineStart && strings.ContainsRune(">#-+", r):
			b.WriteByte('\\')
		}
		b.WriteString(s[i : i+n])
		lineStart = r == '\n'
		i += n
	}
	return b.String()
}

// urlEnd returns the end of a URL starting at i, or i when there is none.
func urlEnd(s string, i int) int {
	rest := s[i:]
	if !strings.HasPrefix(rest, "http://") && !strings.HasPrefix(rest, "https://") {
		return i
	}
	j := i
	for j < len(s) && !isSpaceAt(s, j) {
		_, n := utf8.DecodeRuneInString(s[j:])
		j += n
	}
	return j
}
