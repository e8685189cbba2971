package fakediscord

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/bwmarrin/discordgo"
)

// Discord's limits that the OpenAPI document does not state (or states
// differently: it allows 4000 characters of message content).
const (
	MaxContent    = 2000
	MaxEmbeds     = 10
	MaxEmbedTotal = 6000
)

func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path == "/ws" || r.URL.Path == "/ws/" {
		s.gw.serveWS(w, r)
		return
	}
	if strings.HasPrefix(r.URL.Path, "/attachments/") {
		s.serveAttachment(w, r) // the CDN: no token
		return
	}
	route, segs := routeOf(r)
	s.mu.Lock()
	s.requests[route]++
	s.mu.Unlock()
	s.log.Debug("fakediscord request", "route", route)
	body, err := io.ReadAll(io.LimitReader(r.Body, 8<<20))
	if err != nil {
		writeError(w, http.StatusBadRequest, 0, "unreadable body")
		return
	}
	callback := len(segs) == 4 && segs[0] == "interactions" && segs[3] == "callback"
	webhook := len(segs) >= 3 && segs[0] == "webhooks"
	if !callback && !webhook && r.Header.Get("Authorization") != "Bot "+s.token {
		writeError(w, http.StatusUnauthorized, 0, "401: Unauthorized")
		return
	}
	// Interaction callbacks are exempt from the global limit, as on Discord.
	if !callback && s.rate > 0 {
		s.mu.Lock()
		ok, wait := s.admitGlobal(time.Now())
		if !ok {
			s.rateLimited++
		}
		s.mu.Unlock()
		if !ok {
			writeRateLimited(w, wait, true, "global")
			return
		}
	}
	if !callback && !s.admitRoute(w, r.Method, segs) {
		return
	}
	if f, ok := s.takeFault(r.Method, segs); ok {
		if !f.LoseResponse {
			s.answer(w, r, f)
			return
		}
		s.route(httptest.NewRecorder(), r, route, segs, body, callback)
		if hj, ok := w.(http.Hijacker); ok {
			if conn, _, err := hj.Hijack(); err == nil {
				_ = conn.Close()
			}
		}
		return
	}
	s.route(w, r, route, segs, body, callback)
}

func (s *Server) route(w http.ResponseWriter, r *http.Request, route string, segs []string, body []byte, callback bool) {
	if !callback && s.routeThreads(w, r, segs, body) {
		return
	}
	switch {
	case route == "GET /gateway" || route == "GET /gateway/bot":
		writeJSON(w, http.StatusOK, map[string]any{"url": "ws://" + r.Host + "/ws", "shards": 1})
	case route == "GET /users/@me":
		writeJSON(w, http.StatusOK, botUser())
	case route == "PUT /applications/{id}/commands":
		s.putCommands(w, segs[1], "", body)
	case route == "PUT /applications/{id}/guilds/{id}/commands":
		s.putCommands(w, segs[1], segs[3], body)
	case route == "POST /channels/{id}/messages":
		s.postMessage(w, segs[1], body)
	case callback && r.Method == http.MethodPost:
		s.callback(w, segs[1], segs[2], body)
	case route == "PATCH /webhooks/{id}/{token}/messages/@original":
		s.editOriginal(w, segs[1], segs[2], body)
	case route == "POST /webhooks/{id}/{token}":
		s.followup(w, r, segs[1], segs[2], body)
	default:
		s.violate("unexpected request %s", route)
		writeError(w, http.StatusNotFound, 0, "404: Not Found")
	}
}

func botUser() map[string]any {
	return map[string]any{"id": BotUserID, "username": BotName, "discriminator": "0", "bot": true, "global_name": nil, "avatar": nil}
}

// invalid records problems and answers 400 50035 Invalid Form Body.
func (s *Server) invalid(w http.ResponseWriter, what string, problems []string) bool {
	if len(problems) == 0 {
		return false
	}
	for _, p := range problems {
		s.violate("%s: %s", what, p)
	}
	writeJSON(w, http.StatusBadRequest, map[string]any{"code": 50035, "message": "Invalid Form Body", "errors": map[string]any{"_errors": problems}})
	return true
}

// checkOptions applies Discord's rules for command options that the
// schema does not encode: at most 25, required before optional, lower-case
// names, SUB_COMMAND (1) options not mixed with others and only at the top
// (or inside a SUB_COMMAND_GROUP, 2), choices and autocomplete exclusive.
func checkOptions(at string, opts []any, parent int) []string {
	var problems []string
	if len(opts) > 25 {
		problems = append(problems, fmt.Sprintf("%s.options: %d, at most 25", at, len(opts)))
	}
	subs, optional := 0, false
	for j, v := range opts {
		o, _ := v.(map[string]any)
		where := fmt.Sprintf("%s.options[%d]", at, j)
		typ, _ := o["type"].(float64)
		name, _ := o["name"].(string)
		if name != strings.ToLower(name) || strings.ContainsAny(name, " /") {
			problems = append(problems, fmt.Sprintf("%s.name %q: names are lower case, no spaces", where, name))
		}
		switch int(typ) {
		case 1, 2:
			subs++
			if parent != 0 && !(parent == 2 && int(typ) == 1) {
				problems = append(problems, where+": subcommands nest only one level, inside a group")
			}
			inner, _ := o["options"].([]any)
			problems = append(problems, checkOptions(where, inner, int(typ))...)
			continue
		}
		req, _ := o["required"].(bool)
		if req && optional {
			problems = append(problems, where+": a required option after an optional one")
		}
		optional = optional || !req
		if ac, _ := o["autocomplete"].(bool); ac {
			if ch, _ := o["choices"].([]any); len(ch) > 0 {
				problems = append(problems, where+": choices and autocomplete together")
			}
		}
	}
	if subs > 0 && subs != len(opts) {
		problems = append(problems, at+".options: subcommands mixed with other options")
	}
	return problems
}

// check validates a body against a component schema (when the spec is
// loaded) or an inline schema.
func (s *Server) check(schema any, body []byte) []string {
	if s.spec == nil {
		if _, err := decode(body); err != nil {
			return []string{"body is not JSON: " + err.Error()}
		}
		return nil
	}
	if name, ok := schema.(string); ok {
		return s.spec.Check(name, body)
	}
	return s.spec.CheckSchema(schema, body)
}

// messageBody is what the limit checks read of a message payload.
type messageBody struct {
	Content    *string                   `json:"content"`
	Embeds     []*discordgo.MessageEmbed `json:"embeds"`
	Flags      int                       `json:"flags"`
	Components []Component               `json:"components"`
	Choices    []Choice                  `json:"choices"`
}

// CheckMessageLimits checks a message payload against Discord's limits:
// content 2000, 10 embeds, the embed field limits and 6000 characters of
// embeds in all. requireBody also refuses an empty message.
func CheckMessageLimits(body []byte, requireBody bool) []string {
	var m messageBody
	if err := json.Unmarshal(body, &m); err != nil {
		return []string{"body: " + err.Error()}
	}
	var errs []string
	n := func(s string) int { return utf8.RuneCountInString(s) }
	content := ""
	if m.Content != nil {
		content = *m.Content
	}
	if n(content) > MaxContent {
		errs = append(errs, fmt.Sprintf("content: %d characters, more than %d", n(content), MaxContent))
	}
	if len(m.Embeds) > MaxEmbeds {
		errs = append(errs, fmt.Sprintf("embeds: %d, more than %d", len(m.Embeds), MaxEmbeds))
	}
	total := 0
	for i, e := range m.Embeds {
		if e == nil {
			continue
		}
		lim := func(field, v string, max int) {
			if n(v) > max {
				errs = append(errs, fmt.Sprintf("embeds[%d].%s: %d characters, more than %d", i, field, n(v), max))
			}
			total += n(v)
		}
		lim("title", e.Title, 256)
		lim("description", e.Description, 4096)
		if e.Footer != nil {
			lim("footer.text", e.Footer.Text, 2048)
		}
		if e.Author != nil {
			lim("author.name", e.Author.Name, 256)
		}
		if len(e.Fields) > 25 {
			errs = append(errs, fmt.Sprintf("embeds[%d].fields: %d, more than 25", i, len(e.Fields)))
		}
		for _, f := range e.Fields {
			lim("fields.name", f.Name, 256)
			lim("fields.value", f.Value, 1024)
		}
		if e.Timestamp != "" {
			if _, err := time.Parse(time.RFC3339, e.Timestamp); err != nil {
				errs = append(errs, fmt.Sprintf("embeds[%d].timestamp: %q is not ISO 8601", i, e.Timestamp))
			}
		}
	}
	if total > MaxEmbedTotal {
		errs = append(errs, fmt.Sprintf("embeds: %d characters in all, more than %d", total, MaxEmbedTotal))
	}
	if requireBody && strings.TrimSpace(content) == "" && len(m.Embeds) == 0 {
		errs = append(errs, "empty message: no content and no embeds")
	}
	for _, bad := range []string{"@everyone", "@here"} {
		if strings.Contains(content, bad) && !strings.Contains(string(body), `"allowed_mentions"`) {
			errs = append(errs, "content mentions "+bad+" without allowed_mentions")
		}
	}
	return errs
}

func (s *Server) putCommands(w http.ResponseWriter, app, guild string, body []byte) {
	if app != AppID {
		writeError(w, http.StatusForbidden, 50001, "Missing Access")
		s.violate("commands registered for application %s, not %s", app, AppID)
		return
	}
	what := "PUT commands"
	problems := s.check(ArrayOf("ApplicationCommandUpdateRequest", 130), body)
	var cmds []map[string]any
	if err := json.Unmarshal(body, &cmds); err != nil {
		problems = append(problems, "body is not an array of commands: "+err.Error())
	}
	seen := map[string]bool{}
	for i, c := range cmds {
		name, _ := c["name"].(string)
		if name != strings.ToLower(name) || strings.ContainsAny(name, " /") {
			problems = append(problems, fmt.Sprintf("[%d].name %q: names are lower case, no spaces", i, name))
		}
		if seen[name] {
			problems = append(problems, fmt.Sprintf("[%d].name %q: duplicate", i, name))
		}
		seen[name] = true
		opts, _ := c["options"].([]any)
		problems = append(problems, checkOptions(fmt.Sprintf("[%d]", i), opts, 0)...)
	}
	if s.invalid(w, what, problems) {
		return
	}
	out := make([]map[string]any, len(cmds))
	raw := make([]json.RawMessage, len(cmds))
	for i, c := range cmds {
		b, _ := json.Marshal(c)
		raw[i] = b
		resp := map[string]any{}
		for k, v := range c {
			resp[k] = v
		}
		resp["id"] = s.newID()
		resp["application_id"] = AppID
		resp["version"] = s.newID()
		if guild != "" {
			resp["guild_id"] = guild
		}
		if p, ok := c["default_member_permissions"].(float64); ok {
			resp["default_member_permissions"] = fmt.Sprintf("%.0f", p) // Discord answers with a string
		}
		out[i] = resp
	}
	s.mu.Lock()
	s.commands[guild] = raw
	s.mu.Unlock()
	writeJSON(w, http.StatusOK, out)
}

func (s *Server) postMessage(w http.ResponseWriter, channel string, body []byte) {
	s.mu.Lock()
	f, gone := s.gone[channel]
	s.mu.Unlock()
	if gone {
		writeError(w, f.Status, f.Code, f.Message)
		return
	}
	if status, code, msg, bad := s.threadPostCheck(channel); bad {
		writeError(w, status, code, msg)
		return
	}
	what := "POST /channels/" + channel + "/messages"
	problems := append(s.check("MessageCreateRequest", body), CheckMessageLimits(body, true)...)
	if s.invalid(w, what, problems) {
		return
	}
	var meta struct {
		Nonce        any  `json:"nonce"`
		EnforceNonce bool `json:"enforce_nonce"`
	}
	_ = json.Unmarshal(body, &meta)
	nonce := ""
	if meta.Nonce != nil {
		nonce = strings.Trim(fmt.Sprint(meta.Nonce), `"`)
	}
	now := time.Now()
	s.mu.Lock()
	key := channel + "\x00" + nonce
	if meta.EnforceNonce && nonce != "" {
		if e, ok := s.nonces[key]; ok && now.Sub(e.at) < s.nonceWindow {
			s.dedups++
			s.mu.Unlock()
			writeJSON(w, http.StatusOK, messageJSON(e.msg))
			return
		}
	}
	s.nextID++
	var mb messageBody
	_ = json.Unmarshal(body, &mb)
	m := Message{ID: fmt.Sprint(s.nextID), ChannelID: channel, Nonce: nonce, Embeds: mb.Embeds, Flags: mb.Flags, Body: append(json.RawMessage(nil), body...), At: now}
	if mb.Content != nil {
		m.Content = *mb.Content
	}
	s.messages[channel] = append(s.messages[channel], m)
	if meta.EnforceNonce && nonce != "" {
		s.nonces[key] = nonceEntry{msg: m, at: now}
	}
	s.mu.Unlock()
	writeJSON(w, http.StatusOK, messageJSON(m))
}

func messageJSON(m Message) map[string]any {
	embeds := m.Embeds
	if embeds == nil {
		embeds = []*discordgo.MessageEmbed{}
	}
	out := map[string]any{
		"id": m.ID, "channel_id": m.ChannelID, "content": m.Content, "embeds": embeds,
		"author": botUser(), "timestamp": m.At.UTC().Format(time.RFC3339Nano), "type": 0,
		"tts": false, "mention_everyone": false, "mentions": []any{}, "mention_roles": []any{},
		"attachments": []any{}, "pinned": false, "flags": m.Flags,
	}
	if m.Nonce != "" {
		out["nonce"] = m.Nonce
	}
	return out
}
