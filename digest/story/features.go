package story

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"newsdigest/digest/lang"
)

// Feature prefixes keep the three kinds of feature apart in one vector.
const (
	wordPrefix   = ""   // content words, lower-cased and lightly stemmed
	entityPrefix = "e:" // capitalised names, one feature per name
	numberPrefix = "n:" // numbers: magnitudes, tolls, scores, years
)

// token is one run of letters and digits as it appears in the text.
type token struct {
	text       string
	sentStart  bool // first token of a sentence or line
	capital    bool // starts with an upper-case letter
	hasDigit   bool
	followedBy rune // the character right after the token, 0 at the end
}

// tokenize splits text into runs of letters and digits. A '.' or ','
// between two digits stays inside the token ("6.1", "1,200"); an
// apostrophe between two letters too ("O'Brien"). Sentence starts are
// recorded so that the capital of a sentence's first word is not taken
// for a name.
func tokenize(text string) []token {
	var out []token
	sentStart := true
	i := 0
	for i < len(text) {
		r, w := utf8.DecodeRuneInString(text[i:])
		if !isWordRune(r) {
			switch r {
			case '.', '!', '?', '\n', ':', ';', '"', '`':
				if r != '"' && r != '`' || len(out) == 0 {
					sentStart = true
				}
			}
			i += w
			continue
		}
		start := i
		hasDigit := false
		for i < len(text) {
			r, w = utf8.DecodeRuneInString(text[i:])
			if isWordRune(r) {
				if unicode.IsDigit(r) {
					hasDigit = true
				}
				i += w
				continue
			}
			if (r == '.' || r == ',') && hasDigit && i+w < len(text) {
				next, _ := utf8.DecodeRuneInString(text[i+w:])
				prev, _ := utf8.DecodeLastRuneInString(text[start:i])
				if unicode.IsDigit(next) && unicode.IsDigit(prev) {
					i += w
					continue
				}
			}
			if r == '\'' || r == '’' {
				if i+w < len(text) {
					next, _ := utf8.DecodeRuneInString(text[i+w:])
					if unicode.IsLetter(next) {
						i += w
						continue
					}
				}
			}
			break
		}
		first, _ := utf8.DecodeRuneInString(text[start:i])
		var follow rune
		if i < len(text) {
			follow, _ = utf8.DecodeRuneInString(text[i:])
		}
		out = append(out, token{
			text:       text[start:i],
			sentStart:  sentStart,
			capital:    unicode.IsUpper(first),
			hasDigit:   hasDigit,
			followedBy: follow,
		})
		sentStart = false
	}
	return out
}

func isWordRune(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }

// normWord lower-cases a word, drops a possessive and strips the commonest
// English inflections, so that "quakes", "quake" and "quake's" meet.
func normWord(s string) string {
	s = strings.ToLower(s)
	s = strings.TrimSuffix(strings.TrimSuffix(s, "'s"), "’s")
	s = strings.Map(func(r rune) rune {
		if r == '’' {
			return '\''
		}
		return r
	}, s)
	return stem(s)
}

// stem is a deliberately light suffix stripper (plural, -ing, -ed): strong
// stemmers merge names ("Hunting" the place with "hunt"), which hurts
// telling look-alike events apart more than it helps recall.
func stem(s string) string {
	n := len(s)
	switch {
	case n > 4 && strings.HasSuffix(s, "ies"):
		return s[:n-3] + "y"
	case n > 4 && strings.HasSuffix(s, "sses"):
		return s[:n-2]
	case n > 3 && strings.HasSuffix(s, "s") && !strings.HasSuffix(s, "ss") && !strings.HasSuffix(s, "us") && !strings.HasSuffix(s, "is"):
		return s[:n-1]
	case n > 5 && strings.HasSuffix(s, "ing"):
		return s[:n-3]
	case n > 4 && strings.HasSuffix(s, "ed") && !strings.HasSuffix(s, "eed"):
		return s[:n-2]
	}
	return s
}

// normNumber canonicalises a number token: thousands separators dropped,
// so "1,200" and "1200" are one feature.
func normNumber(s string) string { return strings.ReplaceAll(s, ",", "") }

// features turns a document's text into weighted term counts: content words
// (weight 1 each occurrence), names and numbers (counted under their own
// prefixes so the caller can weight them separately).
func features(title, text string) map[string]float64 {
	return featuresIn("", title, text, false)
}

// featuresOf is features in the doc's language.
func featuresOf(d Doc, crossLanguage bool) map[string]float64 {
	return featuresIn(lang.Normalize(d.Language), d.Title, d.Text, crossLanguage)
}

// featuresIn is features for a text in language code: its stop words and
// stemmer, and for Chinese and Japanese character pairs as words. The
// features of a language other than English carry its code
// ("de|wahl", "e:de|merkel"), so docs in different languages share none and never join
// one story; with crossLanguage, names and numbers go without the code
// and two languages meet on them (words stay apart: the same spelling
// means different things in two languages).
func featuresIn(code, title, text string, crossLanguage bool) map[string]float64 {
	f := make(map[string]float64)
	if code != "" && code != "en" {
		g := make(map[string]float64)
		defer func() {
			// The code goes after the kind ("e:de|merkel"), which the
			// grouper reads to weigh names and numbers.
			for k, v := range g {
				kind := ""
				if strings.HasPrefix(k, entityPrefix) || strings.HasPrefix(k, numberPrefix) {
					if crossLanguage {
						f[k] += v
						continue
					}
					kind, k = k[:2], k[2:]
				}
				f[kind+code+"|"+k] += v
			}
		}()
		for pass, s := range []string{title, title, text, lead(text)} {
			if pass == 1 && title == "" {
				continue
			}
			addFeaturesIn(code, g, tokenize(s))
		}
		return f
	}
	// The headline and the lead count twice: news writing puts the event's
	// who, what and where there.
	for pass, s := range []string{title, title, text, lead(text)} {
		if pass == 1 && title == "" {
			continue
		}
		addFeatures(f, tokenize(s))
	}
	return f
}

func addFeatures(f map[string]float64, toks []token) { addFeaturesIn("", f, toks) }

// addFeaturesIn is addFeatures with the words of language code.
func addFeaturesIn(code string, f map[string]float64, toks []token) {
	english := code == "" || code == "en"
	norm, stop := normWord, func(w string) bool { return stopwords[w] }
	if !english {
		norm = func(w string) string { return lang.Fold(code, w) }
		stop = func(w string) bool { return lang.IsStop(code, w) || lang.IsStop(code, lang.Lower(code, w)) }
	}
	var run []string // the current run of capitalised words
	runAtStart := false
	flush := func() {
		// A lone capitalised word at a sentence start is most often just
		// the first word of the sentence, not a name.
		if len(run) > 1 || len(run) == 1 && !runAtStart {
			f[entityPrefix+strings.Join(run, " ")]++
		}
		// "Actress Tara Reid" at a sentence start: the name may begin at
		// the second word, so that is counted too.
		if runAtStart && len(run) > 1 && run[1] != "of" {
			f[entityPrefix+strings.Join(run[1:], " ")]++
		}
		run = run[:0]
	}
	for i, t := range toks {
		if !english && hasCJK(t.text) {
			flush()
			addCJK(f, t.text)
			continue
		}
		w := norm(t.text)
		if t.hasDigit {
			flush()
			if n := normNumber(t.text); len(n) > 0 {
				f[numberPrefix+n]++
			}
			continue
		}
		if utf8.RuneCountInString(w) < 2 || stop(w) || !english && stop(lang.Lower(code, t.text)) {
			// A stop word ends a name, except the "of" in "Bank of England"
			// when a capital follows.
			if w == "of" && len(run) > 0 && i+1 < len(toks) && toks[i+1].capital && !toks[i+1].sentStart {
				run = append(run, w)
			} else {
				flush()
			}
			continue
		}
		f[wordPrefix+w]++
		if t.capital {
			if t.sentStart {
				flush()
			}
			if len(run) == 0 {
				runAtStart = t.sentStart
			}
			run = append(run, w)
		} else {
			flush()
		}
		if t.followedBy != ' ' && t.followedBy != 0 && t.followedBy != '-' {
			// Punctuation ends a name ("Reid, Lohan" are two).
			flush()
		}
	}
	flush()
}

func hasCJK(s string) bool { return strings.IndexFunc(s, lang.IsCJK) >= 0 }

// addCJK adds a token of Chinese or Japanese text: its runs of CJK
// characters as character pairs, digits in it as numbers ("5日" gives 5),
// other letters as a word.
func addCJK(f map[string]float64, s string) {
	rs := []rune(s)
	for i := 0; i < len(rs); {
		j := i + 1
		cjk := lang.IsCJK(rs[i])
		for j < len(rs) && lang.IsCJK(rs[j]) == cjk && (cjk || unicode.IsDigit(rs[j]) == unicode.IsDigit(rs[i])) {
			j++
		}
		switch run := rs[i:j]; {
		case cjk:
			for _, b := range lang.Bigrams(run) {
				f[wordPrefix+b]++
			}
		case unicode.IsDigit(run[0]):
			f[numberPrefix+string(run)]++
		case len(run) > 1:
			f[wordPrefix+strings.ToLower(string(run))]++
		}
		i = j
	}
}

// Lead extent: the first leadLines lines (sentences or paragraphs) of the
// text, at most leadWords words.
const (
	leadLines = 2
	leadWords = 60
)

// lead returns the opening of a text: its first leadLines lines, cut at
// leadWords words for a text without line breaks.
func lead(text string) string {
	end, lines, words, inWord := len(text), 0, 0, false
	for i, r := range text {
		if r == '\n' {
			if lines++; lines == leadLines {
				end = i
				break
			}
		}
		space := unicode.IsSpace(r)
		if !space && !inWord {
			if words++; words > leadWords {
				end = i
				break
			}
		}
		inWord = !space
	}
	return text[:end]
}
