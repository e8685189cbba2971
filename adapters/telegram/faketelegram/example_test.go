package faketelegram_test

import (
	"context"
	"fmt"
	"time"

	"newsdigest/adapters/telegram"
	"newsdigest/adapters/telegram/faketelegram"
	"newsdigest/digest"
)

// Point the adapter at the fake, send a rendered digest through Send as
// delivery does, and read what the chat got.
func Example() {
	srv := faketelegram.New(faketelegram.Options{})
	defer srv.Close()
	bot, err := telegram.New(telegram.Config{Token: srv.Token(), APIURL: srv.URL()}, nil, nil)
	if err != nil {
		panic(err)
	}
	view := digest.DigestView{
		Sub:       digest.Subscription{ID: 1, ChatID: "42", TimeZone: "UTC"},
		Scheduled: time.Date(2026, 1, 5, 8, 0, 0, 0, time.UTC),
		Cards:     []digest.Card{{Headline: "Rates & prices", URL: "https://news.example/1", Summary: []string{"Rates rose."}, Source: "Example News"}},
	}
	payloads, err := bot.RenderDigest(view)
	if err != nil {
		panic(err)
	}
	for i, p := range payloads {
		d := digest.Delivery{Key: digest.DeliveryKey(1, view.Scheduled, i), ChatID: "42", Payload: p}
		if _, err := bot.Send(context.Background(), d); err != nil {
			panic(err)
		}
	}
	for _, m := range srv.Messages("42") {
		fmt.Println(m.Plain)
	}
	fmt.Println("violations:", len(srv.Violations()), "429s:", srv.RateLimited())
	// Output:
	// Daily digest · Mon 5 Jan 2026, 08:00 UTC · 1 story
	//
	// Rates & prices
	// Rates rose.
	// via Example News
	// violations: 0 429s: 0
}
