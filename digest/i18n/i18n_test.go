package i18n

import (
	"testing"

	"newsdigest/digest/lang"
)

func TestCatalogue(t *testing.T) {
	for _, c := range []struct {
		locale, key string
		args        []any
		want        string
	}{
		{"", DailyDigest, nil, "Daily digest"},
		{"de-DE", DailyDigest, nil, "Tägliche Übersicht"},
		{"ru", Stories, []any{1}, "1 новость"},
		{"ru", Stories, []any{3}, "3 новости"},
		{"ru", Stories, []any{5}, "5 новостей"},
		{"en", Stories, []any{1}, "1 story"},
		{"en-GB", AlsoCoveredBy, []any{2, "A, B"}, "also covered by 2 sources: A, B"},
		{"ja", AlsoCoveredBy, []any{2, "A, B"}, "ほか2社も報道：A, B"},
		{"pt-BR", DailyDigestLate, nil, "Resumo diário (atrasado)"},
		{"ko", DailyDigest, nil, "Daily digest"}, // not in the catalogue: English
		{"en", TrendingHeader, []any{1}, "Trending in the last hour:"},
		{"en", TrendingHeader, []any{24}, "Trending in the last 24 hours:"},
		{"uk", TrendingHeader, []any{24}, "Головне за останні 24 години:"},
		{"de", ArticlesHeader, []any{"Wahl"}, "Artikel zu \"Wahl\":"},
	} {
		if got := Printer(c.locale).Sprintf(c.key, c.args...); got != c.want {
			t.Errorf("Printer(%q).Sprintf(%q) = %q, want %q", c.locale, c.key, got, c.want)
		}
	}
}

// TestEveryLanguageEveryKey: each supported language translates every key.
func TestEveryLanguageEveryKey(t *testing.T) {
	for _, code := range lang.Supported {
		if code == "en" {
			continue
		}
		if len(texts[code]) != 11 || len(plurals[code]) != 4 {
			t.Errorf("%s: %d texts, %d plural texts; want 11 and 4", code, len(texts[code]), len(plurals[code]))
		}
		for key := range texts["de"] {
			if texts[code][key] == "" {
				t.Errorf("%s lacks %q", code, key)
			}
		}
	}
}
