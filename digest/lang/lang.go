package lang

import (
	"strings"
	"unicode"

	"github.com/abadojack/whatlanggo"
	"golang.org/x/text/language"
)

// Supported lists the ISO 639-1 codes of the languages the bot knows.
var Supported = []string{"en", "de", "fr", "es", "it", "pt", "nl", "ru", "uk", "pl", "tr", "ar", "zh", "ja"}

var supported = func() map[string]bool {
	m := map[string]bool{}
	for _, c := range Supported {
		m[c] = true
	}
	return m
}()

// IsSupported reports whether code (as Normalize returns it) is one of
// Supported.
func IsSupported(code string) bool { return supported[code] }

// Normalize turns a language declaration ("de-DE", "en_US", "pt-BR",
// "zh-Hant-TW", "deu", "German"?) into its ISO 639-1 code ("de"), or ""
// when it names no language. Declarations that pages get wrong in a
// well-known way are mapped: "sp" to "es", "jp" to "ja", "cn" to "zh",
// "ua" to "uk".
func Normalize(tag string) string {
	t := strings.ToLower(strings.TrimSpace(strings.ReplaceAll(tag, "_", "-")))
	if i := strings.IndexAny(t, ",; "); i >= 0 {
		t = t[:i]
	}
	if t == "" {
		return ""
	}
	base, _, _ := strings.Cut(t, "-")
	switch base {
	case "sp":
		return "es"
	case "jp":
		return "ja"
	case "cn":
		return "zh"
	case "ua":
		return "uk"
	case "ger":
		return "de"
	}
	l, err := language.Parse(t)
	if err != nil {
		l, err = language.Parse(base)
		if err != nil {
			return ""
		}
	}
	b, conf := l.Base()
	if conf == language.No {
		return ""
	}
	s := b.String()
	if len(s) != 2 {
		// ISO 639-3 codes without a two-letter form are kept as they are.
		return s
	}
	return s
}

// detectable is the detector's whitelist: only the supported languages, so
// that a German text is never taken for Luxembourgish nor a Ukrainian one
// for Belarusian.
var detectable = func() whatlanggo.Options {
	o := whatlanggo.Options{Whitelist: map[whatlanggo.Lang]bool{}}
	for _, c := range Supported {
		if l := whatlanggo.CodeToLang(iso3[c]); l >= 0 {
			o.Whitelist[l] = true
		}
	}
	return o
}()

var iso3 = map[string]string{
	"en": "eng", "de": "deu", "fr": "fra", "es": "spa", "it": "ita", "pt": "por", "nl": "nld",
	"ru": "rus", "uk": "ukr", "pl": "pol", "tr": "tur", "ar": "arb", "zh": "cmn", "ja": "jpn",
}

// detectSample bounds the text the detector reads: its trigram profile has
// settled long before this, and the cost per article stays flat.
const detectSample = 2000

// Detect returns the supported language text is most likely in, or "" when
// the text is too short or in none of them. Kana make a text Japanese and
// Han characters without kana Chinese; other scripts go to whatlanggo's
// trigram profiles, restricted to the supported languages.
func Detect(text string) string {
	text = sample(text)
	var letters, han, kana, hangul int
	for _, r := range text {
		switch {
		case unicode.In(r, unicode.Hiragana, unicode.Katakana):
			kana++
		case unicode.Is(unicode.Han, r):
			han++
		case unicode.Is(unicode.Hangul, r):
			hangul++
		}
		if unicode.IsLetter(r) {
			letters++
		}
	}
	if letters < 8 {
		return ""
	}
	if kana > 0 && kana*20 >= letters {
		return "ja"
	}
	if (han+kana)*2 >= letters {
		if kana > 0 {
			return "ja"
		}
		return "zh"
	}
	if hangul*2 >= letters {
		return ""
	}
	info := whatlanggo.DetectWithOptions(text, detectable)
	if info.Lang < 0 {
		return ""
	}
	code := Normalize(info.Lang.Iso6391())
	if !supported[code] {
		return ""
	}
	return code
}

func sample(text string) string {
	if len(text) <= detectSample {
		return text
	}
	cut := detectSample
	for cut > 0 && !isRuneStart(text[cut]) {
		cut--
	}
	return text[:cut]
}

func isRuneStart(b byte) bool { return b&0xC0 != 0x80 }

// Resolve picks an article's language: the page's declaration, else the
// source's configured language, else detection from the text. A
// declaration or configuration whose script the text does not use (a page
// declared "en" that is written in Cyrillic or Japanese) is overruled by
// detection. The result is "" only when nothing says and detection fails.
func Resolve(declared, configured, text string) string {
	detected := ""
	detectedDone := false
	detect := func() string {
		if !detectedDone {
			detected, detectedDone = Detect(text), true
		}
		return detected
	}
	for _, c := range []string{Normalize(declared), Normalize(configured)} {
		if c == "" {
			continue
		}
		if d := detect(); d != "" && scriptOf(d) != scriptOf(c) {
			return d
		}
		return c
	}
	return detect()
}

// scriptOf groups languages by writing system.
func scriptOf(code string) string {
	switch code {
	case "ru", "uk", "bg", "sr", "mk", "be", "kk":
		return "cyrl"
	case "ar", "fa", "ur":
		return "arab"
	case "he", "yi":
		return "hebr"
	case "zh", "ja":
		return "cjk"
	case "ko":
		return "hang"
	case "hi", "mr", "ne":
		return "deva"
	case "el":
		return "grek"
	}
	return "latn"
}
