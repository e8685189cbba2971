// Package i18n holds the message catalogue of the texts the bot writes
// itself (digest headers, "also covered by", command replies), in every
// language of lang.Supported, with English as the fallback. It is built on
// golang.org/x/text/message, whose plural rules (CLDR) pick "1 story",
// "2 истории", "5 историй".
//
// Keys are the English texts, as x/text/message has it: Printer(locale).
// Sprintf(key, args...) prints the channel's language, or English when the
// catalogue lacks the language or the key.
package i18n

import (
	"golang.org/x/text/feature/plural"
	"golang.org/x/text/language"
	"golang.org/x/text/message"
	"golang.org/x/text/message/catalog"

	"newsdigest/digest/lang"
)

// The keys with counts, which take plural forms.
const (
	Stories        = "%d stories"
	AlsoCoveredBy  = "also covered by %d sources: %s"
	TrendingHeader = "Trending in the last %d hours:"
	NoTrending     = "No stories in the last %d hours yet."
)

// Keys without counts.
const (
	DailyDigest     = "Daily digest"
	DailyDigestLate = "Daily digest (late)"
	AlsoCovered     = "also covered by %s"
	Via             = "via %s"
	ArticlesHeader  = "Articles matching %q:"
	NoArticles      = "No stored article matches %q. Try fewer or broader words, another spelling, or /trending to see what is in the news now."
	DigestNow       = "The digest this chat would get now:"
	NoNewStories    = "No new stories since the last digest."
	Unsubscribed    = "Unsubscribed: no more daily digests here. /subscribe starts them again."
	NothingToStop   = "This chat has no daily digest to stop."
	UnknownCommand  = "Unknown command /%s. Try /help."
)

var cat = build()

// Printer prints in the language of locale (a Discord locale such as
// "pt-BR", a Telegram language_code such as "de", or a language code),
// English when it is empty or not in the catalogue.
func Printer(locale string) *message.Printer {
	code := lang.Normalize(locale)
	if _, ok := texts[code]; !ok {
		code = "en"
	}
	return message.NewPrinter(language.Make(code), message.Catalog(cat))
}

// Has reports whether the catalogue holds the language of locale.
func Has(locale string) bool {
	_, ok := texts[lang.Normalize(locale)]
	return ok
}

func build() *catalog.Builder {
	b := catalog.NewBuilder(catalog.Fallback(language.English))
	for code, m := range texts {
		tag := language.Make(code)
		for key, s := range m {
			if err := b.SetString(tag, key, s); err != nil {
				panic("i18n: " + code + " " + key + ": " + err.Error())
			}
		}
		for key, forms := range plurals[code] {
			var cases []any
			for _, f := range forms {
				cases = append(cases, f.form, f.text)
			}
			if err := b.Set(tag, key, plural.Selectf(1, "%d", cases...)); err != nil {
				panic("i18n: " + code + " " + key + ": " + err.Error())
			}
		}
	}
	return b
}

type form struct {
	form plural.Form
	text string
}

func one(s string) form   { return form{plural.One, s} }
func few(s string) form   { return form{plural.Few, s} }
func many(s string) form  { return form{plural.Many, s} }
func other(s string) form { return form{plural.Other, s} }
