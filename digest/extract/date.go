package extract

import (
	"regexp"
	"strconv"
	"strings"
	"time"
)

// when is a date found in a page, with whether it had a time and the zone
// label as written.
type when struct {
	T       time.Time
	HasTime bool
	Zone    string
	// Clock is true when a time of day was read, with or without a zone
	// (HasTime needs the zone too).
	Clock bool
}

// monthLists are month names and abbreviations in the languages news pages
// use most, January first.
var monthLists = [][]string{
	{"january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december"},
	{"jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"},
	{"", "", "", "", "", "", "", "", "sept", "", "", ""},
	{"januar", "februar", "märz", "april", "mai", "juni", "juli", "august", "september", "oktober", "november", "dezember"},
	{"jän", "feb", "mär", "apr", "mai", "jun", "jul", "aug", "sep", "okt", "nov", "dez"},
	{"janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre", "novembre", "décembre"},
	{"janv", "févr", "mars", "avr", "mai", "juin", "juil", "août", "sept", "oct", "nov", "déc"},
	{"enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto", "septiembre", "octubre", "noviembre", "diciembre"},
	{"gennaio", "febbraio", "marzo", "aprile", "maggio", "giugno", "luglio", "agosto", "settembre", "ottobre", "novembre", "dicembre"},
	{"janeiro", "fevereiro", "março", "abril", "maio", "junho", "julho", "agosto", "setembro", "outubro", "novembro", "dezembro"},
	{"januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september", "oktober", "november", "december"},
	{"ianuarie", "februarie", "martie", "aprilie", "mai", "iunie", "iulie", "august", "septembrie", "octombrie", "noiembrie", "decembrie"},
	{"január", "február", "március", "április", "május", "június", "július", "augusztus", "szeptember", "október", "november", "december"},
	{"января", "февраля", "марта", "апреля", "мая", "июня", "июля", "августа", "сентября", "октября", "ноября", "декабря"},
	{"январь", "февраль", "март", "апрель", "май", "июнь", "июль", "август", "сентябрь", "октябрь", "ноябрь", "декабрь"},
	{"stycznia", "lutego", "marca", "kwietnia", "maja", "czerwca", "lipca", "sierpnia", "września", "października", "listopada", "grudnia"},
	{"ocak", "şubat", "mart", "nisan", "mayıs", "haziran", "temmuz", "ağustos", "eylül", "ekim", "kasım", "aralık"},
	{"يناير", "فبراير", "مارس", "أبريل", "مايو", "يونيو", "يوليو", "أغسطس", "سبتمبر", "أكتوبر", "نوفمبر", "ديسمبر"},
	{"كانون الثاني", "شباط", "آذار", "نيسان", "أيار", "حزيران", "تموز", "آب", "أيلول", "تشرين الأول", "تشرين الثاني", "كانون الأول"},
	{"ene", "", "", "abr", "", "", "", "ago", "set", "", "", "dic"},
	{"gen", "", "", "", "mag", "giu", "lug", "", "", "ott", "", ""},
	{"", "fev", "", "", "", "", "", "", "", "out", "", ""},
	{"", "", "", "ابريل", "", "يونيه", "يوليه", "اغسطس", "", "اكتوبر", "", ""},
	{"jänner", "feber", "", "", "", "", "", "", "", "", "", ""},
	{"", "", "mrt", "", "", "", "", "", "", "", "", ""},
	// Ukrainian (genitive, then nominative), Bulgarian, Russian abbreviations.
	{"січня", "лютого", "березня", "квітня", "травня", "червня", "липня", "серпня", "вересня", "жовтня", "листопада", "грудня"},
	{"січень", "лютий", "березень", "квітень", "травень", "червень", "липень", "серпень", "вересень", "жовтень", "листопад", "грудень"},
	{"януари", "февруари", "март", "април", "май", "юни", "юли", "август", "септември", "октомври", "ноември", "декември"},
	{"янв", "фев", "мар", "апр", "мая", "июн", "июл", "авг", "сен", "окт", "ноя", "дек"},
	{"", "февр", "", "", "", "", "", "", "сент", "", "нояб", ""},
	{"яну", "фев", "мар", "апр", "май", "юни", "юли", "авг", "сеп", "окт", "ное", "дек"},
	// Polish nominative, Czech genitive.
	{"styczeń", "luty", "marzec", "kwiecień", "maj", "czerwiec", "lipiec", "sierpień", "wrzesień", "październik", "listopad", "grudzień"},
	{"ledna", "února", "března", "dubna", "května", "června", "července", "srpna", "září", "října", "listopadu", "prosince"},
	// Greek genitive, Hebrew, Persian (Gregorian months).
	{"ιανουαρίου", "φεβρουαρίου", "μαρτίου", "απριλίου", "μαΐου", "ιουνίου", "ιουλίου", "αυγούστου", "σεπτεμβρίου", "οκτωβρίου", "νοεμβρίου", "δεκεμβρίου"},
	{"ינואר", "פברואר", "מרץ", "אפריל", "מאי", "יוני", "יולי", "אוגוסט", "ספטמבר", "אוקטובר", "נובמבר", "דצמבר"},
	{"", "", "מרס", "", "", "", "", "", "", "", "", ""},
	{"ژانویه", "فوریه", "", "آوریل", "مه", "ژوئن", "ژوئیه", "اوت", "سپتامبر", "اکتبر", "نوامبر", "دسامبر"},
	// Hindi (both spellings of the nasal), Bengali.
	{"जनवरी", "फरवरी", "मार्च", "अप्रैल", "मई", "जून", "जुलाई", "अगस्त", "सितंबर", "अक्टूबर", "नवंबर", "दिसंबर"},
	{"", "", "", "अप्रेल", "", "", "", "", "सितम्बर", "अक्तूबर", "नवम्बर", "दिसम्बर"},
	{"জানুয়ারি", "ফেব্রুয়ারি", "মার্চ", "এপ্রিল", "মে", "জুন", "জুলাই", "আগস্ট", "সেপ্টেম্বর", "অক্টোবর", "নভেম্বর", "ডিসেম্বর"},
	{"জানুয়ারী", "ফেব্রুয়ারী", "", "", "", "", "", "আগষ্ট", "", "", "", ""},
	// Indonesian, Swedish, Danish/Norwegian, Spanish and Turkish short forms.
	{"januari", "februari", "maret", "april", "mei", "juni", "juli", "agustus", "september", "oktober", "november", "desember"},
	{"", "", "mars", "", "maj", "", "", "augusti", "", "", "", ""},
	{"", "", "", "", "", "", "", "", "", "", "", "des"},
	{"oca", "şub", "", "nis", "", "haz", "tem", "ağu", "eyl", "eki", "kas", "ara"},
}

// months maps every month word to its number.
var months = map[string]int{}

func init() {
	for _, l := range monthLists {
		for i, n := range l {
			n = foldMonth(n)
			if _, dup := months[n]; n != "" && !dup {
				months[n] = i + 1
			}
		}
	}
}

// foldMonth lower-cases a month word and drops the nukta signs that
// Devanagari and Bengali text may write as separate marks (फ़रवरी, য়).
func foldMonth(w string) string {
	w = strings.ToLower(w)
	if !strings.ContainsAny(w, "\u093c\u09bc\u09df") {
		return w
	}
	return strings.NewReplacer("\u093c", "", "\u09bc", "", "\u09df", "\u09af").Replace(w)
}

// nativeDigits maps the first code point of each decimal digit block that
// news pages use (Arabic-Indic, Persian, Devanagari, Bengali, full-width)
// to ASCII.
var nativeDigits = []rune{0x0660, 0x06F0, 0x0966, 0x09E6, 0xFF10}

// asciiDigits rewrites native decimal digits as ASCII ones, so "١٣ يناير
// ٢٠٢٠", "१३ जनवरी २०२०" and "２０２０年" parse like Latin digits.
func asciiDigits(s string) string {
	ascii := true
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			ascii = false
			break
		}
	}
	if ascii {
		return s
	}
	changed := false
	out := []rune(s)
	for i, r := range out {
		for _, z := range nativeDigits {
			if r >= z && r <= z+9 {
				out[i] = '0' + (r - z)
				changed = true
				break
			}
		}
	}
	if !changed {
		return s
	}
	return string(out)
}

// monthWord matches a word that may be a month name (with the vowel signs
// of Indic scripts; a Hebrew "ב" prefix is read by monthNum); monthNum decides.
const monthWord = `([\p{L}\p{M}]{2,14}(?: \p{L}{3,6})?)`

var (
	isoRe = regexp.MustCompile(`(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[T ](\d{1,2}):(\d{2})(?::(\d{2})(?:[.,]\d+)?)?\s*(Z|[+-]\d{2}:?\d{2}|[A-Z]{2,5}\b)?)?`)
	numRe = regexp.MustCompile(`\b(\d{1,2})([./-])(\d{1,2})([./-])(\d{4}|\d{2})\b`)
	// day month year: "19 Feb 2025", "19. Februar 2025", "19th of February, 2025"
	dmyRe = regexp.MustCompile(`\b(\d{1,2})(?:st|nd|rd|th|er|\.)?\s*(?:of\s+|de\s+)?` + monthWord + `\.?(?:\s*/\s*` + monthWord + `)?,?\s*(?:de\s+)?(\d{4})\b`)
	// month day year: "Feb 19, 2025", "February 19th 2025"
	mdyRe = regexp.MustCompile(`` + monthWord + `\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})\b`)
	// A time after a date: "03:06 IST", "3:06 p.m. EST", "at 10:15 GMT+5:30".
	timeRe = regexp.MustCompile(`^[\s,.|/\-–—@T]*(?:[Aa]t\s+|[Uu]m\s+|à\s+|a\s+las\s+)?(\d{1,2})[:.h](\d{2})(?::(\d{2}))?\s*([aApP]\.?\s?[mM]\.?|مساءً|مساء|صباحاً|صباحا|午後|午前|下午|上午|오후|오전)?(?:\s*(?:[Uu]hr|[Hh]rs?\.?))?\s*\(?((?:UTC|GMT)\s*[+\-\x{2212}]\s*\d{1,2}(?::?\d{2})?|[+-]\d{2}:?\d{2}|[A-Z]{2,5}\b)?`)
	// year month day: "2020. június 4.", "2020年6月4日", "2020년 6월 4일"
	ymdRe = regexp.MustCompile(`\b(\d{4})\.?\s*` + monthWord + `\.?\s*(\d{1,2})\b`)
	cjkRe = regexp.MustCompile(`(\d{4})\s*[年년]\s*(\d{1,2})\s*[月월]\s*(\d{1,2})\s*[日일]`)
)

// monthNum reads a month word as 1-12, or 0. A word of two ("كانون
// الثاني") is tried whole, then by its first word, then by its second.
func monthNum(w string) int {
	w = foldMonth(strings.TrimSuffix(w, "."))
	if m, ok := months[w]; ok {
		return m
	}
	if first, last, ok := strings.Cut(w, " "); ok {
		if m, ok := months[first]; ok {
			return m
		}
		// "on March 3": the regexp took a short word before the month.
		if m, ok := months[last]; ok {
			return m
		}
	}
	// Hebrew writes "in January" as one word: בינואר.
	if rest, ok := strings.CutPrefix(w, "ב"); ok {
		if m, ok := months[rest]; ok {
			return m
		}
	}
	return 0
}

// hasYear reports whether s holds four digits in a row, which every
// date with a month name needs.
func hasYear(s string) bool {
	run := 0
	for i := 0; i < len(s); i++ {
		if s[i] >= '0' && s[i] <= '9' {
			run++
			if run == 4 {
				return true
			}
		} else {
			run = 0
		}
	}
	return false
}

// parseMachineDate reads a date from metadata: ISO 8601 / RFC 3339 and its
// common variants, RFC 1123, or failing those a human date.
func parseMachineDate(s string) (when, bool) {
	s = asciiDigits(strings.TrimSpace(s))
	if s == "" {
		return when{}, false
	}
	for _, l := range []string{time.RFC3339Nano, time.RFC1123Z, time.RFC1123, "Mon, 2 Jan 2006 15:04:05 -0700", "Mon, 2 Jan 2006 15:04:05 MST"} {
		if t, err := time.Parse(l, s); err == nil {
			w := when{T: t, HasTime: true, Clock: true}
			if name, off := t.Zone(); name != "" && off == 0 && name != "UTC" {
				if loc, ok := zoneFor(name); ok {
					w.T = time.Date(t.Year(), t.Month(), t.Day(), t.Hour(), t.Minute(), t.Second(), 0, loc)
					w.Zone = name
				}
			}
			return w, validYear(w.T)
		}
	}
	if m := isoRe.FindStringSubmatchIndex(s); m != nil && m[0] < 4 {
		return isoMatch(s, m)
	}
	return findDate(s, true)
}

func isoMatch(s string, m []int) (when, bool) {
	g := func(i int) string {
		if m[2*i] < 0 {
			return ""
		}
		return s[m[2*i]:m[2*i+1]]
	}
	y, _ := strconv.Atoi(g(1))
	mo, _ := strconv.Atoi(g(2))
	d, _ := strconv.Atoi(g(3))
	if !validYMD(y, mo, d) {
		return when{}, false
	}
	w := when{T: time.Date(y, time.Month(mo), d, 0, 0, 0, 0, time.UTC)}
	if g(4) != "" {
		h, _ := strconv.Atoi(g(4))
		mi, _ := strconv.Atoi(g(5))
		sec, _ := strconv.Atoi(g(6))
		if h > 23 || mi > 59 || sec > 60 {
			return w, true
		}
		loc, zoned := time.UTC, false
		if z := g(7); z != "" {
			if l, ok := zoneFor(z); ok {
				loc, zoned = l, true
				if hasLetter(z) && z != "Z" {
					w.Zone = z
				}
			}
		}
		w.T = time.Date(y, time.Month(mo), d, h, mi, sec, 0, loc)
		w.Clock = true
		// A time without a zone is the publisher's local time, offset
		// unknown: the card shows the date only rather than a wrong "UTC".
		w.HasTime = zoned
	}
	return w, true
}

func validYMD(y, m, d int) bool {
	if y < 1990 || y > 2100 || m < 1 || m > 12 || d < 1 {
		return false
	}
	return d <= time.Date(y, time.Month(m)+1, 0, 0, 0, 0, 0, time.UTC).Day()
}

func validYear(t time.Time) bool { return t.Year() >= 1990 && t.Year() <= 2100 }

// findDate finds the first date in human text, with the time and zone that
// follow it if any. dayFirst resolves numeric dates like 04/05/2020 that are
// valid both ways (true except for US English pages); a reading that is
// valid only one way wins regardless (19-02-2025 is 19 February).
func findDate(s string, dayFirst bool) (when, bool) {
	s = asciiDigits(s)
	if !hasYear(s) && !strings.ContainsAny(s, "/.-") {
		return when{}, false
	}
	type hit struct {
		pos, end int
		y, m, d  int
	}
	var best *hit
	consider := func(h hit) {
		if validYMD(h.y, h.m, h.d) && (best == nil || h.pos < best.pos) {
			best = &h
		}
	}
	if m := isoRe.FindStringSubmatchIndex(s); m != nil {
		y, _ := strconv.Atoi(s[m[2]:m[3]])
		mo, _ := strconv.Atoi(s[m[4]:m[5]])
		d, _ := strconv.Atoi(s[m[6]:m[7]])
		consider(hit{m[0], m[7], y, mo, d})
	}
	for _, m := range numRe.FindAllStringSubmatchIndex(s, 4) {
		if s[m[4]:m[5]] != s[m[8]:m[9]] {
			continue // mixed separators: not a date
		}
		a, _ := strconv.Atoi(s[m[2]:m[3]])
		b, _ := strconv.Atoi(s[m[6]:m[7]])
		ys := s[m[10]:m[11]]
		y, _ := strconv.Atoi(ys)
		if len(ys) == 2 {
			if s[m[4]:m[5]] != "." && s[m[4]:m[5]] != "/" {
				continue
			}
			y += 2000
		}
		d, mo := a, b
		switch {
		case a > 12 && b <= 12:
		case b > 12 && a <= 12:
			d, mo = b, a
		case !dayFirst && s[m[4]:m[5]] == "/":
			d, mo = b, a
		}
		consider(hit{m[0], m[1], y, mo, d})
		break
	}
	if hasYear(s) {
		for _, m := range dmyRe.FindAllStringSubmatchIndex(s, 8) {
			d, _ := strconv.Atoi(s[m[2]:m[3]])
			y, _ := strconv.Atoi(s[m[8]:m[9]])
			mo := monthNum(s[m[4]:m[5]])
			if mo == 0 && m[6] >= 0 {
				mo = monthNum(s[m[6]:m[7]])
			}
			if mo > 0 {
				consider(hit{m[0], m[1], y, mo, d})
				break
			}
		}
		for _, m := range mdyRe.FindAllStringSubmatchIndex(s, 8) {
			if mo := monthNum(s[m[2]:m[3]]); mo > 0 {
				d, _ := strconv.Atoi(s[m[4]:m[5]])
				y, _ := strconv.Atoi(s[m[6]:m[7]])
				consider(hit{m[0], m[1], y, mo, d})
				break
			}
		}
		for _, m := range ymdRe.FindAllStringSubmatchIndex(s, 8) {
			if mo := monthNum(s[m[4]:m[5]]); mo > 0 {
				y, _ := strconv.Atoi(s[m[2]:m[3]])
				d, _ := strconv.Atoi(s[m[6]:m[7]])
				consider(hit{m[0], m[1], y, mo, d})
				break
			}
		}
	}
	if m := cjkRe.FindStringSubmatchIndex(s); m != nil {
		y, _ := strconv.Atoi(s[m[2]:m[3]])
		mo, _ := strconv.Atoi(s[m[4]:m[5]])
		d, _ := strconv.Atoi(s[m[6]:m[7]])
		consider(hit{m[0], m[1], y, mo, d})
	}
	if best == nil {
		return when{}, false
	}
	w := when{T: time.Date(best.y, time.Month(best.m), best.d, 0, 0, 0, 0, time.UTC)}
	rest := s[best.end:]
	if len(rest) > 60 {
		rest = rest[:60]
	}
	if tm := timeRe.FindStringSubmatch(rest); tm != nil {
		h, _ := strconv.Atoi(tm[1])
		mi, _ := strconv.Atoi(tm[2])
		sec, _ := strconv.Atoi(tm[3])
		ampm := strings.ToLower(strings.NewReplacer(".", "", " ", "", "مساءً", "pm", "مساء", "pm", "صباحاً", "am", "صباحا", "am", "午後", "pm", "午前", "am", "下午", "pm", "上午", "am", "오후", "pm", "오전", "am").Replace(tm[4]))
		if ampm == "pm" && h < 12 {
			h += 12
		} else if ampm == "am" && h == 12 {
			h = 0
		}
		if h <= 23 && mi <= 59 && sec <= 59 {
			loc, zoned := time.UTC, false
			z := tm[5]
			if z != "" && (z[0] == '-' || z[0] == '+') && strings.Contains(tm[0], tm[2]+z) {
				// "10:00-11:30 Uhr" is a span of time, not an offset.
				z = ""
			}
			if z != "" {
				if l, ok := zoneFor(strings.ReplaceAll(z, " ", "")); ok {
					loc, zoned = l, true
					if hasLetter(z) {
						w.Zone = z
					}
				}
			}
			w.T = time.Date(best.y, time.Month(best.m), best.d, h, mi, sec, 0, loc)
			w.Clock = true
			w.HasTime = zoned // without a zone, the date only (see isoMatch)
		}
	}
	return w, true
}

// hasLetter reports whether a zone label is a name ("IST", "GMT+5:30")
// rather than a bare offset, which the time's own offset already says.
func hasLetter(s string) bool {
	for _, r := range s {
		if r >= 'A' && r <= 'Z' || r >= 'a' && r <= 'z' {
			return true
		}
	}
	return false
}
