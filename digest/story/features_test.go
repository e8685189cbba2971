package story

import (
	"reflect"
	"slices"
	"strings"
	"testing"
)

func TestTokenize(t *testing.T) {
	tests := []struct {
		in   string
		want []string
	}{
		{"A 6.1 quake hit Mendocino.", []string{"A", "6.1", "quake", "hit", "Mendocino"}},
		{"1,200 people; O'Brien's team", []string{"1,200", "people", "O'Brien's", "team"}},
		{"end. 5, 6", []string{"end", "5", "6"}},
		{"Zürich–Genève", []string{"Zürich", "Genève"}},
		{"", nil},
	}
	for _, tt := range tests {
		var got []string
		for _, tok := range tokenize(tt.in) {
			got = append(got, tok.text)
		}
		if !reflect.DeepEqual(got, tt.want) {
			t.Errorf("tokenize(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestStem(t *testing.T) {
	tests := map[string]string{
		"quakes":   "quake",
		"injuries": "injury",
		"glasses":  "glass",
		"status":   "status",
		"crisis":   "crisis",
		"killed":   "kill",
		"agreed":   "agreed",
		"hosting":  "host",
		"bus":      "bus",
		"was":      "was",
	}
	for in, want := range tests {
		if got := stem(in); got != want {
			t.Errorf("stem(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestFeatures(t *testing.T) {
	tests := []struct {
		name       string
		title      string
		text       string
		text2      string // more text, after a line break
		has, hasNo []string
	}{
		{
			name:  "multiword name mid-sentence",
			text:  "The actress Tara Reid checked into Promises Treatment Center on Tuesday.",
			text2: "Actress Tara Reid checked in.",
			has:   []string{"e:tara reid", "e:promise treatment center", "reid", "check"},
			hasNo: []string{"e:actress", "into"},
		},
		{
			name:  "lone capital at a sentence start is no name",
			text:  "Police said the blast was big. Witnesses fled.",
			has:   []string{"police", "blast", "witness"},
			hasNo: []string{"e:police", "e:witness", "said", "the"},
		},
		{
			name: "numbers keep their decimals and lose thousands separators",
			text: "A magnitude 6.1 quake killed 1,200 people in 2009.",
			has:  []string{"n:6.1", "n:1200", "n:2009", "magnitude"},
		},
		{
			name:  "punctuation splits names",
			text:  "He thanked Reid, Lohan and the Bank of England.",
			has:   []string{"e:reid", "e:lohan", "e:bank of england"},
			hasNo: []string{"e:reid lohan"},
		},
		{
			name:  "title counts twice",
			title: "Quake hits Chile",
			text:  "A quake hit.",
			has:   []string{"quake", "e:chile"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := features(tt.title, tt.text+"\n"+tt.text2)
			for _, k := range tt.has {
				if f[k] == 0 {
					t.Errorf("missing feature %q in %v", k, f)
				}
			}
			for _, k := range tt.hasNo {
				if f[k] != 0 {
					t.Errorf("unexpected feature %q in %v", k, f)
				}
			}
		})
	}
	if f := features("Quake hits Chile", "A quake hit.\nIt shook.\nLater, a quake."); f["quake"] != 5 {
		t.Errorf("title twice + lead twice + rest once: quake counted %v times, want 5", f["quake"])
	}
}

func TestLead(t *testing.T) {
	long := strings.Repeat("word ", 100)
	tests := []struct{ in, want string }{
		{"One.\nTwo.\nThree.", "One.\nTwo."},
		{"Only one line", "Only one line"},
		{"", ""},
		{"\n\nthird", "\n"},
		{long, strings.Repeat("word ", leadWords)},
	}
	for _, tt := range tests {
		if got := lead(tt.in); got != tt.want {
			t.Errorf("lead(%.30q) = %.30q, want %.30q", tt.in, got, tt.want)
		}
	}
}

// TestFrenchDoc: a doc in French gets the French stop words and stemmer
// (digest/lang), under its language's code: "le", "un", "par", "de" are no
// features, "séisme" and "frappé" meet their other forms.
func TestFrenchDoc(t *testing.T) {
	g := NewGrouper(Options{})
	g.Add(Doc{ID: "a", Language: "fr", Title: "Un séisme frappe le Chili", Text: "Le Chili frappé par un séisme de magnitude 6,1."}, 1)
	var got []string
	for _, tm := range g.terms {
		got = append(got, tm.name)
	}
	slices.Sort(got)
	want := []string{"e:fr|chil", "fr|chil", "fr|frapp", "fr|magnitud", "fr|séism", "n:fr|61"}
	if !slices.Equal(got, want) {
		t.Errorf("terms = %q, want %q", got, want)
	}
	if id, ok := g.Match(Doc{ID: "b", Language: "fr", Title: "Séisme au Chili", Text: "Un séisme a frappé le Chili."}); !ok || id != 1 {
		t.Errorf("Match = %d, %v; want story 1", id, ok)
	}
}
