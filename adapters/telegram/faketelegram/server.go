// Package faketelegram is a fake Telegram Bot API on 127.0.0.1 for tests:
// it answers the methods the bot uses, checks every request against the
// Bot API description in ../shared/specs and Telegram's text and HTML
// rules, enforces Telegram's flood limits with 429 and retry_after, injects
// faults on demand, and records every message it delivered.
package faketelegram

import (
	"context"
	"encoding/json"
	"fmt"
	"mime"
	"net/http"
	"net/http/httptest"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Options configure a Server; the zero value is a usable default.
type Options struct {
	// Token is the bot token the fake accepts (default "123456:TEST-fake-token").
	Token string
	// BotUsername is what getMe answers (default "newsdigest_bot").
	BotUsername string
	// SpecDir holds telegram-bot-api.json and telegram-bot-api-5.5.json
	// (default DefaultSpecDir()). Without them parameters are not checked
	// against the spec; SpecsLoaded reports it.
	SpecDir string
	// GlobalPerSecond limits sendMessage calls in any 1-second window
	// (default 30); PerChatInterval is the least gap between two messages
	// to one chat (default 1s); GroupPerMinute limits messages to one group
	// (negative chat ID) in any minute (default 20). Negative disables.
	GlobalPerSecond int
	PerChatInterval time.Duration
	GroupPerMinute  int
	// MaxPollTimeout caps how long getUpdates holds a request (default 50s).
	MaxPollTimeout time.Duration
}

// Server is a running fake Bot API.
type Server struct {
	opts       Options
	srv        *httptest.Server
	current    *spec
	v55        *spec
	specErr    error
	closing    chan struct{}
	closeOnce  sync.Once
	webhookCli *http.Client

	mu          sync.Mutex
	updates     []Update
	nextUpdate  int
	updateCh    chan struct{} // closed and replaced when an update is queued
	polling     bool
	webhookURL  string
	webhookSec  string
	commands    []BotCommand
	members     map[string]string // "chat/user" → status
	faults      []*Fault
	delivered   map[string][]SentMessage
	nextMsgID   int
	violations  []string
	newer       map[string]bool // method.param not in Bot API 5.5
	calls       map[string]int
	rateLimited int
	sendTimes   []time.Time            // accepted sendMessage calls, last second
	chatLast    map[string]time.Time   // last accepted message per chat
	groupTimes  map[string][]time.Time // accepted messages per group, last minute
}

// SentMessage is one message the fake accepted.
type SentMessage struct {
	MessageID int
	ChatID    string
	ThreadID  int
	// Text is the text as sent (HTML); Plain is it after entity parsing.
	Text        string
	Plain       string
	ParseMode   string
	LinkPreview json.RawMessage
	At          time.Time
}

// New starts a fake Bot API on 127.0.0.1.
func New(opts Options) *Server {
	if opts.Token == "" {
		opts.Token = "123456:TEST-fake-token"
	}
	if opts.BotUsername == "" {
		opts.BotUsername = "newsdigest_bot"
	}
	if opts.SpecDir == "" {
		opts.SpecDir = DefaultSpecDir()
	}
	if opts.GlobalPerSecond == 0 {
		opts.GlobalPerSecond = 30
	}
	if opts.PerChatInterval == 0 {
		opts.PerChatInterval = time.Second
	}
	if opts.GroupPerMinute == 0 {
		opts.GroupPerMinute = 20
	}
	if opts.MaxPollTimeout == 0 {
		opts.MaxPollTimeout = 50 * time.Second
	}
	s := &Server{
		opts:       opts,
		closing:    make(chan struct{}),
		webhookCli: &http.Client{Timeout: 30 * time.Second},
		updateCh:   make(chan struct{}),
		nextUpdate: 1,
		members:    map[string]string{},
		delivered:  map[string][]SentMessage{},
		newer:      map[string]bool{},
		calls:      map[string]int{},
		chatLast:   map[string]time.Time{},
		groupTimes: map[string][]time.Time{},
	}
	s.current, s.v55, s.specErr = loadSpecs(opts.SpecDir)
	s.srv = httptest.NewServer(http.HandlerFunc(s.serve))
	return s
}

// Close stops the server, releasing held polls and hanging calls.
func (s *Server) Close() {
	s.closeOnce.Do(func() { close(s.closing) })
	s.srv.Close()
}

// URL is the base URL to configure as the bot's API URL; the endpoint is
// URL+"/bot<token>/<method>".
func (s *Server) URL() string { return s.srv.URL }

// Token is the token the fake accepts.
func (s *Server) Token() string { return s.opts.Token }

// BotUsername is the username getMe answers.
func (s *Server) BotUsername() string { return s.opts.BotUsername }

// SpecsLoaded reports whether parameters are checked against the spec,
// and why not.
func (s *Server) SpecsLoaded() (bool, error) { return s.specErr == nil, s.specErr }

// SetChatMember sets what getChatMember answers for user in chat:
// "creator", "administrator", "member", "restricted", "left" or "kicked"
// (default "member").
func (s *Server) SetChatMember(chatID, userID int64, status string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.members[fmt.Sprintf("%d/%d", chatID, userID)] = status
}

// Messages returns the messages delivered to a chat, in order.
func (s *Server) Messages(chatID string) []SentMessage {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.delivered[chatID])
}

// Chats returns the IDs of the chats that got at least one message.
func (s *Server) Chats() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	ids := make([]string, 0, len(s.delivered))
	for id := range s.delivered {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	return ids
}

// Delivered counts all delivered messages.
func (s *Server) Delivered() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for _, m := range s.delivered {
		n += len(m)
	}
	return n
}

// Violations lists every request that broke the Bot API's rules (unknown
// or missing parameters, wrong types, bad HTML, text too long, concurrent
// polls). Tests assert it is empty.
func (s *Server) Violations() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.violations)
}

// NewerParams lists "method.param" for the parameters seen that Bot API
// 5.5 (what the library knows) does not have.
func (s *Server) NewerParams() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []string
	for k := range s.newer {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// RateLimited counts the 429s the flood limits answered (not injected ones).
func (s *Server) RateLimited() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.rateLimited
}

// Calls counts the calls of a method.
func (s *Server) Calls(method string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.calls[method]
}

// Commands returns the commands of the last setMyCommands.
func (s *Server) Commands() []BotCommand {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.commands)
}

// Webhook returns the registered webhook URL and secret token.
func (s *Server) Webhook() (url, secret string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.webhookURL, s.webhookSec
}

// Pending counts queued updates not yet confirmed by an offset.
func (s *Server) Pending() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.updates)
}

// SendUpdate gives the bot an update: it is queued for getUpdates, or,
// when a webhook is set, POSTed to it with the secret token header. It
// assigns the update and message IDs and returns the update ID; with a
// webhook, the error says if the bot did not answer 2xx.
func (s *Server) SendUpdate(u Update) (int, error) {
	s.mu.Lock()
	u.UpdateID = s.nextUpdate
	s.nextUpdate++
	s.nextMsgID++
	for _, m := range []*Message{u.Message, u.ChannelPost} {
		if m != nil {
			if m.MessageID == 0 {
				m.MessageID = s.nextMsgID
			}
			if m.Date == 0 {
				m.Date = time.Now().Unix()
			}
		}
	}
	hook, secret := s.webhookURL, s.webhookSec
	if hook == "" {
		s.updates = append(s.updates, u)
		close(s.updateCh)
		s.updateCh = make(chan struct{})
		s.mu.Unlock()
		return u.UpdateID, nil
	}
	s.mu.Unlock()
	body, err := json.Marshal(u)
	if err != nil {
		return u.UpdateID, fmt.Errorf("faketelegram: encode update: %w", err)
	}
	req, err := http.NewRequest(http.MethodPost, hook, strings.NewReader(string(body)))
	if err != nil {
		return u.UpdateID, fmt.Errorf("faketelegram: webhook request: %w", err)
	}
	req.Header.Set("Content-Type", "application/json")
	if secret != "" {
		req.Header.Set("X-Telegram-Bot-Api-Secret-Token", secret)
	}
	resp, err := s.webhookCli.Do(req)
	if err != nil {
		return u.UpdateID, fmt.Errorf("faketelegram: webhook post: %w", err)
	}
	resp.Body.Close()
	if resp.StatusCode/100 != 2 {
		return u.UpdateID, fmt.Errorf("faketelegram: webhook answered %s", resp.Status)
	}
	return u.UpdateID, nil
}

// reply is a Bot API response.
type reply struct {
	OK          bool            `json:"ok"`
	Result      any             `json:"result,omitempty"`
	ErrorCode   int             `json:"error_code,omitempty"`
	Description string          `json:"description,omitempty"`
	Parameters  *responseParams `json:"parameters,omitempty"`
}

type responseParams struct {
	RetryAfter      int   `json:"retry_after,omitempty"`
	MigrateToChatID int64 `json:"migrate_to_chat_id,omitempty"`
}

func ok(result any) reply { return reply{OK: true, Result: result} }

func fail(code int, desc string) reply {
	return reply{ErrorCode: code, Description: desc}
}

func (s *Server) violate(format string, args ...any) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.violations = append(s.violations, fmt.Sprintf(format, args...))
}

func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	rep := s.handle(r)
	if rep == nil { // hung until the client or the server gave up
		return
	}
	status := http.StatusOK
	if !rep.OK {
		status = rep.ErrorCode
		if status < 400 || status > 599 {
			status = http.StatusBadRequest
		}
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(rep)
}

func (s *Server) handle(r *http.Request) *reply {
	rest, found := strings.CutPrefix(r.URL.Path, "/bot")
	token, method, found2 := strings.Cut(rest, "/")
	if !found || !found2 {
		rep := fail(404, "Not Found")
		return &rep
	}
	if token != s.opts.Token {
		rep := fail(401, "Unauthorized")
		return &rep
	}
	s.mu.Lock()
	s.calls[method]++
	s.mu.Unlock()
	params, err := readParams(r)
	if err != nil {
		s.violate("%s: %v", method, err)
		rep := fail(400, "Bad Request: "+err.Error())
		return &rep
	}
	if rep := s.validate(method, params); rep != nil {
		return rep
	}
	if rep, hang := s.takeFault(r.Context(), method, params); hang || rep != nil {
		return rep
	}
	var rep reply
	switch method {
	case "getMe":
		rep = ok(User{ID: 123456, IsBot: true, FirstName: "News Digest", Username: s.opts.BotUsername})
	case "getUpdates":
		rep = s.getUpdates(r.Context(), params)
	case "sendMessage":
		rep = s.sendMessage(params)
	case "setMyCommands":
		rep = s.setMyCommands(params)
	case "getChatMember":
		rep = s.getChatMember(params)
	case "setWebhook":
		rep = s.setWebhook(params)
	case "deleteWebhook":
		s.mu.Lock()
		s.webhookURL, s.webhookSec = "", ""
		if str(params["drop_pending_updates"]) == "true" {
			s.updates = nil
		}
		s.mu.Unlock()
		rep = ok(true)
	default:
		s.violate("%s: method not supported by the fake", method)
		rep = fail(404, "Not Found: method not found")
	}
	return &rep
}

// readParams reads a form-encoded, multipart or JSON request (and the
// query string) into parameters: form values stay formValue strings, JSON
// values are decoded with numbers kept exact. The literal "null" is absent.
func readParams(r *http.Request) (map[string]any, error) {
	params := map[string]any{}
	ct, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if ct == "application/json" {
		dec := json.NewDecoder(r.Body)
		dec.UseNumber()
		var body map[string]any
		if err := dec.Decode(&body); err != nil {
			return nil, fmt.Errorf("bad JSON body: %v", err)
		}
		for k, v := range body {
			if v != nil {
				params[k] = v
			}
		}
	} else {
		if ct == "multipart/form-data" {
			if err := r.ParseMultipartForm(1 << 20); err != nil {
				return nil, fmt.Errorf("bad multipart body: %v", err)
			}
		} else if err := r.ParseForm(); err != nil {
			return nil, fmt.Errorf("bad form body: %v", err)
		}
		for k, vs := range r.Form {
			if len(vs) > 1 {
				return nil, fmt.Errorf("parameter %s given %d times", k, len(vs))
			}
			if vs[0] != "null" {
				params[k] = formValue(vs[0])
			}
		}
	}
	return params, nil
}

// validate checks params against the current Bot API and notes those that
// Bot API 5.5 lacks. Missing or mistyped parameters are answered with 400,
// as Telegram does; unknown ones are ignored by Telegram but recorded.
func (s *Server) validate(method string, params map[string]any) *reply {
	if s.current == nil {
		return nil
	}
	m, ok := s.current.Methods[method]
	if !ok {
		s.violate("%s: no such method in the Bot API", method)
		rep := fail(404, "Not Found")
		return &rep
	}
	old, hasOld := s.v55.Methods[method]
	for name, v := range params {
		f, ok := m.field(name)
		if !ok {
			s.violate("%s: unknown parameter %s", method, name)
			continue
		}
		if hasOld {
			if _, ok := old.field(name); !ok {
				s.mu.Lock()
				s.newer[method+"."+name] = true
				s.mu.Unlock()
			}
		}
		if err := s.current.checkParam(f.Types, v); err != nil {
			s.violate("%s: parameter %s: %v", method, name, err)
			rep := fail(400, fmt.Sprintf("Bad Request: can't parse %s: %v", name, err))
			return &rep
		}
	}
	for _, f := range m.Fields {
		if _, ok := params[f.Name]; f.Required && !ok {
			s.violate("%s: missing required parameter %s", method, f.Name)
			rep := fail(400, "Bad Request: "+f.Name+" is empty")
			return &rep
		}
	}
	return nil
}

// str returns a parameter as text: a form string or a JSON scalar.
func str(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case formValue:
		return string(x)
	case string:
		return x
	case json.Number:
		return string(x)
	case bool:
		return strconv.FormatBool(x)
	default:
		b, _ := json.Marshal(x)
		return string(b)
	}
}

// object decodes a parameter that holds a JSON object or array.
func object(v any, into any) error {
	var b []byte
	switch x := v.(type) {
	case formValue:
		b = []byte(x)
	default:
		var err error
		if b, err = json.Marshal(x); err != nil {
			return err
		}
	}
	return json.Unmarshal(b, into)
}

func (s *Server) getUpdates(ctx context.Context, params map[string]any) reply {
	offset, _ := strconv.Atoi(str(params["offset"]))
	limit, _ := strconv.Atoi(str(params["limit"]))
	if limit <= 0 || limit > 100 {
		limit = 100
	}
	timeout, _ := strconv.Atoi(str(params["timeout"]))
	hold := min(time.Duration(timeout)*time.Second, s.opts.MaxPollTimeout)

	s.mu.Lock()
	if s.webhookURL != "" {
		s.mu.Unlock()
		s.violate("getUpdates: called while a webhook is set")
		return fail(409, "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first")
	}
	if s.polling {
		s.mu.Unlock()
		s.violate("getUpdates: two concurrent polls")
		return fail(409, "Conflict: terminated by other getUpdates request; make sure that only one bot instance is running")
	}
	s.polling = true
	defer func() {
		s.mu.Lock()
		s.polling = false
		s.mu.Unlock()
	}()
	if offset > 0 { // confirm everything before offset
		s.updates = slices.DeleteFunc(s.updates, func(u Update) bool { return u.UpdateID < offset })
	}
	s.mu.Unlock()

	timer := time.NewTimer(hold)
	defer timer.Stop()
	for {
		s.mu.Lock()
		var out []Update
		for _, u := range s.updates {
			if u.UpdateID >= offset && len(out) < limit {
				out = append(out, u)
			}
		}
		wait := s.updateCh
		s.mu.Unlock()
		if len(out) > 0 {
			return ok(out)
		}
		select {
		case <-wait:
		case <-timer.C:
			return ok([]Update{})
		case <-ctx.Done():
			return ok([]Update{})
		case <-s.closing:
			return ok([]Update{})
		}
	}
}

func chatKind(id string) string {
	n, err := strconv.ParseInt(id, 10, 64)
	switch {
	case err != nil:
		return "channel" // @username
	case n > 0:
		return "private"
	case n <= -1000000000000:
		return "supergroup"
	default:
		return "group"
	}
}

func (s *Server) sendMessage(params map[string]any) reply {
	chat := str(params["chat_id"])
	text := str(params["text"])
	mode := str(params["parse_mode"])
	thread, _ := strconv.Atoi(str(params["message_thread_id"]))
	plain := text
	if strings.EqualFold(mode, "HTML") {
		p, _, err := ParseHTML(text)
		if err != nil {
			s.violate("sendMessage to %s: %v", chat, err)
			return fail(400, err.Error())
		}
		plain = p
	} else if mode != "" {
		s.violate("sendMessage to %s: parse mode %q is not checked by the fake", chat, mode)
	}
	switch n := UTF16Len(strings.TrimSpace(plain)); {
	case n == 0:
		s.violate("sendMessage to %s: empty text", chat)
		return fail(400, "Bad Request: message text is empty")
	case n > 4096:
		s.violate("sendMessage to %s: text of %d UTF-16 units after entity parsing", chat, n)
		return fail(400, "Bad Request: message is too long")
	}
	if lp, ok := params["link_preview_options"]; ok {
		var o struct {
			IsDisabled bool   `json:"is_disabled"`
			URL        string `json:"url"`
		}
		if err := object(lp, &o); err == nil && o.IsDisabled && o.URL != "" {
			s.violate("sendMessage to %s: link preview both disabled and given a URL", chat)
		}
	}

	s.mu.Lock()
	defer s.mu.Unlock()
	now := time.Now()
	if wait := s.floodWait(chat, now); wait > 0 {
		s.rateLimited++
		secs := int((wait + time.Second - 1) / time.Second)
		return reply{ErrorCode: 429, Description: fmt.Sprintf("Too Many Requests: retry after %d", secs),
			Parameters: &responseParams{RetryAfter: secs}}
	}
	s.sendTimes = append(s.sendTimes, now)
	s.chatLast[chat] = now
	if strings.HasPrefix(chat, "-") {
		s.groupTimes[chat] = append(s.groupTimes[chat], now)
	}
	s.nextMsgID++
	sm := SentMessage{MessageID: s.nextMsgID, ChatID: chat, ThreadID: thread, Text: text, Plain: plain, ParseMode: mode, At: now}
	if lp, ok := params["link_preview_options"]; ok {
		sm.LinkPreview = json.RawMessage(str(lp))
	}
	s.delivered[chat] = append(s.delivered[chat], sm)
	id, _ := strconv.ParseInt(chat, 10, 64)
	return ok(Message{MessageID: sm.MessageID, MessageThreadID: thread, Date: now.Unix(),
		Chat: Chat{ID: id, Type: chatKind(chat)}, Text: plain})
}

// floodWait says how long a message to chat must wait under the flood
// limits, 0 if it may go now. s.mu is held.
func (s *Server) floodWait(chat string, now time.Time) time.Duration {
	var wait time.Duration
	if n := s.opts.GlobalPerSecond; n > 0 {
		s.sendTimes = slices.DeleteFunc(s.sendTimes, func(t time.Time) bool { return now.Sub(t) >= time.Second })
		if len(s.sendTimes) >= n {
			wait = max(wait, s.sendTimes[len(s.sendTimes)-n].Add(time.Second).Sub(now))
		}
	}
	if iv := s.opts.PerChatInterval; iv > 0 {
		if last, ok := s.chatLast[chat]; ok && now.Sub(last) < iv {
			wait = max(wait, last.Add(iv).Sub(now))
		}
	}
	if n := s.opts.GroupPerMinute; n > 0 && strings.HasPrefix(chat, "-") {
		times := slices.DeleteFunc(s.groupTimes[chat], func(t time.Time) bool { return now.Sub(t) >= time.Minute })
		s.groupTimes[chat] = times
		if len(times) >= n {
			wait = max(wait, times[len(times)-n].Add(time.Minute).Sub(now))
		}
	}
	return wait
}

func (s *Server) setMyCommands(params map[string]any) reply {
	var cmds []BotCommand
	if err := object(params["commands"], &cmds); err != nil {
		s.violate("setMyCommands: commands: %v", err)
		return fail(400, "Bad Request: can't parse commands JSON object")
	}
	if len(cmds) > 100 {
		s.violate("setMyCommands: %d commands, at most 100", len(cmds))
		return fail(400, "Bad Request: too many commands")
	}
	seen := map[string]bool{}
	for _, c := range cmds {
		if !validCommand(c.Command) || seen[c.Command] {
			s.violate("setMyCommands: invalid or repeated command name %q", c.Command)
			return fail(400, "Bad Request: BOT_COMMAND_INVALID")
		}
		seen[c.Command] = true
		if n := UTF16Len(c.Description); n < 1 || n > 256 {
			s.violate("setMyCommands: description of %q has %d characters, want 1-256", c.Command, n)
			return fail(400, "Bad Request: command description is invalid")
		}
		if n := UTF16Len(c.Description); n < 3 {
			s.violate("setMyCommands: description of %q has %d characters; Bot API 5.5 wants 3-256", c.Command, n)
		}
	}
	s.mu.Lock()
	s.commands = cmds
	s.mu.Unlock()
	return ok(true)
}

func validCommand(c string) bool {
	if len(c) < 1 || len(c) > 32 {
		return false
	}
	for _, r := range c {
		if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '_') {
			return false
		}
	}
	return true
}

func (s *Server) getChatMember(params map[string]any) reply {
	chat, user := str(params["chat_id"]), str(params["user_id"])
	uid, _ := strconv.ParseInt(user, 10, 64)
	s.mu.Lock()
	status, ok2 := s.members[chat+"/"+user]
	s.mu.Unlock()
	if !ok2 {
		status = "member"
	}
	m := map[string]any{"status": status, "user": User{ID: uid, FirstName: "User"}}
	switch status {
	case "creator":
		m["is_anonymous"] = false
	case "administrator":
		m["can_be_edited"] = false
	}
	return ok(m)
}

func (s *Server) setWebhook(params map[string]any) reply {
	u := str(params["url"])
	secret := str(params["secret_token"])
	if secret != "" && !validSecret(secret) {
		s.violate("setWebhook: secret_token %d characters or bad characters", len(secret))
		return fail(400, "Bad Request: secret token contains unallowed characters")
	}
	if u != "" && !strings.HasPrefix(u, "https://") && !strings.HasPrefix(u, "http://127.0.0.1") {
		s.violate("setWebhook: url must be https")
		return fail(400, "Bad Request: bad webhook: An HTTPS URL must be provided for webhook")
	}
	s.mu.Lock()
	s.webhookURL, s.webhookSec = u, secret
	if u != "" && str(params["drop_pending_updates"]) == "true" {
		s.updates = nil
	}
	s.mu.Unlock()
	return ok(true)
}

func validSecret(t string) bool {
	if len(t) < 1 || len(t) > 256 {
		return false
	}
	for _, r := range t {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '_' || r == '-') {
			return false
		}
	}
	return true
}
