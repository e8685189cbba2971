// Command stories measures the story grouping of digest/story on the ECB+
// set (../shared/bench/stories/ecbplus.jsonl) against a plain TF-IDF
// average-link baseline, with topics held out, in file and shuffled
// orders, and writes bench/results/stories.md.
//
//	cd bench && go run ./stories
package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"

	"newsdigest/digest/story"
)

// gold is what the scorer alone reads: the gold story and topic per id.
type gold struct {
	Cluster string `json:"cluster"`
	Topic   int    `json:"topic"`
}

type set struct {
	docs  []story.Doc
	gold  map[string]string
	topic map[string]int
}

func load(path string) (set, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return set{}, fmt.Errorf("stories: %w", err)
	}
	docs, err := story.ReadJSONL(bytes.NewReader(b))
	if err != nil {
		return set{}, fmt.Errorf("stories: %s: %w", path, err)
	}
	s := set{docs: docs, gold: map[string]string{}, topic: map[string]int{}}
	sc := bufio.NewScanner(bytes.NewReader(b))
	sc.Buffer(nil, 16<<20)
	for i := 0; sc.Scan(); i++ {
		var g gold
		if err := json.Unmarshal(sc.Bytes(), &g); err != nil {
			return set{}, fmt.Errorf("stories: %s line %d: %w", path, i+1, err)
		}
		s.gold[docs[i].ID] = g.Cluster
		s.topic[docs[i].ID] = g.Topic
	}
	return s, nil
}

// subset keeps the docs whose topic passes keep, in file order.
func (s set) subset(keep func(topic int) bool) set {
	out := set{gold: map[string]string{}, topic: map[string]int{}}
	for _, d := range s.docs {
		if keep(s.topic[d.ID]) {
			out.docs = append(out.docs, d)
			out.gold[d.ID] = s.gold[d.ID]
			out.topic[d.ID] = s.topic[d.ID]
		}
	}
	return out
}

// leads keeps a title-less doc's first two lines: what an outlet's
// headline and lead would give.
func (s set) leads() set {
	out := s
	out.docs = make([]story.Doc, len(s.docs))
	for i, d := range s.docs {
		lines := strings.SplitN(d.Text, "\n", 3)
		if len(lines) > 2 {
			lines = lines[:2]
		}
		d.Text = strings.Join(lines, "\n")
		out.docs[i] = d
	}
	return out
}

func shuffled(docs []story.Doc, seed uint64) []story.Doc {
	out := append([]story.Doc(nil), docs...)
	r := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	r.Shuffle(len(out), func(i, j int) { out[i], out[j] = out[j], out[i] })
	return out
}

func main() {
	data := flag.String("data", "../../shared/bench/stories/ecbplus.jsonl", "ECB+ story set")
	out := flag.String("out", "results/stories.md", "results table")
	seeds := flag.Int("seeds", 5, "shuffled orders to report")
	explainT := flag.Float64("explain", 0, "print the gold/predicted split of the whole file at this threshold, and stop")
	sweep := flag.Float64("sweep", 0, "print B-cubed F1 of the whole file over thresholds at this entity weight, and stop")
	dev := flag.String("dev", "", "print the dev figures (full, short, short three per story) at threshold,entity,margin[,conflict], and stop")
	devHalf := flag.Int("devsweep", -1, "with -dev: sweep thresholds on the odd (1) or even (0) topics")
	devMix := flag.Int("devmixed", -1, "with -dev: print mixed predicted stories of the short three-per-story windows of the odd (1) or even (0) topics")
	flag.Parse()
	s, err := load(*data)
	if err != nil {
		slog.Error("stories: cannot load the set", "err", err)
		os.Exit(1)
	}
	if *dev == "tune" {
		fmt.Print(devTune(s))
		return
	}
	if *dev == "show" {
		fmt.Print(devShow(s))
		return
	}
	if *dev != "" {
		var st setting
		st.ConflictMargin = story.DefaultConflictMargin
		if _, err := fmt.Sscanf(*dev, "%g,%g,%g,%g", &st.Threshold, &st.EntityWeight, &st.MergeMargin, &st.ConflictMargin); err != nil && st.MergeMargin == 0 {
			slog.Error("stories: -dev wants threshold,entity,margin", "err", err)
			os.Exit(2)
		}
		if *devMix >= 0 {
			fmt.Print(devMixed(s, st, *devMix))
			return
		}
		if *devHalf >= 0 {
			fmt.Print(devSweep(s, st.EntityWeight, st.MergeMargin, *devHalf))
			return
		}
		fmt.Print(devReport(s, st))
		return
	}
	if *sweep > 0 {
		for _, t := range seq(0.08, 0.40, 0.02) {
			st := setting{t, *sweep, story.DefaultMergeMargin, story.DefaultConflictMargin}
			fo := bcubed(ours(s, st), s.gold).F
			var sh []float64
			for seed := 1; seed <= 3; seed++ {
				sd := s
				sd.docs = shuffled(s.docs, uint64(seed))
				sh = append(sh, bcubed(ours(sd, st), s.gold).F)
			}
			lf := bcubed(ours(s.leads(), st), s.gold).F
			fmt.Printf("t=%.2f file %.3f shuffled %.3f leads %.3f\n", t, fo, mean(sh), lf)
		}
		return
	}
	if *explainT > 0 {
		st := defaults
		st.Threshold = *explainT
		pred := ours(s, st)
		fmt.Print(explain(s, pred))
		fmt.Println("file order", bcubed(pred, s.gold))
		sd := s
		sd.docs = shuffled(s.docs, 1)
		fmt.Println("shuffled 1", bcubed(ours(sd, st), s.gold))
		return
	}
	var b strings.Builder
	report(&b, s, *seeds)
	if err := os.MkdirAll(filepath.Dir(*out), 0o755); err != nil {
		slog.Error("stories: cannot write results", "err", err)
		os.Exit(1)
	}
	if err := os.WriteFile(*out, []byte(b.String()), 0o644); err != nil {
		slog.Error("stories: cannot write results", "err", err)
		os.Exit(1)
	}
	fmt.Print(b.String())
}
