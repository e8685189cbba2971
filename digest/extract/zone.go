package extract

import (
	"strconv"
	"strings"
	"time"
)

// zoneOffsets maps common time-zone abbreviations to fixed offsets in
// minutes. Abbreviations are ambiguous world-wide (IST is also Irish and
// Israel Standard Time); the table keeps the reading news sites use most.
var zoneOffsets = map[string]int{
	"UTC": 0, "GMT": 0, "Z": 0, "WET": 0, "WEST": 60,
	"BST": 60, "IST": 330, "CET": 60, "CEST": 120, "MEZ": 60, "MESZ": 120,
	"EET": 120, "EEST": 180, "MSK": 180, "GST": 240, "PKT": 300, "NPT": 345,
	"BDT": 360, "ICT": 420, "WIB": 420, "SGT": 480, "HKT": 480, "PHT": 480,
	"AWST": 480, "KST": 540, "JST": 540, "ACST": 570, "ACDT": 630,
	"AEST": 600, "AEDT": 660, "NZST": 720, "NZDT": 780,
	"EST": -300, "EDT": -240, "CST": -360, "CDT": -300, "MST": -420, "MDT": -360,
	"PST": -480, "PDT": -420, "AKST": -540, "AKDT": -480, "HST": -600,
	"AST": -240, "ADT": -180, "NST": -210, "NDT": -150, "BRT": -180, "ART": -180,
	"SAST": 120, "CAT": 120, "EAT": 180, "WAT": 60,
}

// zoneFor returns a fixed zone for an abbreviation or a numeric offset
// ("IST", "GMT+5:30", "+05:30", "+0530", "UTC-3"), and whether it knew it.
func zoneFor(label string) (*time.Location, bool) {
	l := strings.ToUpper(strings.TrimSpace(label))
	if l == "" {
		return nil, false
	}
	if m, ok := zoneOffsets[l]; ok {
		return time.FixedZone(l, m*60), true
	}
	base := 0
	for _, p := range []string{"UTC", "GMT"} {
		if strings.HasPrefix(l, p) && len(l) > len(p) {
			l = l[len(p):]
			break
		}
	}
	if mins, ok := parseOffset(l); ok {
		return time.FixedZone(strings.TrimSpace(label), (base+mins)*60), true
	}
	return nil, false
}

// parseOffset reads "+05:30", "+0530", "+5", "-3:00" as minutes.
func parseOffset(s string) (int, bool) {
	s = strings.Replace(s, "\u2212", "-", 1)
	if len(s) < 2 || (s[0] != '+' && s[0] != '-') {
		return 0, false
	}
	sign := 1
	if s[0] == '-' {
		sign = -1
	}
	s = strings.TrimLeft(s, "+-\u2212")
	var h, m int
	var err error
	switch {
	case strings.Contains(s, ":"):
		hs, ms, _ := strings.Cut(s, ":")
		if h, err = strconv.Atoi(hs); err != nil {
			return 0, false
		}
		if m, err = strconv.Atoi(ms); err != nil {
			return 0, false
		}
	case len(s) == 4:
		if h, err = strconv.Atoi(s[:2]); err != nil {
			return 0, false
		}
		if m, err = strconv.Atoi(s[2:]); err != nil {
			return 0, false
		}
	case len(s) <= 2:
		if h, err = strconv.Atoi(s); err != nil {
			return 0, false
		}
	default:
		return 0, false
	}
	if h > 14 || m > 59 {
		return 0, false
	}
	return sign * (h*60 + m), true
}
