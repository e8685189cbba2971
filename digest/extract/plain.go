package extract

import (
	"regexp"
	"strings"
	"unicode"

	"newsdigest/digest"
)

// unit is one line of a plain-text dump and what it looks like.
type unit struct {
	text    string
	block   int  // index of its blank-line separated block
	prose   bool // a sentence-like paragraph
	heading bool // a section heading such as "TRENDING" or "Latest News"
}

// sectionRe matches headings of page sections that follow an article.
var sectionRe = regexp.MustCompile(`(?i)^(?:trending|trending now|related|related (?:news|stories|articles)|more from .*|more stories|latest news|latest|most read|most popular|popular|recommended|opinion.*|read more|you may also like|also read|comments?|share this|tags|topics|newsletter|advertisement|editor'?s picks|top stories|don'?t miss)$`)

// extractPlain finds the article in a plain-text dump of a page: the
// headline, the dateline line, and the run of prose paragraphs around it,
// up to the first section that follows the article.
func extractPlain(text string) digest.Article {
	units := plainUnits(text)
	var a digest.Article
	dl := -1
	for i, u := range units {
		if parsePipeLine(&a.Dateline, u.text, true, true) {
			dl = i
			break
		}
	}
	h := plainHeadline(units, dl)
	if h >= 0 {
		a.Headline = units[h].text
	}
	if dl < 0 {
		for i, u := range units {
			if len(u.text) < 120 && strings.ContainsAny(u.text, "0123456789") && !u.prose {
				if w, ok := findDate(u.text, true); ok {
					setWhen(&a.Dateline, w)
					dl = i
					break
				}
			}
		}
	}
	a.Body = plainBody(units, h, a.Headline)
	placeFromBody(&a.Dateline, a.Body)
	return a
}

func plainUnits(text string) []unit {
	text = strings.ReplaceAll(strings.ReplaceAll(text, "\r\n", "\n"), "\r", "\n")
	var out []unit
	block := 0
	for _, line := range strings.Split(text, "\n") {
		t := cleanSpace(line)
		if t == "" {
			block++
			continue
		}
		out = append(out, unit{text: t, block: block, prose: isProse(t), heading: isHeading(t)})
	}
	return out
}

// isProse reports whether a line reads as a paragraph of an article.
func isProse(t string) bool {
	if len(t) < 60 || words(t) < 8 {
		return false
	}
	if strings.HasSuffix(t, "...") || strings.HasSuffix(t, "…") {
		return false // a teaser cut short
	}
	return sentenceEndRe.MatchString(t)
}

// isHeading reports whether a line is a section heading: all capitals
// ("TRENDING", "OPINION / BLOG / INTERVIEW") or a known section name.
func isHeading(t string) bool {
	if words(t) > 6 || len(t) > 60 {
		return false
	}
	if sectionRe.MatchString(t) {
		return true
	}
	letters, upper := 0, 0
	for _, r := range t {
		if unicode.IsLetter(r) {
			letters++
			if unicode.IsUpper(r) {
				upper++
			}
		}
	}
	return letters >= 4 && upper == letters
}

// plainHeadline picks the headline line: a title-like line before the
// dateline, preferring one the page repeats (as image alt text does).
func plainHeadline(units []unit, dl int) int {
	end := len(units)
	if dl >= 0 {
		end = dl
	}
	titleLike := func(t string) bool {
		w := words(t)
		return w >= 3 && w <= 30 && len(t) <= 250 && !sentenceEndRe.MatchString(t) && !strings.Contains(t, "|") && !isHeading(t)
	}
	count := map[string]int{}
	for _, u := range units {
		count[u.text]++
	}
	first := -1
	for i := 0; i < end; i++ {
		if titleLike(units[i].text) {
			if count[units[i].text] > 1 {
				return i
			}
			if first < 0 {
				first = i
			}
		}
	}
	if first >= 0 {
		return first
	}
	for i, u := range units {
		if titleLike(u.text) {
			return i
		}
	}
	return -1
}

// plainBody gathers the prose lines from the headline on, stopping at a
// section heading or a long stretch of non-prose lines once it has begun.
func plainBody(units []unit, h int, headline string) string {
	var out []string
	gap := 0
	for i := h + 1; i < len(units); i++ {
		u := units[i]
		if u.heading && len(out) > 0 {
			break
		}
		if !u.prose || !keepParagraph(u.text, headline) {
			gap++
			if len(out) > 0 && gap >= 6 {
				break
			}
			continue
		}
		gap = 0
		out = append(out, u.text)
	}
	return strings.Join(out, "\n\n")
}
