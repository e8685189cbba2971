// Package schedule computes when a daily digest runs: a local time of day in
// an IANA time zone, once per local calendar day, across DST changes.
//
// The rules on the two DST days of a year:
//   - Spring forward: a time inside the gap (02:30 in New York, where the
//     clocks jump from 02:00 to 03:00) does not exist; the digest runs once,
//     at the instant the gap's end stands for when counted with the offset
//     before the change (02:30 EST = 03:30 EDT), the way a wall clock
//     that was not moved forward would read it.
//   - Fall back: a time that happens twice (01:30 in New York) runs once, at
//     its first occurrence (01:30 EDT).
package schedule

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// TimeOfDay is a local wall-clock time, minute precision.
type TimeOfDay struct {
	Hour, Minute int
}

// String renders "HH:MM".
func (t TimeOfDay) String() string { return fmt.Sprintf("%02d:%02d", t.Hour, t.Minute) }

// ParseTime reads a 24-hour "HH:MM" (or "H:MM") time of day.
func ParseTime(s string) (TimeOfDay, error) {
	v := strings.TrimSpace(s)
	hh, mm, ok := strings.Cut(v, ":")
	if !ok || len(hh) < 1 || len(hh) > 2 || len(mm) != 2 || !digits(hh) || !digits(mm) {
		return TimeOfDay{}, fmt.Errorf("schedule: time of day %q: want 24-hour HH:MM such as 08:00 or 18:30", s)
	}
	h, _ := strconv.Atoi(hh)
	m, _ := strconv.Atoi(mm)
	if h > 23 || m > 59 {
		return TimeOfDay{}, fmt.Errorf("schedule: time of day %q: hour must be 00-23 and minute 00-59", s)
	}
	return TimeOfDay{Hour: h, Minute: m}, nil
}

func digits(s string) bool {
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

// LoadZone loads an IANA time zone by name ("Europe/Berlin", "UTC").
// "Local" and "" are refused: a subscription's zone must not depend on the
// machine the bot runs on.
func LoadZone(name string) (*time.Location, error) {
	n := strings.TrimSpace(name)
	if n == "" || n == "Local" {
		return nil, fmt.Errorf("schedule: time zone %q: want an IANA name such as Europe/Berlin or UTC", name)
	}
	loc, err := time.LoadLocation(n)
	if err != nil {
		return nil, fmt.Errorf("schedule: unknown time zone %q (want an IANA name such as Europe/Berlin or UTC): %w", name, err)
	}
	return loc, nil
}

// On returns the run of local date (y, m, d) at time t in zone: the first
// occurrence when the wall time happens twice, the shifted instant when it
// does not happen at all.
func On(y int, m time.Month, d int, t TimeOfDay, zone *time.Location) time.Time {
	// The wall time read as if it were UTC; subtracting an offset gives a
	// candidate instant.
	wall := time.Date(y, m, d, t.Hour, t.Minute, 0, 0, time.UTC)
	_, before := wall.Add(-36 * time.Hour).In(zone).Zone()
	_, after := wall.Add(36 * time.Hour).In(zone).Zone()
	var best time.Time
	for _, off := range []int{before, after} {
		c := wall.Add(-time.Duration(off) * time.Second)
		if sameWall(c.In(zone), wall) && (best.IsZero() || c.Before(best)) {
			best = c
		}
	}
	if !best.IsZero() {
		return best
	}
	// Neither offset of the day gives that wall time (the zone's offset
	// changes twice within 72 hours, which no current zone does): ask the
	// offset at the candidate itself.
	c := wall.Add(-time.Duration(before) * time.Second)
	_, off := c.In(zone).Zone()
	if d := wall.Add(-time.Duration(off) * time.Second); sameWall(d.In(zone), wall) {
		return d
	}
	// A gap: count the wall time with the offset before the change.
	return c
}

func sameWall(local, wall time.Time) bool {
	y, m, d := local.Date()
	wy, wm, wd := wall.Date()
	return y == wy && m == wm && d == wd && local.Hour() == wall.Hour() && local.Minute() == wall.Minute()
}

// Next returns the first run strictly after `after` of the daily time hhmm
// in zone. It returns the zero time when hhmm is not a valid time of day
// (check it with ParseTime first).
func Next(after time.Time, hhmm string, zone *time.Location) time.Time {
	t, err := ParseTime(hhmm)
	if err != nil || zone == nil {
		return time.Time{}
	}
	return NextAt(after, t, zone)
}

// NextAt is Next with a parsed time of day.
func NextAt(after time.Time, t TimeOfDay, zone *time.Location) time.Time {
	y, m, d := after.In(zone).Date()
	for i := -1; i <= 3; i++ {
		if r := On(y, m, d+i, t, zone); r.After(after) {
			return r
		}
	}
	// Unreachable: runs of consecutive days are less than 48 hours apart.
	return On(y, m, d+4, t, zone)
}

// Prev returns the last run at or before `at` of the daily time hhmm in
// zone, or the zero time when hhmm is not valid.
func Prev(at time.Time, hhmm string, zone *time.Location) time.Time {
	t, err := ParseTime(hhmm)
	if err != nil || zone == nil {
		return time.Time{}
	}
	return PrevAt(at, t, zone)
}

// PrevAt is Prev with a parsed time of day.
func PrevAt(at time.Time, t TimeOfDay, zone *time.Location) time.Time {
	y, m, d := at.In(zone).Date()
	for i := 1; i >= -3; i-- {
		if r := On(y, m, d+i, t, zone); !r.After(at) {
			return r
		}
	}
	return On(y, m, d-4, t, zone)
}
