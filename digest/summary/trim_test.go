package summary

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestTrim(t *testing.T) {
	long := "Led by US Secretary of State Marco Rubio and Russian Foreign Minister Sergey Lavrov, " +
		"the delegations agreed to explore solutions for embassy staffing and peace negotiations involving Ukraine, " +
		"although potential strains on the US-Europe alliance were noted."
	tests := []struct {
		name string
		in   string
		max  int
		want string
		how  cut
	}{
		{"fits", "Short  sentence.", 200, "Short sentence.", cutNone},
		{"comma", long, 200,
			"Led by US Secretary of State Marco Rubio and Russian Foreign Minister Sergey Lavrov, " +
				"the delegations agreed to explore solutions for embassy staffing and peace negotiations involving Ukraine…", cutClause},
		{"semicolon", "The first part of this sentence is long enough to keep; the second part is not needed at all here.", 60,
			"The first part of this sentence is long enough to keep…", cutClause},
		{"dash", "The minister arrived in the capital on Tuesday – the first such visit in a decade by anyone.", 56,
			"The minister arrived in the capital on Tuesday…", cutClause},
		{"conjunction", "The minister arrived in the capital on Tuesday morning and met the president for three hours.", 70,
			"The minister arrived in the capital on Tuesday morning…", cutPhrase},
		{"words", "Averyveryverylongword another word and nothing else matters here at all in the end", 31,
			"Averyveryverylongword another…", cutWord},
		{"open bracket dropped", "The minister arrived in the capital city on Tuesday (after a long delay caused by storms), officials said.", 66,
			"The minister arrived in the capital city on Tuesday…", cutClause},
		{"keeps three quarters", "The minister, who arrived late, spoke in the capital city on Tuesday morning about the new budget plans for schools.", 80,
			"The minister, who arrived late, spoke in the capital city on Tuesday morning…", cutWord},
		{"open quote closed", `The minister said "we will arrive in the capital city on Tuesday, as planned by everyone" and left.`, 80,
			`The minister said "we will arrive in the capital city on Tuesday…"`, cutClause},
		{"curly quote closed", "The minister said “we will arrive in the capital city on Tuesday, as planned by everyone” and left.", 80,
			"The minister said “we will arrive in the capital city on Tuesday…”", cutClause},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, how := trim(tt.in, tt.max)
			if got != tt.want || how != tt.how {
				t.Errorf("trim(%q, %d)\n got %q (%d)\nwant %q (%d)", tt.in, tt.max, got, how, tt.want, tt.how)
			}
			if n := utf8.RuneCountInString(got); n > tt.max {
				t.Errorf("trim gave %d runes, max %d", n, tt.max)
			}
			if Trim(tt.in, tt.max) != got {
				t.Errorf("Trim and trim disagree")
			}
		})
	}
}

func TestTrimNeverDangles(t *testing.T) {
	s := strings.Repeat("word, ", 60) + "end."
	for max := 1; max < 300; max += 7 {
		got := Trim(s, max)
		if n := utf8.RuneCountInString(got); n > max {
			t.Fatalf("Trim(_, %d) gave %d runes", max, n)
		}
		if strings.HasSuffix(got, ",…") || strings.HasSuffix(got, " …") {
			t.Errorf("Trim(_, %d) = %q dangles", max, got)
		}
	}
	if got := Trim("anything", 0); got != "" {
		t.Errorf("Trim(_, 0) = %q", got)
	}
}
