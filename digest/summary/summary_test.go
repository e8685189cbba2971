package summary

import (
	"bufio"
	"compress/gzip"
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"

	"newsdigest/digest"
	"newsdigest/internal/testenv"
)

// TestMain reports the tests that skipped for want of ../shared.
func TestMain(m *testing.M) { testenv.Main(m) }

// seedBody returns the article part of the seed page: from the headline to
// "(With inputs from agencies.)" inclusive, with the dateline strip, image
// disclaimer and country box still in it, as a loose extractor would leave
// them.
func seedBody(t testing.TB) string {
	t.Helper()
	// testdata/seed.txt is ../shared/seeds/000_1a245fab6bbc05c5.txt.
	b, err := os.ReadFile(filepath.Join("testdata", "seed.txt"))
	if err != nil {
		t.Fatal(err)
	}
	page := string(b)
	start := strings.Index(page, "US-Russia High-Stakes Diplomacy")
	const tail = "(With inputs from agencies.)"
	end := strings.Index(page, tail)
	if start < 0 || end < start {
		t.Fatalf("seed page changed: headline at %d, agency note at %d", start, end)
	}
	return page[start : end+len(tail)]
}

// checkLines asserts the rules every summary keeps.
func checkLines(t *testing.T, body string, lines []string) {
	t.Helper()
	if len(lines) > digest.MaxSummaryLines {
		t.Errorf("%d lines, want at most %d", len(lines), digest.MaxSummaryLines)
	}
	flat := normalizeSpace(body)
	pos := -1
	seen := map[string]bool{}
	for _, l := range lines {
		if n := utf8.RuneCountInString(l); n > digest.MaxLineLength || n == 0 {
			t.Errorf("line has %d runes: %q", n, l)
		}
		if !utf8.ValidString(l) {
			t.Errorf("line is not UTF-8: %q", l)
		}
		if l != normalizeSpace(l) {
			t.Errorf("line has unnormalised whitespace: %q", l)
		}
		if seen[l] {
			t.Errorf("line repeated: %q", l)
		}
		seen[l] = true
		// Each line is a sentence of the body or the start of one.
		probe := strings.TrimSuffix(strings.TrimSuffix(strings.TrimSuffix(l, "”"), "\""), "…")
		i := strings.Index(flat, probe)
		if i < 0 {
			t.Errorf("line not found in the body: %q", l)
			continue
		}
		if i <= pos {
			t.Errorf("line out of article order: %q", l)
		}
		pos = i
	}
}

func TestSummarizeSeed(t *testing.T) {
	body := seedBody(t)
	lines := Summarize(body)
	if len(lines) != 3 {
		t.Fatalf("got %d lines, want 3: %q", len(lines), lines)
	}
	checkLines(t, body, lines)
	for _, l := range lines {
		low := strings.ToLower(l)
		for _, bad := range []string{"ai-generated", "illustrative purposes", "with inputs from agencies",
			"devdiscourse", "country:", "updated:", "high-stakes diplomacy"} {
			if strings.Contains(low, bad) {
				t.Errorf("line %q holds %q", l, bad)
			}
		}
	}
	// The standfirst is the lead: the summary opens with it.
	if !strings.HasPrefix(lines[0], "US and Russian officials engage in extensive talks") {
		t.Errorf("first line %q is not the standfirst's first sentence", lines[0])
	}
	// Three different things: the place line 1 gave is not said again
	// ("The meeting occurred in Saudi Arabia, …"), and the article's one
	// note of caution is kept.
	if !strings.Contains(lines[0], "Saudi Arabia") {
		t.Errorf("first line %q lost the place", lines[0])
	}
	for _, l := range lines[1:] {
		if strings.Contains(l, "Saudi Arabia") {
			t.Errorf("line %q repeats the place of line 1", l)
		}
	}
	if !strings.Contains(lines[2], "experts caution") {
		t.Errorf("third line %q is not the article's note of caution", lines[2])
	}
	checkNoRepeats(t, lines)
}

// checkNoRepeats asserts that no line holds as much as half of its facts
// from the lines before it (Options.repeated, the check Summarize makes).
func checkNoRepeats(t *testing.T, lines []string) {
	t.Helper()
	var seen []*candidate
	for _, l := range lines {
		ws := words(l)
		c := &candidate{text: l, facts: bagOf(ws), names: namesOf(ws, "")}
		if r := defaults.repeated(c, seen); r > defaults.Redundancy {
			t.Errorf("line %q repeats %.0f%% of its facts from the lines before it", l, 100*r)
		}
		seen = append(seen, c)
	}
}

func TestSummarizeSkipsRepeatsQuestionsAndCaptions(t *testing.T) {
	tests := []struct {
		name, body string
		want       []string
	}{
		{"a line that repeats the place and the event",
			"Officials from both countries held talks in Geneva on Monday, the first meeting in three years. " +
				"The delegations agreed to reopen their embassies and to meet again next month in Vienna. " +
				"The meeting took place in Geneva, the officials said after the talks. " +
				"Analysts warned that the deal could still collapse over the question of sanctions.",
			[]string{"Officials from both countries held talks in Geneva on Monday, the first meeting in three years.",
				"The delegations agreed to reopen their embassies and to meet again next month in Vienna.",
				"Analysts warned that the deal could still collapse over the question of sanctions."}},
		{"a question in the lead",
			"Is it the end of the high street as we know it? " +
				"Three big chains closed 400 shops across the country on Monday, putting 9,000 jobs at risk. " +
				"The closures follow a year of falling sales and rising rents in most town centres. " +
				"Unions called on the government to cut business rates before more shops close.",
			[]string{"Three big chains closed 400 shops across the country on Monday, putting 9,000 jobs at risk.",
				"The closures follow a year of falling sales and rising rents in most town centres.",
				"Unions called on the government to cut business rates before more shops close."}},
		{"a heading between paragraphs",
			"The city opened its first public swimming pool in forty years on Saturday morning.\n\n" +
				"Opening hours and prices for the new pool in the city centre\n\n" +
				"More than two thousand people came on the first day, many of them children from nearby schools.\n\n" +
				"Entry is free for residents under sixteen until the end of the summer holidays.",
			[]string{"The city opened its first public swimming pool in forty years on Saturday morning.",
				"More than two thousand people came on the first day, many of them children from nearby schools.",
				"Entry is free for residents under sixteen until the end of the summer holidays."}},
		{"a glued photo caption",
			"Prisoner John Smith (pictured) was jailed for five years at Birmingham Crown Court last week A prisoner who sent thousands of threatening texts from his cell has been jailed. " +
				"Smith, 33, was serving time for harassment when he began contacting the woman in 2013. " +
				"He got her number from a cellmate and first asked her to change his password as a favour.",
			[]string{"A prisoner who sent thousands of threatening texts from his cell has been jailed.",
				"Smith, 33, was serving time for harassment when he began contacting the woman in 2013.",
				"He got her number from a cellmate and first asked her to change his password as a favour."}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			lines := Summarize(tt.body)
			if !reflect.DeepEqual(lines, tt.want) {
				t.Errorf("got  %q\nwant %q", lines, tt.want)
			}
			checkLines(t, tt.body, lines)
			checkNoRepeats(t, lines)
		})
	}
}

func TestSummarizeSkipsRepeatedStandfirst(t *testing.T) {
	stand := "The council approved the new budget for the city's schools on Monday after a long debate."
	body := stand + "\n\n" + stand + "\n\nTeachers had asked for higher pay for years and welcomed the decision warmly. " +
		"The mayor said the money would come from a new tax on hotel rooms in the centre. " +
		"Opponents said the tax would drive tourists away from the city to its neighbours."
	lines := Summarize(body)
	checkLines(t, body, lines)
	if len(lines) != 3 || lines[0] != stand || lines[1] == stand {
		t.Errorf("got %q, want the standfirst once then two other sentences", lines)
	}
}

func TestSummarizeOverlappingShortBody(t *testing.T) {
	// A short body whose second sentence says again most of what the first
	// says gives two lines rather than a repeat.
	body := "The city council approved the new school budget on Monday evening. " +
		"The new school budget approved by the council raises teacher pay in the city. " +
		"The council said the school budget would be paid by a tax on hotel rooms."
	lines := Summarize(body)
	checkLines(t, body, lines)
	checkNoRepeats(t, lines)
	want := []string{"The city council approved the new school budget on Monday evening.",
		"The council said the school budget would be paid by a tax on hotel rooms."}
	if !reflect.DeepEqual(lines, want) {
		t.Errorf("got %q, want %q", lines, want)
	}
}

func TestSummarizeShortBody(t *testing.T) {
	tests := []struct {
		name string
		body string
		want int
	}{
		{"empty", "", 0},
		{"only junk", "Read more\n\nClick here to subscribe to our newsletter.\n\n(With inputs from agencies.)\n\n© Copyright 2025", 0},
		{"one sentence", "The river burst its banks on Sunday, flooding hundreds of homes in the old town centre.", 1},
		{"two sentences and junk", "The river burst its banks on Sunday, flooding hundreds of homes in the old town centre. " +
			"Rescue teams worked through the night to reach families trapped on upper floors of houses.\n\n" +
			"Photo: Reuters\n\nFollow us on Twitter for the latest updates.", 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			lines := Summarize(tt.body)
			if len(lines) != tt.want {
				t.Errorf("got %d lines %q, want %d", len(lines), lines, tt.want)
			}
			checkLines(t, tt.body, lines)
		})
	}
}

func TestSummarizeN(t *testing.T) {
	body := "First sentence of this story is long enough to be a line. Second sentence of this story is long enough as well. " +
		"Third sentence of this story is long enough to matter here. Fourth sentence of the story follows the others now."
	if got := SummarizeN(body, 2, 200); len(got) != 2 {
		t.Errorf("SummarizeN(_, 2, 200) gave %d lines", len(got))
	}
	for _, l := range SummarizeN(body, 3, 40) {
		if utf8.RuneCountInString(l) > 40 {
			t.Errorf("line over 40 runes: %q", l)
		}
	}
	if got := SummarizeN(body, 0, 200); got != nil {
		t.Errorf("SummarizeN(_, 0, _) = %q", got)
	}
}

func TestIsJunk(t *testing.T) {
	tests := []struct {
		in   string
		want bool
	}{
		{"This image is AI-generated and does not depict any real-life event or location.", true},
		{"(With inputs from agencies.)", true},
		{"Read more: Why the talks failed", true},
		{"Click here to download the app.", true},
		{"Subscribe to our newsletter for daily updates.", true},
		{"Follow us on Twitter and Facebook.", true},
		{"By John Smith and Jane Doe", true},
		{"RIYADH (Reuters) -", true},
		{"LONDON, Feb 19 -", true},
		{"Devdiscourse News Desk | Riyadh | Updated: 19-02-2025 03:06 IST", true},
		{"© Copyright 2025 Devdiscourse", true},
		{"Photo: A protester holds a flag outside parliament.", true},
		{"Flying high: Half of the kite took to the sky in Chongqing last Saturday", true},
		{"Scroll down for video", true},
		{"TRENDING NOW IN THE WORLD", true},
		{"He said: 'We will be back next season with a stronger team.'", false},
		{"The meeting occurred in Saudi Arabia, aiming to end the conflict.", false},
		{"By contrast, the talks in Geneva ended without any agreement at all.", false},
		{"Related research shows the drug works in mice and in rats.", false},
		{"Also read: How the talks in Riyadh were prepared", true},
		{"Follow Jane Doe on Twitter for more stories like this.", true},
		{"Followers of the group on Twitter reacted with anger to the news.", false},
		{"Related stories: Floods hit the north of the country again", true},
		{"The flood destroyed the old bridge in the town centre (Photo: AP)", true},
		{"Sign up for our newsletter to get the latest alerts every day.", true},
	}
	for _, tt := range tests {
		if got := isJunk(tt.in, len(words(tt.in))); got != tt.want {
			t.Errorf("isJunk(%q) = %v, want %v", tt.in, got, tt.want)
		}
	}
}

type cnndmArticle struct {
	ID      string `json:"id"`
	Article string `json:"article"`
}

func cnndmArticles(t testing.TB, n int) []cnndmArticle {
	t.Helper()
	// Bench-scale: the articles belong to CNN and the Daily Mail, so they
	// stay in ../shared.
	f, err := os.Open(testenv.Shared(t, "bench/summaries/cnndm.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []cnndmArticle
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<24)
	for sc.Scan() && len(out) < n {
		var a cnndmArticle
		if err := json.Unmarshal(sc.Bytes(), &a); err != nil {
			t.Fatalf("cnndm line %d: %v", len(out)+1, err)
		}
		out = append(out, a)
	}
	if len(out) == 0 {
		t.Skip("summary: cnndm.jsonl is empty")
	}
	return out
}

func TestSummarizeCNNDM(t *testing.T) {
	for _, a := range cnndmArticles(t, 20) {
		t.Run(a.ID, func(t *testing.T) {
			lines := Summarize(a.Article)
			if len(lines) != 3 {
				t.Errorf("got %d lines for a full news article: %q", len(lines), lines)
			}
			checkLines(t, a.Article, lines)
			checkNoRepeats(t, lines)
			for _, l := range lines {
				if strings.HasPrefix(strings.ToLower(l), "scroll down") {
					t.Errorf("call to action chosen: %q", l)
				}
			}
		})
	}
}

// TestSummarizeRealBodies runs the summarizer on the true article bodies of
// the extraction benchmark: 112 pages from 92 sites in several languages
// (testdata/ground-truth.json.gz is ../shared/bench/extraction/ground-truth.json
// gzipped; Zyte's article-extraction benchmark, MIT).
func TestSummarizeRealBodies(t *testing.T) {
	truth := realBodies(t)
	three := 0
	for id, g := range truth {
		t.Run(id, func(t *testing.T) {
			lines := Summarize(g)
			checkLines(t, g, lines)
			if len(lines) == 3 {
				three++
			}
		})
	}
	// Nearly every real article has three usable sentences.
	if three < len(truth)*9/10 {
		t.Errorf("only %d of %d bodies gave three lines", three, len(truth))
	}
}

func FuzzSummarize(f *testing.F) {
	f.Add("The U.S. talks began. “Stop.” She left… 3.5% rose!\n\nNext paragraph here。还有？")
	f.Add("(With inputs from agencies.)\n\nRead more\n\nPhoto: AP")
	f.Add(strings.Repeat("word, ", 80) + "end.")
	f.Add("Mr. J. K. Rowling e.g. i.e. Jan. No. 5 etc. The end.")
	f.Add("\xff\xfe broken utf8 . sentence ! another ?")
	f.Add("बैठक रियाद में हुई। दोनों पक्ष सहमत हुए।")
	f.Fuzz(func(t *testing.T, body string) {
		lines := Summarize(body)
		if len(lines) > digest.MaxSummaryLines {
			t.Fatalf("%d lines", len(lines))
		}
		flat := normalizeSpace(strings.ToValidUTF8(body, ""))
		for _, l := range lines {
			if !utf8.ValidString(l) {
				t.Fatalf("invalid UTF-8 line %q", l)
			}
			if n := utf8.RuneCountInString(l); n == 0 || n > digest.MaxLineLength {
				t.Fatalf("line of %d runes: %q", n, l)
			}
			// Modulo the trimming mark and the quote it may close, each
			// line is a piece of the input.
			probe := strings.TrimRight(l, "…\"”")
			if !strings.Contains(flat, probe) {
				t.Fatalf("line %q not from input %q", l, body)
			}
		}
		sents := Sentences(body)
		for _, s := range sents {
			if s == "" || s != normalizeSpace(s) {
				t.Fatalf("bad sentence %q", s)
			}
		}
		// Splitting loses and invents nothing but spaces.
		nospace := func(s string) string { return strings.ReplaceAll(s, " ", "") }
		if got := nospace(strings.Join(sents, "")); got != nospace(flat) {
			t.Fatalf("sentences %q do not add up to the input %q", sents, body)
		}
	})
}

func BenchmarkSummarize(b *testing.B) {
	arts := cnndmArticles(b, 50)
	bytes := 0
	for _, a := range arts {
		bytes += len(a.Article)
	}
	b.SetBytes(int64(bytes / len(arts)))
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		Summarize(arts[i%len(arts)].Article)
	}
}

func BenchmarkSentences(b *testing.B) {
	arts := cnndmArticles(b, 50)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		Sentences(arts[i%len(arts)].Article)
	}
}

// realBodies reads testdata/ground-truth.json.gz, the true article bodies
// of the extraction benchmark by page ID.
func realBodies(t testing.TB) map[string]string {
	t.Helper()
	f, err := os.Open(filepath.Join("testdata", "ground-truth.json.gz"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	var truth map[string]struct{ ArticleBody string }
	if err := json.NewDecoder(zr).Decode(&truth); err != nil {
		t.Fatalf("ground-truth.json.gz: %v", err)
	}
	out := make(map[string]string, len(truth))
	for id, g := range truth {
		out[id] = g.ArticleBody
	}
	return out
}

func TestDefaultOptionsIsACopy(t *testing.T) {
	o := DefaultOptions()
	o.Window, o.Lines = 99, 1
	if defaults.Window == 99 || defaults.Lines == 1 || DefaultOptions() != defaults {
		t.Errorf("DefaultOptions shares the defaults: %+v", defaults)
	}
	if got := o.Summarize("The first sentence of the story is here. The second sentence follows it here."); len(got) != 1 {
		t.Errorf("Lines=1 gave %q", got)
	}
}
