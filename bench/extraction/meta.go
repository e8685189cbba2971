package main

import (
	"errors"
	"fmt"
	"hash/fnv"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"newsdigest/bench/internal/benchdata"
	"newsdigest/digest"
	"newsdigest/digest/extract"
)

// heldOutURL marks the labelled pages kept out of development: a quarter,
// by a hash of the URL.
func heldOutURL(u string) bool {
	h := fnv.New32a()
	h.Write([]byte(u))
	return h.Sum32()%4 == 0
}

type labelled struct {
	URL, File, Title string
	Date             *string
	HTML             []byte
}

func loadLabels(dir string) ([]labelled, error) {
	var labels map[string]struct {
		File  string  `json:"file"`
		Title string  `json:"title"`
		Date  *string `json:"date"`
	}
	if err := benchdata.ReadJSON(filepath.Join(dir, "labels.json"), &labels); err != nil {
		return nil, err
	}
	var out []labelled
	for u, l := range labels {
		h, err := benchdata.ReadGz(filepath.Join(dir, "html", l.File+".gz"))
		if err != nil {
			return nil, err
		}
		out = append(out, labelled{URL: u, File: l.File, Title: l.Title, Date: l.Date, HTML: h})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].URL < out[j].URL })
	return out, nil
}

func oursMeta(l labelled) (digest.Article, error) {
	a, err := extract.Extract(digest.Page{URL: l.URL, Body: l.HTML, Name: l.File}, extract.Options{})
	var na *digest.NoArticleError
	if errors.As(err, &na) {
		// The headline and date are still wanted where the body is short.
		a, err = extract.Metadata(digest.Page{URL: l.URL, Body: l.HTML, Name: l.File})
	}
	return a, err
}

func sameText(a, b string) bool {
	return strings.Join(strings.Fields(a), " ") == strings.Join(strings.Fields(b), " ")
}

// hits counts exact matches over all pages, and over the development and
// held-out parts.
type hits struct{ all, dev, held, nAll, nDev, nHeld int }

func (h *hits) add(ok, held bool) {
	h.nAll++
	if held {
		h.nHeld++
	} else {
		h.nDev++
	}
	if !ok {
		return
	}
	h.all++
	if held {
		h.held++
	} else {
		h.dev++
	}
}

func (h hits) row(name string) string {
	r := func(a, n int) float64 { return float64(a) / float64(max(1, n)) }
	return fmt.Sprintf("| %s | %.3f (%d) | %.3f | %.3f |\n", name, r(h.all, h.nAll), h.all, r(h.dev, h.nDev), r(h.held, h.nHeld))
}

func headlineBench(dir string, withPeers bool) (string, error) {
	ls, err := loadLabels(dir)
	if err != nil {
		return "", err
	}
	var ours, traf hits
	for _, l := range ls {
		if l.Title == "" {
			continue
		}
		held := heldOutURL(l.URL)
		a, _ := oursMeta(l)
		ok := sameText(a.Headline, l.Title)
		ours.add(ok, held)
		if !ok && os.Getenv("SHOW_MISSES") != "" && !held {
			fmt.Println("MISS", a.Headline, "||", l.Title)
		}
		if withPeers {
			r, err := trafilaturaRun(l.HTML, l.URL)
			traf.add(err == nil && r != nil && sameText(r.Metadata.Title, l.Title), held)
		}
	}
	var b strings.Builder
	fmt.Fprintf(&b, "\n## Headlines: exact match on %d titled pages of trafilatura's evaluation set\n\nWhite space normalised, case kept. Held-out: the %d pages (a quarter, by URL hash) not looked at while developing.\n\n| extractor | exact match | dev | held-out |\n|---|---|---|---|\n", ours.nAll, ours.nHeld)
	b.WriteString(ours.row("newsdigest extract"))
	if withPeers {
		b.WriteString(traf.row("go-trafilatura"))
	}
	return b.String(), nil
}

// dateHeldOut splits the dated pages of both sets (htmldate's and the
// headline set) for the date work: FNV-1a 32 of the page URL, odd = held
// out (never looked at while developing), even = tuning. The rule was fixed
// before any date change was made.
func dateHeldOut(u string) bool {
	h := fnv.New32a()
	h.Write([]byte(u))
	return h.Sum32()%2 == 1
}

// dateScore counts answers the way htmldate's evaluation does: one date per
// page; right when it equals the label, a false positive otherwise (also on
// a page labelled with no date); no answer on a dated page is a miss.
type dateScore struct{ tp, fp, fn, tn int }

func (s *dateScore) add(got time.Time, label *string) bool {
	switch {
	case got.IsZero() && label == nil:
		s.tn++
		return true
	case got.IsZero():
		s.fn++
	case label != nil && got.Format("2006-01-02") == *label:
		s.tp++
		return true
	default:
		s.fp++
	}
	return false
}

func (s dateScore) prf() (p, r, f float64) {
	p = float64(s.tp) / float64(max(1, s.tp+s.fp))
	r = float64(s.tp) / float64(max(1, s.tp+s.fn))
	if p+r > 0 {
		f = 2 * p * r / (p + r)
	}
	return p, r, f
}

func (s dateScore) cell() string {
	p, r, f := s.prf()
	return fmt.Sprintf("%.3f / %.3f / **%.3f**", p, r, f)
}

// dateRun is one extractor's scores on the tuning and held-out parts.
type dateRun struct {
	name       string
	tune, held dateScore
	fn         func(l labelled) time.Time
}

func (r *dateRun) add(l labelled, show bool) {
	got := r.fn(l)
	held := dateHeldOut(l.URL)
	part := &r.tune
	if held {
		part = &r.held
	}
	ok := part.add(got, l.Date)
	if !ok && show && !held {
		want := "none"
		if l.Date != nil {
			want = *l.Date
		}
		g := "none"
		if !got.IsZero() {
			g = got.Format(time.RFC3339)
		}
		fmt.Printf("DATE MISS got %s want %s %s %s\n", g, want, l.File, l.URL)
	}
}

func dateRuns(withPeers bool) []*dateRun {
	runs := []*dateRun{{name: "newsdigest extract", fn: func(l labelled) time.Time {
		a, _ := oursMeta(l)
		return a.Dateline.Published
	}}}
	if withPeers {
		runs = append(runs,
			&dateRun{name: "go-htmldate (extensive)", fn: func(l labelled) time.Time {
				d, _ := htmldateDate(l.HTML, l.URL)
				return d
			}},
			&dateRun{name: "go-trafilatura", fn: func(l labelled) time.Time {
				if r, err := trafilaturaRun(l.HTML, l.URL); err == nil && r != nil {
					return r.Metadata.Date
				}
				return time.Time{}
			}})
	}
	return runs
}

// dateBench scores publication dates on htmldate's set and on the dated
// pages of the headline set, each split into tuning and held-out parts.
func dateBench(data string, withPeers bool) (string, error) {
	show := os.Getenv("SHOW_DATE_MISSES") != ""
	var b strings.Builder
	fmt.Fprintf(&b, "\n## Publication dates\n\nhtmldate's method: one date per page, right when equal to the label (YYYY-MM-DD); no answer on a dated page is a miss; a date given for a page labelled with none is a false positive. Cells are precision / recall / **F**. "+
		"Parts: FNV-1a 32 of the page URL, odd = held out (not looked at while developing the date code), even = tuning; fixed before the date work of issue 15. All extractors run in the same process on the same pages.\n\n")
	for _, set := range []struct{ dir, what string }{
		{"dates", "htmldate's MediaCloud set"},
		{"headlines", "dated pages of trafilatura's headline set"},
	} {
		ls, err := loadLabels(filepath.Join(data, set.dir))
		if err != nil {
			return "", err
		}
		runs := dateRuns(withPeers)
		nt, nh := 0, 0
		for _, l := range ls {
			if set.dir == "headlines" && (l.Date == nil || len(*l.Date) != 10) {
				continue // unlabelled for dates
			}
			if show && len(runs) > 1 && !dateHeldOut(l.URL) {
				// Tuning pages that go-htmldate gets and we miss.
				var a, b dateScore
				if !a.add(runs[0].fn(l), l.Date) && b.add(runs[1].fn(l), l.Date) {
					fmt.Printf("PEER BETTER %s %s\n", l.File, l.URL)
				}
			}
			if dateHeldOut(l.URL) {
				nh++
			} else {
				nt++
			}
			for _, r := range runs {
				r.add(l, show && r.name == "newsdigest extract")
			}
		}
		fmt.Fprintf(&b, "### %s (%d tuning, %d held-out pages)\n\n| extractor | tuning P / R / F | held-out P / R / F |\n|---|---|---|\n", set.what, nt, nh)
		for _, r := range runs {
			fmt.Fprintf(&b, "| %s | %s | %s |\n", r.name, r.tune.cell(), r.held.cell())
		}
		b.WriteString("\n")
	}
	return b.String(), nil
}
