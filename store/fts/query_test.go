package fts

import (
	"errors"
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

func TestParse(t *testing.T) {
	for _, tc := range []struct {
		q    string
		want []Term
	}{
		{"climate", []Term{{Words: []string{"climate"}}}},
		{"Climate  Change", []Term{{Words: []string{"climate"}}, {Words: []string{"change"}}}},
		{`"climate change" policy`, []Term{{Words: []string{"climate", "change"}, Phrase: true}, {Words: []string{"policy"}}}},
		{`"unclosed phrase`, []Term{{Words: []string{"unclosed", "phrase"}, Phrase: true}}},
		{`"foo" OR bar*`, []Term{{Words: []string{"foo"}, Phrase: true}, {Words: []string{"or"}}, {Words: []string{"bar"}}}},
		{`NEAR(a b)`, []Term{{Words: []string{"near"}}, {Words: []string{"a"}}, {Words: []string{"b"}}}},
		{`headline:zürich -x ^y`, []Term{{Words: []string{"headline"}}, {Words: []string{"zürich"}}, {Words: []string{"x"}}, {Words: []string{"y"}}}},
		{"covid-19", []Term{{Words: []string{"covid"}}, {Words: []string{"19"}}}},
		{"Москва", []Term{{Words: []string{"москва"}}}},
		{"東京都の雨", []Term{{Words: []string{"東", "京", "都", "の", "雨"}}}},
		{"東京 rain", []Term{{Words: []string{"東", "京"}}, {Words: []string{"rain"}}}},
		{"café\u0301", []Term{{Words: []string{"café\u0301"}}}},
	} {
		got, err := Parse(tc.q)
		if err != nil {
			t.Errorf("Parse(%q): %v", tc.q, err)
			continue
		}
		if !reflect.DeepEqual(got, tc.want) {
			t.Errorf("Parse(%q) = %+v, want %+v", tc.q, got, tc.want)
		}
	}
}

func TestParseBad(t *testing.T) {
	for _, q := range []string{"", "  ", `""`, "*", ":^-()", strings.Repeat("x", MaxQueryLen+1)} {
		_, err := Parse(q)
		var qe *QueryError
		if !errors.As(err, &qe) || !errors.Is(err, ErrBadQuery) || !qe.BadQuery() || qe.Reason == "" {
			t.Errorf("Parse(%.30q) err = %v, want a *QueryError with a reason", q, err)
		}
	}
	terms, err := Parse(strings.Repeat("w ", 100))
	if err != nil || len(terms) != maxTerms {
		t.Errorf("Parse of 100 words = %d terms, %v; want %d", len(terms), err, maxTerms)
	}
}

func TestSegment(t *testing.T) {
	for in, want := range map[string]string{
		"plain text":  "plain text",
		"東京で大雨":       " 東  京  で  大  雨 ",
		"In 東京, rain": "In  東  京 , rain",
	} {
		if got := Segment(in); got != want {
			t.Errorf("Segment(%q) = %q, want %q", in, got, want)
		}
	}
}

// FuzzParse checks that whatever a user types, the terms hold only words
// made of letters, digits and marks: nothing an engine reads as syntax.
func FuzzParse(f *testing.F) {
	for _, s := range []string{`"foo" OR bar*`, "NEAR(", "-x", ":", "^", `a"b"c"`, "東京", "\xff\xfe", "x\x00y", `\"`, "{a b}: c"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, q string) {
		terms, err := Parse(q)
		if err != nil {
			if !errors.Is(err, ErrBadQuery) {
				t.Fatalf("Parse(%q): %v is not a bad-query error", q, err)
			}
			return
		}
		if len(terms) == 0 || len(terms) > maxTerms {
			t.Fatalf("Parse(%q) = %d terms", q, len(terms))
		}
		for _, term := range terms {
			if len(term.Words) == 0 {
				t.Fatalf("Parse(%q): empty term", q)
			}
			for _, w := range term.Words {
				if w == "" {
					t.Fatalf("Parse(%q): empty word", q)
				}
				for _, r := range w {
					if !unicode.IsLetter(r) && !unicode.IsDigit(r) && !unicode.IsMark(r) && r != 'ー' {
						t.Fatalf("Parse(%q): word %q holds %q", q, w, r)
					}
				}
			}
		}
	})
}

func TestFold(t *testing.T) {
	for in, want := range map[string]string{"Zürich": "zurich", "CAFÉ": "cafe", "Москва": "москва", "plain": "plain",
		"“Quoted” — it’s": "“quoted” — it’s", "Zu\u0308rich": "zurich", "\u0301Accent first": "accent first"} {
		if got := Fold(in); got != want {
			t.Errorf("Fold(%q) = %q, want %q", in, got, want)
		}
	}
	// The shortcut for text with nothing to decompose gives what the full
	// decomposition gives.
	full := func(text string) string {
		var b strings.Builder
		for _, r := range norm.NFD.String(strings.ToLower(text)) {
			if !unicode.Is(unicode.Mn, r) {
				b.WriteRune(r)
			}
		}
		return b.String()
	}
	rng := rand.New(rand.NewPCG(1, 2))
	pool := []rune("aZé É’“”—…\u2000\u2001ßẞİıǅ\u0301\u0308\u034f한국語Москваﬁ\u00a0\u212b\u1e9e")
	for i := 0; i < 20000; i++ {
		r := make([]rune, 1+rng.IntN(8))
		for j := range r {
			r[j] = pool[rng.IntN(len(pool))]
		}
		if in := string(r); Fold(in) != full(in) {
			t.Fatalf("Fold(%q) = %q, the full decomposition gives %q", in, Fold(in), full(in))
		}
	}
}
