package discord

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"time"

	"github.com/bwmarrin/discordgo"

	"newsdigest/adapters/internal/pace"
	"newsdigest/digest"
)

// Discord error codes that mean the channel is gone for the bot.
const (
	codeUnknownChannel     = 10003
	codeMissingAccess      = 50001
	codeMissingPermissions = 50013
)

// Platform is digest.Discord.
func (b *Bot) Platform() digest.Platform { return digest.Discord }

// RenderDigest renders a digest as the JSON of one discordgo.MessageSend
// per message, in order; a thread or forum subscription's parts carry
// how they are posted (see threadedParts).
func (b *Bot) RenderDigest(d digest.DigestView) ([][]byte, error) {
	msgs, err := RenderDigest(d)
	if err != nil {
		return nil, err
	}
	if d.Sub.PostMode == digest.PostThread || d.Sub.PostMode == digest.PostForum {
		return threadedParts(d, msgs)
	}
	out := make([][]byte, len(msgs))
	for i, m := range msgs {
		if out[i], err = renderMessage(m); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// Nonce derives the message nonce of a delivery from its stable key: the
// same delivery always gets the same nonce (at most 25 characters), so
// that Discord, with enforce_nonce, creates the message at most once.
func Nonce(key string) string {
	h := sha256.Sum256([]byte(key))
	return hex.EncodeToString(h[:])[:25]
}

// outgoing turns a stored payload into the message Discord gets, in one
// decode and one encode: its posting directive taken off (nil for an
// ordinary message; see threadedParts), and nonce and enforce_nonce put on,
// which discordgo's MessageSend cannot carry.
func outgoing(payload []byte, nonce string) (*postDirective, []byte, error) {
	var m map[string]json.RawMessage
	if err := json.Unmarshal(payload, &m); err != nil {
		return nil, nil, fmt.Errorf("discord: payload is not a JSON message: %w", err)
	}
	var dir *postDirective
	if raw, ok := m[postKey]; ok {
		dir = new(postDirective)
		if err := json.Unmarshal(raw, dir); err != nil {
			return nil, nil, fmt.Errorf("discord: bad posting directive: %w", err)
		}
		delete(m, postKey)
	}
	m["nonce"], _ = json.Marshal(nonce)
	m["enforce_nonce"] = json.RawMessage("true")
	body, err := json.Marshal(m)
	return dir, body, err
}

// Send posts one rendered message to d.ChatID. It waits for the channel's
// pace and the bot's global budget (respecting ctx), then makes one
// attempt: errors are *digest.RateLimitedError (429), *digest.TemporaryError
// (5xx, timeout, network, or ctx ended while waiting, which also matches
// context.Canceled/DeadlineExceeded), digest.ErrChatGone (403 50001/50013, 404 10003,
// wrapped with the code) or a permanent error.
func (b *Bot) Send(ctx context.Context, d digest.Delivery) (string, error) {
	if d.ChatID == "" {
		return "", fmt.Errorf("discord: send delivery %s: no channel ID", d.Key)
	}
	dir, body, err := outgoing(d.Payload, Nonce(d.Key))
	if err != nil {
		return "", fmt.Errorf("discord: send delivery %s: %w", d.Key, err)
	}
	if dir != nil {
		return b.sendThreaded(ctx, d, dir, body)
	}
	return b.post(ctx, d.ChatID, http.MethodPost, discordgo.EndpointChannelMessages(d.ChatID), body)
}

// post makes one paced request on behalf of channel ch (its pace and the
// bot's global budget) and returns the ID in the answer: a message's, or
// a thread's. Errors are as Send's.
func (b *Bot) post(ctx context.Context, ch, method, url string, body []byte) (string, error) {
	raw, err := b.do(ctx, ch, method, url, body)
	if err != nil {
		return "", err
	}
	var m struct {
		ID string `json:"id"`
	}
	if err := json.Unmarshal(raw, &m); err != nil || m.ID == "" {
		return "", fmt.Errorf("discord: send to channel %s: no message ID in the answer", ch)
	}
	return m.ID, nil
}

// get reads url within channel ch's pace and the global budget.
func (b *Bot) get(ctx context.Context, ch, url string) ([]byte, error) {
	return b.do(ctx, ch, http.MethodGet, url, nil)
}

// do makes one paced request and returns the answer's body, or the
// error kinds of Send.
func (b *Bot) do(ctx context.Context, ch, method, url string, body []byte) ([]byte, error) {
	if err := b.channels.acquire(ctx, ch); err != nil {
		return nil, stopped(fmt.Errorf("discord: send to channel %s: wait for the channel's pace: %w", ch, err))
	}
	slot, err := b.global.wait(ctx, bulk)
	if err != nil {
		b.channels.release(ch)
		return nil, stopped(fmt.Errorf("discord: send to channel %s: wait for the global budget: %w", ch, err))
	}
	tctx, answered := pace.AnswerClock(ctx)
	resp, err := b.request(tctx, ch, method, url, body)
	// Answered or failed: Discord has counted it, if it ever will. Both
	// budgets count it from its answer, so that no latency can bunch
	// requests.
	at := answered()
	b.global.doneAt(slot, at)
	b.channels.commit(ch, at)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	respBody, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if err != nil {
		return nil, &digest.TemporaryError{Platform: digest.Discord, Err: fmt.Errorf("discord: send to channel %s: read response: %w", ch, err)}
	}
	b.observeChannelHeaders(ch, resp.Header)
	return respBody, b.sendResult(ch, resp, respBody)
}

// request makes one request through b.client, whose transport sends it to
// the configured API base (rawURL may be one of discordgo's discord.com
// endpoints: errors name the URL actually requested) and whose timeout
// covers the whole exchange, the body's reading too; the response's body
// is the caller's to close.
func (b *Bot) request(ctx context.Context, ch, method, rawURL string, body []byte) (*http.Response, error) {
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(body)
	}
	req, err := http.NewRequestWithContext(context.WithValue(ctx, pacedKey{}, true), method, rawURL, rd)
	if err != nil {
		return nil, fmt.Errorf("discord: send to channel %s: %w", ch, err)
	}
	req.Header.Set("Authorization", b.token)
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	req.Header.Set("User-Agent", b.s.UserAgent)
	resp, err := b.client.Do(req)
	if err != nil {
		if ctx.Err() != nil {
			return nil, stopped(fmt.Errorf("discord: send to channel %s: %w", ch, ctx.Err()))
		}
		return nil, &digest.TemporaryError{Platform: digest.Discord, Err: fmt.Errorf("discord: send to channel %s: %w", ch, requested(b.base, err))}
	}
	return resp, nil
}

// stopped marks a send that did not happen because ctx ended (shutdown,
// a caller's deadline) as temporary, so that delivery never gives the
// message up for it; errors.Is(err, context.Canceled) still holds.
func stopped(err error) error {
	return &digest.TemporaryError{Platform: digest.Discord, Err: err}
}

// observeChannelHeaders pauses a channel whose bucket Discord says is empty.
func (b *Bot) observeChannelHeaders(ch string, h http.Header) {
	if h.Get("X-RateLimit-Remaining") != "0" {
		return
	}
	if s, err := strconv.ParseFloat(h.Get("X-RateLimit-Reset-After"), 64); err == nil && s > 0 {
		b.channels.block(ch, time.Now().Add(time.Duration(s*float64(time.Second))))
	}
}

type apiError struct {
	Code       int     `json:"code"`
	Message    string  `json:"message"`
	RetryAfter float64 `json:"retry_after"`
	Global     bool    `json:"global"`
}

func (b *Bot) sendResult(ch string, resp *http.Response, body []byte) error {
	status := resp.StatusCode
	if status == http.StatusOK || status == http.StatusCreated {
		return nil // the caller reads the body it wants
	}
	var ae apiError
	_ = json.Unmarshal(body, &ae)
	switch {
	case status == http.StatusTooManyRequests:
		retry := time.Duration(ae.RetryAfter * float64(time.Second))
		if retry <= 0 {
			retry = headerRetryAfter(resp.Header)
		}
		global := ae.Global || resp.Header.Get("X-RateLimit-Global") != ""
		if global {
			b.global.block(time.Now().Add(retry))
		} else {
			b.channels.block(ch, time.Now().Add(retry))
		}
		return &digest.RateLimitedError{Platform: digest.Discord, RetryAfter: retry, Global: global}
	case status >= 500:
		return &digest.TemporaryError{Platform: digest.Discord, Err: fmt.Errorf("discord: send to channel %s: HTTP %d", ch, status)}
	case (status == http.StatusForbidden && (ae.Code == codeMissingAccess || ae.Code == codeMissingPermissions)) ||
		(status == http.StatusNotFound && ae.Code == codeUnknownChannel):
		return fmt.Errorf("discord: send to channel %s: HTTP %d code %d (%s): %w", ch, status, ae.Code, ae.Message, digest.ErrChatGone)
	case status == http.StatusUnauthorized:
		return fmt.Errorf("discord: send to channel %s: the bot token was rejected (401)", ch)
	default:
		return &apiStatusError{channel: ch, status: status, code: ae.Code, message: ae.Message}
	}
}

// Idempotent reports that Send may be repeated with the same delivery key
// without a second message: the nonce, with enforce_nonce, makes Discord
// return the first message instead (delivery.Idempotent).
func (b *Bot) Idempotent() bool { return true }

// apiStatusError is a refusal by Discord that is none of the kinds
// delivery retries or treats as a gone channel.
type apiStatusError struct {
	channel      string
	status, code int
	message      string
}

func (e *apiStatusError) Error() string {
	return fmt.Sprintf("discord: send to channel %s: HTTP %d code %d: %s", e.channel, e.status, e.code, e.message)
}
