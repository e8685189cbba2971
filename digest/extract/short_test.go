package extract

import (
	"bytes"
	"compress/gzip"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"newsdigest/digest"
)

func readTestdataGz(t *testing.T, name string) []byte {
	t.Helper()
	f, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	zr, err := gzip.NewReader(bytes.NewReader(f))
	if err != nil {
		t.Fatal(err)
	}
	b, err := io.ReadAll(zr)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// A short news item (about 110 words, og:type article) gives a card: the
// general extractor keeps only its teaser (93 characters), and the page
// used to give "no article found". Page: jagderleben.de, saved in
// trafilatura's evaluation set (Apache-2.0).
func TestShortArticleGivesCard(t *testing.T) {
	page := digest.Page{URL: "https://www.jagderleben.de/news/waldwege-unrechtsmaessig-gesperrt-polizei-ermittelt-wegen-noetigung-713266",
		Body: readTestdataGz(t, "short-jagderleben-waldwege.html.gz"), Name: "short-jagderleben-waldwege.html.gz"}
	a, err := Extract(page, Options{})
	if err != nil {
		t.Fatalf("Extract: %v", err)
	}
	if a.Headline != "Waldwege unrechtsmäßig gesperrt: Polizei ermittelt wegen Nötigung" {
		t.Errorf("headline %q", a.Headline)
	}
	for _, want := range []string{"Im Bereich Reichenbacherhof bei Otterberg", "Die Polizei ermittelt nun wegen Nötigung"} {
		if !strings.Contains(a.Body, want) {
			t.Errorf("body lacks %q:\n%s", want, a.Body)
		}
	}
	// The photo caption and the comment box are no part of it.
	for _, bad := range []string{"Symbolbild", "Kommentieren Sie"} {
		if strings.Contains(a.Body, bad) {
			t.Errorf("body holds %q:\n%s", bad, a.Body)
		}
	}
	if n := words(a.Body); n < minShortWords || n > 200 {
		t.Errorf("body of %d words", n)
	}
}

// A page that calls itself an article but holds no sentences (a radio
// station's home page with og:type article) still gives no card.
func TestDeclaredArticleWithoutSentencesGivesNoCard(t *testing.T) {
	page := digest.Page{URL: "https://www.96fm.ie/", Body: readTestdataGz(t, "short-96fm-home.html.gz"), Name: "short-96fm-home.html.gz"}
	_, err := Extract(page, Options{})
	if !errors.Is(err, digest.ErrNoArticle) {
		t.Fatalf("Extract = %v, want no article", err)
	}
}

func TestSomeSentences(t *testing.T) {
	for _, tc := range []struct {
		text string
		want bool
	}{
		{"", false},
		{"One sentence only, though it runs on and on with many words to pass the count of words we ask for here.", false},
		{"Two short ones. Not enough words.", false},
		{"The council met on Monday and voted to close the old bridge to cars. Repairs start in May and take a year, the mayor said.", true},
		{"Listen live now on air with the best music mix in town all day long every day of the week here on our station app", false},
	} {
		if got := someSentences(tc.text); got != tc.want {
			t.Errorf("someSentences(%q) = %v, want %v", tc.text, got, tc.want)
		}
	}
}
