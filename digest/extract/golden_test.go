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

// goldenPages are real pages: the seed dump and pages of the shared
// evaluation sets (found by URL in the extraction set, by file name in the
// others), read at test time.
var goldenPages = []struct {
	name, set, key string
}{
	{"seed", "seeds", "000_1a245fab6bbc05c5.txt"},
	{"vox", "extraction", "https://www.vox.com/science-and-health/2019/11/8/20948348/delhi-india-air-pollution-quality-cause"},
	{"sciencealert", "extraction", "https://www.sciencealert.com/nasa-finds-water-plumes-above-the-surface-of-jupiter-s-icy-moon-europa"},
	{"wsj", "extraction", "https://www.wsj.com/articles/google-stadia-microsoft-xcloud-apple-arcade-so-many-ways-to-playand-pay-11574168580"},
	{"almadenahnews", "dates", "1588107198.html"},
	{"eawag", "headlines", "eawag.ch-elektron.html"},
}

func TestGolden(t *testing.T) {
	for _, g := range goldenPages {
		t.Run(g.name, func(t *testing.T) {
			file, url := locate(t, g.set, g.key)
			body := readShared(t, file)
			a, err := Extract(digest.Page{URL: url, Body: body, Name: file}, Options{})
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

// locate returns the shared file of a golden page and its URL.
func locate(t *testing.T, set, key string) (file, pageURL string) {
	t.Helper()
	switch set {
	case "seeds":
		return "seeds/" + key, ""
	case "extraction":
		var truth map[string]struct {
			URL string `json:"url"`
		}
		if err := json.Unmarshal(readShared(t, "bench/extraction/ground-truth.json"), &truth); err != nil {
			t.Fatal(err)
		}
		for id, v := range truth {
			if v.URL == key {
				return "bench/extraction/html/" + id + ".html.gz", v.URL
			}
		}
	default:
		var labels map[string]struct {
			File string `json:"file"`
		}
		if err := json.Unmarshal(readShared(t, "bench/"+set+"/labels.json"), &labels); err != nil {
			t.Fatal(err)
		}
		for u, v := range labels {
			if v.File == key {
				return "bench/" + set + "/html/" + key + ".gz", u
			}
		}
	}
	t.Skipf("page %s not in the %s set", key, set)
	return "", ""
}

// TestSeed checks the seed page against what its README says the card must
// hold, independently of the golden file.
func TestSeed(t *testing.T) {
	body := readShared(t, "seeds/000_1a245fab6bbc05c5.txt")
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
