package main

import (
	"fmt"
	"io"
	"strconv"
	"strings"

	"newsdigest/digest/summary"
)

// tuneOptions runs a coordinate search over the summarizer's weights,
// scoring only the tuning part (see heldOut), and returns the best
// setting found. The objective is the sum of the three F1 figures.
func tuneOptions(arts []article, start summary.Options, w io.Writer) summary.Options {
	var half []article
	for _, a := range arts {
		if !heldOut(a.ID) {
			half = append(half, a)
		}
	}
	refs := make([][]string, len(half))
	for i, a := range half {
		refs[i] = refSentences(a.Reference)
	}
	objective := func(o summary.Options) float64 {
		total := 0.0
		for i, a := range half {
			r := scoreSummary(refs[i], o.Summarize(a.Article))
			total += r.R1 + r.R2 + r.RLsum
		}
		return 100 * total / float64(len(half))
	}
	best := start
	bestScore := objective(best)
	fmt.Fprintf(w, "tune: start %.3f\n", bestScore)
	for pass := 0; pass < 2; pass++ {
		for _, k := range knobs {
			for _, v := range k.values {
				o := best
				*k.field(&o) = v
				if s := objective(o); s > bestScore+1e-9 {
					best, bestScore = o, s
					fmt.Fprintf(w, "tune: %s=%g -> %.3f\n", k.name, v, s)
				}
			}
		}
	}
	fmt.Fprintf(w, "tune: best %+v\n", best)
	return best
}

// knob is one weight the search may move, with the values it tries.
type knob struct {
	name   string
	field  func(*summary.Options) *float64
	values []float64
}

var knobs = []knob{
	{"CaptionPenalty", func(o *summary.Options) *float64 { return &o.CaptionPenalty }, []float64{0, 0.25, 0.5, 0.75}},
	{"ShortWords", func(o *summary.Options) *float64 { return &o.ShortWords }, []float64{8, 12, 16, 20}},
	{"Plateau", func(o *summary.Options) *float64 { return &o.Plateau }, []float64{1, 2, 3, 4, 5}},
	{"LeadSim", func(o *summary.Options) *float64 { return &o.LeadSim }, []float64{0, 0.25, 0.5, 1}},
	{"PositionDecay", func(o *summary.Options) *float64 { return &o.PositionDecay }, []float64{0.3, 0.5, 0.75, 1, 1.5, 2}},
	{"Centrality", func(o *summary.Options) *float64 { return &o.Centrality }, []float64{0, 0.25, 0.5, 0.75, 1, 1.5}},
	{"Info", func(o *summary.Options) *float64 { return &o.Info }, []float64{0, 0.15, 0.3, 0.5, 0.8}},
	{"ClausePenalty", func(o *summary.Options) *float64 { return &o.ClausePenalty }, []float64{0, 0.1, 0.2, 0.4}},
	{"PhrasePenalty", func(o *summary.Options) *float64 { return &o.PhrasePenalty }, []float64{0, 0.1, 0.2, 0.4, 0.8}},
	{"WordPenalty", func(o *summary.Options) *float64 { return &o.WordPenalty }, []float64{0.1, 0.2, 0.4, 0.8}},
	{"QuotePenalty", func(o *summary.Options) *float64 { return &o.QuotePenalty }, []float64{0, 0.1, 0.2, 0.4, 0.8}},
	{"UnendedPenalty", func(o *summary.Options) *float64 { return &o.UnendedPenalty }, []float64{0, 0.1, 0.2, 0.4, 0.8}},
	{"ShortPenalty", func(o *summary.Options) *float64 { return &o.ShortPenalty }, []float64{0, 0.1, 0.2, 0.4}},
	{"Redundancy", func(o *summary.Options) *float64 { return &o.Redundancy }, []float64{0.3, 0.4, 0.5, 0.6, 0.8}},
}

// setOptions applies "name=value,name=value" overrides to o.
func setOptions(o summary.Options, spec string) (summary.Options, error) {
	if spec == "" {
		return o, nil
	}
	for _, kv := range strings.Split(spec, ",") {
		name, val, ok := strings.Cut(kv, "=")
		if !ok {
			return o, fmt.Errorf("summaries: -set %q: want name=value", kv)
		}
		v, err := strconv.ParseFloat(val, 64)
		if err != nil {
			return o, fmt.Errorf("summaries: -set %q: %w", kv, err)
		}
		found := false
		for _, k := range knobs {
			if k.name == name {
				*k.field(&o) = v
				found = true
			}
		}
		if !found {
			return o, fmt.Errorf("summaries: -set %q: no such weight", name)
		}
	}
	return o, nil
}
