package summary

import (
	"reflect"
	"testing"
)

func TestSentences(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want []string
	}{
		{"plain", "The talks began. They ended late.",
			[]string{"The talks began.", "They ended late."}},
		{"glued caption", "Adebayor posted the video on his Instagram account He joined Spurs in 2011 from Manchester City.",
			[]string{"Adebayor posted the video on his Instagram account", "He joined Spurs in 2011 from Manchester City."}},
		{"glued after a name", "The cherry picker collecting drugs from the roof of HMP Altcourse in Liverpool The amount of drugs is high.",
			[]string{"The cherry picker collecting drugs from the roof of HMP Altcourse in Liverpool", "The amount of drugs is high."}},
		{"names are not glued sentences", "Three-time Formula One champion Niki Lauda said it was over. He read The Times in Plan A hotels. Category A prisoners stay.",
			[]string{"Three-time Formula One champion Niki Lauda said it was over.", "He read The Times in Plan A hotels.", "Category A prisoners stay."}},
		{"acronym mid-sentence", "The U.S. delegation arrived in Riyadh. Talks began.",
			[]string{"The U.S. delegation arrived in Riyadh.", "Talks began."}},
		{"acronym at the end", "Troops left the U.S. The talks went on.",
			[]string{"Troops left the U.S.", "The talks went on."}},
		{"titles", "Mr. Smith met Dr. Jones and Gen. Lee. Mrs. Brown did not.",
			[]string{"Mr. Smith met Dr. Jones and Gen. Lee.", "Mrs. Brown did not."}},
		{"month and number", "It happened on Jan. 5 at No. 10 Downing Street. Police came.",
			[]string{"It happened on Jan. 5 at No. 10 Downing Street.", "Police came."}},
		{"e.g. and i.e.", "Bring fruit, e.g. apples, i.e. something sweet. Then go.",
			[]string{"Bring fruit, e.g. apples, i.e. something sweet.", "Then go."}},
		{"e.g. before a capital", "Some cities, e.g. Paris, ban cars. Others do not.",
			[]string{"Some cities, e.g. Paris, ban cars.", "Others do not."}},
		{"initials", "The book by J. K. Rowling sold well. George W. Bush read it.",
			[]string{"The book by J. K. Rowling sold well.", "George W. Bush read it."}},
		{"decimals", "Inflation rose 3.5% in May. Version 2.0.1 shipped.",
			[]string{"Inflation rose 3.5% in May.", "Version 2.0.1 shipped."}},
		{"quote then said", `"We will win," he said. "Stop." She left.`,
			[]string{`"We will win," he said.`, `"Stop."`, "She left."}},
		{"question in quote", `"Why?" he asked. Nobody knew!`,
			[]string{`"Why?" he asked.`, "Nobody knew!"}},
		{"curly quotes", "‘I am happy,’ she said. ‘It is over.’ He nodded.",
			[]string{"‘I am happy,’ she said.", "‘It is over.’", "He nodded."}},
		{"bracket after stop", "He won (again.) Then he left.",
			[]string{"He won (again.)", "Then he left."}},
		{"ellipsis lower", "Well... maybe not. Fine.",
			[]string{"Well... maybe not.", "Fine."}},
		{"ellipsis upper", "He paused… Then he spoke.",
			[]string{"He paused…", "Then he spoke."}},
		{"question and exclamation", "Is it true? Yes! It is.",
			[]string{"Is it true?", "Yes!", "It is."}},
		{"paragraph break", "Breaking news\n\nThe talks ended",
			[]string{"Breaking news", "The talks ended"}},
		{"wrapped line", "The talks were held\nin Riyadh on Tuesday.",
			[]string{"The talks were held in Riyadh on Tuesday."}},
		{"line break before capital", "Country:\nSaudi Arabia",
			[]string{"Country:", "Saudi Arabia"}},
		{"CJK", "会谈在利雅得举行。双方同意继续对话！结果如何？",
			[]string{"会谈在利雅得举行。", "双方同意继续对话！", "结果如何？"}},
		{"CJK closing quote", "他说：「我们会赢。」然后离开了。",
			[]string{"他说：「我们会赢。」", "然后离开了。"}},
		{"danda", "बैठक रियाद में हुई। दोनों पक्ष सहमत हुए।",
			[]string{"बैठक रियाद में हुई।", "दोनों पक्ष सहमत हुए।"}},
		{"whitespace collapsed", "  Too   many\tspaces here.  \u00a0Next one.",
			[]string{"Too many spaces here.", "Next one."}},
		{"url and domain", "Visit example.com for more. Thanks.",
			[]string{"Visit example.com for more.", "Thanks."}},
		{"Inc. mid-sentence", "Apple Inc. said profits rose. Shares fell.",
			[]string{"Apple Inc. said profits rose.", "Shares fell."}},
		{"a.m. at the end", "It started at 9 a.m. The crowd grew.",
			[]string{"It started at 9 a.m.", "The crowd grew."}},
		{"number end", "The toll rose to 15. Rescuers kept digging.",
			[]string{"The toll rose to 15.", "Rescuers kept digging."}},
		{"price at the end", "The doll costs $3.00. Myer sells it.",
			[]string{"The doll costs $3.00.", "Myer sells it."}},
		{"German ordinal date", "Das Treffen fand am 19. Februar 2025 in Riad statt. Es dauerte lange.",
			[]string{"Das Treffen fand am 19. Februar 2025 in Riad statt.", "Es dauerte lange."}},
		{"German abbreviations", "Er kam z. B. mit Dr. Müller bzw. Nr. 5 zurück. Die Sitzung endete.",
			[]string{"Er kam z. B. mit Dr. Müller bzw. Nr. 5 zurück.", "Die Sitzung endete."}},
		{"millions", "Es kostet 5 Mio. Die Stadt zahlt.",
			[]string{"Es kostet 5 Mio.", "Die Stadt zahlt."}},
		{"empty", "   \n\n ", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Sentences(tt.in)
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("Sentences(%q)\n got %q\nwant %q", tt.in, got, tt.want)
			}
		})
	}
}
