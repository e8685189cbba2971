package story

import (
	"strings"
	"testing"
)

func TestFeaturesInLanguage(t *testing.T) {
	a := featuresIn("de", "", "Die Wahlen in Sachsen: Die CDU gewann 32 Prozent der Stimmen.", false)
	b := featuresIn("de", "", "Bei der Wahl in Sachsen hat die CDU mit 32 Prozent gewonnen.", false)
	for _, k := range []string{"de|wahl", "de|prozent", "n:de|32"} {
		if a[k] == 0 || b[k] == 0 {
			t.Errorf("feature %q: %v / %v", k, a[k], b[k])
		}
	}
	for k := range a {
		if strings.Contains(k, "|die") || strings.Contains(k, "|der") {
			t.Errorf("stop word kept as %q", k)
		}
	}
	en := features("", "Angela Merkel visited Kyiv on 24 August.")
	de := featuresIn("de", "", "Angela Merkel besuchte Kiew am 24. August.", false)
	if shared(en, de) != 0 {
		t.Errorf("two languages share features without CrossLanguage: %v %v", en, de)
	}
	de = featuresIn("de", "", "Angela Merkel besuchte Kiew am 24. August.", true)
	if en["e:angela merkel"] == 0 || de["e:angela merkel"] == 0 || de["n:24"] == 0 {
		t.Errorf("with CrossLanguage names and numbers should meet: %v %v", en, de)
	}
	ja := featuresIn("ja", "東京都で火災", "東京都で5日、火災が発生した。", false)
	if ja["ja|東京"] == 0 || ja["n:ja|5"] == 0 {
		t.Errorf("Japanese features: %v", ja)
	}
}

func shared(a, b map[string]float64) int {
	n := 0
	for k := range a {
		if b[k] != 0 {
			n++
		}
	}
	return n
}

// TestGrouperGermanInflections: two German reports of one event that use
// different inflections join one story; a German report on another event
// stays apart.
func TestGrouperGermanInflections(t *testing.T) {
	g := NewGrouper(Options{})
	docs := []Doc{
		{ID: "1", Language: "de", Title: "Landtagswahlen in Sachsen: CDU knapp vor AfD",
			Text: "Bei den Landtagswahlen in Sachsen hat die CDU von Ministerpräsident Michael Kretschmer knapp vor der AfD gewonnen. Die CDU kam auf 31,9 Prozent, die AfD auf 30,6 Prozent der Stimmen."},
		{ID: "2", Language: "de", Title: "Landtagswahl Sachsen: Kretschmers CDU gewinnt knapp",
			Text: "Die CDU von Michael Kretschmer gewinnt die Landtagswahl in Sachsen knapp. Nach dem vorläufigen Ergebnis erhielt sie 31,9 Prozent, die AfD 30,6 Prozent."},
		{ID: "3", Language: "de", Title: "Unwetter in Bayern: Keller überflutet",
			Text: "Schwere Unwetter haben in Bayern zahlreiche Keller überflutet. Die Feuerwehr rückte in der Nacht mehr als 300 Mal aus."},
	}
	var ids []int64
	for i, d := range docs {
		id, ok := g.Match(d)
		if !ok {
			id = int64(i + 1)
		}
		g.Add(d, id)
		ids = append(ids, id)
	}
	if ids[0] != ids[1] || ids[2] == ids[0] {
		t.Errorf("stories = %v, want the two election reports together and the storm apart", ids)
	}
}
