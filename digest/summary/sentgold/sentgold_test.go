package sentgold

import (
	"reflect"
	"strings"
	"testing"
)

func TestParse(t *testing.T) {
	g := Parse("de", "# page a\nEins.\n  Zwei.  \n\n\n# page b\nDrei.\n")
	want := [][]string{{"Eins.", "Zwei."}, {"Drei."}}
	if g.Code != "de" || !reflect.DeepEqual(g.Paras, want) {
		t.Fatalf("Parse = %q %q, want de %q", g.Code, g.Paras, want)
	}
}

func TestScore(t *testing.T) {
	g := Set{Code: "en", Paras: [][]string{{"A b.", "C d.", "E f."}, {"G."}}}
	split := func(text, code string) []string {
		if code != "en" {
			t.Errorf("code %q", code)
		}
		if text == "A b. C d. E f." {
			return []string{"A b.", "C d. E f."} // one boundary missed
		}
		return strings.Fields(text)
	}
	if right, total := Score(g, split); right != 2 || total != 4 {
		t.Fatalf("Score = %d/%d, want 2/4", right, total)
	}
}

func TestReadEmpty(t *testing.T) {
	if _, err := Read(t.TempDir()); err == nil {
		t.Fatal("Read of a folder without gold sets gave no error")
	}
}
