package main

import (
	"fmt"
	"strings"
	"time"
)

// devLine prints one system's B-cubed F1 on the four shapes of one half:
// whole texts, short texts (all docs), short texts dealt three per story.
func devLine(name string, s set, group func(set) map[string]int64) string {
	full := bcubed(group(s), s.gold)
	sh := s.short()
	short := bcubed(group(sh), sh.gold)
	tri := meanOver(sh.triples(3), group)
	return fmt.Sprintf("%-40s full %s | short %s | short×3 %s", name, full, short, tri)
}

func devReport(s set, st setting) string {
	var b strings.Builder
	tune := s.subset(func(t int) bool { return t%2 == 1 })
	held := s.subset(func(t int) bool { return t%2 == 0 })
	bt, _ := tuneBase(tune)
	for _, h := range []struct {
		name string
		s    set
	}{{"tuning (odd)", tune}, {"held-out (even)", held}} {
		fmt.Fprintln(&b, devLine("ours "+h.name, h.s, func(x set) map[string]int64 { return ours(x, st) }))
		fmt.Fprintln(&b, devLine(fmt.Sprintf("baseline@%.2f %s", bt, h.name), h.s, func(x set) map[string]int64 { return baseAt(x, bt) }))
	}
	return b.String()
}

// devSweep prints ours on the tuning half's three shapes over thresholds.
func devSweep(s set, w, m float64, half int) string {
	var b strings.Builder
	tune := s.subset(func(t int) bool { return t%2 == half })
	for _, t := range seq(0.16, 0.24, 0.02) {
		st := setting{t, w, m, defaults.ConflictMargin}
		fmt.Fprintln(&b, devLine(fmt.Sprintf("t=%.2f w=%.1f m=%.2f", t, w, m), tune, func(x set) map[string]int64 { return ours(x, st) }))
	}
	return b.String()
}

// devMixed prints the predicted stories that mix gold stories, with the
// docs' headlines: a development aid.
func devMixed(s set, st setting, half int) string {
	var b strings.Builder
	tune := s.subset(func(t int) bool { return t%2 == half }).short()
	for wi, w := range tune.triples(3) {
		pred := ours(w, st)
		members := map[int64][]int{}
		for i, d := range w.docs {
			members[pred[d.ID]] = append(members[pred[d.ID]], i)
		}
		for _, d := range w.docs {
			ms := members[pred[d.ID]]
			if ms == nil {
				continue
			}
			delete(members, pred[d.ID])
			golds := map[string]bool{}
			for _, i := range ms {
				golds[w.gold[w.docs[i].ID]] = true
			}
			if len(golds) < 2 {
				continue
			}
			fmt.Fprintf(&b, "window %d story %d:\n", wi, pred[d.ID])
			for _, i := range ms {
				x := w.docs[i]
				fmt.Fprintf(&b, "  %-8s %.100s | %.80s\n", w.gold[x.ID], x.Title, x.Text)
			}
		}
	}
	return b.String()
}

func devShow(s set) string {
	var b strings.Builder
	for _, d := range s.short().docs {
		fmt.Fprintf(&b, "%s || %.100s || %.100s\n", d.ID, d.Title, d.Text)
	}
	return b.String()
}

// devTune tunes ours on the odd topics and prints the winner with its
// held-out scores.
func devTune(s set) string {
	tune := shapesOf(s.subset(func(t int) bool { return t%2 == 1 }))
	held := shapesOf(s.subset(func(t int) bool { return t%2 == 0 }))
	start := time.Now()
	st, sc := tuneOurs(tune)
	hs := held.score(func(x set) map[string]int64 { return ours(x, st) })
	return fmt.Sprintf("%s: tuning %.3f %.3f %.3f mean %.3f; held-out %.3f %.3f %.3f mean %.3f (%s)\n", st,
		sc[0].F, sc[1].F, sc[2].F, sc.mean(), hs[0].F, hs[1].F, hs[2].F, hs.mean(), time.Since(start).Round(time.Second))
}
