package extract

import (
	"regexp"
	"strconv"
	"strings"
	"time"
)

// relUnits maps the unit words of relative dates ("3 hours ago", "vor 2
// Tagen", "2 дня назад") to their length. Months and years count as 30
// and 365 days: only the day matters, and a page that says "2 months ago"
// gives no better.
var relUnits = map[string]time.Duration{}

func init() {
	for d, words := range map[time.Duration][]string{
		time.Minute: {"minute", "minutes", "min", "mins", "minuten", "minuto", "minutos", "minuti", "minut", "minuty", "minutę", "dakika",
			"минуту", "минуты", "минут", "хвилину", "хвилини", "хвилин", "минути", "分", "分钟", "分鐘", "분", "دقيقة", "دقائق", "דקות", "דקה", "मिनट", "মিনিট"},
		time.Hour: {"hour", "hours", "hr", "hrs", "heure", "heures", "stunde", "stunden", "hora", "horas", "ora", "ore", "uur", "godzinę", "godziny", "godzin", "saat",
			"час", "часа", "часов", "годину", "години", "годин", "時間", "小时", "小時", "시간", "ساعة", "ساعات", "שעות", "שעה", "घंटे", "घंटा", "ঘণ্টা"},
		24 * time.Hour: {"day", "days", "jour", "jours", "tag", "tage", "tagen", "día", "días", "dia", "dias", "giorno", "giorni", "dag", "dagen", "dzień", "dni", "gün",
			"день", "дня", "дней", "дні", "днів", "ден", "дни", "日", "天", "일", "يوم", "أيام", "ימים", "יום", "दिन", "দিন"},
		7 * 24 * time.Hour: {"week", "weeks", "semaine", "semaines", "woche", "wochen", "semana", "semanas", "settimana", "settimane", "weken", "tydzień", "tygodnie", "hafta",
			"неделю", "недели", "недель", "тиждень", "тижні", "тижнів", "седмица", "седмици", "週間", "周", "週", "주", "أسبوع", "أسابيع", "שבועות", "सप्ताह", "সপ্তাহ"},
		30 * 24 * time.Hour: {"month", "months", "mois", "monat", "monaten", "mes", "meses", "mese", "mesi", "maand", "maanden", "miesiąc", "miesiące", "ay",
			"месяц", "месяца", "месяцев", "місяць", "місяці", "місяців", "месеца", "か月", "ヶ月", "个月", "個月", "개월", "شهر", "أشهر", "חודשים", "महीने", "মাস"},
		365 * 24 * time.Hour: {"year", "years", "an", "ans", "jahr", "jahren", "año", "años", "ano", "anos", "anno", "anni", "jaar", "rok", "lata", "lat", "yıl",
			"год", "года", "лет", "рік", "роки", "років", "година", "年", "년", "سنة", "سنوات", "שנים", "साल", "বছর"},
	} {
		for _, w := range words {
			relUnits[w] = d
		}
	}
}

// relWordNums are the spelled-out "one" of relative dates: "an hour ago",
// "vor einem Tag", "il y a une heure", "hace un día".
var relWordNums = map[string]int{"a": 1, "an": 1, "one": 1, "ein": 1, "einer": 1, "einem": 1, "un": 1, "une": 1, "una": 1, "uno": 1, "um": 1, "uma": 1, "een": 1}

var (
	// "3 hours ago", "2 giorni fa", "5 uur geleden", "2 дня назад", "3 години тому", "2 godziny temu", "3 saat önce", "3 दिन पहले", "3 দিন আগে"
	relAfterRe = regexp.MustCompile(`(?i)\b(\d{1,3}|an?|one)\s+([\p{L}\p{M}]+)\s+(?:ago|fa|geleden|назад|тому|temu|önce|पहले|আগে)`)
	// "vor 2 Tagen", "il y a 3 heures", "hace 2 días", "há 3 horas", "преди 2 дни", "منذ 3 ساعات", "לפני 3 שעות"
	relBeforeRe = regexp.MustCompile(`(?i)(?:\bvor|\bil y a|\bhace|\bhá|преди|منذ|לפני)\s+(\d{1,3}|\p{L}{1,5})\s+([\p{L}\p{M}]+)`)
	// "3時間前", "2天前", "3일 전"
	relCJKRe = regexp.MustCompile(`(\d{1,3})\s*(分钟|分鐘|分|時間|小时|小時|天|日|週間|周|週|か月|ヶ月|个月|個月|年|분|시간|일|주|개월|년)\s*(?:前|전)`)
	// "yesterday", "gestern", "вчера" …: one day back; "today" and kin: none.
	relYesterdayRe = regexp.MustCompile(`(?i)\b(?:yesterday|gestern|hier|ayer|ieri|ontem|gisteren|wczoraj)\b|\bdün|вчера|вчора|昨日|昨天|어제|أمس|אתמול`)
	relTodayRe     = regexp.MustCompile(`(?i)\b(?:today|heute|aujourd'hui|hoy|oggi|hoje|vandaag|dzisiaj|bugün)\b|\bdziś|сегодня|сьогодні|днес|今日|今天|오늘|اليوم|היום|आज|আজ`)
)

// relativeDate reads a relative date ("3 hours ago", "vor 2 Tagen",
// "вчера") against ref, the time the page itself says it is now. The result
// has the date only, in ref's zone.
func relativeDate(s string, ref time.Time) (when, bool) {
	if ref.IsZero() {
		return when{}, false
	}
	s = asciiDigits(s)
	back := time.Duration(-1)
	for _, re := range []*regexp.Regexp{relAfterRe, relBeforeRe, relCJKRe} {
		m := re.FindStringSubmatch(s)
		if m == nil {
			continue
		}
		n, err := strconv.Atoi(m[1])
		if err != nil {
			var ok bool
			if n, ok = relWordNums[strings.ToLower(m[1])]; !ok {
				continue
			}
		}
		unit, ok := relUnits[strings.ToLower(m[2])]
		if !ok {
			continue
		}
		back = time.Duration(n) * unit
		break
	}
	if back < 0 {
		switch {
		case relYesterdayRe.MatchString(s):
			back = 24 * time.Hour
		case relTodayRe.MatchString(s):
			back = 0
		default:
			return when{}, false
		}
	}
	t := ref.Add(-back)
	if !validYear(t) {
		return when{}, false
	}
	y, mo, d := t.Date()
	return when{T: time.Date(y, mo, d, 0, 0, 0, 0, ref.Location())}, true
}

// nowLabelRe finds where a page states its own current time: phpBB's "It
// is currently …", "Aktuelle Zeit: …", "Il est actuellement …".
var nowLabelRe = regexp.MustCompile(`(?i)\b(?:it is currently|current time is|the time now is|aktuelle zeit|es ist jetzt|il est actuellement|nous sommes le|son las|ora attuale)\b`)

// pageNow is the current time the page states about itself, or zero.
func pageNow(lines []vline, dayFirst bool) time.Time {
	for _, l := range lines {
		if len(l.text) > 200 {
			continue
		}
		if loc := nowLabelRe.FindStringIndex(l.text); loc != nil {
			if w, ok := findDate(l.text[loc[1]:], dayFirst); ok {
				return w.T
			}
		}
	}
	return time.Time{}
}
