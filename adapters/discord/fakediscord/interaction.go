package fakediscord

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"sort"
	"strconv"
	"time"

	"github.com/bwmarrin/discordgo"
)

// Permission bits a member's interaction carries.
const (
	PermAdministrator  int64 = 1 << 3
	PermManageChannels int64 = 1 << 4
	PermSendMessages   int64 = 1 << 11
	// PermCreatePublicThreads and PermSendMessagesInThreads let the bot
	// start threads and post in them.
	PermCreatePublicThreads   int64 = 1 << 35
	PermSendMessagesInThreads int64 = 1 << 38
)

// CommandInteraction describes a slash command a user runs.
type CommandInteraction struct {
	Name string
	// Options by name: a string becomes a STRING option, an int an
	// INTEGER, a bool a BOOLEAN.
	Options   map[string]any
	GuildID   string // "" with DM true
	ChannelID string
	UserID    string
	// Permissions of the member in the channel (guild only).
	Permissions int64
	// AppPermissions are the bot's own permissions in the channel
	// (default: send messages, start threads and post in them).
	AppPermissions int64
	DM             bool
}

// Response is one answer to an interaction: the callback, an edit of the
// original response or a follow-up.
type Response struct {
	Type    int // callback type (4, 5, ...); 0 for edits and follow-ups
	Content string
	Embeds  []*discordgo.MessageEmbed
	Flags   int
	Body    json.RawMessage
	At      time.Time
}

// Ephemeral reports whether the response is shown only to the caller.
func (r Response) Ephemeral() bool { return r.Flags&int(discordgo.MessageFlagsEphemeral) != 0 }

// Interaction is one interaction and what the bot answered.
type Interaction struct {
	ID, Token string
	Created   time.Time
	Body      json.RawMessage // the interaction as dispatched or POSTed
	Callback  *Response
	Edits     []Response
	Followups []Response
}

// Final is the last visible state of the original response: the last
// edit, or the callback itself.
func (i Interaction) Final() (Response, bool) {
	if len(i.Edits) > 0 {
		return i.Edits[len(i.Edits)-1], true
	}
	if i.Callback != nil {
		return *i.Callback, true
	}
	return Response{}, false
}

func (i *Interaction) clone() Interaction {
	c := *i
	c.Edits = append([]Response(nil), i.Edits...)
	c.Followups = append([]Response(nil), i.Followups...)
	if i.Callback != nil {
		cb := *i.Callback
		c.Callback = &cb
	}
	return c
}

// PrepareInteraction registers an interaction (for the callback and
// webhook routes) without dispatching it, and returns it with its JSON, to
// POST to a bot's HTTP interactions endpoint.
func (s *Server) PrepareInteraction(c CommandInteraction) Interaction {
	id, token := s.newID(), "itoken-"+s.newID()
	body := interactionJSON(id, token, c)
	in := &Interaction{ID: id, Token: token, Created: time.Now(), Body: body}
	s.mu.Lock()
	s.interactions[id] = in
	s.byToken[token] = in
	s.mu.Unlock()
	return in.clone()
}

// SendInteraction dispatches INTERACTION_CREATE to the connected gateway
// session and returns the interaction.
func (s *Server) SendInteraction(c CommandInteraction) (Interaction, error) {
	in := s.PrepareInteraction(c)
	if err := s.gw.dispatch("INTERACTION_CREATE", in.Body, c.GuildID); err != nil {
		return in, err
	}
	return in, nil
}

// Interaction returns the current state of an interaction.
func (s *Server) Interaction(id string) (Interaction, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	in, ok := s.interactions[id]
	if !ok {
		return Interaction{}, false
	}
	return in.clone(), true
}

// WaitInteraction polls an interaction until done reports true or ctx ends.
func (s *Server) WaitInteraction(ctx context.Context, id string, done func(Interaction) bool) (Interaction, error) {
	t := time.NewTicker(5 * time.Millisecond)
	defer t.Stop()
	for {
		in, ok := s.Interaction(id)
		if ok && done(in) {
			return in, nil
		}
		select {
		case <-ctx.Done():
			return in, fmt.Errorf("fakediscord: waiting for interaction %s: %w", id, ctx.Err())
		case <-t.C:
		}
	}
}

func interactionJSON(id, token string, c CommandInteraction) json.RawMessage {
	names := make([]string, 0, len(c.Options))
	for n := range c.Options {
		names = append(names, n)
	}
	sort.Strings(names)
	opts := []map[string]any{}
	for _, n := range names {
		v := c.Options[n]
		typ := 3
		switch v.(type) {
		case int, int64:
			typ = 4
		case bool:
			typ = 5
		}
		opts = append(opts, map[string]any{"name": n, "type": typ, "value": v})
	}
	app := c.AppPermissions
	if app == 0 {
		app = PermSendMessages | PermCreatePublicThreads | PermSendMessagesInThreads
	}
	user := map[string]any{"id": c.UserID, "username": "user" + c.UserID, "discriminator": "0", "global_name": nil, "avatar": nil}
	in := map[string]any{
		"id": id, "application_id": AppID, "type": 2, "token": token, "version": 1,
		"channel_id": c.ChannelID, "locale": "en-US",
		"app_permissions": strconv.FormatInt(app, 10),
		"data":            map[string]any{"id": "cmd-" + c.Name, "name": c.Name, "type": 1, "options": opts},
		"entitlements":    []any{},
	}
	if c.DM || c.GuildID == "" {
		in["user"] = user
		in["context"] = 1
	} else {
		in["guild_id"] = c.GuildID
		in["guild_locale"] = "en-US"
		in["context"] = 0
		in["member"] = map[string]any{
			"user": user, "roles": []any{}, "joined_at": "2024-01-01T00:00:00Z", "deaf": false, "mute": false,
			"permissions": strconv.FormatInt(c.Permissions, 10), "flags": 0,
		}
	}
	b, _ := json.Marshal(in)
	return b
}

// SignedInteractionRequest builds the POST Discord would make to a bot's
// interactions endpoint: body signed with key over timestamp + body.
func SignedInteractionRequest(url string, key ed25519.PrivateKey, body []byte, at time.Time) *http.Request {
	ts := strconv.FormatInt(at.Unix(), 10)
	sig := ed25519.Sign(key, append([]byte(ts), body...))
	req, _ := http.NewRequest(http.MethodPost, url, bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-Signature-Ed25519", hex.EncodeToString(sig))
	req.Header.Set("X-Signature-Timestamp", ts)
	return req
}

// CheckCallback validates an interaction response body (as a bot returns
// it over HTTP or POSTs to the callback route) against the schema and the
// limits, and returns the problems.
func (s *Server) CheckCallback(body []byte) []string {
	var cb struct {
		Type int             `json:"type"`
		Data json.RawMessage `json:"data"`
	}
	if err := json.Unmarshal(body, &cb); err != nil {
		return []string{"callback: " + err.Error()}
	}
	switch cb.Type {
	case 1:
		return nil // PONG, only valid over HTTP
	case 4, 5:
	default:
		return []string{fmt.Sprintf("callback type %d: a command answers with 4 or 5", cb.Type)}
	}
	problems := s.check("CreateMessageInteractionCallbackRequest", body)
	if cb.Type == 4 && len(cb.Data) > 0 && string(cb.Data) != "null" {
		problems = append(problems, CheckMessageLimits(cb.Data, true)...)
	} else if cb.Type == 4 {
		problems = append(problems, "type 4 without data")
	}
	return problems
}

// Acknowledge records a callback the bot gave over HTTP, so that later
// webhook edits of the original response are accepted. It returns the
// problems CheckCallback finds (also recorded as violations).
func (s *Server) Acknowledge(id string, body []byte) []string {
	problems := s.CheckCallback(body)
	for _, p := range problems {
		s.violate("HTTP callback %s: %s", id, p)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if in, ok := s.interactions[id]; ok && in.Callback == nil {
		r := responseOf(body, true)
		in.Callback = &r
	}
	return problems
}

func responseOf(body []byte, callback bool) Response {
	r := Response{Body: append(json.RawMessage(nil), body...), At: time.Now()}
	var data messageBody
	if callback {
		var cb struct {
			Type int             `json:"type"`
			Data json.RawMessage `json:"data"`
		}
		_ = json.Unmarshal(body, &cb)
		r.Type = cb.Type
		_ = json.Unmarshal(cb.Data, &data)
	} else {
		_ = json.Unmarshal(body, &data)
	}
	if data.Content != nil {
		r.Content = *data.Content
	}
	r.Embeds, r.Flags = data.Embeds, data.Flags
	return r
}

func (s *Server) callback(w http.ResponseWriter, id, token string, body []byte) {
	s.mu.Lock()
	in, ok := s.interactions[id]
	s.mu.Unlock()
	if !ok || in.Token != token {
		writeError(w, http.StatusNotFound, 10062, "Unknown interaction")
		return
	}
	if late := time.Since(in.Created); late > s.deadline {
		s.violate("interaction %s answered after %s (deadline %s)", id, late.Round(time.Millisecond), s.deadline)
		writeError(w, http.StatusNotFound, 10062, "Unknown interaction")
		return
	}
	if s.invalid(w, "interaction callback "+id, s.CheckCallback(body)) {
		return
	}
	s.mu.Lock()
	if in.Callback != nil {
		s.mu.Unlock()
		s.violate("interaction %s acknowledged twice", id)
		writeError(w, http.StatusBadRequest, 40060, "Interaction has already been acknowledged.")
		return
	}
	r := responseOf(body, true)
	in.Callback = &r
	s.mu.Unlock()
	w.WriteHeader(http.StatusNoContent)
}

func (s *Server) webhookInteraction(w http.ResponseWriter, app, token string) (*Interaction, bool) {
	s.mu.Lock()
	in, ok := s.byToken[token]
	s.mu.Unlock()
	if app != AppID || !ok {
		writeError(w, http.StatusNotFound, 10015, "Unknown Webhook")
		return nil, false
	}
	if time.Since(in.Created) > 15*time.Minute {
		writeError(w, http.StatusUnauthorized, 50027, "Invalid Webhook Token")
		return nil, false
	}
	return in, true
}

// ackedInteraction finds the interaction of a webhook call that needs a
// callback first; what names the call, code and msg the error Discord gives
// when there was none.
func (s *Server) ackedInteraction(w http.ResponseWriter, app, token, what string, code int, msg string) (*Interaction, bool) {
	in, ok := s.webhookInteraction(w, app, token)
	if !ok {
		return nil, false
	}
	s.mu.Lock()
	acked := in.Callback != nil
	s.mu.Unlock()
	if !acked {
		s.violate("interaction %s: %s before any callback", in.ID, what)
		writeError(w, http.StatusNotFound, code, msg)
		return nil, false
	}
	return in, true
}

func (s *Server) editOriginal(w http.ResponseWriter, app, token string, body []byte) {
	in, ok := s.ackedInteraction(w, app, token, "original response edited", 10008, "Unknown Message")
	if !ok {
		return
	}
	problems := append(s.check("IncomingWebhookUpdateRequestPartial", body), CheckMessageLimits(body, false)...)
	if s.invalid(w, "PATCH @original "+in.ID, problems) {
		return
	}
	r := responseOf(body, false)
	s.mu.Lock()
	in.Edits = append(in.Edits, r)
	s.mu.Unlock()
	writeJSON(w, http.StatusOK, messageJSON(Message{ID: in.ID, Content: r.Content, Embeds: r.Embeds, Flags: r.Flags, At: r.At}))
}

func (s *Server) followup(w http.ResponseWriter, r *http.Request, app, token string, body []byte) {
	in, ok := s.ackedInteraction(w, app, token, "follow-up", 10015, "Unknown Webhook")
	if !ok {
		return
	}
	problems := append(s.check("IncomingWebhookRequestPartial", body), CheckMessageLimits(body, true)...)
	if s.invalid(w, "follow-up "+in.ID, problems) {
		return
	}
	resp := responseOf(body, false)
	s.mu.Lock()
	in.Followups = append(in.Followups, resp)
	s.mu.Unlock()
	if r.URL.Query().Get("wait") != "true" {
		w.WriteHeader(http.StatusNoContent)
		return
	}
	writeJSON(w, http.StatusOK, messageJSON(Message{ID: s.newID(), Content: resp.Content, Embeds: resp.Embeds, Flags: resp.Flags, At: resp.At}))
}
