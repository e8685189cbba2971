package extract

import (
	"testing"
	"time"
)

func TestFindDate(t *testing.T) {
	ist := 330 * 60
	tests := []struct {
		in       string
		dayFirst bool
		want     string // RFC 3339, "" for none
		hasTime  bool
		zone     string
		offset   int
	}{
		{"Updated: 19-02-2025 03:06 IST", true, "2025-02-19T03:06:00+05:30", true, "IST", ist},
		{"19-02-2025", false, "2025-02-19T00:00:00Z", false, "", 0},           // valid only day-first
		{"02/19/2025", true, "2025-02-19T00:00:00Z", false, "", 0},            // valid only month-first
		{"04/05/2020", true, "2020-05-04T00:00:00Z", false, "", 0},            // ambiguous: page is not US English
		{"04/05/2020", false, "2020-04-05T00:00:00Z", false, "", 0},           // ambiguous: US English page
		{"04.05.2020 14:30 Uhr", false, "2020-05-04T14:30:00Z", false, "", 0}, // dots are day-first everywhere; no zone: the date only
		{"Feb 19, 2025 3:06 p.m. EST", true, "2025-02-19T15:06:00-05:00", true, "EST", -5 * 3600},
		{"Published 19 February 2025, 10:15 GMT", true, "2025-02-19T10:15:00Z", true, "GMT", 0},
		{"19. Februar 2025 um 08:00 Uhr CET", true, "2025-02-19T08:00:00+01:00", true, "CET", 3600},
		{"Posted on March 3rd, 2024 at 9:45 AM PDT", true, "2024-03-03T09:45:00-07:00", true, "PDT", -7 * 3600},
		{"2024-07-01 12:00 BST", true, "2024-07-01T12:00:00+01:00", true, "BST", 3600},
		{"12 Aug 2023 18:00 JST", true, "2023-08-12T18:00:00+09:00", true, "JST", 9 * 3600},
		{"5 Jan 2024 7:00 AEST", true, "2024-01-05T07:00:00+10:00", true, "AEST", 10 * 3600},
		{"Sat 1 Jun 2024 14:00 CEST", true, "2024-06-01T14:00:00+02:00", true, "CEST", 2 * 3600},
		{"10:00 EDT, June 2, 2024", true, "2024-06-02T00:00:00Z", false, "", 0},
		{"2020. június 4. 15:20", true, "2020-06-04T15:20:00Z", false, "", 0},
		{"2020年6月4日", true, "2020-06-04T00:00:00Z", false, "", 0},
		{"تم نشره الجمعة 24 نيسان / أبريل 2020 09:22 مساءً", true, "2020-04-24T21:22:00Z", false, "", 0},
		{"20 septembrie 2020 16:20", true, "2020-09-20T16:20:00Z", false, "", 0},
		{"at 10:15 GMT+5:30 on 31-12-2024", true, "2024-12-31T00:00:00Z", false, "", 0},
		{"31-12-2024 10:15 GMT+5:30", true, "2024-12-31T10:15:00+05:30", true, "GMT+5:30", ist},
		{"30-02-2025", true, "", false, "", 0}, // no such day
		{"Call 555-1234 today", true, "", false, "", 0},
		{"in 1850 things were different", true, "", false, "", 0},
	}
	for _, tt := range tests {
		w, ok := findDate(tt.in, tt.dayFirst)
		if tt.want == "" {
			if ok {
				t.Errorf("findDate(%q) = %v, want none", tt.in, w.T)
			}
			continue
		}
		if !ok {
			t.Errorf("findDate(%q) found nothing, want %s", tt.in, tt.want)
			continue
		}
		if got := w.T.Format(time.RFC3339); got != tt.want {
			t.Errorf("findDate(%q) = %s, want %s", tt.in, got, tt.want)
		}
		if w.HasTime != tt.hasTime || w.Zone != tt.zone {
			t.Errorf("findDate(%q): hasTime %v zone %q, want %v %q", tt.in, w.HasTime, w.Zone, tt.hasTime, tt.zone)
		}
		if _, off := w.T.Zone(); off != tt.offset {
			t.Errorf("findDate(%q): offset %d, want %d", tt.in, off, tt.offset)
		}
	}
}

func TestParseMachineDate(t *testing.T) {
	tests := []struct{ in, want string }{
		{"2025-02-19T03:06:00+05:30", "2025-02-19T03:06:00+05:30"},
		{"2025-02-19T03:06:00.123Z", "2025-02-19T03:06:00Z"},
		{"2025-02-19T03:06:00+0530", "2025-02-19T03:06:00+05:30"},
		{"2025-02-19 03:06:00", "2025-02-19T03:06:00Z"},
		{"2025-02-19", "2025-02-19T00:00:00Z"},
		{"2020/04/17 01:43:09", "2020-04-17T01:43:09Z"},
		{"Sun, 28 Jun 2020 21:16:15 GMT", "2020-06-28T21:16:15Z"},
		{"Wed, 19 Feb 2025 03:06:00 +0530", "2025-02-19T03:06:00+05:30"},
		{"February 19, 2025", "2025-02-19T00:00:00Z"},
		{"", ""},
		{"not a date", ""},
		{"2025-13-45", ""},
	}
	for _, tt := range tests {
		w, ok := parseMachineDate(tt.in)
		got := ""
		if ok {
			got = w.T.Format(time.RFC3339)
		}
		if got != tt.want {
			t.Errorf("parseMachineDate(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestZoneFor(t *testing.T) {
	tests := []struct {
		in     string
		offset int
		ok     bool
	}{
		{"IST", 330, true}, {"GMT", 0, true}, {"UTC", 0, true}, {"EST", -300, true}, {"EDT", -240, true},
		{"CET", 60, true}, {"CEST", 120, true}, {"BST", 60, true}, {"PST", -480, true}, {"PDT", -420, true},
		{"JST", 540, true}, {"AEST", 600, true}, {"+05:30", 330, true}, {"-0300", -180, true},
		{"GMT+5:30", 330, true}, {"UTC-3", -180, true}, {"ist", 330, true},
		{"XYZ", 0, false}, {"", 0, false}, {"+25:00", 0, false},
	}
	for _, tt := range tests {
		loc, ok := zoneFor(tt.in)
		if ok != tt.ok {
			t.Errorf("zoneFor(%q) ok = %v, want %v", tt.in, ok, tt.ok)
			continue
		}
		if ok {
			if _, off := time.Date(2025, 1, 1, 0, 0, 0, 0, loc).Zone(); off != tt.offset*60 {
				t.Errorf("zoneFor(%q) offset = %d min, want %d", tt.in, off/60, tt.offset)
			}
		}
	}
}

func TestURLDate(t *testing.T) {
	tests := []struct{ in, want string }{
		{"https://example.com/2020/08/24/story", "2020-08-24"},
		{"https://example.com/news/20200316/story?x=1", "2020-03-16"},
		{"https://example.com/2020-08-24-story.html", "2020-08-24"},
		{"https://example.com/article/825076", ""},
		{"https://example.com/2020/13/45/x", ""},
		{"https://www.dvfg.de/presse/pressemeldung/2022/11/29/verbrauchertipp", "2022-11-29"},
		{"https://www.befifty.de/home/2017/7/12/unter-uns-montauk", "2017-07-12"},
		{"https://example.com/news/20200113/story.html", "2020-01-13"},
		{"https://example.com/2020-01-13-a-story", "2020-01-13"},
		{"https://example.com/news/story_2020-01-13.html", "2020-01-13"},
		{"https://example.com/news/20200113?ref=rss", "2020-01-13"},
		{"https://example.com/item/120200622120908039/", ""},
		// The wayback timestamp is the crawl's, not the page's.
		{"https://web.archive.org/web/20131110121040/http://www.peptalks.de/haben-sich-mozarts-eltern", ""},
		{"https://web.archive.org/web/20131110121040/http://example.com/2013/04/04/post/", "2013-04-04"},
		{"https://tass.ru/moskva/8836033", ""},
		{"https://example.com/2020/13/45/", ""},
	}
	for _, tt := range tests {
		w, ok := urlDate(tt.in)
		got := ""
		if ok {
			got = w.T.Format("2006-01-02")
		}
		if got != tt.want {
			t.Errorf("urlDate(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestFindDateTimeSpanIsNoOffset(t *testing.T) {
	// From arbeit-und-arbeitsrecht.de: an event's time span.
	w, ok := findDate("19.1.23, 10:00-11:30 Uhr", true)
	if !ok {
		t.Fatal("no date")
	}
	if _, off := w.T.Zone(); off != 0 || w.HasTime {
		t.Errorf("findDate read a span as an offset: %s hasTime %v", w.T.Format(time.RFC3339), w.HasTime)
	}
}
