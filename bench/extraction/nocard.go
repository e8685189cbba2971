package main

import (
	"errors"
	"fmt"
	"path/filepath"
	"regexp"
	"sort"
	"strings"

	"newsdigest/digest"
	"newsdigest/digest/extract"
)

// A page gives a card when Extract finds an article in it; noCard reads
// why the pages of the three sets give none.

// noCardPage is one bench page, from any of the three sets.
type noCardPage struct {
	Set, Name, URL string
	Held           bool // in the held-out part of its set
	HTML           []byte
}

// reasonKind strips the numbers from a NoArticleError's reason so that
// reasons group ("too little article text (137 characters)").
var digits = regexp.MustCompile(`\d+`)

func reasonKind(reason string) string { return digits.ReplaceAllString(reason, "N") }

// noCardBench tallies, per set and in all, the pages Extract gives no
// article for, by reason, and lists them.
func noCardBench(data string, bodies []page) (string, error) {
	var pages []noCardPage
	for _, p := range bodies {
		pages = append(pages, noCardPage{Set: "extraction", Name: p.ID, URL: p.URL, Held: heldOut(p.ID), HTML: p.HTML})
	}
	for _, set := range []string{"headlines", "dates"} {
		ls, err := loadLabels(filepath.Join(data, set))
		if err != nil {
			return "", fmt.Errorf("%s: %w", set, err)
		}
		for _, l := range ls {
			pages = append(pages, noCardPage{Set: set, Name: l.File, URL: l.URL, Held: heldOutURL(l.URL), HTML: l.HTML})
		}
	}
	bySet, heldSet, heldNoCard := map[string]int{}, map[string]int{}, map[string]int{}
	noCard := map[string]map[string]int{} // reason -> set -> pages
	var list []string
	for _, p := range pages {
		bySet[p.Set]++
		if p.Held {
			heldSet[p.Set]++
		}
		_, err := extract.Extract(digest.Page{URL: p.URL, Body: p.HTML, Name: p.Name}, extract.Options{})
		if err == nil {
			continue
		}
		if p.Held {
			heldNoCard[p.Set]++
		}
		reason := err.Error()
		var na *digest.NoArticleError
		if errors.As(err, &na) {
			reason = na.Reason
		}
		k := reasonKind(reason)
		if noCard[k] == nil {
			noCard[k] = map[string]int{}
		}
		noCard[k][p.Set]++
		list = append(list, fmt.Sprintf("| %s | %s | %v | %s | %s |", p.Set, p.Name, p.Held, p.URL, reason))
	}
	sets := []string{"extraction", "headlines", "dates"}
	var md strings.Builder
	fmt.Fprintf(&md, "\n## Pages with no card, by reason\n\n")
	md.WriteString("A page gives no card when `extract.Extract` finds no article in it (the bot then stores nothing). The sets are meant to hold article pages of news sites and blogs; a few are not (a radio station's home page, an image search result, recipes), and the rest listed here are articles lost. Held-out pages: the extraction set's ids starting 0-3, a quarter of the others by a hash of the URL (as for the other figures); the short-article rule was made looking at all of the pages listed, so the held-out part is no unseen test of it.\n\n")
	md.WriteString("| reason | extraction | headlines | dates | all |\n|---|---|---|---|---|\n")
	var reasons []string
	for r := range noCard {
		reasons = append(reasons, r)
	}
	sort.Strings(reasons)
	total := map[string]int{}
	for _, r := range reasons {
		row, all := "| "+r+" |", 0
		for _, s := range sets {
			row += fmt.Sprintf(" %d |", noCard[r][s])
			total[s] += noCard[r][s]
			all += noCard[r][s]
		}
		md.WriteString(row + fmt.Sprintf(" %d |\n", all))
	}
	row, all := "| **no card, in all** |", 0
	for _, s := range sets {
		row += fmt.Sprintf(" %d of %d |", total[s], bySet[s])
		all += total[s]
	}
	md.WriteString(row + fmt.Sprintf(" %d of %d |\n", all, len(pages)))
	row, all, allHeld := "| of which held-out pages |", 0, 0
	for _, s := range sets {
		row += fmt.Sprintf(" %d of %d |", heldNoCard[s], heldSet[s])
		all += heldNoCard[s]
		allHeld += heldSet[s]
	}
	md.WriteString(row + fmt.Sprintf(" %d of %d |\n", all, allHeld))
	if len(list) > 0 {
		sort.Strings(list)
		md.WriteString("\n| set | page | held-out | URL | reason |\n|---|---|---|---|---|\n")
		for _, l := range list {
			md.WriteString(l + "\n")
		}
	}
	return md.String(), nil
}
