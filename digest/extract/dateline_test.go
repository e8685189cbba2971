package extract

import (
	"testing"
	"time"

	"newsdigest/digest"
)

func TestParsePipeLine(t *testing.T) {
	tests := []struct {
		line                string
		ok                  bool
		place, desk, author string
		when                string
	}{
		{"Devdiscourse News Desk | Riyadh | Updated: 19-02-2025 03:06 IST | Created: 19-02-2025 03:06 IST", true,
			"Riyadh", "Devdiscourse News Desk", "", "2025-02-19T03:06:00+05:30"},
		{"PTI | New Delhi | Published: 01-03-2024 10:00 IST", true, "New Delhi", "PTI", "", "2024-03-01T10:00:00+05:30"},
		{"By Jane Doe | London | Posted: 5 March 2024 09:30 GMT", true, "London", "", "Jane Doe", "2024-03-05T09:30:00Z"},
		{"Home | World | Sports", false, "", "", "", ""},
		{"no pipes here 19-02-2025", false, "", "", "", ""},
	}
	for _, tt := range tests {
		var d digest.Dateline
		ok := parsePipeLine(&d, tt.line, true, true)
		if ok != tt.ok {
			t.Errorf("parsePipeLine(%q) = %v, want %v", tt.line, ok, tt.ok)
			continue
		}
		if !ok {
			continue
		}
		if d.Place != tt.place || d.Desk != tt.desk || d.Author != tt.author {
			t.Errorf("parsePipeLine(%q) = place %q desk %q author %q", tt.line, d.Place, d.Desk, d.Author)
		}
		if got := d.Published.Format(time.RFC3339); got != tt.when {
			t.Errorf("parsePipeLine(%q) published %s, want %s", tt.line, got, tt.when)
		}
	}
}

func TestPlaceFromBody(t *testing.T) {
	tests := []struct{ body, place, desk string }{
		{"RIYADH (Reuters) - U.S. and Russian officials met on Tuesday.", "Riyadh", "Reuters"},
		{"LONDON, Feb 19 (Reuters) - Britain said on Wednesday it would act.", "London", "Reuters"},
		{"LONDON, Feb 19 - Britain said on Wednesday it would act.", "London", ""},
		{"NEW DELHI: The government announced new rules on Monday.", "New Delhi", ""},
		{"WASHINGTON (AP) — The Senate voted on Thursday.", "Washington", "AP"},
		{"PARIS, 19 February (AFP) - France said.", "Paris", "AFP"},
		{"The minister said on Tuesday - in a statement - that talks went well.", "", ""},
		{"Breaking: a quake struck.", "", ""},
	}
	for _, tt := range tests {
		var d digest.Dateline
		placeFromBody(&d, tt.body)
		if d.Place != tt.place || d.Desk != tt.desk {
			t.Errorf("placeFromBody(%q) = %q, %q; want %q, %q", tt.body, d.Place, d.Desk, tt.place, tt.desk)
		}
	}
}

func TestDatelineFromHTML(t *testing.T) {
	page := `<!doctype html><html lang="en"><head><title>Talks begin | Example News</title>
<script type="application/ld+json">{"@context":"https://schema.org","@type":"NewsArticle","headline":"Talks begin",
"datePublished":"2025-02-19T03:06:00+05:30","author":{"@type":"Person","name":"Jane Doe"},"publisher":{"@type":"Organization","name":"Example News"}}</script>
</head><body><h1>Talks begin</h1><article>` + paragraphs("RIYADH (Reuters) - Officials met on Tuesday, for the first time in years, to talk.", 4) + `</article></body></html>`
	a, err := Extract(digest.Page{URL: "https://www.example.com/world/talks", Body: []byte(page), Name: "t"}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	d := a.Dateline
	if d.Place != "Riyadh" || d.Desk != "Reuters" || d.Author != "Jane Doe" || !d.HasTime {
		t.Errorf("dateline = %+v", d)
	}
	if got := d.Published.Format(time.RFC3339); got != "2025-02-19T03:06:00+05:30" {
		t.Errorf("published = %s", got)
	}
	if a.Headline != "Talks begin" || a.Site != "Example News" {
		t.Errorf("headline %q site %q", a.Headline, a.Site)
	}
}

func TestAgencyAuthorIsDesk(t *testing.T) {
	page := `<html><head><title>Quake</title><meta name="author" content="Reuters"></head><body><article>` +
		paragraphs("TOKYO (Reuters) - A strong earthquake shook northern Japan on Monday, officials said, with no damage reported.", 4) + `</article></body></html>`
	a, err := Extract(digest.Page{Body: []byte(page), Name: "quake"}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if a.Dateline.Desk != "Reuters" || a.Dateline.Author != "" || a.Dateline.Place != "Tokyo" {
		t.Errorf("dateline = %+v", a.Dateline)
	}
}
