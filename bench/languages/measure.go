package main

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"time"

	"newsdigest/bench/internal/storyscore"
	"newsdigest/digest"
	"newsdigest/digest/story"
	"newsdigest/digest/summary"
	"newsdigest/digest/summary/sentgold"
	"newsdigest/store/sqlite"
)

// reportSplit reports the splitter on the tuning gold sets (whose errors
// the rules were written from) and, apart, on the held-out sets (split by
// hand before the splitter ever ran on those pages).
func reportSplit(rep *strings.Builder, tuning, heldOut []sentgold.Set) {
	fmt.Fprintf(rep, "## Sentence splitting\n\nGold sets written from real bench pages, one sentence a line, checked by hand; "+
		"a sentence is right when the splitter gives exactly it.\n\n")
	fmt.Fprintf(rep, "**Tuning sets** (`digest/summary/testdata/sentences/`): the rules for French spaced guillemets, footnote marks, "+
		"units (\"km/h.\") and Arabic abbreviations were written after reading these pages' errors, so these figures are not held out.\n\n")
	splitTable(rep, tuning)
	fmt.Fprintf(rep, "No Dutch page is in the bench, so Dutch has no gold set; "+
		"Polish (12), Turkish (3) and Chinese (8) have only the sentences their one page holds.\n\n")
	fmt.Fprintf(rep, "**Held-out sets** (`digest/summary/testdata/sentences-heldout/`): other bench pages (named in each file), "+
		"split by hand before the splitter was run on them; no rule was changed after. This is the figure to expect on new text.\n\n")
	splitTable(rep, heldOut)
}

func splitTable(rep *strings.Builder, golds []sentgold.Set) {
	fmt.Fprintf(rep, "| language | sentences | SentencesIn (its language) | Sentences (no language) |\n|---|---|---|---|\n")
	var r, b, n int
	for _, g := range golds {
		right, total := sentgold.Score(g, summary.SentencesIn)
		base, _ := sentgold.Score(g, func(t, _ string) []string { return summary.Sentences(t) })
		r, b, n = r+right, b+base, n+total
		fmt.Fprintf(rep, "| %s | %d | %.3f | %.3f |\n", g.Code, total, float64(right)/float64(total), float64(base)/float64(total))
	}
	fmt.Fprintf(rep, "| **all** | %d | **%.3f** | %.3f |\n\n", n, float64(r)/float64(n), float64(b)/float64(n))
}

// searchPair is a query in one inflected form and the form the text holds.
type searchPair struct{ code, query, form string }

// searchPairs were written by hand from the gold texts: each query is
// another inflection (or the article-less form) of a word that the text
// holds only as form.
var searchPairs = []searchPair{
	{"de", "Kooperationen", "Kooperation"}, {"de", "Strategien", "Strategie"}, {"de", "Säule", "Säulen"},
	{"de", "Finanzierung", "Finanzierungen"}, {"de", "Unternehmens", "Unternehmen"},
	{"en", "mask", "masks"}, {"en", "hospitals", "hospital"}, {"en", "box", "boxes"}, {"en", "investigated", "investigating"},
	{"fr", "élection", "élections"}, {"fr", "bulletin", "bulletins"}, {"fr", "revendications", "revendication"}, {"fr", "politique", "politiques"},
	{"es", "madre", "madres"}, {"es", "emoción", "emociones"}, {"es", "colegios", "colegio"}, {"es", "idioma", "idiomas"},
	{"it", "perturbazioni", "perturbazione"}, {"it", "temporale", "temporali"}, {"it", "regione", "regioni"}, {"it", "nevicata", "nevicate"},
	{"pt", "companheiro", "companheiros"}, {"pt", "material", "materiais"}, {"pt", "filho", "filhos"}, {"pt", "crianças", "criança"},
	{"ru", "автомобиль", "автомобилей"}, {"ru", "чиновник", "чиновники"}, {"ru", "президенту", "президента"}, {"ru", "инаугурацией", "инаугурации"},
	{"uk", "детектив", "детективи"}, {"uk", "депутата", "депутатом"}, {"uk", "матеріал", "матеріали"}, {"uk", "підозрою", "підозри"},
	{"pl", "dynia", "dynią"}, {"pl", "ciasta", "ciasto"}, {"pl", "farszem", "farsz"}, {"pl", "przepis", "przepisy"},
	{"tr", "çocuklar", "çocuk"}, {"tr", "kömürü", "kömür"}, {"tr", "hastane", "hastaneye"}, {"tr", "ekip", "ekipleri"},
	{"ar", "حالات", "الحالات"}, {"ar", "فيروس", "بفيروس"}, {"ar", "الوزارة", "وزارة"}, {"ar", "منظمة", "المنظمة"},
	{"ja", "岐阜駅", "岐阜駅"}, {"ja", "店舗", "店舗"},
	{"zh", "發票", "發票"}, {"zh", "中獎", "中獎"},
}

// reportSearch indexes every gold paragraph as an article in an SQLite
// store, once with its language and once without (the search as it was:
// FTS5's Porter stemmer only), and counts the relevant paragraphs (those
// holding the form) each query finds among its first 50 hits.
func reportSearch(rep *strings.Builder, golds []sentgold.Set) error {
	fmt.Fprintf(rep, "## Search recall for inflected forms (SQLite store)\n\n"+
		"Every gold paragraph above is an article; %d hand-written queries each name another inflection of a word that the text "+
		"holds in one form only. Recall = relevant paragraphs found / relevant paragraphs. PostgreSQL indexes the same stems "+
		"(store/fts.Stems) and passes the same shared storetest cases (`SearchLanguages`); it is not timed here.\n\n", len(searchPairs))
	run := func(withLang bool) (map[string][2]int, error) {
		ctx := context.Background()
		st, err := sqlite.Open(ctx, ":memory:")
		if err != nil {
			return nil, err
		}
		defer st.Close()
		docs := map[int64]string{}
		n := 0
		for _, g := range golds {
			for _, p := range g.Paras {
				n++
				text := strings.Join(p, " ")
				a := digest.StoredArticle{URL: fmt.Sprintf("https://example.org/%s/%d", g.Code, n), Headline: p[0], Body: text,
					FirstSeen: time.Now(), ContentHash: fmt.Sprintf("%s-%d", g.Code, n)}
				if withLang {
					a.Language = g.Code
				}
				a, err := st.AddArticle(ctx, a)
				if err != nil {
					return nil, err
				}
				docs[a.ID] = g.Code + "\x00" + text
			}
		}
		out := map[string][2]int{}
		for _, q := range searchPairs {
			relevant := map[int64]bool{}
			for id, d := range docs {
				code, text, _ := strings.Cut(d, "\x00")
				if code == q.code && containsWord(text, q.form) {
					relevant[id] = true
				}
			}
			hits, err := st.Search(ctx, q.query, 50)
			if err != nil {
				return nil, fmt.Errorf("search %q: %w", q.query, err)
			}
			found := 0
			for _, h := range hits {
				if relevant[h.Article.ID] {
					found++
				}
			}
			c := out[q.code]
			c[0] += found
			c[1] += len(relevant)
			out[q.code] = c
		}
		return out, nil
	}
	with, err := run(true)
	if err != nil {
		return err
	}
	without, err := run(false)
	if err != nil {
		return err
	}
	codes := make([]string, 0, len(with))
	for c := range with {
		codes = append(codes, c)
	}
	sort.Strings(codes)
	fmt.Fprintf(rep, "| language | relevant | recall with the article's language | recall without (before) |\n|---|---|---|---|\n")
	var a, b, n int
	for _, c := range codes {
		w, o := with[c], without[c]
		a, b, n = a+w[0], b+o[0], n+w[1]
		fmt.Fprintf(rep, "| %s | %d | %.2f | %.2f |\n", c, w[1], ratio(w[0], w[1]), ratio(o[0], o[1]))
	}
	fmt.Fprintf(rep, "| **all** | %d | **%.2f** | %.2f |\n\nChinese and Japanese are searched as phrases of single characters "+
		"(a substring match), with or without the language; their queries check that nothing broke.\n\n", n, ratio(a, n), ratio(b, n))
	return nil
}

func containsWord(text, w string) bool {
	low := strings.ToLower(text)
	lw := strings.ToLower(w)
	for off := 0; ; {
		i := strings.Index(low[off:], lw)
		if i < 0 {
			return false
		}
		i += off
		end := i + len(lw)
		before := i == 0 || !isLetterAt(low, i-1, true)
		after := end == len(low) || !isLetterAt(low, end, false)
		if before && after || isCJKWord(lw) {
			return true
		}
		off = i + 1
	}
}

func isLetterAt(s string, i int, back bool) bool {
	var r rune
	if back {
		for j := i; j >= 0; j-- {
			if isRuneStart(s[j]) {
				r = []rune(s[j:])[0]
				break
			}
		}
	} else {
		r = []rune(s[i:])[0]
	}
	return r >= 'a' && r <= 'z' || r > 127 && (r < 0x2000 || r > 0x206f) && r != '«' && r != '»' && r != '’'
}

func isRuneStart(b byte) bool { return b&0xC0 != 0x80 }

func isCJKWord(w string) bool {
	for _, r := range w {
		if r < 0x3000 {
			return false
		}
	}
	return true
}

func ratio(a, b int) float64 {
	if b == 0 {
		return 0
	}
	return float64(a) / float64(b)
}

// reportGrouping builds two reports of one story from each bench page of
// a supported language (its headline and first half of paragraphs; its
// second half), groups each language's docs, and scores B³ F1 with and
// without the language (English features for every text, as before);
// then groups all languages at once with CrossLanguage and counts the
// docs joined across languages.
func reportGrouping(rep *strings.Builder, pages []page) {
	byLang := map[string][]story.Doc{}
	gold := map[string]string{}
	when := time.Date(2024, 5, 1, 12, 0, 0, 0, time.UTC)
	for i, p := range pages {
		head, body, _ := strings.Cut(p.text, "\n")
		paras := strings.Split(body, "\n\n")
		if len(paras) < 4 {
			continue
		}
		half := len(paras) / 2
		for k, part := range []struct{ title, text string }{
			{head, strings.Join(paras[:half], "\n\n")}, {"", strings.Join(paras[half:], "\n\n")},
		} {
			id := fmt.Sprintf("%d-%d", i, k)
			byLang[p.label] = append(byLang[p.label], story.Doc{ID: id, Title: part.title, Text: part.text, Language: p.label, Published: when})
			gold[id] = fmt.Sprint(i)
		}
	}
	fmt.Fprintf(rep, "## Grouping within a language\n\nEach bench page (above) with 4 paragraphs or more gives two docs of one "+
		"story: its headline with the first half of its paragraphs, and the second half. Pages are different stories. "+
		"B³ F1 per language, grouped with `story.Group` (all docs dated alike):\n\n")
	fmt.Fprintf(rep, "| language | docs | B³ F1 with the language | B³ F1 with English features (before) |\n|---|---|---|---|\n")
	codes := make([]string, 0, len(byLang))
	for c := range byLang {
		codes = append(codes, c)
	}
	sort.Strings(codes)
	var all []story.Doc
	for _, c := range codes {
		docs := byLang[c]
		all = append(all, docs...)
		with := story.Group(docs, story.Options{})
		plain := make([]story.Doc, len(docs))
		for i, d := range docs {
			d.Language = ""
			plain[i] = d
		}
		without := story.Group(plain, story.Options{})
		fmt.Fprintf(rep, "| %s | %d | %.3f | %.3f |\n", c, len(docs), bcubedF(with, gold, docs), bcubedF(without, gold, docs))
	}
	cross := story.Group(all, story.Options{CrossLanguage: true})
	lang := map[string]string{}
	for _, d := range all {
		lang[d.ID] = d.Language
	}
	members := map[int64][]string{}
	for id, s := range cross {
		members[s] = append(members[s], id)
	}
	joined, wrong := 0, 0
	var examples []string
	for _, ids := range members {
		for i := range ids {
			for j := i + 1; j < len(ids); j++ {
				if lang[ids[i]] != lang[ids[j]] {
					joined++
					if gold[ids[i]] != gold[ids[j]] {
						wrong++
						if len(examples) < 5 {
							examples = append(examples, ids[i]+" ("+lang[ids[i]]+") + "+ids[j]+" ("+lang[ids[j]]+")")
						}
					}
				}
			}
		}
	}
	fmt.Fprintf(rep, "\n## Grouping across languages\n\nAll %d docs above grouped at once with `CrossLanguage: true` (names and numbers "+
		"shared across languages). The pages of different languages come from different sites and sets, so no pair of them is taken "+
		"for one event: any pair joined across languages is a false join, listed here for checking. ", len(all))
	if joined == 0 {
		fmt.Fprintf(rep, "**No pair of docs in different languages was joined** (0 false joins).")
	} else {
		fmt.Fprintf(rep, "**%d pairs were joined across languages, %d of them of different pages** (precision %.2f); e.g. %s.",
			joined, wrong, 1-ratio(wrong, joined), strings.Join(examples, ", "))
	}
	fmt.Fprintf(rep, " The bench has no event told in two languages, so how often a true pair is joined (recall), and so whether "+
		"joining helps, cannot be measured: `CrossLanguage` stays off by default.\n\n")
}

// bcubedF is the B³ F1 of pred over docs.
func bcubedF(pred map[string]int64, gold map[string]string, docs []story.Doc) float64 {
	of := make(map[string]string, len(docs))
	for _, d := range docs {
		of[d.ID] = gold[d.ID]
	}
	_, _, f := storyscore.BCubed(pred, of)
	return f
}
