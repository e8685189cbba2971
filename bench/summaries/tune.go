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
				k.set(&o, v)
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

// knob is one setting the search may move, with the values it tries.
type knob struct {
	name   string
	set    func(*summary.Options, float64)
	values []float64
}

// knobs are the summarizer's three settings.
var knobs = []knob{
	{"Window", func(o *summary.Options, v float64) { o.Window = int(v) }, []float64{3, 4, 5, 6, 8}},
	{"Redundancy", func(o *summary.Options, v float64) { o.Redundancy = v }, []float64{0.4, 0.5, 0.6, 0.7, 1}},
	{"NameWeight", func(o *summary.Options, v float64) { o.NameWeight = v }, []float64{1, 2, 3}},
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
		switch name {
		case "Lines":
			o.Lines, found = int(v), true
		case "MaxLen":
			o.MaxLen, found = int(v), true
		}
		for _, k := range knobs {
			if k.name == name {
				k.set(&o, v)
				found = true
			}
		}
		if !found {
			return o, fmt.Errorf("summaries: -set %q: no such weight", name)
		}
	}
	return o, nil
}
