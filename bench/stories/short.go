package main

import (
	"fmt"
	"math/rand/v2"
	"regexp"
	"sort"
	"strings"

	"newsdigest/digest/story"
)

// The short-text dev set: the shape of outlets' coverage of the same
// stories (headline and first paragraph, no dates, many outlets, arbitrary
// order), cut from ECB+ since no such labelled set is at hand.
//
// Each doc becomes headline = its first line, text = its next two lines
// (ECB+ has one sentence per line; the first line is the headline where
// the corpus kept one, else the opening sentence); its date, URL and
// source are dropped and it gets an outlet of its own; the docs are put in
// a random order (fixed seed, shortSeed).
const shortSeed = 15

func (s set) short() set {
	out := s
	out.docs = make([]story.Doc, len(s.docs))
	for i, d := range s.docs {
		var lines []string
		for _, l := range strings.Split(d.Text, "\n") {
			if l = stripStamp(l); l != "" {
				lines = append(lines, l)
			}
			if len(lines) == 3 {
				break
			}
		}
		var head, body string
		if len(lines) > 0 {
			head, body = lines[0], strings.Join(lines[1:], " ")
		}
		out.docs[i] = story.Doc{ID: d.ID, Title: head, Text: body, Source: "outlet " + d.ID}
	}
	out.docs = shuffled(out.docs, shortSeed)
	return out
}

// Timestamps: ECB+'s later half keeps the pages' datelines ("Updated:
// November 11, 2011 20: 09 IST", "Tue Jul 2, 2013 1: 28PM GMT A powerful
// quake…"). stripStamp removes a line's leading run of date and time
// words when the run holds a month, a weekday or a clock time, and drops
// the line when at most two other words remain.
var stampWord = func() map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(`jan feb mar apr may jun jul aug sep sept oct nov dec january february march april
june july august september october november december novemer mon tue tues wed thu thurs fri sat sun monday tuesday
wednesday thursday friday saturday sunday am pm a.m p.m gmt bst edt est cst cdt pdt pst et ist aest cet utc hrs
posted published updated originally last first edited time article on at by p m`) {
		m[w] = true
	}
	return m
}()

var (
	stampStrong = regexp.MustCompile(`(?i)^(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec|novemer|mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?,?$`)
	stampClock  = regexp.MustCompile(`(?i)^\d{1,2}[:.]$|^\d{1,2}[:.]\d{2}|^\d{1,4}(st|nd|rd|th)?[,.]?$|^\d+(am|pm):?$|^[/|:.,•-]+$|^\(gmt.*\)$|^\d{2,4}[/-]\d`)
)

func stripStamp(line string) string {
	words := strings.Fields(line)
	n, strong, nums := 0, false, 0
	for n < len(words) {
		w := words[n]
		lw := strings.Trim(strings.ToLower(w), ",.:;")
		switch {
		case stampStrong.MatchString(w):
			strong = true
		case strings.HasPrefix(w, "(GMT") || stampClock.MatchString(w):
			if w[0] >= '0' && w[0] <= '9' {
				nums++
			}
			strong = strong || strings.ContainsAny(w, ":/") && len(w) > 1 || nums >= 3
		case stampWord[lw] || lw == "":
		default:
			goto done
		}
		n++
	}
done:
	if !strong {
		return strings.TrimSpace(line)
	}
	if len(words)-n <= 2 {
		return ""
	}
	return strings.Join(words[n:], " ")
}

// triples cuts s into windows in which each gold story has at most
// perStory docs, like the hidden set's few outlets per story (1,479 texts,
// 505 stories: about 3 each): each story's docs, in a fixed random order
// (seed shortSeed), are dealt perStory at a time, window r getting the
// r-th deal of every story that still has docs. Windows with fewer than
// two stories are dropped. The windows are disjoint and keep s's order.
func (s set) triples(perStory int) []set {
	byStory := map[string][]string{}
	for _, d := range s.docs {
		byStory[s.gold[d.ID]] = append(byStory[s.gold[d.ID]], d.ID)
	}
	stories := make([]string, 0, len(byStory))
	for g := range byStory {
		stories = append(stories, g)
	}
	sort.Strings(stories)
	r := rand.New(rand.NewPCG(shortSeed, shortSeed))
	window := map[string]int{}
	nw := 0
	for _, g := range stories {
		ids := byStory[g]
		sort.Strings(ids)
		r.Shuffle(len(ids), func(i, j int) { ids[i], ids[j] = ids[j], ids[i] })
		for i, id := range ids {
			window[id] = i / perStory
			nw = max(nw, i/perStory+1)
		}
	}
	var out []set
	for w := 0; w < nw; w++ {
		sub := s.subsetDocs(func(id string) bool { return window[id] == w })
		if countStories(sub.gold) >= 2 {
			out = append(out, sub)
		}
	}
	return out
}

// subsetDocs keeps the docs whose ID passes keep, in s's order.
func (s set) subsetDocs(keep func(id string) bool) set {
	out := set{gold: map[string]string{}, topic: map[string]int{}}
	for _, d := range s.docs {
		if keep(d.ID) {
			out.docs = append(out.docs, d)
			out.gold[d.ID] = s.gold[d.ID]
			out.topic[d.ID] = s.topic[d.ID]
		}
	}
	return out
}

// meanOver scores group on each window and averages B-cubed F1 weighted
// by docs (so the result is comparable with one grouping of all of them).
func meanOver(ws []set, group func(set) map[string]int64) prf {
	var p, r, n float64
	for _, w := range ws {
		f := bcubed(group(w), w.gold)
		k := float64(len(w.docs))
		p += f.P * k
		r += f.R * k
		n += k
	}
	return prf{p / n, r / n, f1(p/n, r/n)}
}

func (f prf) String() string { return fmt.Sprintf("P %.3f R %.3f F %.3f", f.P, f.R, f.F) }
