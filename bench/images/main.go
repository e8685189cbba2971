// Command images measures the lead-image rule of digest/extract on the
// 112 pages of Zyte's article-extraction benchmark, in two parts (see
// tuningPages), whose right picture was labelled by hand (labels.json for
// the tuning part, heldout.json for the held-out part): the URLs under which
// the page offers the article's own lead picture (usually its og:image,
// once checked against the page's other images), or none where the page
// has no picture of the article (only logos, icons, ads or unrelated
// promos). A picture offered only over http is labelled too: the rule
// refuses it (cards show https pictures only), so it counts as missed.
//
//	cd bench && go run ./images          # precision and recall
//	cd bench && go run ./images -dump held-out   # the candidates of each page, for labelling
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"

	"newsdigest/bench/internal/benchdata"
	"newsdigest/digest"
	"newsdigest/digest/extract"
)

func main() {
	data := flag.String("data", "../../shared/bench", "evaluation data folder")
	dump := flag.String("dump", "", "print the candidates of each page of this part (tuning or held-out) instead of scoring; held-out pages without the rule's pick, for labelling blind")
	flag.Parse()
	if err := run(*data, *dump); err != nil {
		slog.Error("images bench failed", "err", err)
		os.Exit(1)
	}
}

// The pages by id: the first 50 were labelled while the rule was made
// (tuning); the other 62 were labelled afterwards, blind to the rule's
// picks, and the rule was not changed after (held out).
const tuningPages = 50

type part struct {
	name, labels string
	ids          []string
}

type truth struct {
	URL string `json:"url"`
}

var (
	metaImgRe = regexp.MustCompile(`(?i)<meta[^>]+(?:property|name)=["'](?:og:image(?::secure_url|:url)?|twitter:image(?::src)?)["'][^>]*>`)
	imgRe     = regexp.MustCompile(`(?i)<img\b[^>]*>`)
)

func run(data, dump string) error {
	gt := map[string]truth{}
	b, err := os.ReadFile(filepath.Join(data, "extraction", "ground-truth.json"))
	if err != nil {
		return fmt.Errorf("read ground truth (needs ../shared/bench): %w", err)
	}
	if err := json.Unmarshal(b, &gt); err != nil {
		return fmt.Errorf("parse ground truth: %w", err)
	}
	ids := make([]string, 0, len(gt))
	for id := range gt {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	parts := []part{{"tuning", "images/labels.json", ids[:tuningPages]}, {"held-out", "images/heldout.json", ids[tuningPages:]}}
	for _, p := range parts {
		if dump != "" && dump != p.name {
			continue
		}
		if err := score(data, gt, p, dump != ""); err != nil {
			return err
		}
	}
	return nil
}

// score measures the rule on one part, or with dump prints its pages'
// candidates (the rule's pick only on the tuning part).
func score(data string, gt map[string]truth, p part, dump bool) error {
	labels := map[string][]string{}
	if !dump {
		lb, err := os.ReadFile(p.labels)
		if err != nil {
			return fmt.Errorf("read labels: %w", err)
		}
		if err := json.Unmarshal(lb, &labels); err != nil {
			return fmt.Errorf("parse labels %s: %w", p.labels, err)
		}
	}
	var picked, right, wrongPick, missed, none, labelled int
	for _, id := range p.ids {
		raw, err := benchdata.ReadGz(filepath.Join(data, "extraction", "html", id+".html.gz"))
		if err != nil {
			return err
		}
		art, err := extract.Metadata(digest.Page{URL: gt[id].URL, Body: raw, Name: id})
		got := ""
		if err == nil {
			got = art.Image
		}
		if dump {
			fmt.Printf("== %s %s\n", id, gt[id].URL)
			if p.name == "tuning" {
				fmt.Printf("  picked: %s\n", got)
			}
			for _, m := range metaImgRe.FindAll(raw, 4) {
				fmt.Printf("  meta: %s\n", trim(string(m), 300))
			}
			for i, m := range imgRe.FindAll(raw, -1) {
				if i >= 8 {
					break
				}
				fmt.Printf("  img: %s\n", trim(string(m), 300))
			}
			continue
		}
		want, ok := labels[id]
		if !ok {
			return fmt.Errorf("page %s has no label in %s", id, p.labels)
		}
		labelled++
		switch {
		case got != "" && anySame(got, want):
			picked++
			right++
		case got != "":
			picked++
			wrongPick++
			fmt.Printf("wrong   %s: picked %s, right %q\n", id, got, want)
		case len(want) > 0:
			missed++
			fmt.Printf("missed  %s: right %s\n", id, want)
		default:
			none++
		}
	}
	if dump {
		return nil
	}
	fmt.Printf("\n%s: %d pages labelled: %d have a picture by the labels\n", p.name, labelled, labelled-countNone(labels, p.ids))
	fmt.Printf("picked %d: %d right, %d wrong -> precision %.3f\n", picked, right, wrongPick, ratio(right, picked))
	fmt.Printf("recall %.3f (right picks / pages with a picture); %d pages without a picture correctly given none\n\n",
		ratio(right, labelled-countNone(labels, p.ids)), none)
	return nil
}

func anySame(got string, want []string) bool {
	for _, w := range want {
		if sameImage(got, w) {
			return true
		}
	}
	return false
}

func countNone(labels map[string][]string, ids []string) int {
	k := 0
	for _, id := range ids {
		if len(labels[id]) == 0 {
			k++
		}
	}
	return k
}

// sameImage compares URLs ignoring the scheme and a trailing query that
// only sizes the picture.
func sameImage(a, b string) bool {
	norm := func(s string) string {
		s = strings.TrimPrefix(strings.TrimPrefix(s, "https:"), "http:")
		return strings.TrimPrefix(s, "//")
	}
	return b != "" && norm(a) == norm(b)
}

func ratio(a, b int) float64 {
	if b == 0 {
		return 0
	}
	return float64(a) / float64(b)
}

func trim(s string, n int) string {
	if len(s) > n {
		return s[:n] + "…"
	}
	return s
}
