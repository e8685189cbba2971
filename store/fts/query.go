// Package fts turns untrusted search input into terms that both store
// backends can pass to their full-text engines without ever passing query
// syntax through, and prepares text in scripts written without spaces.
package fts

import (
	"errors"
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// MaxQueryLen is the longest query accepted, in runes.
const MaxQueryLen = 200

// maxTerms bounds the work one query can ask for.
const maxTerms = 16

// ErrBadQuery is matched (errors.Is) by every QueryError.
var ErrBadQuery = errors.New("bad search query")

// QueryError says why a user's query cannot be searched; its Reason can be
// shown to the user.
type QueryError struct {
	Query  string
	Reason string
}

func (e *QueryError) Error() string {
	return fmt.Sprintf("search: %s: %q", e.Reason, truncate(e.Query, 60))
}

// Is makes errors.Is(err, ErrBadQuery) true.
func (e *QueryError) Is(target error) bool { return target == ErrBadQuery }

// BadQuery marks the error as the user's to fix, not the store's.
func (e *QueryError) BadQuery() bool { return true }

// Term is one thing to look for: a word, or a phrase whose words must
// appear in this order. Words hold only letters, digits and marks (with CJK
// text split into single characters), so they are inert in every engine.
type Term struct {
	Words  []string
	Phrase bool // the user quoted it
}

// Parse splits a query into terms: "quoted phrases" stay phrases, every other
// run of text is a word. Everything that is not a letter, digit or mark
// (FTS operators, quotes, stars, colons, carets, brackets) separates words
// and never reaches the engine. It returns a *QueryError when the query is
// empty, longer than MaxQueryLen runes, or holds no word.
func Parse(q string) ([]Term, error) {
	q = strings.TrimSpace(q)
	if !utf8.ValidString(q) {
		q = strings.ToValidUTF8(q, " ")
	}
	if q == "" {
		return nil, &QueryError{Query: q, Reason: "empty query"}
	}
	if utf8.RuneCountInString(q) > MaxQueryLen {
		return nil, &QueryError{Query: q, Reason: fmt.Sprintf("query longer than %d characters", MaxQueryLen)}
	}
	var terms []Term
	add := func(text string, phrase bool) {
		words := Words(text)
		if len(words) == 0 {
			return
		}
		if phrase {
			if len(terms) < maxTerms {
				terms = append(terms, Term{Words: words, Phrase: true})
			}
			return
		}
		// A bare word with punctuation inside ("foo:bar", "covid-19") is
		// several words, each a term of its own, except runs of CJK
		// characters ("東京都"), which stay together as a phrase.
		for i := 0; i < len(words); {
			j := i + 1
			for isCJKWord(words[i]) && j < len(words) && isCJKWord(words[j]) {
				j++
			}
			if len(terms) < maxTerms {
				terms = append(terms, Term{Words: words[i:j]})
			}
			i = j
		}
	}
	rest := q
	for rest != "" {
		i := strings.IndexByte(rest, '"')
		if i < 0 {
			for _, f := range strings.Fields(rest) {
				add(f, false)
			}
			break
		}
		for _, f := range strings.Fields(rest[:i]) {
			add(f, false)
		}
		rest = rest[i+1:]
		j := strings.IndexByte(rest, '"')
		if j < 0 { // an unclosed quote quotes the rest
			add(rest, true)
			break
		}
		add(rest[:j], true)
		rest = rest[j+1:]
	}
	if len(terms) == 0 {
		return nil, &QueryError{Query: q, Reason: "no words to search for"}
	}
	return terms, nil
}

// Words splits text into lower-case words the way the index sees them:
// runs of letters, digits and marks, with each CJK character a word of its own.
func Words(text string) []string {
	var words []string
	var b strings.Builder
	flush := func() {
		if b.Len() > 0 {
			words = append(words, strings.ToLower(b.String()))
			b.Reset()
		}
	}
	for _, r := range text {
		switch {
		case isCJK(r):
			flush()
			words = append(words, string(r))
		case unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.IsMark(r):
			b.WriteRune(r)
		default:
			flush()
		}
	}
	flush()
	return words
}

// Segment prepares text for indexing: it puts spaces around every CJK
// character, since Chinese and Japanese are written without spaces and the
// engines' word tokenizers would otherwise index a whole clause as one word.
// A query then finds CJK text as a phrase of single characters, which is an
// exact substring match.
func Segment(text string) string {
	n := 0
	for _, r := range text {
		if isCJK(r) {
			n++
		}
	}
	if n == 0 {
		return text
	}
	var b strings.Builder
	b.Grow(len(text) + 2*n)
	for _, r := range text {
		if isCJK(r) {
			b.WriteByte(' ')
			b.WriteRune(r)
			b.WriteByte(' ')
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

// isCJKWord reports a word that is one CJK character.
func isCJKWord(w string) bool {
	r, n := utf8.DecodeRuneInString(w)
	return n == len(w) && isCJK(r)
}

// isCJK reports scripts written without spaces between words.
func isCJK(r rune) bool {
	return unicode.In(r, unicode.Han, unicode.Hiragana, unicode.Katakana) ||
		r == 'ー' // the katakana length mark is Common script
}

func truncate(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return string(r[:n]) + "…"
}

// Fold lower-cases text and removes diacritics from Latin letters (é→e,
// ß stays), roughly as the engines' tokenizers do, for comparing words
// outside them.
func Fold(text string) string {
	ascii := true
	for i := 0; i < len(text); i++ {
		if text[i] >= utf8.RuneSelf {
			ascii = false
			break
		}
	}
	if ascii {
		return strings.ToLower(text)
	}
	lower := strings.ToLower(text)
	if norm.NFD.IsNormalString(lower) && !hasMark(lower) {
		// Nothing to decompose nor drop (curly quotes and dashes in
		// English text): the common case, without building a copy.
		return lower
	}
	var b strings.Builder
	b.Grow(len(text))
	for _, r := range norm.NFD.String(lower) {
		if unicode.Is(unicode.Mn, r) {
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

// hasMark reports whether text holds a nonspacing mark (all of them are
// at U+0300 or above).
func hasMark(text string) bool {
	for _, r := range text {
		if r >= 0x300 && unicode.Is(unicode.Mn, r) {
			return true
		}
	}
	return false
}
