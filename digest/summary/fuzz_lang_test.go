package summary

import (
	"strings"
	"testing"
	"unicode"

	"newsdigest/digest/lang"
)

// FuzzSentencesIn: in every supported language, splitting loses and adds
// no character but spaces, and never panics.
func FuzzSentencesIn(f *testing.F) {
	for _, s := range []string{
		"Am 3. Oktober ist Feiertag. Die Läden sind zu.",
		"Об этом заявил В. В. Путин. Он выступил в Кремле.",
		"東京で地震があった。被害は確認されていない！",
		"هل انتهت الأزمة؟ قال د. فراس إنها لم تنته.",
		"« Depuis, écrit-elle. Ces scènes me manquent. » S’il arrive.",
		"ihr Ende.2 Der Mensch. 150km/h. Sono",
	} {
		f.Add(s)
	}
	squash := func(s string) string {
		return strings.Map(func(r rune) rune {
			if unicode.IsSpace(r) || r == '\u200b' || r == '\ufeff' {
				return -1
			}
			return r
		}, strings.ToValidUTF8(s, ""))
	}
	f.Fuzz(func(t *testing.T, text string) {
		want := squash(text)
		for _, code := range lang.Supported {
			if got := squash(strings.Join(SentencesIn(text, code), "")); got != want {
				t.Fatalf("%s: SentencesIn(%q) lost or added text: %q", code, text, got)
			}
		}
	})
}
