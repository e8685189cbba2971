// Package faketelegram is a fake Telegram Bot API on 127.0.0.1 for tests:
// it answers the methods the bot uses, checks every request against the
// Bot API description (the part of ../shared/specs it needs, in specs/) and Telegram's text and HTML
// rules, enforces Telegram's flood limits with 429 and retry_after, injects
// faults on demand, and records every message it delivered.
package faketelegram

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"sort"
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
	// (default: the trimmed copies built into the fake). Without them
	// parameters are not checked against the spec; SpecsLoaded reports it.
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
	forums      map[string]map[int]topicState
	badPhotos   map[string]bool        // photo URLs Telegram "cannot fetch"
	queries     map[string]*queryState // callback queries by ID
	stored      map[string]storedFile  // files users sent, by file_id
	fileGets    int
	fileBytes   int64
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
	// Photo is the photo URL of a sendPhoto; Text is then its caption.
	Photo string
	// ReplyMarkup is the message's inline keyboard as last sent (nil:
	// none, or removed by an edit).
	ReplyMarkup *InlineKeyboard
	// Document is the file of a sendDocument.
	Document *File
	// Edits counts the edits of the message (editMessageText/Caption).
	Edits int
	At    time.Time
}

// New starts a fake Bot API on 127.0.0.1.
func New(opts Options) *Server {
	if opts.Token == "" {
		opts.Token = "123456:TEST-fake-token"
	}
	if opts.BotUsername == "" {
		opts.BotUsername = "newsdigest_bot"
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
		queries:    map[string]*queryState{},
		stored:     map[string]storedFile{},
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
	if strings.HasPrefix(r.URL.Path, "/file/bot") {
		s.serveFile(w, r)
		return
	}
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
	params, files, err := readParams(r)
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
	case "sendPhoto":
		rep = s.sendPhoto(params)
	case "sendDocument":
		rep = s.sendDocument(params, files)
	case "answerCallbackQuery":
		rep = s.answerCallbackQuery(params)
	case "editMessageText", "editMessageCaption", "editMessageReplyMarkup":
		rep = s.editMessage(method, params)
	case "getFile":
		rep = s.getFile(params)
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
