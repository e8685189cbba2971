package lang

import (
	"reflect"
	"testing"
)

func TestNormalize(t *testing.T) {
	for in, want := range map[string]string{
		"de-DE": "de", "en_US": "en", "pt-BR": "pt", "zh-Hant-TW": "zh", "deu": "de", "ger": "de",
		"sp": "es", "jp": "ja", "ua": "uk", " fr ": "fr", "ru, en": "ru", "": "", "x-klingon-foo": "",
		"fa": "fa",
	} {
		if got := Normalize(in); got != want {
			t.Errorf("Normalize(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestDetect(t *testing.T) {
	for _, c := range []struct{ text, want string }{
		{"Die Bundesregierung hat am Mittwoch beschlossen, die Wahlen im Herbst abzuhalten, wie ein Sprecher sagte.", "de"},
		{"The government decided on Wednesday to hold the elections in the autumn, a spokesman said.", "en"},
		{"Le gouvernement a décidé mercredi d'organiser les élections à l'automne, a indiqué un porte-parole.", "fr"},
		{"El gobierno decidió el miércoles celebrar las elecciones en otoño, según informó un portavoz.", "es"},
		{"Правительство в среду решило провести выборы осенью, сообщил представитель ведомства.", "ru"},
		{"Уряд у середу вирішив провести вибори восени, повідомив речник відомства.", "uk"},
		{"政府は水曜日、秋に選挙を実施することを決定したと報道官が明らかにした。", "ja"},
		{"政府星期三决定在秋季举行选举，一位发言人表示。", "zh"},
		{"قررت الحكومة يوم الأربعاء إجراء الانتخابات في الخريف، حسبما قال متحدث.", "ar"},
		{"Rząd postanowił w środę przeprowadzić wybory jesienią, poinformował rzecznik.", "pl"},
		{"Hükümet çarşamba günü seçimlerin sonbaharda yapılmasına karar verdi, dedi bir sözcü.", "tr"},
		{"ok", ""},
	} {
		if got := Detect(c.text); got != c.want {
			t.Errorf("Detect(%.30q) = %q, want %q", c.text, got, c.want)
		}
	}
}

func TestResolve(t *testing.T) {
	ru := "Правительство в среду решило провести выборы осенью, сообщил представитель ведомства."
	de := "Die Bundesregierung hat am Mittwoch beschlossen, die Wahlen im Herbst abzuhalten."
	for _, c := range []struct{ declared, configured, text, want string }{
		{"de-AT", "en", de, "de"},        // the page's declaration wins
		{"", "de", de, "de"},             // then the source's configuration
		{"", "", ru, "ru"},               // then detection
		{"en", "", ru, "ru"},             // a declaration in the wrong script is overruled
		{"en-US", "", de, "en"},          // within one script the declaration stands
		{"", "", "", ""},                 // nothing to go on
		{"fi", "", "Hyvää päivää", "fi"}, // an unsupported language is still named
	} {
		if got := Resolve(c.declared, c.configured, c.text); got != c.want {
			t.Errorf("Resolve(%q, %q, %.20q) = %q, want %q", c.declared, c.configured, c.text, got, c.want)
		}
	}
}

// TestStemMeetsInflections: the inflected forms of one word in every
// supported language with a stemmer share one stem.
func TestStemMeetsInflections(t *testing.T) {
	for code, forms := range map[string][]string{
		"en": {"elections", "election"},
		"de": {"Wahlen", "Wahl"},
		"fr": {"élections", "élection"},
		"es": {"elecciones", "elección"},
		"it": {"elezioni", "elezione"},
		"pt": {"ministros", "ministro"},
		"nl": {"verkiezingen", "verkiezing"},
		"ru": {"выборах", "выборы", "выборов"},
		"uk": {"виборах", "вибори", "виборів"},
		"pl": {"wyborach", "wybory", "wyborów"},
		"tr": {"başkanın", "başkanı", "başkan"},
		"ar": {"الحكومة", "حكومة"},
	} {
		want := Fold(code, forms[0])
		for _, f := range forms[1:] {
			if got := Fold(code, f); got != want {
				t.Errorf("%s: Fold(%q) = %q, Fold(%q) = %q: want one stem", code, forms[0], want, f, got)
			}
		}
	}
}

func TestTermsCJKBigrams(t *testing.T) {
	got := Terms("ja", "東京都で5日、Tokyo選挙")
	want := []string{"東京", "京都", "都で", "5", "日", "tokyo", "選挙"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Terms = %q, want %q", got, want)
	}
	if got := StemText("de", "Die Wahlen in Berlin"); got != "die wahl in berlin" {
		t.Errorf("StemText = %q", got)
	}
}

func TestStopwordsEverySupportedLanguage(t *testing.T) {
	for _, c := range Supported {
		if c == "zh" || c == "ja" {
			continue // bigrams carry no function words of their own
		}
		if len(Stopwords(c)) < 20 {
			t.Errorf("%s: %d stop words", c, len(Stopwords(c)))
		}
		if !HasStemmer(c) {
			t.Errorf("%s: no stemmer", c)
		}
	}
}
