package discord

import (
	"context"
	"crypto/ed25519"
	"encoding/hex"
	"encoding/json"
	"io"
	"net/http"
	"strconv"
	"time"

	"github.com/bwmarrin/discordgo"
)

// maxSkew is how far a signed timestamp may be from our clock.
const maxSkew = 5 * time.Minute

// maxInteractionBody bounds an interaction request.
const maxInteractionBody = 1 << 20

// InteractionsHandler serves Discord's "interactions endpoint URL": it
// verifies the Ed25519 signature over timestamp + body (401 when it is bad
// or missing, as Discord's own probes expect), refuses timestamps more than
// five minutes off, answers PING with PONG and runs commands through the
// same path as gateway interactions, answering in the HTTP response (type
// 4, or type 5 followed by an edit over REST).
func (b *Bot) InteractionsHandler() http.Handler {
	return http.HandlerFunc(b.serveInteraction)
}

func (b *Bot) serveInteraction(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	if b.pubKey == nil {
		http.Error(w, "interactions endpoint not configured", http.StatusServiceUnavailable)
		return
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxInteractionBody))
	if err != nil {
		http.Error(w, "body too large or unreadable", http.StatusRequestEntityTooLarge)
		return
	}
	received := time.Now()
	if !verify(b.pubKey, r.Header.Get("X-Signature-Ed25519"), r.Header.Get("X-Signature-Timestamp"), body, received) {
		http.Error(w, "invalid request signature", http.StatusUnauthorized)
		return
	}
	var i discordgo.Interaction
	if err := json.Unmarshal(body, &i); err != nil {
		http.Error(w, "undecodable interaction", http.StatusBadRequest)
		return
	}
	switch i.Type {
	case discordgo.InteractionPing:
		writeInteractionResponse(w, &discordgo.InteractionResponse{Type: discordgo.InteractionResponsePong})
	case discordgo.InteractionApplicationCommand, discordgo.InteractionMessageComponent,
		discordgo.InteractionApplicationCommandAutocomplete:
		if !b.firstSeen(&i) {
			// A replay of a signed request within its timestamp window.
			http.Error(w, "interaction already handled", http.StatusConflict)
			return
		}
		b.serveCommand(w, r, &i, received)
	default:
		http.Error(w, "unsupported interaction type", http.StatusBadRequest)
	}
}

// verify checks the signature and the timestamp's age.
func verify(key ed25519.PublicKey, sigHex, ts string, body []byte, now time.Time) bool {
	sig, err := hex.DecodeString(sigHex)
	if err != nil || len(sig) != ed25519.SignatureSize || ts == "" {
		return false
	}
	sec, err := strconv.ParseInt(ts, 10, 64)
	if err != nil {
		return false
	}
	if skew := now.Sub(time.Unix(sec, 0)); skew > maxSkew || skew < -maxSkew {
		return false
	}
	msg := make([]byte, 0, len(ts)+len(body))
	msg = append(append(msg, ts...), body...)
	return ed25519.Verify(key, msg, sig)
}

// serveCommand answers a command in the HTTP response; the rest of the
// answer (an edit after a deferral, follow-ups) goes over REST once the
// response is written.
func (b *Bot) serveCommand(w http.ResponseWriter, r *http.Request, i *discordgo.Interaction, received time.Time) {
	if !b.track() {
		http.Error(w, "shutting down", http.StatusServiceUnavailable)
		return
	}
	first := make(chan *discordgo.InteractionResponse, 1)
	written := make(chan struct{})
	go func() {
		defer b.wg.Done()
		b.answer(i, received, func(ctx context.Context, resp *discordgo.InteractionResponse) error {
			first <- resp
			select {
			case <-written:
				return nil
			case <-ctx.Done():
				return ctx.Err()
			}
		})
	}()
	select {
	case resp := <-first:
		writeInteractionResponse(w, resp)
		close(written)
	case <-r.Context().Done():
		close(written)
	}
}

func writeInteractionResponse(w http.ResponseWriter, resp *discordgo.InteractionResponse) {
	b, err := json.Marshal(resp)
	if err != nil {
		http.Error(w, "encode response", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	_, _ = w.Write(b)
}
