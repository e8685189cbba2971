package summary

import (
	"reflect"
	"testing"
)

func TestSentencesIn(t *testing.T) {
	for _, c := range []struct {
		code, text string
		want       []string
	}{
		{"de", "Die Stadt wurde im 19. Jahrhundert gegründet. Sie wuchs schnell.",
			[]string{"Die Stadt wurde im 19. Jahrhundert gegründet.", "Sie wuchs schnell."}},
		{"de", "Am 3. Oktober ist Feiertag. Die Läden sind zu.",
			[]string{"Am 3. Oktober ist Feiertag.", "Die Läden sind zu."}},
		{"ru", "Выборы прошли в 2020 г. в Москве. Явка составила 40 тыс. человек. Итоги подведут завтра.",
			[]string{"Выборы прошли в 2020 г. в Москве.", "Явка составила 40 тыс. человек.", "Итоги подведут завтра."}},
		{"ru", "Об этом заявил В. В. Путин. Он выступил в Кремле.",
			[]string{"Об этом заявил В. В. Путин.", "Он выступил в Кремле."}},
		{"es", "¿Qué pasó? El Sr. García habló con la Sra. López. ¡Increíble!",
			[]string{"¿Qué pasó?", "El Sr. García habló con la Sra. López.", "¡Increíble!"}},
		{"ja", "東京で地震があった。被害は確認されていない！詳細は不明だ。",
			[]string{"東京で地震があった。", "被害は確認されていない！", "詳細は不明だ。"}},
		{"ar", "هل انتهت الأزمة؟ قال الوزير إنها لم تنته.",
			[]string{"هل انتهت الأزمة؟", "قال الوزير إنها لم تنته."}},
		{"pl", "Spotkanie odbyło się np. w Warszawie. Wzięło w nim udział 200 osób.",
			[]string{"Spotkanie odbyło się np. w Warszawie.", "Wzięło w nim udział 200 osób."}},
	} {
		if got := SentencesIn(c.text, c.code); !reflect.DeepEqual(got, c.want) {
			t.Errorf("%s: SentencesIn(%q) =\n%q\nwant\n%q", c.code, c.text, got, c.want)
		}
	}
}

// TestSummarizeInJapanese: a Japanese body, whose sentences have no spaces,
// gives whole sentences (each a word count of its character pairs, not one
// "word" that the junk filter would drop).
func TestSummarizeInJapanese(t *testing.T) {
	body := "東京都で5日、大規模な火災が発生し、消防車30台が出動した。\n\n警視庁によると、けが人はいないという。\n\n火災の原因は現在調査中で、近隣の住民は一時避難した。"
	got := SummarizeIn(body, "ja")
	if len(got) != 3 || got[0] != "東京都で5日、大規模な火災が発生し、消防車30台が出動した。" {
		t.Errorf("SummarizeIn ja = %q", got)
	}
	if got := Summarize(body); len(got) == 3 {
		t.Errorf("without its language the body should lose lines, got %q", got)
	}
}

// TestSummarizeInRepeatsInLanguage: a line that repeats the facts of a
// line already chosen is passed over in every language, not only in
// English: in Chinese the facts are character pairs (a whole clause is no
// one fact), in German the stop words are no facts.
func TestSummarizeInRepeatsInLanguage(t *testing.T) {
	body := "台北市政府今天宣布，明年起公車票價調漲五元。市政府表示，公車票價明年起將調漲。另外，捷運也將增加夜間班次。"
	want := []string{"台北市政府今天宣布，明年起公車票價調漲五元。", "另外，捷運也將增加夜間班次。"}
	if got := SummarizeIn(body, "zh"); !reflect.DeepEqual(got, want) {
		t.Errorf("SummarizeIn zh =\n%q\nwant\n%q", got, want)
	}
	o := DefaultOptions()
	o.Language = "de"
	for _, c := range o.candidates("Die Polizei hat in der Nacht einen Mann gestoppt.") {
		for _, stop := range []string{"die", "der", "in", "hat", "einen"} {
			if c.facts[stop] || c.names[stop] {
				t.Errorf("German stop word %q counted as a fact of %q", stop, c.text)
			}
		}
		if !c.facts["polizei"] {
			t.Errorf("German facts %v lack the stem of Polizei", c.facts)
		}
	}
}
