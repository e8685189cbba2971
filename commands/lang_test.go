package commands

import (
	"context"
	"strings"
	"testing"
	"time"

	"newsdigest/digest"
)

func TestParseLanguages(t *testing.T) {
	got, err := ParseLanguages("de, EN;de-AT")
	if err != nil || strings.Join(got, ",") != "de,en" {
		t.Errorf("ParseLanguages = %v, %v", got, err)
	}
	if _, err := ParseLanguages("de,xx"); err == nil {
		t.Error("an unknown language should be an error")
	}
}

// TestLanguageFilterAndLocale: /article language:ru keeps the Russian
// article only and answers in the caller's language; a bad language is a
// usage error; /subscribe keeps its languages and the caller's locale.
func TestLanguageFilterAndLocale(t *testing.T) {
	h, st := newHandler(t)
	ctx := context.Background()
	for i, a := range []struct{ lang, headline, body string }{
		{"ru", "Выборы в Москве", "На выборах в Москве победил мэр города Сергей Собянин."},
		{"de", "Wahl in Moskau", "Bei der Wahl in Moskau gewann Bürgermeister Sergej Sobjanin."},
	} {
		url := "https://example.org/lang/" + a.lang
		if _, err := st.AddArticle(ctx, digest.StoredArticle{URL: url, ItemKey: url, ContentHash: url, Headline: a.headline,
			Body: a.body, Summary: []string{a.body}, Language: a.lang, FirstSeen: time.Now().Add(-time.Duration(i) * time.Minute)}); err != nil {
			t.Fatal(err)
		}
	}
	r := run(t, h, digest.CommandRequest{Name: "article", Args: map[string]string{"keyword": "Москве", "language": "ru"}, Locale: "de"})
	if len(r.Cards) != 1 || r.Cards[0].Language != "ru" || !strings.HasPrefix(r.Text, "Artikel zu") {
		t.Errorf("/article Москве language:ru = %+v", r)
	}
	r = run(t, h, digest.CommandRequest{Name: "article", Args: map[string]string{"keyword": "Москве", "language": "de"}})
	if len(r.Cards) != 0 {
		t.Errorf("/article Москве language:de = %d cards, want none", len(r.Cards))
	}
	r = run(t, h, digest.CommandRequest{Name: "article", Args: map[string]string{"keyword": "Moskau", "language": "klingon"}})
	if !r.IsError {
		t.Errorf("/article language:klingon = %+v, want a usage error", r)
	}
	r = run(t, h, digest.CommandRequest{Name: "subscribe", IsAdmin: true, ChatID: "c1", Locale: "uk",
		Args: map[string]string{"time": "08:00", "timezone": "Europe/Kyiv", "languages": "uk,ru"}})
	if r.IsError {
		t.Fatalf("/subscribe = %+v", r)
	}
	sub, err := st.Subscription(ctx, digest.Discord, "c1", "")
	if err != nil || strings.Join(sub.Languages, ",") != "uk,ru" || sub.Locale != "uk" {
		t.Errorf("subscription %+v, %v", sub, err)
	}
}
