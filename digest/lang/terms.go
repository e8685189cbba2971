package lang

import (
	"strings"
	"unicode"
)

// IsCJK reports characters of scripts written without spaces between
// words: Han ideographs, kana, and the prolonged sound mark.
func IsCJK(r rune) bool {
	return unicode.In(r, unicode.Han, unicode.Hiragana, unicode.Katakana) || r == 'ー' || r == '々'
}

// Bigrams returns the overlapping character pairs of a run of CJK
// characters ("東京都" → "東京", "京都"); a run of one character is its own
// term. Bigrams are how search engines index Chinese and Japanese without a
// dictionary (Lucene's CJKAnalyzer, PostgreSQL's pg_bigm).
func Bigrams(run []rune) []string {
	if len(run) == 1 {
		return []string{string(run)}
	}
	out := make([]string, 0, len(run)-1)
	for i := 0; i+1 < len(run); i++ {
		out = append(out, string(run[i:i+2]))
	}
	return out
}

// Fold turns one word of language code into its term: lower case, then
// the stem.
func Fold(code, w string) string { return Stem(code, Lower(code, w)) }

// Terms splits text into its terms in language code, in order: each word
// (a run of letters, digits and combining marks) lower-cased and stemmed,
// each run of CJK characters as its bigrams. Stop words are kept (phrases
// need them); a caller that wants them gone asks IsStop of Lower(word).
func Terms(code, text string) []string {
	var out []string
	eachWord(text, func(w string, cjk bool) {
		if cjk {
			out = append(out, Bigrams([]rune(w))...)
			return
		}
		out = append(out, Fold(code, w))
	})
	return out
}

// StemText is Terms joined with spaces: the text a full-text index stores
// beside the original so that inflected forms meet.
func StemText(code, text string) string { return strings.Join(Terms(code, text), " ") }

// eachWord calls f with each word of text and whether it is a CJK run.
// Letters of other scripts next to CJK characters start a new word.
func eachWord(text string, f func(w string, cjk bool)) {
	start, inCJK := -1, false
	flush := func(end int) {
		if start >= 0 {
			f(text[start:end], inCJK)
			start = -1
		}
	}
	for i, r := range text {
		switch {
		case IsCJK(r):
			if start >= 0 && !inCJK {
				flush(i)
			}
			if start < 0 {
				start, inCJK = i, true
			}
		case unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r) && start >= 0:
			if start >= 0 && inCJK {
				flush(i)
			}
			if start < 0 {
				start, inCJK = i, false
			}
		default:
			flush(i)
		}
	}
	flush(len(text))
}
