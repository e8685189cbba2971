package cli

import (
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"newsdigest/control"
	"newsdigest/digest"
)

const wrapWidth = 88

// writeCard prints a card for a terminal: bold headline, dim dateline,
// the summary lines as bullets, then the source and link.
func writeCard(w io.Writer, c digest.Card, color bool) {
	// A page's text may hold escape sequences (a window title, a clear
	// screen): they are shown, not run.
	c = escapeCard(c)
	bold, dim, reset := "", "", ""
	if color {
		bold, dim, reset = "\x1b[1m", "\x1b[2m", "\x1b[0m"
	}
	for _, l := range wrap(c.Headline, wrapWidth) {
		fmt.Fprintf(w, "%s%s%s\n", bold, l, reset)
	}
	if d := c.Dateline.String(); d != "" {
		fmt.Fprintf(w, "%s%s%s\n", dim, d, reset)
	}
	if len(c.Summary) == 0 {
		fmt.Fprintf(w, "  %s(no summary: the article is too short)%s\n", dim, reset)
	}
	for _, s := range c.Summary {
		for i, l := range wrap(s, wrapWidth-4) {
			if i == 0 {
				fmt.Fprintf(w, "  • %s\n", l)
			} else {
				fmt.Fprintf(w, "    %s\n", l)
			}
		}
	}
	src := c.Source
	if len(c.Sources) > 0 {
		src += fmt.Sprintf(" (also covered by %d sources: %s)", len(c.Sources), strings.Join(c.Sources, ", "))
	}
	switch {
	case src != "" && c.URL != "":
		fmt.Fprintf(w, "%s%s · %s%s\n", dim, src, c.URL, reset)
	case src != "" || c.URL != "":
		fmt.Fprintf(w, "%s%s%s\n", dim, src+c.URL, reset)
	}
	if c.Image != "" {
		fmt.Fprintf(w, "%spicture: %s%s\n", dim, c.Image, reset)
	}
}

// escapeCard returns c with every text field control.Escape'd.
func escapeCard(c digest.Card) digest.Card {
	c.Headline, c.Source, c.URL, c.Image = control.Escape(c.Headline), control.Escape(c.Source), control.Escape(c.URL), control.Escape(c.Image)
	d := &c.Dateline
	d.Place, d.Zone, d.Desk, d.Author = control.Escape(d.Place), control.Escape(d.Zone), control.Escape(d.Desk), control.Escape(d.Author)
	c.Summary = append([]string(nil), c.Summary...)
	for i, l := range c.Summary {
		c.Summary[i] = control.Escape(l)
	}
	c.Sources = append([]string(nil), c.Sources...)
	for i, l := range c.Sources {
		c.Sources[i] = control.Escape(l)
	}
	return c
}

// wrap breaks s into lines of at most width runes at spaces.
func wrap(s string, width int) []string {
	var lines []string
	var cur strings.Builder
	n := 0
	for _, word := range strings.Fields(s) {
		wl := utf8.RuneCountInString(word)
		if n > 0 && n+1+wl > width {
			lines = append(lines, cur.String())
			cur.Reset()
			n = 0
		}
		if n > 0 {
			cur.WriteByte(' ')
			n++
		}
		cur.WriteString(word)
		n += wl
	}
	if n > 0 {
		lines = append(lines, cur.String())
	}
	return lines
}
