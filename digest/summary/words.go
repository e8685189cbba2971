package summary

import (
	"math"
	"strings"
	"unicode"

	"newsdigest/digest/lang"
)

// words splits s into its words (runs of letters and digits, with inner
// apostrophes, hyphens and dots kept inside), as written.
func words(s string) []string {
	var out []string
	rs := []rune(s)
	for i := 0; i < len(rs); {
		if !isWordRune(rs[i]) {
			i++
			continue
		}
		j := i
		for j < len(rs) && (isWordRune(rs[j]) ||
			(strings.ContainsRune("'’-.", rs[j]) && j+1 < len(rs) && isWordRune(rs[j+1]) && j > i)) {
			j++
		}
		out = append(out, string(rs[i:j]))
		i = j
	}
	return out
}

func isWordRune(r rune) bool {
	return unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r)
}

// term folds a word for comparison: lower case, no possessive, a light
// English plural and verb-ending strip. Stop words give "".
func term(w string) string {
	w = strings.ToLower(w)
	w = strings.TrimSuffix(strings.TrimSuffix(w, "'s"), "’s")
	if stopWords[w] {
		return ""
	}
	n := len(w)
	switch {
	case n > 5 && strings.HasSuffix(w, "ies"):
		w = w[:n-3] + "y"
	case n > 4 && strings.HasSuffix(w, "ing"):
		w = w[:n-3]
	case n > 4 && strings.HasSuffix(w, "ed"):
		w = w[:n-2]
	case n > 3 && strings.HasSuffix(w, "s") && !strings.HasSuffix(w, "ss"):
		w = w[:n-1]
	}
	// "restore" and "restoring", "cause" and "caused" meet.
	if len(w) > 4 && strings.HasSuffix(w, "e") {
		w = w[:len(w)-1]
	}
	return w
}

// wordsIn is words for a text in language code: in Chinese and Japanese,
// whose words are not spaced, each run of their characters gives its
// character pairs (lang.Bigrams), so that word counts and overlaps mean
// what they mean in other languages.
func wordsIn(s, code string) []string {
	ws := words(s)
	if code != "zh" && code != "ja" {
		return ws
	}
	var out []string
	for _, w := range ws {
		out = append(out, lang.Terms(code, w)...)
	}
	return out
}

// bagIn is bagOf with the stop words and stemmer of language code; English
// (and "") keep the light English folding of term.
func bagIn(ws []string, code string) bag {
	b := make(bag, len(ws))
	for _, w := range ws {
		if t := termIn(w, code); t != "" {
			b[t] = true
		}
	}
	return b
}

// termIn is term for a word of language code: lower case and stem, "" for
// a stop word. English (and "") keep the light English folding of term.
func termIn(w, code string) string {
	if code == "" || code == "en" || !lang.IsSupported(code) {
		return term(w)
	}
	l := lang.Lower(code, w)
	if lang.IsStop(code, l) {
		return ""
	}
	return lang.Stem(code, l)
}

// bag is a sentence's set of content terms.
type bag map[string]bool

func bagOf(ws []string) bag {
	b := make(bag, len(ws))
	for _, w := range ws {
		if t := term(w); t != "" {
			b[t] = true
		}
	}
	return b
}

// overlap is the cosine similarity of two term sets.
func overlap(a, b bag) float64 {
	if len(a) == 0 || len(b) == 0 {
		return 0
	}
	if len(a) > len(b) {
		a, b = b, a
	}
	n := 0
	for t := range a {
		if b[t] {
			n++
		}
	}
	return float64(n) / math.Sqrt(float64(len(a))*float64(len(b)))
}

// containment is the share of a's terms that b holds.
func containment(a, b bag) float64 {
	if len(a) == 0 {
		return 0
	}
	n := 0
	for t := range a {
		if b[t] {
			n++
		}
	}
	return float64(n) / float64(len(a))
}

var stopWords = set(
	"a", "about", "above", "after", "again", "against", "all", "also", "am", "an", "and", "any",
	"are", "as", "at", "be", "because", "been", "before", "being", "below", "between", "both",
	"but", "by", "can", "could", "did", "do", "does", "doing", "down", "during", "each", "even",
	"few", "for", "from", "further", "had", "has", "have", "having", "he", "her", "here", "hers",
	"herself", "him", "himself", "his", "how", "i", "if", "in", "into", "is", "it", "its",
	"itself", "just", "me", "more", "most", "my", "myself", "no", "nor", "not", "now", "of",
	"off", "on", "once", "only", "or", "other", "our", "ours", "ourselves", "out", "over", "own",
	"same", "she", "should", "so", "some", "such", "than", "that", "the", "their", "theirs",
	"them", "themselves", "then", "there", "these", "they", "this", "those", "through", "to",
	"too", "under", "until", "up", "very", "was", "we", "were", "what", "when", "where", "which",
	"while", "who", "whom", "why", "will", "with", "would", "you", "your", "yours", "yourself",
	"said", "says", "say", "told", "one", "two", "new", "also", "may", "might", "must", "shall",
	"us", "mr", "mrs", "ms", "dr", "yet", "still", "however", "according", "per", "via", "s",
	"t", "don", "didn", "doesn", "isn", "wasn", "won", "can't", "it's", "i'm", "he's", "she's",
)
