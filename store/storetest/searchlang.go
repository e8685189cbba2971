package storetest

import (
	"context"
	"reflect"
	"testing"
	"time"

	"newsdigest/digest"
)

// testSearchLanguages: /article finds inflected forms in the article's
// language on every supported language with a stemmer, CJK text by its
// characters, and an article in another language by a name or a number.
func testSearchLanguages(t *testing.T, s digest.Store) {
	ctx := context.Background()
	now := time.Now().UTC().Truncate(time.Second)
	cases := []struct {
		lang, headline, body, query string
	}{
		{"de", "Wahl in Sachsen", "Die CDU gewinnt die Wahl in Sachsen knapp vor der AfD.", "Wahlen"},
		{"fr", "Les élections régionales", "Le parti a remporté les élections régionales dimanche.", "élection"},
		{"es", "Elecciones en Andalucía", "El partido ganó las elecciones en Andalucía el domingo.", "elección"},
		{"it", "Le elezioni in Sardegna", "Il centrosinistra ha vinto le elezioni regionali in Sardegna.", "elezione"},
		{"pt", "Ministros reunidos", "Os ministros reuniram-se em Lisboa na segunda-feira.", "ministro"},
		{"nl", "Verkiezingen in Utrecht", "De partij won de verkiezingen in Utrecht met ruime voorsprong.", "verkiezing"},
		{"ru", "Выборы в Москве", "На выборах в Москве победил действующий мэр города.", "выборы"},
		{"uk", "Вибори у Києві", "На виборах у Києві переміг чинний мер міста.", "вибори"},
		{"pl", "Wybory w Krakowie", "W wyborach w Krakowie zwyciężył dotychczasowy prezydent miasta.", "wybory"},
		{"tr", "İstanbul'da başkanın açıklaması", "Belediye başkanının açıklaması İstanbul'da yankı uyandırdı.", "başkan"},
		{"ar", "الحكومة تعلن", "أعلنت الحكومة عن خطة جديدة للاقتصاد.", "حكومة"},
		{"ja", "東京都で火災", "東京都で5日、大規模な火災が発生した。", "東京"},
		{"zh", "北京举行会议", "北京今天举行了重要会议。", "北京"},
	}
	ids := map[string]int64{}
	for i, c := range cases {
		a := article(1000+i, 0, c.headline, c.body)
		a.Language = c.lang
		a.FirstSeen = now.Add(-time.Duration(i) * time.Minute)
		a.StoryID = int64(1000 + i)
		ids[c.lang] = mustAdd(t, s, a).ID
	}
	for _, c := range cases {
		hits, err := s.Search(ctx, c.query, 20)
		if err != nil {
			t.Fatalf("%s: Search(%q): %v", c.lang, c.query, err)
		}
		if !hitHas(hits, ids[c.lang]) {
			t.Errorf("%s: Search(%q) = %v, want article %d (%q)", c.lang, c.query, hitIDs(hits), ids[c.lang], c.headline)
		}
	}
	// Names and numbers find articles in every language.
	hits, err := s.Search(ctx, "Sachsen", 20)
	if err != nil || !hitHas(hits, ids["de"]) {
		t.Errorf("Search(Sachsen) = %v, %v", hitIDs(hits), err)
	}
}

// testSubscriptionLanguages: a subscription's languages and locale survive
// the round trip and an update.
func testSubscriptionLanguages(t *testing.T, s digest.Store) {
	ctx := context.Background()
	sub := digest.Subscription{Platform: digest.Telegram, ChatID: "-100", Time: "08:00", TimeZone: "Europe/Berlin",
		MaxStories: 5, Languages: []string{"de", "en"}, Locale: "de", Active: true}
	got, err := s.SaveSubscription(ctx, sub)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got.Languages, []string{"de", "en"}) || got.Locale != "de" {
		t.Errorf("saved languages %v locale %q", got.Languages, got.Locale)
	}
	sub.Languages, sub.Locale = nil, "ru"
	if _, err := s.SaveSubscription(ctx, sub); err != nil {
		t.Fatal(err)
	}
	got, err = s.Subscription(ctx, digest.Telegram, "-100", "")
	if err != nil {
		t.Fatal(err)
	}
	if got.Languages != nil || got.Locale != "ru" {
		t.Errorf("updated languages %v locale %q", got.Languages, got.Locale)
	}
}
