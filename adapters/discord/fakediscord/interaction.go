package fakediscord

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

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
	// Locale is the user's client language and GuildLocale the guild's
	// (default en-US for both, as Discord sends them).
	Locale, GuildLocale string
	// Subcommand puts the options under this SUB_COMMAND option (type 1).
	Subcommand string
	// Focused makes it an APPLICATION_COMMAND_AUTOCOMPLETE interaction
	// (type 4) with this option being typed (its value in Options, a string).
	Focused string
}

// Upload is an attachment option's value in CommandInteraction.Options:
// the fake serves Data at the attachment's URL (ATTACHMENT option, type
// 11, resolved in data.resolved.attachments). Size, when set, is the size
// Discord states instead of len(Data).
type Upload struct {
	Filename string
	Data     []byte
	Size     int
}

// ButtonPress describes a user pressing a button (component type 2) on a
// message the bot sent: a MESSAGE_COMPONENT interaction (type 3).
type ButtonPress struct {
	CustomID    string
	MessageID   string // the message the button is on
	GuildID     string // "" with DM true
	ChannelID   string
	UserID      string
	Permissions int64
	DM          bool
}

// Response is one answer to an interaction: the callback, an edit of the
// original response or a follow-up.
type Response struct {
	Type    int // callback type (4, 5, ...); 0 for edits and follow-ups
	Content string
	Embeds  []*discordgo.MessageEmbed
	Flags   int
	// Components as sent: nil when the payload had none (the message's
	// buttons stay), empty when it removed them.
	Components []Component
	// Choices of an autocomplete answer (type 8).
	Choices []Choice
	// Files uploaded with it (multipart files[n]).
	Files []File
	Body  json.RawMessage
	At    time.Time
}

// Component is an action row (type 1) or a button (type 2) as sent.
type Component struct {
	Type       int         `json:"type"`
	Style      int         `json:"style,omitempty"`
	Label      string      `json:"label,omitempty"`
	CustomID   string      `json:"custom_id,omitempty"`
	Components []Component `json:"components,omitempty"`
}

// Choice is one autocomplete suggestion.
type Choice struct {
	Name  string `json:"name"`
	Value any    `json:"value"`
}

// File is one uploaded file.
type File struct {
	Name string
	Data []byte
}

// Buttons lists the buttons of a response's components, in order.
func (r Response) Buttons() []Component {
	var out []Component
	for _, row := range r.Components {
		out = append(out, row.Components...)
	}
	return out
}

// Ephemeral reports whether the response is shown only to the caller.
func (r Response) Ephemeral() bool { return r.Flags&int(discordgo.MessageFlagsEphemeral) != 0 }

// Interaction is one interaction and what the bot answered.
type Interaction struct {
	ID, Token string
	// Type is 2 (command), 3 (button press) or 4 (autocomplete).
	Type      int
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
	body := s.interactionJSON(id, token, c)
	typ := 2
	if c.Focused != "" {
		typ = 4
	}
	return s.register(id, token, typ, body)
}

func (s *Server) register(id, token string, typ int, body json.RawMessage) Interaction {
	in := &Interaction{ID: id, Token: token, Type: typ, Created: time.Now(), Body: body}
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

// PreparePress registers a button press (for the callback and webhook
// routes) without dispatching it, and returns it with its JSON.
func (s *Server) PreparePress(p ButtonPress) Interaction {
	id, token := s.newID(), "itoken-"+s.newID()
	msgID := p.MessageID
	if msgID == "" {
		msgID = s.newID()
	}
	in := map[string]any{
		"id": id, "application_id": AppID, "type": 3, "token": token, "version": 1,
		"channel_id": p.ChannelID, "locale": "en-US",
		"app_permissions": strconv.FormatInt(PermSendMessages, 10),
		"data":            map[string]any{"custom_id": p.CustomID, "component_type": 2},
		"message": map[string]any{"id": msgID, "channel_id": p.ChannelID, "type": 20, "content": "",
			"author":    map[string]any{"id": BotUserID, "username": BotName, "discriminator": "0", "bot": true},
			"timestamp": time.Now().UTC().Format(time.RFC3339)},
		"entitlements": []any{},
	}
	s.who(in, p.UserID, p.GuildID, p.DM, p.Permissions)
	body, _ := json.Marshal(in)
	return s.register(id, token, 3, body)
}

// SendPress dispatches a button press (INTERACTION_CREATE, type 3) to the
// connected gateway session.
func (s *Server) SendPress(p ButtonPress) (Interaction, error) {
	in := s.PreparePress(p)
	if err := s.gw.dispatch("INTERACTION_CREATE", in.Body, p.GuildID); err != nil {
		return in, err
	}
	return in, nil
}

// AttachmentGets counts the downloads of attachments the fake served, and
// the bytes it wrote for them.
func (s *Server) AttachmentGets() (n int, bytes int64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.attGets, s.attBytes
}

// serveAttachment serves an uploaded attachment's bytes, as Discord's CDN.
func (s *Server) serveAttachment(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	data, ok := s.uploads[r.URL.Path]
	if ok {
		s.attGets++
	}
	s.mu.Unlock()
	if !ok || r.Method != http.MethodGet {
		http.NotFound(w, r)
		return
	}
	w.Header().Set("Content-Type", "application/octet-stream")
	w.Header().Set("Content-Length", strconv.Itoa(len(data)))
	// Written in pieces, counting what the client took.
	for off := 0; off < len(data); off += 32 << 10 {
		n, err := w.Write(data[off:min(off+32<<10, len(data))])
		s.mu.Lock()
		s.attBytes += int64(n)
		s.mu.Unlock()
		if err != nil {
			return
		}
	}
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

func (s *Server) interactionJSON(id, token string, c CommandInteraction) json.RawMessage {
	names := make([]string, 0, len(c.Options))
	for n := range c.Options {
		names = append(names, n)
	}
	sort.Strings(names)
	opts := []map[string]any{}
	resolved := map[string]any{}
	for _, n := range names {
		v := c.Options[n]
		typ := 3
		switch u := v.(type) {
		case int, int64:
			typ = 4
		case bool:
			typ = 5
		case Upload:
			typ = 11
			aid := s.newID()
			path := "/attachments/" + c.ChannelID + "/" + aid + "/" + u.Filename
			size := u.Size
			if size == 0 {
				size = len(u.Data)
			}
			s.mu.Lock()
			s.uploads[path] = u.Data
			s.mu.Unlock()
			resolved[aid] = map[string]any{"id": aid, "filename": u.Filename, "size": size,
				"url": s.URL + path, "proxy_url": s.URL + path, "content_type": "application/octet-stream"}
			v = aid
		}
		o := map[string]any{"name": n, "type": typ, "value": v}
		if n == c.Focused {
			o["focused"] = true
		}
		opts = append(opts, o)
	}
	if c.Subcommand != "" {
		opts = []map[string]any{{"name": c.Subcommand, "type": 1, "options": opts}}
	}
	app := c.AppPermissions
	if app == 0 {
		app = PermSendMessages | PermCreatePublicThreads | PermSendMessagesInThreads
	}
	typ := 2
	if c.Focused != "" {
		typ = 4
	}
	data := map[string]any{"id": "cmd-" + c.Name, "name": c.Name, "type": 1, "options": opts}
	if len(resolved) > 0 {
		data["resolved"] = map[string]any{"attachments": resolved}
	}
	in := map[string]any{
		"id": id, "application_id": AppID, "type": typ, "token": token, "version": 1,
		"channel_id": c.ChannelID, "locale": orDefault(c.Locale, "en-US"),
		"app_permissions": strconv.FormatInt(app, 10),
		"data":            data,
		"entitlements":    []any{},
	}
	s.who(in, c.UserID, c.GuildID, c.DM, c.Permissions)
	if _, ok := in["guild_id"]; ok {
		in["guild_locale"] = orDefault(c.GuildLocale, "en-US")
	}
	b, _ := json.Marshal(in)
	return b
}

// who sets the user, or the guild member, of an interaction.
func (s *Server) who(in map[string]any, userID, guildID string, dm bool, perms int64) {
	user := map[string]any{"id": userID, "username": "user" + userID, "discriminator": "0", "global_name": nil, "avatar": nil}
	if dm || guildID == "" {
		in["user"] = user
		in["context"] = 1
		return
	}
	in["guild_id"] = guildID
	in["guild_locale"] = "en-US"
	in["context"] = 0
	in["member"] = map[string]any{
		"user": user, "roles": []any{}, "joined_at": "2024-01-01T00:00:00Z", "deaf": false, "mute": false,
		"permissions": strconv.FormatInt(perms, 10), "flags": 0,
	}
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
// it over HTTP or POSTs to the callback route) to a slash command against
// the schema and the limits, and returns the problems.
func (s *Server) CheckCallback(body []byte) []string { return s.checkCallback(2, body) }

// checkCallback checks a callback to an interaction of type kind: a
// command answers with 4 or 5, a button press with those or 6/7 (update
// the message), an autocomplete with 8 (at most 25 choices, names of
// 1-100 characters).
func (s *Server) checkCallback(kind int, body []byte) []string {
	var cb struct {
		Type int             `json:"type"`
		Data json.RawMessage `json:"data"`
	}
	if err := json.Unmarshal(body, &cb); err != nil {
		return []string{"callback: " + err.Error()}
	}
	if cb.Type == 1 {
		return nil // PONG, only valid over HTTP
	}
	allowed := map[int][]int{2: {4, 5}, 3: {4, 5, 6, 7}, 4: {8}}[kind]
	if !slices.Contains(allowed, cb.Type) {
		return []string{fmt.Sprintf("callback type %d: an interaction of type %d answers with %v", cb.Type, kind, allowed)}
	}
	var problems []string
	switch cb.Type {
	case 4, 5:
		problems = s.check("CreateMessageInteractionCallbackRequest", body)
	case 6, 7:
		problems = s.check("UpdateMessageInteractionCallbackRequest", body)
	case 8:
		problems = s.check("ApplicationCommandAutocompleteCallbackRequest", body)
		var d struct {
			Choices []Choice `json:"choices"`
		}
		_ = json.Unmarshal(cb.Data, &d)
		if len(d.Choices) > 25 {
			problems = append(problems, fmt.Sprintf("%d autocomplete choices, at most 25", len(d.Choices)))
		}
		for _, c := range d.Choices {
			if n := utf8.RuneCountInString(c.Name); n < 1 || n > 100 {
				problems = append(problems, fmt.Sprintf("autocomplete choice name of %d characters, want 1-100", n))
			}
		}
	}
	if cb.Type == 4 || cb.Type == 7 {
		if len(cb.Data) > 0 && string(cb.Data) != "null" {
			problems = append(problems, CheckMessageLimits(cb.Data, cb.Type == 4)...)
		} else {
			problems = append(problems, fmt.Sprintf("type %d without data", cb.Type))
		}
	}
	return problems
}

// Acknowledge records a callback the bot gave over HTTP, so that later
// webhook edits of the original response are accepted. It returns the
// problems CheckCallback finds (also recorded as violations).
func (s *Server) Acknowledge(id string, body []byte) []string {
	kind := 2
	s.mu.Lock()
	if in, ok := s.interactions[id]; ok {
		kind = in.Type
	}
	s.mu.Unlock()
	problems := s.checkCallback(kind, body)
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
	r.Embeds, r.Flags, r.Components, r.Choices = data.Embeds, data.Flags, data.Components, data.Choices
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
	if s.invalid(w, "interaction callback "+id, s.checkCallback(in.Type, body)) {
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

// maxUpload is the file size Discord takes from a bot without boosts.
const maxUpload = 10 << 20

// multipartMessage reads a multipart/form-data message as Discord takes
// it: the JSON in a payload_json part, files in files[n] parts with a
// filename. A JSON body comes back as it is.
func multipartMessage(r *http.Request, body []byte) (json.RawMessage, []File, []string) {
	mt, params, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil || mt != "multipart/form-data" {
		return body, nil, nil
	}
	mr := multipart.NewReader(bytes.NewReader(body), params["boundary"])
	var payload json.RawMessage
	var files []File
	var problems []string
	for {
		part, err := mr.NextPart()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, nil, []string{"multipart body: " + err.Error()}
		}
		data, err := io.ReadAll(io.LimitReader(part, maxUpload+1))
		if err != nil {
			return nil, nil, []string{"multipart part " + part.FormName() + ": " + err.Error()}
		}
		switch name := part.FormName(); {
		case name == "payload_json":
			payload = data
		case strings.HasPrefix(name, "files[") && strings.HasSuffix(name, "]"):
			if part.FileName() == "" {
				problems = append(problems, name+": no filename")
			}
			if len(data) > maxUpload {
				problems = append(problems, fmt.Sprintf("%s: over %d bytes", name, maxUpload))
			}
			files = append(files, File{Name: part.FileName(), Data: data})
		default:
			problems = append(problems, "unexpected multipart part "+name)
		}
	}
	if payload == nil {
		payload = json.RawMessage("{}")
		if len(files) == 0 {
			problems = append(problems, "multipart body without payload_json or files")
		}
	}
	return payload, files, problems
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
	body, files, problems := multipartMessage(r, body)
	problems = append(problems, s.check("IncomingWebhookRequestPartial", body)...)
	problems = append(problems, CheckMessageLimits(body, len(files) == 0)...)
	if s.invalid(w, "follow-up "+in.ID, problems) {
		return
	}
	resp := responseOf(body, false)
	resp.Files = files
	s.mu.Lock()
	in.Followups = append(in.Followups, resp)
	s.mu.Unlock()
	if r.URL.Query().Get("wait") != "true" {
		w.WriteHeader(http.StatusNoContent)
		return
	}
	writeJSON(w, http.StatusOK, messageJSON(Message{ID: s.newID(), Content: resp.Content, Embeds: resp.Embeds, Flags: resp.Flags, At: resp.At}))
}

func orDefault(s, def string) string {
	if s == "" {
		return def
	}
	return s
}
