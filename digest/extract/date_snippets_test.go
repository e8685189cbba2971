package extract

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"golang.org/x/net/html"
)

// TestDatelineSnippets reads the date of parts of real pages kept in
// testdata/dates (each file says where it comes from).
func TestDatelineSnippets(t *testing.T) {
	tests := []struct {
		file, url string
		want      string // RFC 3339 of Dateline.Published
		hasTime   bool
	}{
		// The comment's pipe line ("… | Folge 10 | krimiblog.de am 07.08.09") is not the post's date.
		{"krimiblog.html", "http://archiv.krimiblog.de/?p=2895", "2009-08-06T00:00:00Z", false},
		// "<span>Erstellt am</span><span>09.02.2022</span>": two words, a labelled date.
		{"kulturkaufhaus.html", "https://www.kulturkaufhaus.de/de/kultur-magazin/blogDetail/DIY-Farbbuch-artcBlog", "2022-02-09T00:00:00Z", false},
		// "Letzte Änderung: …<br>Erschienen am: 01.11.2023": the labelled publication date, not the next issue's nor the change's.
		{"literaturkritik.html", "https://literaturkritik.de/franke-cotten-die-anleitungen-der-vorfahren,30063.html", "2023-11-01T00:00:00Z", false},
		// The UTC meta time is shown in the page's own offset, on the local day.
		{"24ora.html", "https://24ora.com/minister-president-presente-ne-trashion-fashion-show-di-international-school/", "2022-05-03T23:37:37-04:00", true},
		{"sputnik-arabic.html", "https://arabic.sputniknews.com/arab_world/", "2020-03-17T00:00:00Z", false}, // the time stands before the date: not read
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			b, err := os.ReadFile(filepath.Join("testdata", "dates", tt.file))
			if err != nil {
				t.Fatal(err)
			}
			doc, err := html.Parse(strings.NewReader(string(b)))
			if err != nil {
				t.Fatal(err)
			}
			d := dateline(collectMeta(doc), findBody(doc), tt.url, "")
			if got := d.Published.Format(time.RFC3339); got != tt.want || d.HasTime != tt.hasTime {
				t.Errorf("published %s (has time %v), want %s (%v)", got, d.HasTime, tt.want, tt.hasTime)
			}
		})
	}
}

// TestFindDateLanguages covers month words and numerals of the bench's
// languages. Strings marked "page" are quoted from pages of the bench sets;
// the others are the standard written form of a date in that language.
func TestFindDateLanguages(t *testing.T) {
	tests := []struct{ in, want string }{
		{"19 sierpnia 2020, 5:16", "2020-08-19"},                        // page: tvn24.pl
		{"был жестоко избит 11 февраля 2019 года, когда", "2019-02-11"}, // page: MediaCloud set, Russian
		{"2020年7月1日 10時00分", "2020-07-01"},                              // page: a Japanese press release
		{"الأربعاء، 07 أكتوبر 2020 - 12:09 م", "2020-10-07"},            // page: article:published_time of an Arabic site
		{"13 січня 2020", "2020-01-13"},
		{"Опубліковано 5 березня 2021 року", "2021-03-05"},
		{"13 януари 2020 г.", "2020-01-13"},
		{"Публикувано на 2 септември 2019", "2019-09-02"},
		{"13 בינואר 2020", "2020-01-13"},
		{"פורסם: 17 במרץ 2020", "2020-03-17"},
		{"१३ जनवरी २०२०", "2020-01-13"},
		{"प्रकाशित: 5 सितंबर 2019", "2019-09-05"},
		{"১৩ জানুয়ারি ২০২০", "2020-01-13"},
		{"প্রকাশিত: ০২ ফেব্রুয়ারি ২০২১", "2021-02-02"},
		{"٠٧ أكتوبر ٢٠٢٠", "2020-10-07"},
		{"۱۳ ژانویه ۲۰۲۰", "2020-01-13"},
		{"2020년 1월 13일 오후 3:15", "2020-01-13"},
		{"２０２０年１月１３日", "2020-01-13"},
		{"13 Ocak 2020", "2020-01-13"},
		{"13 januari 2020", "2020-01-13"},
		{"13 de janeiro de 2020", "2020-01-13"},
		{"13 gennaio 2020", "2020-01-13"},
		{"13. Jänner 2020", "2020-01-13"},
		{"le 1er mars 2020", "2020-03-01"},
		{"13 Ιανουαρίου 2020", "2020-01-13"},
		{"13. ledna 2020", "2020-01-13"},
		{"Posted on March 3rd, 2024", "2024-03-03"},
	}
	for _, tt := range tests {
		w, ok := findDate(tt.in, true)
		if !ok {
			t.Errorf("findDate(%q) found nothing, want %s", tt.in, tt.want)
			continue
		}
		if got := w.T.Format("2006-01-02"); got != tt.want {
			t.Errorf("findDate(%q) = %s, want %s", tt.in, got, tt.want)
		}
	}
}

func TestVisibleDateLabels(t *testing.T) {
	lines := func(ss ...string) []vline {
		var out []vline
		for _, s := range ss {
			out = append(out, vline{text: s})
		}
		return out
	}
	tests := []struct {
		name  string
		lines []vline
		want  string
	}{
		{"published beats first", lines("Mittwoch, 01. November 2023", "Veröffentlicht am: 31.10.2023"), "2023-10-31"},
		{"date before update label", lines("Posted 3 March 2024 · Updated 5 March 2024"), "2024-03-03"},
		{"update label only", lines("This page was last edited on 13 January 2020, at 10:15 (UTC)."), "2020-01-13"},
		{"plain beats update", lines("Zuletzt aktualisiert: 02.02.2022", "Lead text", "01.02.2022"), "2022-02-01"},
		{"wiki footer beats a cited date", []vline{{text: "Retrieved 5 May 2019."}, {text: "This page was last edited on 13 January 2020, at 10:15 (UTC).", dateClass: true}}, "2020-01-13"},
		{"comment ignored", lines("Kommentar von Leser am 07.08.09 um 10:25"), ""},
		{"classed beats plain", []vline{{text: "Heute ist der 05.01.2020"}, {text: "04.01.2020", dateClass: true}}, "2020-01-04"},
		{"forum: relative against page time", []vline{{text: "It is currently Mon Jan 13, 2020 10:15 pm"}, {text: "Posted 2 days ago", dateClass: true}}, "2020-01-11"},
		{"relative without a reference", []vline{{text: "Posted 2 days ago", dateClass: true}}, ""},
	}
	for _, tt := range tests {
		w, ok := visibleDate(tt.lines, true)
		got := ""
		if ok {
			got = w.T.Format("2006-01-02")
		}
		if got != tt.want {
			t.Errorf("%s: visibleDate = %q, want %q", tt.name, got, tt.want)
		}
	}
}

func TestRelativeDate(t *testing.T) {
	ref := time.Date(2020, 1, 13, 22, 15, 0, 0, time.FixedZone("CET", 3600))
	tests := []struct{ in, want string }{
		{"3 hours ago", "2020-01-13"},
		{"an hour ago", "2020-01-13"},
		{"2 days ago", "2020-01-11"},
		{"vor 2 Tagen", "2020-01-11"},
		{"vor einem Tag", "2020-01-12"},
		{"gestern, 14:02", "2020-01-12"},
		{"il y a 3 jours", "2020-01-10"},
		{"hace 1 semana", "2020-01-06"},
		{"2 giorni fa", "2020-01-11"},
		{"5 dagen geleden", "2020-01-08"},
		{"2 дня назад", "2020-01-11"},
		{"вчера в 12:30", "2020-01-12"},
		{"3 дні тому", "2020-01-10"},
		{"2 dni temu", "2020-01-11"},
		{"3 gün önce", "2020-01-10"},
		{"3日前", "2020-01-10"},
		{"2天前", "2020-01-11"},
		{"3일 전", "2020-01-10"},
		{"منذ 2 أيام", "2020-01-11"},
		{"לפני 3 ימים", "2020-01-10"},
		{"3 दिन पहले", "2020-01-10"},
		{"৩ দিন আগে", "2020-01-10"},
		{"преди 2 дни", "2020-01-11"},
		{"today", "2020-01-13"},
		{"3 apples", ""},
	}
	for _, tt := range tests {
		w, ok := relativeDate(tt.in, ref)
		got := ""
		if ok {
			got = w.T.Format("2006-01-02")
		}
		if got != tt.want {
			t.Errorf("relativeDate(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
	if _, ok := relativeDate("3 hours ago", time.Time{}); ok {
		t.Error("relativeDate without a reference gave a date")
	}
}

func TestLocalize(t *testing.T) {
	m := &meta{Props: map[string]string{}}
	utc := when{T: time.Date(2018, 12, 31, 23, 11, 59, 0, time.UTC), HasTime: true, Clock: true}
	tests := []struct {
		name  string
		lines []vline
		want  string
	}{
		{"local clock", []vline{{text: "1. Januar 2019 um 00:11", dateClass: true}}, "2019-01-01T00:11:59+01:00"},
		{"labelled local day", []vline{{text: "Veröffentlicht am 1. Januar 2019"}}, "2019-01-01T00:00:00Z"},
		{"unlabelled next day is a header's today", []vline{{text: "1. Januar 2019", dateClass: true}}, "2018-12-31T23:11:59Z"},
		{"same day in UTC", []vline{{text: "31.12.2018", dateClass: true}}, "2018-12-31T23:11:59Z"},
	}
	for _, tt := range tests {
		if got := localize(utc, m, tt.lines, true).T.Format(time.RFC3339); got != tt.want {
			t.Errorf("%s: localize = %s, want %s", tt.name, got, tt.want)
		}
	}
}

func FuzzFindDate(f *testing.F) {
	for _, s := range []string{"19 sierpnia 2020, 5:16", "13 בינואר 2020", "১৩ জানুয়ারি ২০২০", "2020年7月1日 10時00分", "19-02-2025 03:06 IST",
		"10:00-11:30 Uhr", "31-12-2024 10:15 GMT+5:30", "2025-02-19T03:06:00+05:30", "vor 2 Tagen", "It is currently Mon Jan 13, 2020 10:15 pm"} {
		f.Add(s, true)
	}
	ref := time.Date(2020, 1, 13, 12, 0, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, s string, dayFirst bool) {
		for name, fn := range map[string]func() (when, bool){
			"findDate":         func() (when, bool) { return findDate(s, dayFirst) },
			"parseMachineDate": func() (when, bool) { return parseMachineDate(s) },
			"relativeDate":     func() (when, bool) { return relativeDate(s, ref) },
		} {
			w, ok := fn()
			if !ok {
				continue
			}
			if !validYear(w.T) {
				t.Errorf("%s(%q) = %s: year out of range", name, s, w.T)
			}
			if w.HasTime && !w.Clock {
				t.Errorf("%s(%q): a zone without a clock time", name, s)
			}
		}
		if w, ok := urlDate(s); ok && !validYear(w.T) {
			t.Errorf("urlDate(%q) = %s", s, w.T)
		}
	})
}
