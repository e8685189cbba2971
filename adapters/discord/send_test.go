package discord

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"newsdigest/adapters/discord/fakediscord"
	"newsdigest/digest"
)

func delivery(t *testing.T, b *Bot, chat string, part int, view digest.DigestView) digest.Delivery {
	t.Helper()
	parts, err := b.RenderDigest(view)
	if err != nil {
		t.Fatal(err)
	}
	return digest.Delivery{Key: digest.DeliveryKey(1, view.Scheduled, part), ChatID: chat, Part: part, Parts: len(parts), Payload: parts[part], Platform: digest.Discord}
}

func view(n int) digest.DigestView {
	return digest.DigestView{Sub: digest.Subscription{ID: 1, TimeZone: "Europe/Berlin"}, Scheduled: time.Date(2025, 2, 19, 7, 0, 0, 0, time.UTC), Cards: cards(n, nil)}
}

func TestSendDigestInOrderWithNonce(t *testing.T) {
	t.Parallel()
	srv := fakediscord.New(t)
	b := newBot(t, srv, &recorder{}, nil)
	v := view(12)
	parts, _ := b.RenderDigest(v)
	if len(parts) != 2 {
		t.Fatalf("%d parts", len(parts))
	}
	ctx := waitCtx(t)
	var ids []string
	for p := range parts {
		id, err := b.Send(ctx, delivery(t, b, "42", p, v))
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, id)
	}
	// A retried send of part 1 (same key) must not post it twice.
	again, err := b.Send(ctx, delivery(t, b, "42", 1, v))
	if err != nil {
		t.Fatal(err)
	}
	if again != ids[1] {
		t.Errorf("retried send returned message %s, want the first one %s", again, ids[1])
	}
	msgs := srv.Messages("42")
	if len(msgs) != 2 || srv.Deduplicated() != 1 {
		t.Fatalf("%d messages, %d deduplicated; want 2 and 1", len(msgs), srv.Deduplicated())
	}
	if !strings.HasPrefix(msgs[0].Content, "**Daily digest**") || len(msgs[0].Embeds) != 10 || len(msgs[1].Embeds) != 2 {
		t.Errorf("messages out of order: %q with %d embeds, then %d embeds", msgs[0].Content, len(msgs[0].Embeds), len(msgs[1].Embeds))
	}
	if n := msgs[0].Nonce; n != Nonce(digest.DeliveryKey(1, v.Scheduled, 0)) || len(n) > 25 || n == msgs[1].Nonce {
		t.Errorf("nonces %q %q", msgs[0].Nonce, msgs[1].Nonce)
	}
	noViolations(t, srv)
}

func TestSendErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		fault fakediscord.Fault
		check func(t *testing.T, err error)
	}{
		{"429 route", fakediscord.RateLimit(1500*time.Millisecond, false), func(t *testing.T, err error) {
			var rl *digest.RateLimitedError
			if !errors.As(err, &rl) || rl.RetryAfter != 1500*time.Millisecond || rl.Global || rl.Platform != digest.Discord {
				t.Errorf("err = %#v, want RateLimitedError 1.5s not global", err)
			}
		}},
		{"429 global", fakediscord.RateLimit(300*time.Millisecond, true), func(t *testing.T, err error) {
			var rl *digest.RateLimitedError
			if !errors.As(err, &rl) || rl.RetryAfter != 300*time.Millisecond || !rl.Global {
				t.Errorf("err = %#v, want a global RateLimitedError 0.3s", err)
			}
		}},
		{"503", fakediscord.ServerError(http.StatusServiceUnavailable), func(t *testing.T, err error) {
			var te *digest.TemporaryError
			if !errors.As(err, &te) {
				t.Errorf("err = %v, want TemporaryError", err)
			}
		}},
		{"timeout", fakediscord.Hang(), func(t *testing.T, err error) {
			var te *digest.TemporaryError
			if !errors.As(err, &te) {
				t.Errorf("err = %v, want TemporaryError", err)
			}
		}},
		{"403 missing permissions", fakediscord.Forbidden(), func(t *testing.T, err error) {
			if !errors.Is(err, digest.ErrChatGone) || !strings.Contains(err.Error(), "50013") {
				t.Errorf("err = %v, want ErrChatGone with code 50013", err)
			}
		}},
		{"404 unknown channel", fakediscord.NotFound(), func(t *testing.T, err error) {
			if !errors.Is(err, digest.ErrChatGone) || !strings.Contains(err.Error(), "10003") {
				t.Errorf("err = %v, want ErrChatGone with code 10003", err)
			}
		}},
		{"400 other", fakediscord.Fault{Status: 400, Code: 50006, Message: "Cannot send an empty message"}, func(t *testing.T, err error) {
			var rl *digest.RateLimitedError
			var te *digest.TemporaryError
			if err == nil || errors.As(err, &rl) || errors.As(err, &te) || errors.Is(err, digest.ErrChatGone) {
				t.Errorf("err = %v, want a permanent error", err)
			}
		}},
	}
	srv := fakediscord.New(t)
	b := newBot(t, srv, &recorder{}, func(c *Config) { c.HTTPTimeout = 200 * time.Millisecond })
	for i, tt := range tests {
		chat := "10" + string(rune('0'+i))
		srv.Fail("POST /channels/"+chat+"/messages", 1, tt.fault)
		_, err := b.Send(waitCtx(t), delivery(t, b, chat, 0, view(1)))
		tt.check(t, err)
		if err != nil && strings.Contains(err.Error(), fakediscord.Token) {
			t.Errorf("%s: the token leaked into %v", tt.name, err)
		}
	}
	noViolations(t, srv)
}

// A 429 storm delays a message but neither loses nor duplicates it.
func TestSendThrough429Storm(t *testing.T) {
	t.Parallel()
	srv := fakediscord.New(t)
	b := newBot(t, srv, &recorder{}, nil)
	srv.Fail("POST /channels/*/messages", 4, fakediscord.RateLimit(50*time.Millisecond, false))
	d := delivery(t, b, "77", 0, view(3))
	ctx := waitCtx(t)
	limited := 0
	for {
		_, err := b.Send(ctx, d)
		var rl *digest.RateLimitedError
		if errors.As(err, &rl) {
			limited++
			if rl.RetryAfter != 50*time.Millisecond {
				t.Errorf("RetryAfter %s, want 50ms", rl.RetryAfter)
			}
			continue // Send itself waits out the channel's block
		}
		if err != nil {
			t.Fatal(err)
		}
		break
	}
	if limited != 4 || len(srv.Messages("77")) != 1 {
		t.Errorf("%d rate-limited answers, %d messages; want 4 and 1", limited, len(srv.Messages("77")))
	}
	noViolations(t, srv)
}

func TestSendRespectsContext(t *testing.T) {
	t.Parallel()
	srv := fakediscord.New(t)
	b := newBot(t, srv, &recorder{}, func(c *Config) { c.ChannelMessages = 1; c.ChannelWindow = time.Hour })
	ctx := waitCtx(t)
	if _, err := b.Send(ctx, delivery(t, b, "5", 0, view(1))); err != nil {
		t.Fatal(err)
	}
	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	_, err := b.Send(cancelled, delivery(t, b, "5", 0, view(2)))
	var te *digest.TemporaryError
	if !errors.Is(err, context.Canceled) || !errors.As(err, &te) {
		t.Errorf("second send in the window with a cancelled context: %v, want a TemporaryError matching context.Canceled", err)
	}
	if n := len(srv.Messages("5")); n != 1 {
		t.Errorf("%d messages, want 1", n)
	}
}

func TestChannelPacer(t *testing.T) {
	p := newChannelPacer(5, time.Hour)
	ctx := context.Background()
	for i := 0; i < 5; i++ {
		if err := p.acquire(ctx, "c"); err != nil {
			t.Fatal(err)
		}
		p.commit("c", time.Now())
	}
	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	if err := p.acquire(cancelled, "c"); err == nil {
		t.Error("a sixth message in the window was allowed")
	}
	if err := p.acquire(cancelled, "other"); err != nil {
		t.Errorf("another channel was held up: %v", err)
	}
	p.release("other")
	p.block("other", time.Now().Add(time.Hour))
	if err := p.acquire(cancelled, "other"); err == nil {
		t.Error("a blocked channel was allowed")
	}
}

func TestNonce(t *testing.T) {
	a, b := Nonce("1:2025-02-19T07:00:00Z:0"), Nonce("1:2025-02-19T07:00:00Z:1")
	if a == b || len(a) != 25 || a != Nonce("1:2025-02-19T07:00:00Z:0") {
		t.Errorf("nonces %q %q", a, b)
	}
}

// A send whose answer is lost is retried with the same nonce: Discord
// (here the fake) returns the message it already posted, no duplicate.
func TestSendLostResponseIsNotDuplicated(t *testing.T) {
	t.Parallel()
	srv := fakediscord.New(t)
	b := newBot(t, srv, &recorder{}, nil)
	srv.Fail("POST /channels/88/messages", 1, fakediscord.LoseResponse())
	d := delivery(t, b, "88", 0, view(2))
	ctx := waitCtx(t)
	_, err := b.Send(ctx, d)
	var te *digest.TemporaryError
	if !errors.As(err, &te) {
		t.Fatalf("lost response: err = %v, want TemporaryError", err)
	}
	id, err := b.Send(ctx, d)
	if err != nil {
		t.Fatal(err)
	}
	msgs := srv.Messages("88")
	if len(msgs) != 1 || msgs[0].ID != id || srv.Deduplicated() != 1 {
		t.Errorf("%d messages (id %s vs %s), %d deduplicated; want one message, the retry answered with it", len(msgs), id, msgs[0].ID, srv.Deduplicated())
	}
	noViolations(t, srv)
}

// A send the API never answers ends at HTTPTimeout as a temporary error
// naming the URL actually requested, not discord.com.
func TestSendTimeout(t *testing.T) {
	t.Parallel()
	srv := fakediscord.New(t)
	srv.Fail("POST /channels/*/messages", 1, fakediscord.Hang())
	b := newBot(t, srv, &recorder{}, func(c *Config) { c.HTTPTimeout = 200 * time.Millisecond })
	start := time.Now()
	_, err := b.Send(waitCtx(t), delivery(t, b, "5", 0, view(1)))
	var te *digest.TemporaryError
	if !errors.As(err, &te) || !strings.Contains(err.Error(), srv.URL+"/api/v9/channels/5/messages") || strings.Contains(err.Error(), "discord.com") {
		t.Errorf("Send = %v; want a temporary error naming %s", err, srv.URL)
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("Send gave up after %s, want about the 200 ms timeout", d)
	}
}
