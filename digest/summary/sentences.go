package summary

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"newsdigest/digest/lang"
)

// Sentences splits text into sentences, in order, each with its whitespace
// collapsed to single spaces. A blank line (paragraph break) always ends a
// sentence; a single line break ends one unless the next line goes on in
// lower case (wrapped text). Inside a paragraph a sentence ends at . ! ? …
// (and the closing quotes or brackets after them) before a space and a word
// that may start a sentence, and at the full stops of other scripts
// (。！？ and the Devanagari danda), which need no space after them.
// Abbreviations (Mr., Dr., Gen., Jan., No. 5, e.g.), initials (J. K.
// Rowling), acronyms (U.S.) before a word that does not open a sentence,
// and decimals (3.5%) do not end one.
//
// A sentence that runs into the next without a full stop (a photo caption
// glued to the text after it: "… in his Instagram account He joined Spurs
// in 2011 …") is cut where a word that opens sentences stands in the middle
// with a capital (see gluedOpeners).
func Sentences(text string) []string { return SentencesIn(text, "") }

// SentencesIn is Sentences for a text in language code (ISO 639-1, as
// lang.Normalize gives it): that language's abbreviations, ordinals ("im
// 19. Jahrhundert"), month names and sentence openers are known besides
// the English and German ones Sentences knows. An unknown or empty code
// splits as Sentences does.
func SentencesIn(text, code string) []string {
	var out []string
	for _, s := range paraSentencesIn(text, code) {
		out = append(out, s.text)
	}
	return out
}

// gluedOpeners are the words that, written with a capital inside a
// sentence and followed by a word in lower case, start a new sentence
// whose full stop before was lost. The value says after which words:
// anyAfter after any word ("… in Liverpool The amount …"), or lowerAfter
// only after a word in lower case, for openers that also stand in names
// after a capitalised word ("Formula One champion", "Plan A would",
// "Category B prisoners"). One table per language; English for now.
var gluedOpeners = map[string]gluedAfter{
	"The": anyAfter, "He": anyAfter, "She": anyAfter, "They": anyAfter, "It": anyAfter,
	"His": anyAfter, "Her": anyAfter, "Their": anyAfter, "We": anyAfter,
	"A": lowerAfter, "An": lowerAfter, "One": lowerAfter, "Two": lowerAfter, "Three": lowerAfter,
	"Some": lowerAfter, "Many": lowerAfter, "More": lowerAfter, "Police": lowerAfter,
}

type gluedAfter int

const (
	anyAfter gluedAfter = iota + 1
	lowerAfter
)

// unglue cuts s where another sentence starts without a full stop before
// it (gluedOpeners): after a word that ends in a lower-case letter, a digit
// or a closing bracket or quote, before an opener with a capital, followed
// by a word in lower case. Each piece keeps at least three words.
func unglue(s string) []string {
	ws := strings.Split(s, " ")
	var out []string
	start := 0
	for i := 1; i+1 < len(ws); i++ {
		after, ok := gluedOpeners[ws[i]]
		if !ok || i-start < 3 || len(ws)-i < 3 {
			continue
		}
		prev, next := []rune(ws[i-1]), []rune(ws[i+1])
		if len(prev) == 0 || len(next) == 0 || !unicode.IsLower(next[0]) {
			continue
		}
		last := prev[len(prev)-1]
		if !(unicode.IsLower(last) || unicode.IsDigit(last) || last == ')' || last == '\'' || last == '’') {
			continue
		}
		if after == lowerAfter && !unicode.IsLower(prev[0]) {
			continue
		}
		out = append(out, strings.Join(ws[start:i], " "))
		start = i
	}
	return append(out, strings.Join(ws[start:], " "))
}

// paragraphs cuts text at blank lines, and at single line breaks unless the
// next line starts in lower case, and collapses whitespace in each piece.
// Bytes that are not UTF-8 are dropped.
func paragraphs(text string) []string {
	text = strings.ToValidUTF8(text, "")
	text = strings.ReplaceAll(text, "\r\n", "\n")
	text = strings.ReplaceAll(text, "\r", "\n")
	var out []string
	var cur []string
	flush := func() {
		if len(cur) > 0 {
			if p := normalizeSpace(strings.Join(cur, " ")); p != "" {
				out = append(out, p)
			}
			cur = cur[:0]
		}
	}
	for _, line := range strings.Split(text, "\n") {
		t := strings.TrimSpace(line)
		if t == "" {
			flush()
			continue
		}
		if len(cur) > 0 {
			r, _ := utf8.DecodeRuneInString(t)
			if !unicode.IsLower(r) {
				flush()
			}
		}
		cur = append(cur, t)
	}
	flush()
	return out
}

// normalizeSpace collapses every run of Unicode space (including no-break
// spaces) to one ASCII space and trims the ends.
func normalizeSpace(s string) string {
	return strings.Join(strings.FieldsFunc(s, func(r rune) bool {
		return unicode.IsSpace(r) || r == '\u200b' || r == '\ufeff'
	}), " ")
}

// isHardStop reports full stops of scripts that do not put a space after
// them: CJK ideographic and full-width marks, the Devanagari danda and
// double danda, and the Arabic full stop.
func isHardStop(r rune) bool {
	switch r {
	case '。', '！', '？', '।', '॥', '｡', '۔', '．', '׃':
		return true
	}
	return false
}

func isTerminal(r rune) bool {
	return r == '.' || r == '!' || r == '?' || r == '؟' || r == '…' || r == '‼' || r == '⁇' || r == '⁈' || r == '⁉'
}

// isCloser reports characters that stay with the sentence they follow:
// closing quotes and brackets.
func isCloser(r rune) bool {
	switch r {
	case '"', '\'', '”', '’', '»', '›', ')', ']', '}', '」', '』', '）', '】', '〕', '〉', '》':
		return true
	}
	return false
}

// isOpener reports opening quotes and brackets that may stand before the
// first word of a sentence.
func isOpener(r rune) bool {
	switch r {
	case '"', '\'', '“', '‘', '«', '‹', '(', '[', '「', '『', '（', '【', '¿', '¡':
		return true
	}
	return false
}

func (sr *splitRules) splitParagraph(p string) []string {
	var out []string
	rs := []rune(p)
	start := 0
	emit := func(end int) {
		s := strings.TrimSpace(string(rs[start:end]))
		if s != "" {
			out = append(out, s)
		}
		start = end
	}
	for i := 0; i < len(rs); i++ {
		r := rs[i]
		if isHardStop(r) {
			j := i + 1
			for j < len(rs) && (isHardStop(rs[j]) || isCloser(rs[j])) {
				j++
			}
			emit(j)
			i = j - 1
			continue
		}
		if !isTerminal(r) {
			continue
		}
		// The run of terminators and closers that ends here.
		j := i + 1
		for j < len(rs) && (isTerminal(rs[j]) || isCloser(rs[j])) {
			j++
		}
		// A closing guillemet after a space ("… cruellement. » S'il"),
		// as French sets it, stays with the sentence.
		if j+1 < len(rs) && rs[j] == ' ' && (rs[j+1] == '»' || rs[j+1] == '›') && (j+2 == len(rs) || rs[j+2] == ' ') {
			j += 2
		}
		// A footnote mark after the full stop of a word ("ihr Ende.2 Der
		// Mensch") ends the sentence with it.
		if k := footnoteEnd(rs, i, j); k > j {
			emit(k)
			i = k - 1
			continue
		}
		if j < len(rs) && rs[j] != ' ' {
			// "3.5", "U.S", "example.com", "Yahoo!'s": no break without a space.
			i = j - 1
			continue
		}
		if j < len(rs) && sr.breaksBefore(rs, i, j) {
			emit(j)
		}
		i = j - 1
	}
	emit(len(rs))
	return out
}

// breaksBefore decides whether the terminator run rs[i:j] (followed by a
// space at rs[j]) ends the sentence.
func (sr *splitRules) breaksBefore(rs []rune, i, j int) bool {
	next, nextWord := nextWordAfter(rs, j+1)
	if next == 0 {
		return true
	}
	// A sentence never goes on in lower case: `"Why?" he asked.`,
	// "approx. five", "e.g. apples".
	if unicode.IsLower(next) {
		return false
	}
	run := string(rs[i:j])
	if strings.ContainsAny(run, "!?؟‼⁇⁈⁉") {
		return true
	}
	if rs[i] == '…' || strings.Contains(run, "..") {
		// An ellipsis ends a sentence only before a capital or a digit;
		// lower case was handled above.
		return true
	}
	// A full stop: look at the word before it.
	if strings.ContainsAny(string(rs[i+1:j]), "\"'”’»)]") {
		// `"Stop." She left.`: the quote closed after the stop.
		return true
	}
	word := wordBefore(rs, i)
	if word == "" {
		return true
	}
	lw := strings.ToLower(word)
	switch {
	case len([]rune(word)) == 1 && unicode.IsUpper([]rune(word)[0]):
		// An initial: "J. K. Rowling", "George W. Bush"; but "Plan B. The".
		// Before another initial ("В. В. Путин") it never ends one.
		return sr.opener[nextWord] && !initialAt(rs, j+1)
	case len([]rune(word)) == 1 && unicode.IsLower([]rune(word)[0]) && (i < 2 || rs[i-2] == ' ' || rs[i-2] == '.'):
		// A piece of a spaced abbreviation: "z. B.", "d. h."; but not
		// the end of a unit ("150 km/h. Sono").
		return false
	case sr.neverBreak[lw]:
		return false
	case sr.numberAbbrev[lw] && unicode.IsDigit(next):
		// "No. 10", "Jan. 5", "Vol. 3".
		return false
	case isNumber(word):
		// "am 19. Februar", "le 1. mai" are ordinal dates; otherwise
		// ("$3.00. Myer said", "rose to 2.5. The") a number ends here.
		// Languages that write ordinals with a full stop ("im 19.
		// Jahrhundert") go on unless a sentence opener follows.
		if len(word) <= 2 && sr.months[strings.ToLower(nextWord)] {
			return false
		}
		if sr.ordinalDot && len(word) <= 3 && !strings.Contains(word, ".") {
			return sr.opener[nextWord]
		}
		return true
	case strings.Contains(word, ".") || sr.openingAbbrev[lw]:
		// "U.S.", "a.m.", "Inc.", "etc.": ends a sentence only when a
		// word that commonly opens one follows.
		return sr.opener[nextWord]
	}
	return true
}

// footnoteEnd returns the end of a footnote mark that follows the full
// stop rs[i] (one or two digits right after a word's full stop, then a
// space and a capital: "Ende.2 Der"), or j when there is none.
func footnoteEnd(rs []rune, i, j int) int {
	if j != i+1 || rs[i] != '.' || i == 0 || !unicode.IsLetter(rs[i-1]) {
		return j
	}
	k := j
	for k < len(rs) && k-j < 3 && unicode.IsDigit(rs[k]) {
		k++
	}
	if k == j || k-j > 2 || k+1 >= len(rs) || rs[k] != ' ' || !unicode.IsUpper(rs[k+1]) {
		return j
	}
	return k
}

// initialAt reports whether the next word after k is a lone capital with a
// full stop ("В." in "В. В. Путин").
func initialAt(rs []rune, k int) bool {
	for k < len(rs) && (rs[k] == ' ' || isOpener(rs[k])) {
		k++
	}
	return k+1 < len(rs) && unicode.IsUpper(rs[k]) && rs[k+1] == '.'
}

// nextWordAfter returns the first letter or digit at or after k (skipping
// opening quotes and brackets) and the word it starts.
func nextWordAfter(rs []rune, k int) (rune, string) {
	for k < len(rs) && (rs[k] == ' ' || isOpener(rs[k])) {
		k++
	}
	if k >= len(rs) {
		return 0, ""
	}
	e := k
	for e < len(rs) && (unicode.IsLetter(rs[e]) || unicode.IsDigit(rs[e])) {
		e++
	}
	return rs[k], string(rs[k:e])
}

// wordBefore returns the token (letters, digits and inner dots) that ends
// just before position i.
func wordBefore(rs []rune, i int) string {
	k := i
	for k > 0 && (unicode.IsLetter(rs[k-1]) || unicode.IsDigit(rs[k-1]) || rs[k-1] == '.') {
		k--
	}
	return strings.Trim(string(rs[k:i]), ".")
}

// neverBreak lists abbreviations that stand before a name or a phrase and so
// never end a sentence.
var neverBreak = set(
	"mr", "mrs", "ms", "mx", "dr", "prof", "rev", "fr", "sr", "st", "mt", "ft",
	"gen", "col", "lt", "sgt", "capt", "cpt", "cmdr", "adm", "maj", "brig",
	"cpl", "pvt", "gov", "sen", "rep", "hon", "pres", "supt", "insp", "det",
	"messrs", "mme", "mlle", "dept", "univ", "vs", "v", "cf", "viz", "approx",
	"e.g", "i.e", "fig", "figs", "ca", "ald", "amb", "atty", "cllr", "gov't",
	// German, French, Spanish.
	"bzw", "usw", "evtl", "ggf", "inkl", "nr", "str", "jh", "z.b", "d.h", "u.a", "v.a",
	"vgl", "sog", "zzgl", "abs", "hr", "hrn", "mme", "mlles", "sra", "srta", "p.ex",
)

// monthNames are the months, in a few languages, that follow an ordinal
// day with a full stop ("19. Februar").
var monthNames = set(
	"januar", "jänner", "februar", "märz", "april", "mai", "juni", "juli", "august",
	"september", "oktober", "november", "dezember", "january", "february", "march",
	"may", "june", "july", "october", "december", "janvier", "février", "mars",
	"avril", "juin", "juillet", "août", "septembre", "octobre", "novembre", "décembre",
	"jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "okt", "nov", "dec", "dez",
)

// numberAbbrev lists abbreviations that do not end a sentence before a
// number: months, "No.", "Vol.", "p.".
var numberAbbrev = set(
	"jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec",
	"no", "nos", "vol", "vols", "p", "pp", "art", "sec", "ch", "para", "op", "ed",
)

// openingAbbrev lists abbreviations that often end a sentence too.
var openingAbbrev = set(
	"inc", "ltd", "co", "corp", "bros", "plc", "llc", "jr", "etc", "ave", "rd", "blvd",
	"jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec",
	"vol", "ed", "mio", "mrd", "bn", "mn",
)

// sentenceOpener lists words that commonly open an English sentence; after
// an ambiguous abbreviation ("in the U.S. The talks …") they mark a break.
var sentenceOpener = set(
	"The", "A", "An", "This", "That", "These", "Those", "It", "Its", "He", "She", "They",
	"We", "I", "You", "His", "Her", "Their", "Our", "My", "But", "And", "Or", "So", "Yet",
	"In", "On", "At", "For", "With", "After", "Before", "When", "While", "If", "As",
	"There", "Here", "Some", "Many", "Most", "Officials", "Police", "However", "Meanwhile",
	"Still", "Now", "Then", "Last", "Earlier", "Later", "According", "Despite", "Although",
	"Since", "During", "Under", "Both", "Neither", "Each", "Other", "Such", "What", "Why",
	"How", "Who", "Where", "One", "Two", "Three", "No", "Not", "Also", "Instead", "Even",
	// German.
	"Der", "Die", "Das", "Ein", "Eine", "Er", "Es", "Wir", "Ich", "Im", "Am", "Auch",
	"Doch", "Aber", "Nach", "Bei", "Mit", "Laut", "Zudem",
)

// splitRules are the word lists one language's splitting uses.
type splitRules struct {
	neverBreak, numberAbbrev, openingAbbrev, opener, months map[string]bool
	ordinalDot                                              bool
}

// defaultRules are the English (and German) lists above: what Sentences
// uses, unchanged by the languages added since.
var defaultRules = &splitRules{neverBreak, numberAbbrev, openingAbbrev, sentenceOpener, monthNames, false}

// langRules holds, for each supported language, its lists merged with the
// default ones (English names and abbreviations turn up in every language).
var langRules = func() map[string]*splitRules {
	m := map[string]*splitRules{}
	for _, code := range lang.Supported {
		if code == "en" {
			m[code] = defaultRules
			continue
		}
		lr := lang.Rules(code)
		m[code] = &splitRules{
			neverBreak:    union(neverBreak, lr.NeverBreak),
			numberAbbrev:  union(numberAbbrev, lr.NumberAbbrev),
			openingAbbrev: union(openingAbbrev, lr.OpeningAbbrev),
			opener:        union(sentenceOpener, lr.Openers),
			months:        union(monthNames, lr.Months),
			ordinalDot:    lr.OrdinalDot,
		}
	}
	return m
}()

func rulesFor(code string) *splitRules {
	if r, ok := langRules[code]; ok {
		return r
	}
	return defaultRules
}

func union(a, b map[string]bool) map[string]bool {
	m := make(map[string]bool, len(a)+len(b))
	for k := range a {
		m[k] = true
	}
	for k := range b {
		m[k] = true
	}
	return m
}

func set(words ...string) map[string]bool {
	m := make(map[string]bool, len(words))
	for _, w := range words {
		m[w] = true
	}
	return m
}

// isNumber reports tokens made of digits and dots only.
func isNumber(w string) bool {
	return strings.IndexFunc(w, func(r rune) bool { return r != '.' && !unicode.IsDigit(r) }) < 0
}
