package fts

import (
	"strings"

	"newsdigest/digest/lang"
)

// stemmed reports whether an article in language code gets a stems field:
// the languages with a stemmer other than English (the engines' own
// English stemmers cover it), not Chinese and Japanese (searched as phrases
// of single characters, see Segment).
func stemmed(code string) bool { return code != "en" && lang.HasStemmer(code) }

// Stems is the text an article in language code adds to the search index
// so that inflected forms meet: its headline, summary and body as
// lang.StemText gives them ("Die Wahlen" → "die wahl"), or "" for a
// language that needs none. Queries reach it through QueryStems.
func Stems(code, headline, summary, body string) string {
	code = lang.Normalize(code)
	if !stemmed(code) {
		return ""
	}
	return lang.StemText(code, headline+"\n"+summary+"\n"+body)
}

// QueryStems returns the forms a query term takes in the stems field: its
// words stemmed by each supported language's stemmer (a query does not say
// its language; a stem of another language's rules finds only texts that
// hold that stem), without repeats. A term of CJK characters has none.
func QueryStems(t Term) [][]string {
	for _, w := range t.Words {
		if isCJKWord(w) {
			return nil
		}
	}
	seen := map[string]bool{}
	var out [][]string
	for _, code := range lang.Supported {
		if !stemmed(code) {
			continue
		}
		ws := make([]string, len(t.Words))
		for i, w := range t.Words {
			ws[i] = lang.Fold(code, w)
		}
		k := strings.Join(ws, " ")
		if !seen[k] {
			seen[k] = true
			out = append(out, ws)
		}
	}
	return out
}
