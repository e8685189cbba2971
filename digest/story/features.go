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

// wordFunc normalises one word token for grouping: it returns the form
// under which two reports of one story meet ("quakes" and "quake's" →
// "quake") and whether the word carries content (false for stop words,
// which are then left out): englishWords, or languageWords of the doc's
// language.
type wordFunc func(word string) (norm string, content bool)

// englishWords is the wordFunc of English (and of docs without a
// language): lower-cased, possessive dropped, the commonest English
// inflections stripped (see stem), English stop words and reporting verbs
// (and words of one letter) not content.
func englishWords(word string) (string, bool) {
	w := normWord(word)
	return w, utf8.RuneCountInString(w) >= 2 && !stopwords[w]
}

// features turns a document's text into weighted term counts: content words
// (weight 1 each occurrence), names and numbers (counted under their own
// prefixes so the caller can weight them separately), with the English
// defaults.
func features(title, text string) map[string]float64 {
	return featuresWith(englishWords, title, text)
}

// featuresWith is features with the words normalised by words.
func featuresWith(words wordFunc, title, text string) map[string]float64 {
	f := make(map[string]float64)
	// The headline and the lead count twice: news writing puts the event's
	// who, what and where there.
	for pass, s := range []string{title, title, text, lead(text)} {
		if pass == 1 && title == "" {
			continue
		}
		addFeatures(f, tokenize(s), words)
	}
	return f
}

func addFeatures(f map[string]float64, toks []token, words wordFunc) {
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
		if t.hasDigit {
			flush()
			if n := normNumber(t.text); len(n) > 0 {
				f[numberPrefix+n]++
			}
			continue
		}
		w, content := words(t.text)
		if !content || w == "" {
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

// languageWords is the wordFunc of a supported language other than English
// (digest/lang): lower-cased and stemmed by its stemmer, its stop words
// (and words of one letter) not content.
func languageWords(code string) wordFunc {
	return func(word string) (string, bool) {
		l := lang.Lower(code, word)
		w := lang.Stem(code, l)
		return w, utf8.RuneCountInString(w) >= 2 && !lang.IsStop(code, l) && !lang.IsStop(code, w)
	}
}

// docLanguage is the doc's language when it is a supported one other than
// English, else "" (English words apply).
func docLanguage(d Doc) string {
	code := lang.Normalize(d.Language)
	if code == "en" || !lang.IsSupported(code) {
		return ""
	}
	return code
}

// featuresOf is features of a doc: in its language when it has one other
// than English (featuresIn), else in English.
func (g *Grouper) featuresOf(d Doc) map[string]float64 {
	if code := docLanguage(d); code != "" {
		return featuresIn(code, d.Title, d.Text, g.opt.CrossLanguage)
	}
	return features(d.Title, d.Text)
}

// featuresIn is features for a text in language code: its stop words and
// stemmer, and for Chinese and Japanese overlapping character pairs as
// words. The features carry the language's code after their kind
// ("de|wahl", "e:de|merkel"), so docs in different languages share none
// and never join one story; with crossLanguage, names and numbers go
// without the code and two languages meet on them (words stay apart: the
// same spelling means different things in two languages).
func featuresIn(code, title, text string, crossLanguage bool) map[string]float64 {
	if code == "zh" || code == "ja" {
		title, text = cjkPairs(title), cjkPairs(text)
	}
	g := featuresWith(languageWords(code), title, text)
	f := make(map[string]float64, len(g))
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
	return f
}

// cjkPairs writes each run of CJK characters as its overlapping character
// pairs, spaced ("東京都で5日" → " 東京 京都 都で 5 日 "), so that the
// tokenizer sees words; other text stays as it is.
func cjkPairs(s string) string {
	if strings.IndexFunc(s, lang.IsCJK) < 0 {
		return s
	}
	var b strings.Builder
	rs := []rune(s)
	for i := 0; i < len(rs); {
		if !lang.IsCJK(rs[i]) {
			b.WriteRune(rs[i])
			i++
			continue
		}
		j := i
		for j < len(rs) && lang.IsCJK(rs[j]) {
			j++
		}
		b.WriteByte(' ')
		b.WriteString(strings.Join(lang.Bigrams(rs[i:j]), " "))
		b.WriteByte(' ')
		i = j
	}
	return b.String()
}
