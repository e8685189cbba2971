package summary

import (
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"
)

// junkStart matches the openings of lines that are never summary
// material: agency notes, credits, calls to action, time stamps, labels of
// link boxes. It runs on the lower-cased start of a sentence.
var junkStart = regexp.MustCompile(`^(` + strings.Join([]string{
	`\(?\s*with (additional )?inputs? from`,
	`\(?\s*(additional )?reporting by\b`,
	`\(?\s*(writing|editing|compiled|produced) by\b`,
	`(read|see|watch|listen)( the)? (more|also|full|now|here|next|story|video)\b`,
	`also read\b`,
	`(don'?t|do not) miss\s*:`,
	`follow\b.{0,60}\bon (twitter|x|facebook|instagram|threads|bluesky|linkedin|tiktok|youtube)\b`,
	`(click|tap) (here|the link|below)\b`,
	`(subscribe|sign up|follow us|follow @|like us|join us|download (our|the) app|get (our|the) (free )?newsletter)\b`,
	`scroll down\b`,
	`(photo|image|picture|video|graphic|caption|credit|source|file photo)s?\s*(:|\||by\b)`,
	`(©|\(c\)|copyright\b)`,
	`(published|updated|last updated|created|posted)\s*:?\s*\d`,
	`(published|updated|last updated)\s*:`,
	`(related|trending|recommended|most read|more from)( (stories|articles|news|coverage|content))?\s*(:|$)`,
}, "|") + `)`)

// junkWhole matches short lines that are junk as a whole: share buttons,
// "Advertisement", a byline.
var junkWhole = regexp.MustCompile(`(?i)^((share|tweet|email|print|comments?)( this( article| story)?)?|advertisement|` +
	`by\s+[\p{Lu}][\p{L}.'-]+(\s+[\p{Lu}][\p{L}.'-]+){0,3}(\s*(,|and|&)\s*[\p{Lu}][\p{L}.'-]+(\s+[\p{Lu}][\p{L}.'-]+){0,3})*)\.?$`)

// junkPhrases are lower-case phrases that mark a line as junk wherever they
// stand: image disclaimers, credits, legal lines.
var junkPhrases = []string{
	"is ai-generated", "is ai generated", "was ai-generated", "is computer-generated",
	"does not depict any real", "for illustrative purposes only", "click here",
	"all rights reserved", "getty images", "reuters/", "afp/", "ap photo", "shutterstock",
	"terms of use", "terms of service", "privacy policy", "cookie policy",
}

// isJunkText applies the patterns and phrases above.
func isJunkText(s string) bool {
	low := strings.ToLower(s)
	head := low
	if len(head) > 120 {
		head = head[:120]
	}
	if junkStart.MatchString(head) {
		return true
	}
	if len(s) < 120 && junkWhole.MatchString(s) {
		return true
	}
	for _, p := range junkPhrases {
		if strings.Contains(low, p) {
			return true
		}
	}
	if (strings.Contains(low, "subscribe to ") || strings.Contains(low, "sign up for ")) &&
		(strings.Contains(low, "newsletter") || strings.Contains(low, " alerts")) {
		return true
	}
	// A trailing credit: "… (Photo: AP)", "(File photo)".
	if strings.HasSuffix(low, ")") {
		if i := strings.LastIndex(low, "("); i >= 0 {
			for _, p := range []string{"(photo", "(image", "(picture", "(file photo"} {
				if strings.HasPrefix(low[i:], p) {
					return true
				}
			}
		}
	}
	return false
}

// captionLabel matches the "Label: text" form of photo captions ("Flying
// high: Half of the kite …"), which a quote introduction ("He said: …")
// does not share.
var captionLabel = regexp.MustCompile(`^([\p{Lu}][\p{L}'’-]*(\s+[\p{L}'’-]+){0,3}):\s+[\p{Lu}"'“‘]`)

var speechVerbs = set("said", "says", "told", "added", "explained", "wrote", "asked", "stated",
	"tweeted", "insisted", "continued", "admitted", "revealed", "claimed", "warned", "announced",
	"declared", "replied", "noted", "posted", "commented", "reads", "read")

// isJunk reports sentences that must never be a summary line.
func isJunk(s string, words int) bool {
	if words < 4 {
		return true
	}
	if isJunkText(s) {
		return true
	}
	if !hasLower(s) && hasUpper(s) {
		// A shouted heading or label: "TRENDING", "BREAKING NEWS".
		return true
	}
	if strings.Count(s, "|") >= 2 {
		// A metadata strip: "Desk | Riyadh | Updated: …".
		return true
	}
	if m := captionLabel.FindStringSubmatch(s); m != nil {
		for _, w := range strings.Fields(strings.ToLower(m[1])) {
			if speechVerbs[w] {
				return false
			}
		}
		return true
	}
	if isDateline(s) {
		return true
	}
	return false
}

// datelineOnly matches a dateline standing alone: "RIYADH (Reuters) -",
// "LONDON, Feb 19 -", "Riyadh, 19 Feb 2025".
var datelineOnly = regexp.MustCompile(`^[\p{Lu}][\p{L} .'-]{1,40}(\s*\([^)]{1,30}\))?\s*,?\s*([\p{L}]{3,9}\.?\s+\d{1,2}|\d{1,2}\s+[\p{L}]{3,9}\.?)?(,?\s*\d{4})?\s*[-–—:]?$`)

func isDateline(s string) bool {
	return len(s) < 80 && datelineOnly.MatchString(s) && (strings.ContainsAny(s, "-–—(") || hasDigit(s))
}

func hasLower(s string) bool { return strings.IndexFunc(s, unicode.IsLower) >= 0 }
func hasUpper(s string) bool { return strings.IndexFunc(s, unicode.IsUpper) >= 0 }
func hasDigit(s string) bool { return strings.IndexFunc(s, unicode.IsDigit) >= 0 }

// endsSentence reports whether s ends like a finished sentence (a full stop
// of any script, possibly inside closing quotes or brackets): a line that
// does not is a caption, a heading or a fragment.
func endsSentence(s string) bool {
	rs := []rune(s)
	for i := len(rs) - 1; i >= 0; i-- {
		r := rs[i]
		if isCloser(r) {
			continue
		}
		return isTerminal(r) || isHardStop(r)
	}
	return false
}

// leadTag matches the source tag or dateline that opens a wire story's
// first sentence: "(CNN)", "(CNN) -- ", "RIYADH (Reuters) - ",
// "LONDON, Feb 19 (Reuters) - ", "NEW YORK — ", "New York, NY – ",
// "Hong Kong (CNN Business)", "Washington, DC, United States: ". The card
// carries the dateline on its own, so the summary line starts after it.
var leadTag = regexp.MustCompile(`^(\((CNN|AP|AFP|Reuters|PTI|IANS|ANI|UPI|dpa)\)\s*((--|—|–|-)\s*)?|` +
	`[\p{Lu}][\p{L}.'’]*(\s[\p{Lu}][\p{L}.'’]*){0,3}\s*\((CNN|AP|AFP|Reuters|PTI|IANS|ANI|UPI|dpa)( [\p{Lu}][\p{L}]+)?\)\s*((--|—|–|-)\s*)?|` +
	`[\p{Lu}][\p{L}.'’]*(\s[\p{Lu}][\p{L}.'’]*){0,2}(,\s*[\p{Lu}][\p{L}.'’]*(\s[\p{Lu}][\p{L}.'’]*){0,2}){1,2}:\s+|` +
	`[\p{Lu}][\p{Lu} .'’-]{2,40}(,\s*[\p{L}.]+(\s+\d{1,2})?(,\s*\d{4})?)?\s*(\([^)]{1,25}\))?\s*(--|—|–|-)\s+|` +
	`[\p{Lu}][\p{L}.'’]*(\s[\p{Lu}][\p{L}.'’]*){0,3},\s*\p{Lu}{2}\.?\s*(--|—|–|-)\s+)`)

// stripLeadTag removes a leading source tag or dateline, if what follows
// still reads as a sentence.
func stripLeadTag(s string) string {
	m := leadTag.FindStringIndex(s)
	if m == nil {
		return s
	}
	rest := s[m[1]:]
	r, _ := utf8.DecodeRuneInString(rest)
	if len(strings.Fields(rest)) < 4 || !(unicode.IsUpper(r) || unicode.IsDigit(r) || isOpener(r)) {
		return s
	}
	return rest
}

// pictureRef matches the marks by which a caption points at its picture:
// "(pictured)", "(left)", "(right, with his wife)", "(above)".
var pictureRef = regexp.MustCompile(`(?i)\((pictured|picture|left|right|centre|center|above|below|top|bottom|inset|file photo)\b[^)]*\)|\bpictured( here)?:`)

// isCaptionLike reports sentences that refer to a picture.
func isCaptionLike(s string) bool {
	return (strings.Contains(s, "(") || strings.Contains(s, "ictured")) && pictureRef.MatchString(s)
}
