package discord

import (
	"newsdigest/adapters/discord/fakediscord"
	"testing"
	"time"

	"newsdigest/digest"
)

func TestCardPictures(t *testing.T) {
	img := "https://ichef.bbci.co.uk/news/1024/branded_news/13500/production/_109740197_taylorswift.jpg"
	card := digest.Card{Headline: "Taylor Swift says Big Machine won't let her perform her old songs",
		Summary: []string{"A line."}, Source: "BBC News", URL: "https://www.bbc.com/news/newsbeat-50470672", Image: img}

	e := CardEmbed(card)
	if e.Thumbnail == nil || e.Thumbnail.URL != img || e.Image != nil {
		t.Errorf("digest card: thumbnail %+v image %+v, want the picture as thumbnail", e.Thumbnail, e.Image)
	}

	msgs := renderReply(digest.CommandReply{Text: "Articles matching \"swift\":", Cards: []digest.Card{card}})
	if e := msgs[0].Embeds[0]; e.Image == nil || e.Image.URL != img || e.Thumbnail != nil {
		t.Errorf("single card: thumbnail %+v image %+v, want the large image", e.Thumbnail, e.Image)
	}
	msgs = renderReply(digest.CommandReply{Cards: []digest.Card{card, card}})
	if e := msgs[0].Embeds[1]; e.Thumbnail == nil || e.Image != nil {
		t.Errorf("several cards: thumbnail %+v image %+v, want thumbnails", e.Thumbnail, e.Image)
	}

	d := digest.DigestView{Sub: digest.Subscription{TimeZone: "UTC"}, Scheduled: time.Date(2026, 12, 5, 8, 0, 0, 0, time.UTC), Cards: []digest.Card{card}}
	parts, err := RenderDigest(d)
	if err != nil || parts[0].Embeds[0].Thumbnail == nil {
		t.Fatalf("digest: %v, %+v", err, parts)
	}
	d.Sub.NoImages = true
	parts, _ = RenderDigest(d)
	if e := parts[0].Embeds[0]; e.Thumbnail != nil || e.Image != nil {
		t.Errorf("images off: thumbnail %+v image %+v", e.Thumbnail, e.Image)
	}

	card.Image = "http://insecure.example/a.jpg"
	if e := CardEmbed(card); e.Thumbnail != nil {
		t.Errorf("an http picture was shown: %+v", e.Thumbnail)
	}
}

func TestDigestWithPicturesAcceptedByTheSpecCheckedFake(t *testing.T) {
	t.Parallel()
	srv := fakediscord.New(t)
	b := newBot(t, srv, &recorder{}, nil)
	v := view(12)
	for i := range v.Cards {
		v.Cards[i].Image = "https://ichef.bbci.co.uk/news/1024/branded_news/13500/production/_109740197_taylorswift.jpg"
	}
	parts, err := b.RenderDigest(v)
	if err != nil {
		t.Fatal(err)
	}
	ctx := waitCtx(t)
	for p := range parts {
		if _, err := b.Send(ctx, delivery(t, b, "42", p, v)); err != nil {
			t.Fatal(err)
		}
	}
	msgs := srv.Messages("42")
	if len(msgs) != len(parts) || len(msgs[0].Embeds) == 0 || msgs[0].Embeds[0].Thumbnail == nil {
		t.Fatalf("messages = %+v", msgs)
	}
	noViolations(t, srv)
}
