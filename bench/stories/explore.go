package main

import (
	"fmt"
	"sort"
	"strings"
)

// explain prints, per topic, how each gold story was split over predicted
// stories: a development aid (-explain).
func explain(s set, pred map[string]int64) string {
	var b strings.Builder
	byTopic := map[int]map[string]map[int64]int{}
	for _, d := range s.docs {
		t := s.topic[d.ID]
		if byTopic[t] == nil {
			byTopic[t] = map[string]map[int64]int{}
		}
		g := s.gold[d.ID]
		if byTopic[t][g] == nil {
			byTopic[t][g] = map[int64]int{}
		}
		byTopic[t][g][pred[d.ID]]++
	}
	topics := make([]int, 0, len(byTopic))
	for t := range byTopic {
		topics = append(topics, t)
	}
	sort.Ints(topics)
	for _, t := range topics {
		gs := make([]string, 0)
		for g := range byTopic[t] {
			gs = append(gs, g)
		}
		sort.Strings(gs)
		for _, g := range gs {
			fmt.Fprintf(&b, "%-12s %v\n", g, byTopic[t][g])
		}
	}
	return b.String()
}
