package story

import "strings"

// stopwords are English function words and the reporting verbs and
// calendar words every news story uses; they carry no event identity.
// Lookups use the normalised (lower-cased, lightly stemmed) form, so
// stemmed variants are added by init.
var stopwords = map[string]bool{
	"a": true, "about": true, "above": true, "according": true, "added": true, "after": true, "again": true, "against": true, "all": true, "almost": true, "also": true, "although": true, "always": true,
	"am": true, "among": true, "an": true, "and": true, "another": true, "any": true, "anyone": true,
	"anything": true, "are": true, "aren't": true, "around": true, "as": true, "asked": true, "at": true, "be": true, "became": true, "because": true, "become": true, "been": true, "before": true,
	"being": true, "below": true, "between": true, "both": true, "but": true, "by": true, "can": true,
	"can't": true, "cannot": true, "could": true, "couldn't": true, "day": true, "days": true, "did": true, "didn't": true, "do": true, "does": true, "doesn't": true, "doing": true, "don't": true,
	"done": true, "down": true, "dr": true, "during": true, "each": true, "eight": true, "either": true,
	"else": true, "even": true, "ever": true, "every": true, "few": true, "first": true, "five": true,
	"for": true, "four": true, "from": true, "further": true, "get": true, "gets": true, "getting": true, "got": true, "had": true, "hadn't": true, "has": true, "hasn't": true, "have": true,
	"haven't": true, "having": true, "he": true, "he'd": true, "he'll": true, "he's": true, "her": true,
	"here": true, "here's": true, "hers": true, "herself": true, "him": true, "himself": true, "his": true, "how": true, "how's": true, "however": true, "i": true, "i'd": true, "i'll": true, "i'm": true, "i've": true, "if": true, "in": true, "into": true, "is": true, "isn't": true, "it": true,
	"it's": true, "its": true, "itself": true, "just": true, "last": true, "least": true, "less": true,
	"let's": true, "like": true, "made": true, "make": true, "many": true, "may": true, "me": true,
	"might": true, "month": true, "months": true, "more": true, "most": true, "mr": true, "mrs": true,
	"ms": true, "much": true, "must": true, "mustn't": true, "my": true, "myself": true, "neither": true, "new": true, "news": true, "next": true, "nine": true, "no": true, "nor": true, "not": true,
	"now": true, "of": true, "off": true, "official": true, "officials": true, "often": true, "on": true, "once": true, "one": true, "only": true, "onto": true, "or": true, "other": true, "others": true, "otherwise": true, "ought": true, "our": true, "ours": true, "ourselves": true, "out": true,
	"over": true, "own": true, "people": true, "per": true, "perhaps": true, "put": true, "rather": true, "really": true, "report": true, "reported": true, "reporting": true, "reports": true, "said": true, "same": true, "say": true, "says": true, "second": true, "see": true, "seem": true, "seemed": true, "seems": true, "seven": true, "several": true, "shall": true, "shan't": true, "she": true,
	"she'd": true, "she'll": true, "she's": true, "should": true, "shouldn't": true, "since": true,
	"six": true, "so": true, "some": true, "spokesman": true, "spokeswoman": true, "statement": true,
	"still": true, "story": true, "such": true, "tell": true, "tells": true, "ten": true, "than": true,
	"that": true, "that's": true, "the": true, "their": true, "theirs": true, "them": true,
	"themselves": true, "then": true, "there": true, "there's": true, "therefore": true, "these": true,
	"they": true, "they'd": true, "they'll": true, "they're": true, "they've": true, "third": true,
	"this": true, "those": true, "though": true, "three": true, "through": true, "thus": true, "till": true, "time": true, "times": true, "to": true, "today": true, "together": true, "told": true,
	"tomorrow": true, "too": true, "toward": true, "towards": true, "two": true, "under": true, "until": true, "up": true, "upon": true, "us": true, "very": true, "via": true, "was": true, "wasn't": true,
	"we": true, "we'd": true, "we'll": true, "we're": true, "we've": true, "week": true, "weeks": true,
	"well": true, "were": true, "weren't": true, "what": true, "what's": true, "whatever": true, "when": true, "when's": true, "where": true, "where's": true, "whether": true, "which": true, "while": true,
	"who": true, "who's": true, "whoever": true, "whom": true, "whose": true, "why": true, "why's": true, "will": true, "with": true, "within": true, "without": true, "won't": true, "would": true,
	"wouldn't": true, "year": true, "years": true, "yesterday": true, "yet": true, "you": true, "you'd": true, "you'll": true, "you're": true, "you've": true, "your": true, "yours": true, "yourself": true,
	"yourselves": true,
}

func init() {
	for w := range stopwords {
		stopwords[stem(w)] = true
	}
}

// calendarWords are the capitalised words of dates ("Early Friday", "Late
// Thursday" included): they are no one's name, and two reports of one
// event often give different days.
var calendarWords = func() map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(`monday tuesday wednesday thursday friday saturday sunday january february march
april may june july august september october november december jan feb mar apr jun jul aug sep sept oct nov dec early late`) {
		m[w] = true
	}
	return m
}()
