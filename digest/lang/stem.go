package lang

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/blevesearch/snowballstem"
	"github.com/blevesearch/snowballstem/arabic"
	"github.com/blevesearch/snowballstem/dutch"
	"github.com/blevesearch/snowballstem/english"
	"github.com/blevesearch/snowballstem/french"
	"github.com/blevesearch/snowballstem/german"
	"github.com/blevesearch/snowballstem/italian"
	"github.com/blevesearch/snowballstem/portuguese"
	"github.com/blevesearch/snowballstem/russian"
	"github.com/blevesearch/snowballstem/spanish"
	"github.com/blevesearch/snowballstem/turkish"
)

var snowball = map[string]func(*snowballstem.Env) bool{
	"en": english.Stem, "de": german.Stem, "fr": french.Stem, "es": spanish.Stem,
	"it": italian.Stem, "pt": portuguese.Stem, "nl": dutch.Stem, "ru": russian.Stem,
	"tr": turkish.Stem, "ar": arabic.Stem,
}

// HasStemmer reports whether Stem changes words of language code.
func HasStemmer(code string) bool {
	_, ok := snowball[code]
	return ok || code == "pl" || code == "uk"
}

// Lower lower-cases a word the way its language does (Turkish dotted and
// dotless i).
func Lower(code, w string) string {
	if code == "tr" {
		return strings.ToLowerSpecial(unicode.TurkishCase, w)
	}
	return strings.ToLower(w)
}

// Stem returns the stem of a lower-cased word in language code: the
// Snowball stemmer of that language, or for Polish and Ukrainian (which
// Snowball lacks) a light stripper of their commonest case and verb
// endings. Words of other languages, numbers and words of one or two
// letters come back as they are. Stem is safe for concurrent use.
func Stem(code, w string) string {
	if utf8.RuneCountInString(w) < 3 {
		return w
	}
	if f, ok := snowball[code]; ok {
		env := snowballstem.NewEnv(w)
		f(env)
		return env.Current()
	}
	switch code {
	case "pl":
		return stripSuffix(w, polishSuffixes, 3)
	case "uk":
		return stripSuffix(w, ukrainianSuffixes, 3)
	}
	return w
}

// stripSuffix removes the longest listed ending that leaves at least keep
// runes.
func stripSuffix(w string, suffixes []string, keep int) string {
	n := utf8.RuneCountInString(w)
	for _, s := range suffixes { // longest first
		if strings.HasSuffix(w, s) && n-utf8.RuneCountInString(s) >= keep {
			return w[:len(w)-len(s)]
		}
	}
	return w
}

// polishSuffixes are the noun, adjective and verb endings of Polish,
// longest first (after the light stemmers of Weiss's Stempel tables and
// Lucene's Polish analyser): "wyborach", "wyborów", "wybory" → "wybor".
var polishSuffixes = sortLongestFirst([]string{
	"owie", "ami", "ach", "ów", "om", "ie", "iem", "em", "y", "a", "ę", "ą", "u", "i", "e", "o",
	"ego", "emu", "ymi", "imi", "ych", "ich", "ym", "im", "ej", "owa", "owe", "owy", "ową", "owej", "owego", "owych",
	"ość", "ości", "ościach", "ościami", "ościom",
	"ować", "ował", "owała", "owało", "owali", "owały", "uje", "ują", "ujemy", "ujecie",
	"ał", "ała", "ało", "ali", "ały", "ić", "ać", "eć", "ił", "iła", "iło", "ili", "iły",
	"anie", "ania", "aniu", "aniem", "enie", "enia", "eniu", "eniem",
	"cie", "ciu", "ciem",
})

// ukrainianSuffixes are the case, adjective and verb endings of Ukrainian,
// longest first: "виборах", "виборів", "вибори" → "вибор".
var ukrainianSuffixes = sortLongestFirst([]string{
	"ами", "ями", "ах", "ях", "ів", "їв", "ам", "ям", "ом", "ем", "єм", "ою", "ею", "єю",
	"а", "я", "у", "ю", "і", "ї", "и", "о", "е", "є", "ь", "й",
	"ого", "ому", "ими", "их", "ій", "ий", "ім", "им", "ої", "ою", "ая", "яя", "ее", "ие", "ові", "еві", "єві",
	"ння", "нню", "нням", "нні", "ннями", "ннях",
	"ати", "яти", "ити", "іти", "ував", "увала", "ували", "ував", "ує", "ують", "ав", "ала", "али", "ало",
	"ив", "ила", "или", "ило", "ть", "ться", "ся", "есь", "ість", "ості", "істю",
})

func sortLongestFirst(s []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, x := range s {
		if !seen[x] {
			seen[x] = true
			out = append(out, x)
		}
	}
	for i := 1; i < len(out); i++ {
		for j := i; j > 0 && utf8.RuneCountInString(out[j]) > utf8.RuneCountInString(out[j-1]); j-- {
			out[j], out[j-1] = out[j-1], out[j]
		}
	}
	return out
}
