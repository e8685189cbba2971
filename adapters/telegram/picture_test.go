package telegram

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"newsdigest/adapters/telegram/faketelegram"
	"newsdigest/digest"
)

// pictureCard is a card as the bot stores it from a real page of the bench
// (BBC Newsbeat, its og:image as the picture).
func pictureCard() digest.Card {
	return digest.Card{
		Headline: "Taylor Swift says Big Machine won't let her perform her old songs",
		Summary: []string{
			"Taylor Swift says her former record label won't let her perform her old songs at the American Music Awards.",
			"She's due to be named artist of the decade at the ceremony later this month.",
		},
		Source: "BBC News",
		URL:    "https://www.bbc.com/news/newsbeat-50470672",
		Image:  "https://ichef.bbci.co.uk/news/1024/branded_news/13500/production/_109740197_taylorswift.jpg",
	}
}

func TestSingleCardWithPictureIsAPhoto(t *testing.T) {
	srv := newFake(t, faketelegram.Options{})
	b, _ := newBot(t, srv, Config{}, &recorder{})
	msgs := ReplyMessages(digest.CommandReply{Text: `Articles matching "swift":`, Cards: []digest.Card{pictureCard()}})
	if len(msgs) != 1 || msgs[0].Photo != pictureCard().Image {
		t.Fatalf("reply = %+v, want one photo message", msgs)
	}
	if _, err := b.send(context.Background(), "42", "", msgs[0]); err != nil {
		t.Fatal(err)
	}
	got := srv.Messages("42")
	if len(got) != 1 || got[0].Photo != pictureCard().Image || !strings.Contains(got[0].Plain, "Taylor Swift says") {
		t.Fatalf("sent = %+v", got)
	}
	if n := srv.Calls("sendPhoto"); n != 1 {
		t.Errorf("sendPhoto calls = %d", n)
	}
	if v := srv.Violations(); len(v) > 0 {
		t.Errorf("violations: %q", v)
	}
}

func TestCardTooLongForACaptionGoesAsTextWithLargePreview(t *testing.T) {
	c := pictureCard()
	c.Summary = []string{strings.Repeat("A long line of the article. ", 7), strings.Repeat("Another long line here. ", 8), strings.Repeat("And a third long one. ", 9)}
	c.Headline = strings.Repeat("Headline words ", 40)
	msgs := ReplyMessages(digest.CommandReply{Text: "Trending in the last 24 hours:", Cards: []digest.Card{c}})
	if len(msgs) != 1 || msgs[0].Photo != "" {
		t.Fatalf("want one text message, got %+v", msgs)
	}
	lp := msgs[0].LinkPreview
	if lp == nil || lp.URL != c.URL || !lp.PreferLargeMedia || !lp.ShowAboveText {
		t.Errorf("preview = %+v, want the article's, large, above the text", lp)
	}
}

func TestPhotoTelegramCannotFetchFallsBackToText(t *testing.T) {
	srv := newFake(t, faketelegram.Options{})
	b, _ := newBot(t, srv, Config{}, &recorder{})
	srv.FailPhoto(pictureCard().Image)
	msgs := ReplyMessages(digest.CommandReply{Cards: []digest.Card{pictureCard()}})
	if _, err := b.send(context.Background(), "42", "", msgs[0]); err != nil {
		t.Fatal(err)
	}
	got := srv.Messages("42")
	if len(got) != 1 || got[0].Photo != "" || !strings.Contains(string(got[0].LinkPreview), `"prefer_large_media":true`) {
		t.Fatalf("sent = %+v, want the card as text with a large preview", got)
	}
}

func TestDigestPreviewLargeOrOff(t *testing.T) {
	d := digest.DigestView{Sub: digest.Subscription{TimeZone: "Europe/Berlin"}, Scheduled: time.Date(2026, 12, 5, 8, 0, 0, 0, time.UTC),
		Cards: []digest.Card{pictureCard(), {Headline: "Second", URL: "https://news.example/2", Summary: []string{"Line."}}}}
	msgs := RenderDigestMessages(d)
	if len(msgs) != 1 || msgs[0].Photo != "" {
		t.Fatalf("a digest part is one text message, got %+v", msgs)
	}
	if lp := msgs[0].LinkPreview; lp == nil || lp.URL != pictureCard().URL || !lp.PreferLargeMedia {
		t.Errorf("preview = %+v, want the lead story's, large", lp)
	}
	d.Sub.NoImages = true
	if lp := RenderDigestMessages(d)[0].LinkPreview; lp == nil || !lp.IsDisabled {
		t.Errorf("images off: preview = %+v, want disabled", lp)
	}
	b, _ := json.Marshal(msgs[0])
	if !strings.Contains(string(b), `"prefer_large_media":true`) {
		t.Errorf("payload %s lacks prefer_large_media", b)
	}
}

func TestClosedOrDeletedTopicIsChatGone(t *testing.T) {
	srv := newFake(t, faketelegram.Options{})
	b, _ := newBot(t, srv, Config{}, &recorder{})
	chat := "-1001234567890"
	srv.SetForum(chat, 7, 8)
	payload := must(ReplyMessages(digest.CommandReply{Text: "hello"})[0].MarshalPayload())
	if _, err := b.Send(context.Background(), digest.Delivery{Key: "k1", ChatID: chat, ThreadID: "7", Payload: payload}); err != nil {
		t.Fatalf("open topic: %v", err)
	}
	if _, err := b.Send(context.Background(), digest.Delivery{Key: "k0", ChatID: chat, Payload: payload}); err != nil {
		t.Fatalf("General topic: %v", err)
	}
	srv.CloseTopic(chat, 7)
	srv.DeleteTopic(chat, 8)
	for _, thread := range []string{"7", "8", "99"} {
		_, err := b.Send(context.Background(), digest.Delivery{Key: "k" + thread, ChatID: chat, ThreadID: thread, Payload: payload})
		if !errors.Is(err, digest.ErrChatGone) || !strings.Contains(err.Error(), "forum topic") {
			t.Errorf("topic %s: err = %v, want ErrChatGone naming the topic", thread, err)
		}
	}
	msgs := srv.Messages(chat)
	if len(msgs) != 2 || msgs[0].ThreadID != 7 || msgs[1].ThreadID != 0 {
		t.Errorf("delivered = %+v: want one in topic 7 and one in General, none elsewhere", msgs)
	}
}
