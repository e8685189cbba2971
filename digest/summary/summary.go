package summary

import (
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"newsdigest/digest"
	"newsdigest/digest/lang"
)

// Options tune the summarizer. Start from DefaultOptions().
//
// The choice is Lead-3 with skips: news puts what matters first, so the
// lines are the first usable sentences, except that a sentence is passed
// over while a better one is near: one that is weak (a question, a photo
// caption) within the first Window usable sentences, and one that repeats
// the facts of a line already chosen anywhere. Three numbers, chosen on the
// tuning part of bench/summaries and checked on its held-out part; earlier
// versions with a dozen tuned weights won on the articles they were tuned
// on and lost to plain Lead-3 on new ones.
type Options struct {
	// Lines is how many lines to pick at most; MaxLen bounds each in runes.
	Lines, MaxLen int
	// Window is how many usable sentences from the top a weak one may be
	// passed over for; beyond it, a weak sentence of the lead is kept.
	Window int
	// Redundancy is the highest share of a sentence's facts that the lines
	// already chosen may hold (see repeated); above it the sentence says
	// again what a line says, and is not chosen while another is left.
	Redundancy float64
	// Language is the body's language code (lang.Normalize); "" or "en"
	// is English. It selects the sentence rules, stop words and stemmer;
	// Chinese and Japanese words are counted as character pairs.
	Language string
	// NameWeight is how much more a name or a number counts among a
	// sentence's facts than another content word.
	NameWeight float64
}

// defaults is the configuration Summarize uses; DefaultOptions hands out
// copies.
var defaults = Options{
	Lines:      digest.MaxSummaryLines,
	MaxLen:     digest.MaxLineLength,
	Window:     4,
	Redundancy: 0.5,
	NameWeight: 3,
}

// DefaultOptions returns a copy of the configuration Summarize uses, to
// change a setting on.
func DefaultOptions() Options { return defaults }

// Summarize picks up to three lines from an article body: whole sentences
// (or sentences cut at a clause boundary, ending with "…"), each at most
// digest.MaxLineLength runes, in article order, none a repeat of another's
// facts, a caption, a credit, a disclaimer, an agency note or a call to
// action. A body with fewer usable sentences gives fewer lines.
func Summarize(body string) []string { return defaults.Summarize(body) }

// SummarizeIn is Summarize for a body in language code.
func SummarizeIn(body, code string) []string {
	o := defaults
	o.Language = code
	return o.Summarize(body)
}

// SummarizeN is Summarize with n lines of at most maxLen runes.
func SummarizeN(body string, n, maxLen int) []string {
	o := defaults
	o.Lines, o.MaxLen = n, maxLen
	return o.Summarize(body)
}

// maxCandidates bounds how far into a body the summarizer looks: lines
// come from the top, and the work per candidate grows with their number.
const maxCandidates = 60

// candidate is one usable sentence with what the chooser knows of it.
type candidate struct {
	rank  int // among usable sentences, from 0
	text  string
	terms bag // of the whole sentence
	facts bag // of the line as shown (a cut line says less than its sentence)
	names bag // facts of words written with a capital inside the sentence, and numbers
	weak  bool
}

// Summarize picks lines from body with these options.
func (o Options) Summarize(body string) []string {
	if o.Lines <= 0 || o.MaxLen <= 0 {
		return nil
	}
	cands := o.candidates(body)
	var chosen []*candidate
	taken := make([]bool, len(cands))
	// take walks the first limit candidates in order and chooses those
	// that pass.
	take := func(limit int, pass func(c *candidate) bool) {
		for i := 0; i < limit && i < len(cands) && len(chosen) < o.Lines; i++ {
			if c := &cands[i]; !taken[i] && pass(c) {
				taken[i] = true
				chosen = append(chosen, c)
			}
		}
	}
	fresh := func(c *candidate) bool { return o.repeated(c, chosen) <= o.Redundancy }
	// Strong, new sentences of the lead; then weak but new ones of the
	// lead; then new ones further down. A body with fewer sentences that
	// say something new gives fewer lines: no line repeats another's facts.
	take(o.Window, func(c *candidate) bool { return !c.weak && fresh(c) })
	take(o.Window, fresh)
	take(len(cands), func(c *candidate) bool { return !c.weak && fresh(c) })
	take(len(cands), fresh)
	sort.Slice(chosen, func(a, b int) bool { return chosen[a].rank < chosen[b].rank })
	out := make([]string, len(chosen))
	for i, c := range chosen {
		out[i] = c.text
	}
	return out
}

// repeated is the share of c's facts that the chosen lines already hold:
// its content terms, names and numbers counting NameWeight times. "The
// meeting occurred in Saudi Arabia, aiming to end the conflict" after
// "Officials engage in talks in Saudi Arabia, the first high-level meeting
// since …" repeats the place and the meeting, and adds little.
func (o Options) repeated(c *candidate, chosen []*candidate) float64 {
	if len(chosen) == 0 || len(c.facts) == 0 {
		return 0
	}
	known, total := 0.0, 0.0
	for t := range c.facts {
		w := 1.0
		if c.names[t] {
			w = o.NameWeight
		}
		total += w
		for _, p := range chosen {
			if p.facts[t] {
				known += w
				break
			}
		}
	}
	return known / total
}

// namesOf returns the terms (in language code) of the words written with
// a capital inside the sentence (names) or with digits (numbers, dates).
func namesOf(ws []string, code string) bag {
	b := bag{}
	for i, w := range ws {
		r, _ := utf8.DecodeRuneInString(w)
		if (i > 0 && unicode.IsUpper(r)) || unicode.IsDigit(r) {
			if t := termIn(w, code); t != "" {
				b[t] = true
			}
		}
	}
	return b
}

// isQuestion reports a sentence that asks: it ends with a question mark,
// inside closing quotes or brackets or not. News is told in statements.
func isQuestion(s string) bool {
	t := strings.TrimRightFunc(s, isCloser)
	return strings.HasSuffix(t, "?") || strings.HasSuffix(t, "？")
}

// candidates splits body into sentences and keeps the usable ones: no junk,
// no near-repeat of an earlier sentence (a standfirst repeated as the first
// paragraph), each fitted to MaxLen.
func (o Options) candidates(body string) []candidate {
	var cands []candidate
	for k, ps := range paraSentencesIn(body, o.Language) {
		s := ps.text
		if len(cands) == maxCandidates {
			break
		}
		if k == 0 || len(cands) == 0 {
			s = stripLeadTag(s)
		}
		ws := wordsIn(s, o.Language)
		if isJunk(s, len(ws)) {
			continue
		}
		if (o.Language == "zh" || o.Language == "ja") && !endsSentence(s) {
			// Chinese and Japanese end every sentence with 。！？: a line
			// without one is a heading or a label ("営業時間：10:00～18:30").
			continue
		}
		terms := bagIn(ws, o.Language)
		dup := false
		for _, c := range cands {
			if containment(terms, c.terms) >= 0.8 || containment(c.terms, terms) >= 0.8 && overlap(terms, c.terms) >= 0.6 {
				dup = true
				break
			}
		}
		if dup {
			continue
		}
		text, _ := trim(s, o.MaxLen)
		if text == "" || !utf8.ValidString(text) {
			continue
		}
		shown := wordsIn(text, o.Language)
		cands = append(cands, candidate{
			rank:  len(cands),
			text:  text,
			terms: terms,
			facts: bagIn(shown, o.Language),
			names: namesOf(shown, o.Language),
			// A paragraph of its own without a full stop is a heading
			// or a label ("Meal Prep Menu for Eating Plan A").
			weak: isQuestion(s) || isCaptionLike(s) || (ps.alone && !endsSentence(s)),
		})
	}
	return cands
}

// paraSentence is a sentence and whether it is a paragraph of its own.
type paraSentence struct {
	text  string
	alone bool
}

// paraSentences is Sentences, telling which sentences stand alone as a
// paragraph.
func paraSentences(text string) []paraSentence { return paraSentencesIn(text, "") }

// paraSentencesIn is paraSentences with the sentence rules of language
// code; glued sentences are cut only in English (gluedOpeners are
// English words).
func paraSentencesIn(text, code string) []paraSentence {
	r := rulesFor(code)
	english := code == "" || code == "en" || !lang.IsSupported(code)
	var out []paraSentence
	for _, para := range paragraphs(text) {
		var ss []string
		for _, s := range r.splitParagraph(para) {
			if english {
				ss = append(ss, unglue(s)...)
			} else {
				ss = append(ss, s)
			}
		}
		for _, s := range ss {
			out = append(out, paraSentence{text: s, alone: len(ss) == 1})
		}
	}
	return out
}
