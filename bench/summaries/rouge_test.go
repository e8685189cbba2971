package main

import (
	"bufio"
	"math"
	"os"
	"strings"
	"testing"
)

// porterFile is the path of the stems to check against: by default the
// sample in testdata (made with NLTK 3.8's PorterStemmer() on every 8th word
// of the CNN/DailyMail vocabulary plus the examples of Porter's paper);
// PORTER_TSV points at a bigger list made the same way.
func porterFile() string {
	if p := os.Getenv("PORTER_TSV"); p != "" {
		return p
	}
	return "testdata/porter_nltk.tsv"
}

func TestStemMatchesNLTK(t *testing.T) {
	f, err := os.Open(porterFile())
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	n, bad := 0, 0
	for sc.Scan() {
		word, want, ok := strings.Cut(sc.Text(), "\t")
		if !ok {
			t.Fatalf("bad line %q", sc.Text())
		}
		n++
		if got := stem(word); got != want {
			bad++
			if bad <= 20 {
				t.Errorf("stem(%q) = %q, NLTK says %q", word, got, want)
			}
		}
	}
	if n < 1000 {
		t.Fatalf("only %d words checked", n)
	}
}

func TestStemPaperExamples(t *testing.T) {
	for word, want := range map[string]string{
		"caresses": "caress", "ponies": "poni", "ties": "tie", "cats": "cat",
		"agreed": "agre", "plastered": "plaster", "motoring": "motor", "sing": "sing",
		"conflated": "conflat", "hopping": "hop", "falling": "fall", "filing": "file",
		"happy": "happi", "relational": "relat", "generously": "gener", "dying": "die",
		"news": "news", "skies": "sky", "adjustment": "adjust", "controll": "control",
	} {
		if got := stem(word); got != want {
			t.Errorf("stem(%q) = %q, want %q", word, got, want)
		}
	}
}

func TestTokenize(t *testing.T) {
	got := strings.Join(tokenize("The U.S.-Russia talks' 3.5% rise, running!"), " ")
	want := "the u s russia talk 3 5 rise run"
	if got != want {
		t.Errorf("tokenize = %q, want %q", got, want)
	}
}

func near(a, b float64) bool { return math.Abs(a-b) < 1e-9 }

func TestRougeN(t *testing.T) {
	// rouge-score's docstring example, worked out by hand: target 9 tokens,
	// prediction 8, shared unigrams the×2 quick brown dog jump.
	tg := tokenize("The quick brown fox jumps over the lazy dog")
	pr := tokenize("The quick brown dog jumps on the log.")
	s := rougeN(tg, pr, 1)
	if !near(s.P, 6.0/8) || !near(s.R, 6.0/9) {
		t.Errorf("rouge1 = %+v, want P 6/8 R 6/9", s)
	}
	s = rougeN(tg, pr, 2)
	// bigrams shared: "the quick", "quick brown".
	if !near(s.P, 2.0/7) || !near(s.R, 2.0/8) {
		t.Errorf("rouge2 = %+v, want P 2/7 R 2/8", s)
	}
	if s := rougeN(nil, pr, 1); s.F != 0 {
		t.Errorf("empty target F = %v", s.F)
	}
}

func TestRougeLsum(t *testing.T) {
	// The example of Lin (2004), section 3.2: reference "w1 w2 w3 w4 w5",
	// candidates "w1 w2 w6 w7 w8" and "w1 w3 w8 w9 w5": union LCS is
	// w1 w2 w3 w5, so recall 4/5 and precision 4/10.
	ref := [][]string{{"w1", "w2", "w3", "w4", "w5"}}
	can := [][]string{{"w1", "w2", "w6", "w7", "w8"}, {"w1", "w3", "w8", "w9", "w5"}}
	s := rougeLsum(ref, can)
	if !near(s.R, 4.0/5) || !near(s.P, 4.0/10) {
		t.Errorf("lsum = %+v, want R 4/5 P 4/10", s)
	}
	// Tokens are not counted twice: the reference has one "a".
	s = rougeLsum([][]string{{"a", "b"}}, [][]string{{"a"}, {"a"}})
	if !near(s.R, 1.0/2) || !near(s.P, 1.0/2) {
		t.Errorf("lsum double count = %+v, want 1/2 1/2", s)
	}
	if s := rougeLsum(nil, can); s.F != 0 {
		t.Errorf("no reference F = %v", s.F)
	}
}

func TestRefSentences(t *testing.T) {
	got := refSentences("Gary Locke will be confirmed on Friday . The club went unbeaten . He paid tribute .")
	if len(got) != 3 || got[0] != "Gary Locke will be confirmed on Friday" || got[2] != "He paid tribute" {
		t.Errorf("refSentences = %q", got)
	}
}
