package extract

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"newsdigest/digest"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

// goldenPages are real pages, kept in testdata/pages as faithful copies of
// the seed dump and of pages of the shared evaluation sets (Zyte's
// extraction benchmark, MIT; htmldate's and trafilatura's sets,
// Apache-2.0), with the URL each was served at. shared is the original
// under ../shared, which TestGoldenPagesAreCopies compares when present.
var goldenPages = []struct {
	name, file, url, shared string
}{
	{"seed", "seed.txt", "", "seeds/000_1a245fab6bbc05c5.txt"},
	{"vox", "vox.html.gz", "https://www.vox.com/science-and-health/2019/11/8/20948348/delhi-india-air-pollution-quality-cause", "bench/extraction/html/16c30add7e96315e9cc957d85aa876ccb6b70055f0ddab51547a586117cc1f56.html.gz"},
	{"sciencealert", "sciencealert.html.gz", "https://www.sciencealert.com/nasa-finds-water-plumes-above-the-surface-of-jupiter-s-icy-moon-europa", "bench/extraction/html/14cc2a0ca59c62a8c9f205a171e9ccf4ef4cf69b0c642f51c8c65c051b39024f.html.gz"},
	{"wsj", "wsj.html.gz", "https://www.wsj.com/articles/google-stadia-microsoft-xcloud-apple-arcade-so-many-ways-to-playand-pay-11574168580", "bench/extraction/html/042bb7b5fedab6eac7db576522b89b93904c237d344bcbe14a6a5ab7f7335856.html.gz"},
	{"almadenahnews", "almadenahnews.html.gz", "https://www.almadenahnews.com/article/825076-%D8%A3%D9%85%D9%8A%D8%B1%D9%83%D8%A7-50-%D8%A7%D9%84%D9%81%D8%A7-%D8%AD%D8%B5%D9%8A%D9%84%D8%A9-%D8%A7%D9%84%D9%88%D9%81%D9%8A%D8%A7%D8%AA-%D8%A8%D8%B3%D8%A8%D8%A8-%D9%81%D9%8A%D8%B1%D9%88%D8%B3-%D9%83%D9%88%D8%B1%D9%88%D9%86%D8%A7", "bench/dates/html/1588107198.html.gz"},
	{"eawag", "eawag.html.gz", "https://www.eawag.ch/de/news-agenda/news-plattform/news/auf-das-erste-elektron-kommt-es-an/", "bench/headlines/html/eawag.ch-elektron.html.gz"},
}

func TestGolden(t *testing.T) {
	for _, g := range goldenPages {
		t.Run(g.name, func(t *testing.T) {
			file := filepath.Join("testdata", "pages", g.file)
			body := readFile(t, file)
			a, err := Extract(digest.Page{URL: g.url, Body: body, Name: g.shared}, Options{})
			if err != nil {
				t.Fatalf("Extract(%s): %v", file, err)
			}
			got, err := json.MarshalIndent(a, "", "  ")
			if err != nil {
				t.Fatal(err)
			}
			got = append(got, '\n')
			path := filepath.Join("testdata", g.name+".golden")
			if *update {
				if err := os.WriteFile(path, got, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("read golden (run with -update to create): %v", err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("Extract(%s) differs from %s:\ngot:\n%s\nwant:\n%s", file, path, got, want)
			}
		})
	}
}

// TestGoldenPagesAreCopies checks that testdata/pages holds the shared
// pages unchanged.
func TestGoldenPagesAreCopies(t *testing.T) {
	for _, g := range goldenPages {
		orig := readShared(t, g.shared)
		if copy := readFile(t, filepath.Join("testdata", "pages", g.file)); !bytes.Equal(copy, orig) {
			t.Errorf("testdata/pages/%s is not ../shared/%s", g.file, g.shared)
		}
	}
}

// TestSeed checks the seed page against what its README says the card must
// hold, independently of the golden file.
func TestSeed(t *testing.T) {
	body := readFile(t, filepath.Join("testdata", "pages", "seed.txt"))
	a, err := Extract(digest.Page{Body: body, Name: "seed"}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if want := "US-Russia High-Stakes Diplomacy: A Tentative Step Towards Peace"; a.Headline != want {
		t.Errorf("headline = %q, want %q", a.Headline, want)
	}
	d := a.Dateline
	if d.Place != "Riyadh" || d.Desk != "Devdiscourse News Desk" || d.Zone != "IST" || !d.HasTime {
		t.Errorf("dateline = %+v", d)
	}
	want := time.Date(2025, 2, 19, 3, 6, 0, 0, time.FixedZone("IST", 330*60))
	if !d.Published.Equal(want) {
		t.Errorf("published = %v, want %v", d.Published, want)
	}
	if _, off := d.Published.Zone(); off != 330*60 {
		t.Errorf("offset = %d, want +05:30", off)
	}
	paras := strings.Split(a.Body, "\n\n")
	if len(paras) != 4 {
		t.Errorf("body has %d paragraphs, want standfirst + 3:\n%s", len(paras), a.Body)
	}
	for _, bad := range []string{"AI-generated", "Country", "Saudi Arabia\n", "With inputs", "TRENDING", "OPINION", "Scandal in Argentina", "Copyright", "Devdiscourse News Desk"} {
		if strings.Contains(a.Body, bad) {
			t.Errorf("body holds %q", bad)
		}
	}
	if !strings.HasPrefix(a.Body, "US and Russian officials engage") || !strings.HasSuffix(a.Body, "details remain undisclosed.") {
		t.Errorf("body starts or ends wrong:\n%s", a.Body)
	}
}
