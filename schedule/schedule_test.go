package schedule

import (
	"strings"
	"testing"
	"time"
)

func mustZone(t *testing.T, name string) *time.Location {
	t.Helper()
	loc, err := LoadZone(name)
	if err != nil {
		t.Skipf("time zone data for %s missing: %v", name, err)
	}
	return loc
}

func utc(s string) time.Time {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		panic(err)
	}
	return t
}

func TestNextAcrossDST(t *testing.T) {
	tests := []struct {
		name  string
		zone  string
		after string // RFC3339
		hhmm  string
		want  string // RFC3339 with the local offset
	}{
		// America/New_York: spring forward 2025-03-09 02:00 EST -> 03:00 EDT,
		// fall back 2025-11-02 02:00 EDT -> 01:00 EST; 2026: 03-08 and 11-01.
		{"ny plain winter", "America/New_York", "2025-01-15T14:00:00Z", "08:00", "2025-01-16T08:00:00-05:00"},
		{"ny same day before time", "America/New_York", "2025-01-15T12:59:00Z", "08:00", "2025-01-15T08:00:00-05:00"},
		{"ny same day", "America/New_York", "2025-01-15T12:00:00Z", "18:30", "2025-01-15T18:30:00-05:00"},
		{"ny strictly after", "America/New_York", "2025-01-15T13:00:00Z", "08:00", "2025-01-16T08:00:00-05:00"},
		{"ny spring gap 02:30 shifted", "America/New_York", "2025-03-08T12:00:00Z", "02:30", "2025-03-09T03:30:00-04:00"},
		{"ny spring 08:00 after change", "America/New_York", "2025-03-08T14:00:00Z", "08:00", "2025-03-09T08:00:00-04:00"},
		{"ny spring 01:59 before change", "America/New_York", "2025-03-08T12:00:00Z", "01:59", "2025-03-09T01:59:00-05:00"},
		{"ny spring 03:00 exists", "America/New_York", "2025-03-08T12:00:00Z", "03:00", "2025-03-09T03:00:00-04:00"},
		{"ny spring day after gap", "America/New_York", "2025-03-09T07:30:00Z", "02:30", "2025-03-10T02:30:00-04:00"},
		{"ny fall 01:30 first occurrence", "America/New_York", "2025-11-01T12:00:00Z", "01:30", "2025-11-02T01:30:00-04:00"},
		{"ny fall no second run", "America/New_York", "2025-11-02T05:30:00Z", "01:30", "2025-11-03T01:30:00-05:00"},
		{"ny fall 08:00", "America/New_York", "2025-11-01T13:00:00Z", "08:00", "2025-11-02T08:00:00-05:00"},
		{"ny 2026 spring gap", "America/New_York", "2026-03-07T12:00:00Z", "02:00", "2026-03-08T03:00:00-04:00"},
		{"ny 2026 fall", "America/New_York", "2026-10-31T12:00:00Z", "01:00", "2026-11-01T01:00:00-04:00"},
		{"ny midnight", "America/New_York", "2025-12-31T05:00:00Z", "00:00", "2026-01-01T00:00:00-05:00"},
		// Europe/London: 2025-03-30 01:00 GMT -> 02:00 BST; 2025-10-26 02:00 BST -> 01:00 GMT.
		{"london spring gap 01:30", "Europe/London", "2025-03-29T12:00:00Z", "01:30", "2025-03-30T02:30:00+01:00"},
		{"london spring 08:00", "Europe/London", "2025-03-29T12:00:00Z", "08:00", "2025-03-30T08:00:00+01:00"},
		{"london fall 01:30 first", "Europe/London", "2025-10-25T12:00:00Z", "01:30", "2025-10-26T01:30:00+01:00"},
		{"london fall after first", "Europe/London", "2025-10-26T00:30:00Z", "01:30", "2025-10-27T01:30:00Z"},
		{"london 2026 spring", "Europe/London", "2026-03-28T12:00:00Z", "01:00", "2026-03-29T02:00:00+01:00"},
		{"london 2026 fall", "Europe/London", "2026-10-24T12:00:00Z", "01:59", "2026-10-25T01:59:00+01:00"},
		// Australia/Lord_Howe: +10:30 standard, +11 summer, a 30-minute shift at 02:00.
		// Spring forward 2025-10-05 02:00 -> 02:30; fall back 2025-04-06 02:00 -> 01:30.
		{"lord howe spring gap 02:15", "Australia/Lord_Howe", "2025-10-04T00:00:00Z", "02:15", "2025-10-05T02:45:00+11:00"},
		{"lord howe spring 02:30 exists", "Australia/Lord_Howe", "2025-10-04T00:00:00Z", "02:30", "2025-10-05T02:30:00+11:00"},
		{"lord howe spring 01:59", "Australia/Lord_Howe", "2025-10-04T00:00:00Z", "01:59", "2025-10-05T01:59:00+10:30"},
		{"lord howe fall 01:45 first", "Australia/Lord_Howe", "2025-04-05T00:00:00Z", "01:45", "2025-04-06T01:45:00+11:00"},
		{"lord howe fall no second", "Australia/Lord_Howe", "2025-04-05T14:45:00Z", "01:45", "2025-04-07T01:45:00+10:30"},
		{"lord howe fall 01:29 once", "Australia/Lord_Howe", "2025-04-05T00:00:00Z", "01:29", "2025-04-06T01:29:00+11:00"},
		{"lord howe 2026 fall", "Australia/Lord_Howe", "2026-04-04T00:00:00Z", "01:30", "2026-04-05T01:30:00+11:00"},
		{"lord howe 2026 spring", "Australia/Lord_Howe", "2026-10-03T00:00:00Z", "02:00", "2026-10-04T02:30:00+11:00"},
		{"lord howe 08:00", "Australia/Lord_Howe", "2025-10-04T00:00:00Z", "08:00", "2025-10-05T08:00:00+11:00"},
		{"utc", "UTC", "2025-06-01T08:00:00Z", "08:00", "2025-06-02T08:00:00Z"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			loc := mustZone(t, tt.zone)
			got := Next(utc(tt.after), tt.hhmm, loc)
			want := utc(tt.want)
			if !got.Equal(want) {
				t.Fatalf("Next(%s, %s, %s) = %s, want %s", tt.after, tt.hhmm, tt.zone, got.In(loc).Format(time.RFC3339), tt.want)
			}
			// Prev at the run itself is the run, and just before it is the previous day's.
			if p := Prev(got, tt.hhmm, loc); !p.Equal(got) {
				t.Errorf("Prev(%s) = %s, want the run itself", got, p)
			}
			if p := Prev(got.Add(-time.Nanosecond), tt.hhmm, loc); !p.Before(got) || got.Sub(p) > 26*time.Hour || got.Sub(p) < 22*time.Hour {
				t.Errorf("Prev(just before %s) = %s, want the previous day's run", got, p)
			}
		})
	}
}

// TestOneRunPerLocalDay walks a year of runs for several times of day and
// zones: every local calendar day gets exactly one run, at the wall time
// asked for except inside a spring-forward gap.
func TestOneRunPerLocalDay(t *testing.T) {
	zones := []string{"America/New_York", "Europe/London", "Australia/Lord_Howe", "UTC", "Asia/Kolkata", "America/Santiago"}
	var times []string
	for h := 0; h < 24; h++ {
		times = append(times, TimeOfDay{h, 0}.String(), TimeOfDay{h, 30}.String())
		if h < 4 || h == 23 {
			times = append(times, TimeOfDay{h, 15}.String(), TimeOfDay{h, 45}.String(), TimeOfDay{h, 59}.String())
		}
	}
	for _, zn := range zones {
		loc := mustZone(t, zn)
		for _, hhmm := range times {
			tod, _ := ParseTime(hhmm)
			start := time.Date(2025, 1, 1, 0, 0, 0, 0, loc).Add(-time.Nanosecond)
			run := Next(start, hhmm, loc)
			wantDay := time.Date(2025, 1, 1, 12, 0, 0, 0, time.UTC)
			for i := 0; i < 366; i++ {
				l := run.In(loc)
				y, m, d := l.Date()
				wy, wm, wd := wantDay.Date()
				if y != wy || m != wm || d != wd {
					t.Fatalf("%s %s: run %d at %s, want local day %04d-%02d-%02d", zn, hhmm, i, l.Format(time.RFC3339), wy, wm, wd)
				}
				if l.Hour() != tod.Hour || l.Minute() != tod.Minute {
					// Only allowed inside a gap: the wall time must not exist that day.
					if exists(y, m, d, tod, loc) {
						t.Fatalf("%s %s: run at %s, but %s exists that day", zn, hhmm, l.Format(time.RFC3339), hhmm)
					}
				} else if first := firstAt(y, m, d, tod, loc); !run.Equal(first) {
					t.Fatalf("%s %s: run at %s, want the first occurrence %s", zn, hhmm, l.Format(time.RFC3339), first.In(loc).Format(time.RFC3339))
				}
				next := Next(run, hhmm, loc)
				if !next.After(run) {
					t.Fatalf("%s %s: Next(%s) = %s, not after", zn, hhmm, run, next)
				}
				// Nothing in between: Next just after the run is the same next run.
				if mid := Next(run.Add(time.Minute), hhmm, loc); !mid.Equal(next) {
					t.Fatalf("%s %s: Next(%s+1m) = %s, want %s", zn, hhmm, run, mid, next)
				}
				run = next
				wantDay = wantDay.AddDate(0, 0, 1)
			}
		}
	}
}

// exists scans the day minute by minute for the wall time.
func exists(y int, m time.Month, d int, tod TimeOfDay, loc *time.Location) bool {
	return !firstAt(y, m, d, tod, loc).IsZero()
}

// firstAt tries every offset from +14h down to -14h in quarter hours (all
// zones' offsets are quarter hours): the first instant reading the wall time.
func firstAt(y int, m time.Month, d int, tod TimeOfDay, loc *time.Location) time.Time {
	wall := time.Date(y, m, d, tod.Hour, tod.Minute, 0, 0, time.UTC)
	for off := 14 * 60; off >= -14*60; off -= 15 {
		c := wall.Add(-time.Duration(off) * time.Minute).In(loc)
		cy, cm, cd := c.Date()
		if cy == y && cm == m && cd == d && c.Hour() == tod.Hour && c.Minute() == tod.Minute {
			return c
		}
	}
	return time.Time{}
}

func TestParseTime(t *testing.T) {
	good := map[string]TimeOfDay{"08:00": {8, 0}, "8:05": {8, 5}, " 23:59 ": {23, 59}, "00:00": {0, 0}}
	for in, want := range good {
		got, err := ParseTime(in)
		if err != nil || got != want {
			t.Errorf("ParseTime(%q) = %v, %v; want %v", in, got, err, want)
		}
	}
	for _, in := range []string{"25:00", "8am", "", "08:60", "0800", "08:0", "-1:00", "08:00:00", "+8:00", "１２:００"} {
		if _, err := ParseTime(in); err == nil || !strings.HasPrefix(err.Error(), "schedule: time of day") {
			t.Errorf("ParseTime(%q) error = %v, want a schedule error", in, err)
		}
	}
	if got := (TimeOfDay{7, 5}).String(); got != "07:05" {
		t.Errorf("String = %q", got)
	}
	if !Next(time.Now(), "8am", time.UTC).IsZero() || !Prev(time.Now(), "25:00", time.UTC).IsZero() {
		t.Error("Next/Prev of an invalid time should be zero")
	}
}

func TestLoadZone(t *testing.T) {
	if _, err := LoadZone("Europe/Berlin"); err != nil {
		t.Skipf("no zone data: %v", err)
	}
	for _, in := range []string{"Mars/Base", "", "Local", "../etc/passwd"} {
		_, err := LoadZone(in)
		if err == nil || !strings.Contains(err.Error(), "time zone") {
			t.Errorf("LoadZone(%q) error = %v", in, err)
		}
	}
	if _, err := LoadZone("Mars/Base"); err == nil || !strings.Contains(err.Error(), `"Mars/Base"`) {
		t.Errorf("error should name the zone: %v", err)
	}
}

func FuzzParseTime(f *testing.F) {
	for _, s := range []string{"08:00", "25:00", "8am", "23:59", "0:00", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		tod, err := ParseTime(s)
		if err != nil {
			return
		}
		if tod.Hour < 0 || tod.Hour > 23 || tod.Minute < 0 || tod.Minute > 59 {
			t.Fatalf("ParseTime(%q) = %v out of range", s, tod)
		}
		back, err := ParseTime(tod.String())
		if err != nil || back != tod {
			t.Fatalf("round trip of %q: %v, %v", s, back, err)
		}
	})
}
