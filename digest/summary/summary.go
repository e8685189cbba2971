package summary

import (
	"math"
	"sort"
	"unicode"
	"unicode/utf8"

	"newsdigest/digest"
)

// Options tune the summarizer. Start from DefaultOptions(); its weights
// were chosen on one half of the CNN/DailyMail benchmark and checked on the
// other (see bench/summaries). A sentence's score is its lead prior times
// (1 + the weighted content bonuses), times (1 - p) for each penalty p
// that applies.
type Options struct {
	// Lines is how many lines to pick at most; MaxLen bounds each in runes.
	Lines, MaxLen int
	// Plateau and PositionDecay shape the lead prior: 1 for the first
	// Plateau usable sentences, then (1+i-Plateau)^-PositionDecay for the
	// sentence of rank i.
	Plateau, PositionDecay float64
	// LeadSim weighs a sentence's term overlap with the first usable one
	// (the lead, which states what the story is about).
	LeadSim float64
	// Centrality weighs a sentence's similarity to the rest of the text.
	Centrality float64
	// Info weighs the share of names and numbers among its words.
	Info float64
	// ClausePenalty, PhrasePenalty and WordPenalty apply to a sentence that
	// must be cut to fit: at punctuation, before a conjunction or
	// preposition, or between any two words.
	ClausePenalty, PhrasePenalty, WordPenalty float64
	// QuotePenalty applies to a sentence that opens with a quotation mark,
	// UnendedPenalty to one that does not end with a full stop,
	// CaptionPenalty to one that points at a picture ("(pictured)").
	QuotePenalty, UnendedPenalty, CaptionPenalty float64
	// ShortPenalty applies to a sentence of fewer than ShortWords words,
	// and again under half that (short lead sentences are usually teasers).
	ShortWords   float64
	ShortPenalty float64
	// Redundancy is the highest term overlap allowed with a line already
	// chosen.
	Redundancy float64
}

// DefaultOptions returns the tuned configuration that Summarize uses; change
// a weight in the copy it returns.
func DefaultOptions() Options { return defaults }

var defaults = Options{
	Lines:          digest.MaxSummaryLines,
	MaxLen:         digest.MaxLineLength,
	Plateau:        3,
	PositionDecay:  1,
	WordPenalty:    0.8,
	QuotePenalty:   0.5,
	UnendedPenalty: 0.5,
	CaptionPenalty: 0.5,
	ShortWords:     16,
	ShortPenalty:   0.5,
	Redundancy:     0.5,
}

// Summarize picks up to three lines from an article body: whole sentences
// (or sentences cut at a clause boundary, ending with "…"), each at most
// digest.MaxLineLength runes, in article order, none a repeat, a caption,
// a credit, a disclaimer, an agency note or a call to action. A body with
// fewer usable sentences gives fewer lines.
func Summarize(body string) []string { return defaults.Summarize(body) }

// SummarizeN is Summarize with n lines of at most maxLen runes.
func SummarizeN(body string, n, maxLen int) []string {
	o := defaults
	o.Lines, o.MaxLen = n, maxLen
	return o.Summarize(body)
}

// maxCandidates bounds how far into a body the summarizer looks: the lead
// prior leaves no chance to sentences further down, and the work per
// candidate grows with their number.
const maxCandidates = 60

// candidate is one usable sentence with what the scorer knows of it.
type candidate struct {
	rank    int // among usable sentences, from 0
	text    string
	cut     cut
	terms   bag
	words   int
	info    float64
	score   float64
	quote   bool
	ended   bool
	caption bool
}

// Summarize picks lines from body with these options.
func (o Options) Summarize(body string) []string {
	if o.Lines <= 0 || o.MaxLen <= 0 {
		return nil
	}
	cands := o.candidates(body)
	if len(cands) == 0 {
		return nil
	}
	o.score(cands)
	order := make([]int, len(cands))
	for i := range order {
		order[i] = i
	}
	sort.SliceStable(order, func(a, b int) bool { return cands[order[a]].score > cands[order[b]].score })
	var chosen []*candidate
	taken := make([]bool, len(cands))
	for _, i := range order {
		c := &cands[i]
		redundant := false
		for _, p := range chosen {
			if overlap(c.terms, p.terms) > o.Redundancy {
				redundant = true
				break
			}
		}
		if !redundant && len(chosen) < o.Lines {
			chosen = append(chosen, c)
			taken[i] = true
		}
	}
	// A short body whose sentences overlap still gives as many lines as it
	// has usable sentences: near-repeats are already gone.
	for _, i := range order {
		if len(chosen) < o.Lines && !taken[i] {
			chosen = append(chosen, &cands[i])
		}
	}
	sort.Slice(chosen, func(a, b int) bool { return chosen[a].rank < chosen[b].rank })
	out := make([]string, len(chosen))
	for i, c := range chosen {
		out[i] = c.text
	}
	return out
}

// candidates splits body into sentences and keeps the usable ones: no junk,
// no near-repeat of an earlier sentence (a standfirst repeated as the first
// paragraph), each fitted to MaxLen.
func (o Options) candidates(body string) []candidate {
	var cands []candidate
	for k, s := range Sentences(body) {
		if len(cands) == maxCandidates {
			break
		}
		if k == 0 || len(cands) == 0 {
			s = stripLeadTag(s)
		}
		ws := words(s)
		if isJunk(s, len(ws)) {
			continue
		}
		terms := bagOf(ws)
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
		text, how := trim(s, o.MaxLen)
		if text == "" || !utf8.ValidString(text) {
			continue
		}
		cands = append(cands, candidate{
			rank:    len(cands),
			text:    text,
			cut:     how,
			terms:   terms,
			words:   len(ws),
			info:    infoShare(ws),
			quote:   isQuote(s),
			ended:   endsSentence(s),
			caption: isCaptionLike(s),
		})
	}
	return cands
}

// infoShare is the share of words that are names (capitalised inside the
// sentence) or numbers.
func infoShare(ws []string) float64 {
	if len(ws) < 2 {
		return 0
	}
	n := 0
	for _, w := range ws[1:] {
		r, _ := utf8.DecodeRuneInString(w)
		if unicode.IsUpper(r) || unicode.IsDigit(r) {
			n++
		}
	}
	return float64(n) / float64(len(ws)-1)
}

// score gives each candidate its lead prior plus centrality and
// information, less the penalties.
func (o Options) score(cands []candidate) {
	// Document term frequency: in how many sentences each term occurs.
	df := map[string]int{}
	for _, c := range cands {
		for t := range c.terms {
			df[t]++
		}
	}
	cent := make([]float64, len(cands))
	maxCent, maxInfo := 0.0, 0.0
	if o.Centrality != 0 {
		// Cosine of each sentence's terms with the rest of the document:
		// the document vector less the sentence's own counts.
		total := 0.0
		for _, n := range df {
			total += float64(n) * float64(n)
		}
		for i, c := range cands {
			dot, norm := 0.0, total
			for t := range c.terms {
				n := float64(df[t])
				dot += n - 1
				norm += (n-1)*(n-1) - n*n
			}
			if norm > 0 && len(c.terms) > 0 {
				cent[i] = dot / (math.Sqrt(norm) * math.Sqrt(float64(len(c.terms))))
			}
			maxCent = math.Max(maxCent, cent[i])
		}
	}
	for _, c := range cands {
		maxInfo = math.Max(maxInfo, c.info)
	}
	for i := range cands {
		c := &cands[i]
		// The lead prior times the content bonus, less the penalties as
		// shares: a score proportional to the words a line is expected to
		// share with a good summary.
		s := 1.0
		if r := float64(c.rank); r >= o.Plateau {
			s = math.Pow(1+r-o.Plateau, -o.PositionDecay)
		}
		bonus := 1.0
		if maxCent > 0 {
			bonus += o.Centrality * cent[i] / maxCent
		}
		if maxInfo > 0 {
			bonus += o.Info * c.info / maxInfo
		}
		if i > 0 {
			bonus += o.LeadSim * overlap(c.terms, cands[0].terms)
		}
		s *= bonus
		switch c.cut {
		case cutClause:
			s *= 1 - o.ClausePenalty
		case cutPhrase:
			s *= 1 - o.PhrasePenalty
		case cutWord:
			s *= 1 - o.WordPenalty
		}
		if c.quote {
			s *= 1 - o.QuotePenalty
		}
		if !c.ended {
			s *= 1 - o.UnendedPenalty
		}
		if c.caption {
			s *= 1 - o.CaptionPenalty
		}
		if float64(c.words) < o.ShortWords {
			s *= 1 - o.ShortPenalty
		}
		if float64(c.words) < o.ShortWords/2 {
			s *= 1 - o.ShortPenalty
		}
		c.score = s
	}
}
