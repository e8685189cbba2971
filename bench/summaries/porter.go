package main

import "strings"

// stem is the Porter stemmer the way Google's rouge-score applies it: NLTK's
// PorterStemmer in its default NLTK_EXTENSIONS mode (Porter 1980 plus NLTK's
// fixes: a pool of irregular forms, "ies"/"ied" on four-letter words, y->i
// only after a consonant, "alli", "fulli" and "logi" in step 2, and the short
// vc form counting as *o). Tokens reach it already lower-cased and made of
// [a-z0-9] only, so byte indexing is rune indexing.
func stem(word string) string {
	if s, ok := irregular[word]; ok {
		return s
	}
	if len(word) <= 2 {
		return word
	}
	w := step1a(word)
	w = step1b(w)
	w = step1c(w)
	w = step2(w)
	w = step3(w)
	w = step4(w)
	w = step5a(w)
	w = step5b(w)
	return w
}

var irregular = map[string]string{
	"sky": "sky", "skies": "sky",
	"dying": "die", "lying": "lie", "tying": "tie",
	"news":    "news",
	"innings": "inning", "inning": "inning",
	"outings": "outing", "outing": "outing",
	"cannings": "canning", "canning": "canning",
	"howe":    "howe",
	"proceed": "proceed", "exceed": "exceed", "succeed": "succeed",
}

func isVowelByte(c byte) bool {
	return c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u'
}

// consonant reports whether w[i] is a consonant: not a vowel, and a y only
// when it starts the word or follows a vowel.
func consonant(w string, i int) bool {
	if isVowelByte(w[i]) {
		return false
	}
	if w[i] == 'y' {
		if i == 0 {
			return true
		}
		return !consonant(w, i-1)
	}
	return true
}

// measure counts the vc sequences in w: m in [C](VC){m}[V].
func measure(w string) int {
	m := 0
	prevVowel := false
	for i := 0; i < len(w); i++ {
		c := consonant(w, i)
		if c && prevVowel {
			m++
		}
		prevVowel = !c
	}
	return m
}

func hasVowel(w string) bool {
	for i := 0; i < len(w); i++ {
		if !consonant(w, i) {
			return true
		}
	}
	return false
}

func endsDouble(w string) bool {
	n := len(w)
	return n >= 2 && w[n-1] == w[n-2] && consonant(w, n-1)
}

// endsCVC is the *o condition, with NLTK's two-letter vc extension.
func endsCVC(w string) bool {
	n := len(w)
	if n >= 3 && consonant(w, n-3) && !consonant(w, n-2) && consonant(w, n-1) &&
		w[n-1] != 'w' && w[n-1] != 'x' && w[n-1] != 'y' {
		return true
	}
	return n == 2 && !consonant(w, 0) && consonant(w, 1)
}

// rule is one suffix rule: when the word ends with suffix, it is replaced by
// repl if cond holds for the remaining stem, and no later rule is tried
// either way.
type rule struct {
	suffix, repl string
	cond         func(stem string) bool
}

func applyRules(w string, rules []rule) string {
	for _, r := range rules {
		if !strings.HasSuffix(w, r.suffix) {
			continue
		}
		s := w[:len(w)-len(r.suffix)]
		if r.cond == nil || r.cond(s) {
			return s + r.repl
		}
		return w
	}
	return w
}

func mPositive(s string) bool { return measure(s) > 0 }
func mAbove1(s string) bool   { return measure(s) > 1 }

func step1a(w string) string {
	if len(w) == 4 && strings.HasSuffix(w, "ies") {
		return w[:1] + "ie"
	}
	return applyRules(w, []rule{{"sses", "ss", nil}, {"ies", "i", nil}, {"ss", "ss", nil}, {"s", "", nil}})
}

func step1b(w string) string {
	if strings.HasSuffix(w, "ied") {
		if len(w) == 4 {
			return w[:1] + "ie"
		}
		return w[:len(w)-3] + "i"
	}
	if strings.HasSuffix(w, "eed") {
		s := w[:len(w)-3]
		if measure(s) > 0 {
			return s + "ee"
		}
		return w
	}
	var s string
	ok := false
	for _, suf := range []string{"ed", "ing"} {
		if strings.HasSuffix(w, suf) {
			s = w[:len(w)-len(suf)]
			if hasVowel(s) {
				ok = true
				break
			}
		}
	}
	if !ok {
		return w
	}
	for _, suf := range []string{"at", "bl", "iz"} {
		if strings.HasSuffix(s, suf) {
			return s + "e"
		}
	}
	if endsDouble(s) {
		last := s[len(s)-1]
		if last != 'l' && last != 's' && last != 'z' {
			return s[:len(s)-1]
		}
		return s
	}
	if measure(s) == 1 && endsCVC(s) {
		return s + "e"
	}
	return s
}

func step1c(w string) string {
	if strings.HasSuffix(w, "y") {
		s := w[:len(w)-1]
		if len(s) > 1 && consonant(s, len(s)-1) {
			return s + "i"
		}
	}
	return w
}

var step2Rules = []rule{
	{"ational", "ate", mPositive},
	{"tional", "tion", mPositive},
	{"enci", "ence", mPositive},
	{"anci", "ance", mPositive},
	{"izer", "ize", mPositive},
	{"bli", "ble", mPositive},
	{"alli", "al", mPositive},
	{"entli", "ent", mPositive},
	{"eli", "e", mPositive},
	{"ousli", "ous", mPositive},
	{"ization", "ize", mPositive},
	{"ation", "ate", mPositive},
	{"ator", "ate", mPositive},
	{"alism", "al", mPositive},
	{"iveness", "ive", mPositive},
	{"fulness", "ful", mPositive},
	{"ousness", "ous", mPositive},
	{"aliti", "al", mPositive},
	{"iviti", "ive", mPositive},
	{"biliti", "ble", mPositive},
	{"fulli", "ful", mPositive},
	// NLTK tests the measure of the stem plus its "l" here.
	{"logi", "log", func(s string) bool { return measure(s+"l") > 0 }},
}

func step2(w string) string {
	if strings.HasSuffix(w, "alli") && measure(w[:len(w)-4]) > 0 {
		return step2(w[:len(w)-4] + "al")
	}
	return applyRules(w, step2Rules)
}

var step3Rules = []rule{
	{"icate", "ic", mPositive},
	{"ative", "", mPositive},
	{"alize", "al", mPositive},
	{"iciti", "ic", mPositive},
	{"ical", "ic", mPositive},
	{"ful", "", mPositive},
	{"ness", "", mPositive},
}

func step3(w string) string { return applyRules(w, step3Rules) }

var step4Rules = []rule{
	{"al", "", mAbove1},
	{"ance", "", mAbove1},
	{"ence", "", mAbove1},
	{"er", "", mAbove1},
	{"ic", "", mAbove1},
	{"able", "", mAbove1},
	{"ible", "", mAbove1},
	{"ant", "", mAbove1},
	{"ement", "", mAbove1},
	{"ment", "", mAbove1},
	{"ent", "", mAbove1},
	{"ion", "", func(s string) bool {
		return measure(s) > 1 && (strings.HasSuffix(s, "s") || strings.HasSuffix(s, "t"))
	}},
	{"ou", "", mAbove1},
	{"ism", "", mAbove1},
	{"ate", "", mAbove1},
	{"iti", "", mAbove1},
	{"ous", "", mAbove1},
	{"ive", "", mAbove1},
	{"ize", "", mAbove1},
}

func step4(w string) string { return applyRules(w, step4Rules) }

func step5a(w string) string {
	if !strings.HasSuffix(w, "e") {
		return w
	}
	s := w[:len(w)-1]
	m := measure(s)
	if m > 1 || (m == 1 && !endsCVC(s)) {
		return s
	}
	return w
}

func step5b(w string) string {
	if strings.HasSuffix(w, "ll") && measure(w[:len(w)-1]) > 1 {
		return w[:len(w)-1]
	}
	return w
}
