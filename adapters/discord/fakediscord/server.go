// Package fakediscord is a fake Discord on 127.0.0.1 for tests: the REST
// routes a bot uses (gateway URL, current user, command bulk overwrite,
// channel messages with nonce deduplication, interaction callbacks and
// webhook edits and follow-ups) and the gateway (hello, identify, ready,
// heartbeats, INTERACTION_CREATE dispatches, op 7 reconnect and resume).
//
// It records every message per channel, checks every payload against
// Discord's limits and its published OpenAPI schemas, enforces a global
// request rate (a strict sliding second: never more than the rate in any
// second, no burst) and per-route buckets (channel messages 5 per 5 s per
// channel, more with WithRouteLimit) with X-RateLimit-* headers, answering
// 429 beyond them, and injects faults on demand. Tests assert
// Violations() is empty.
//
//	srv := fakediscord.New(t)                      // closed by t.Cleanup
//	bot, _ := discord.New(discord.Config{Token: fakediscord.Token, APIURL: srv.APIURL()}, h, log)
//	srv.Fail("POST /channels/*/messages", 3, fakediscord.RateLimit(time.Second, false))
//	in, _ := srv.SendInteraction(fakediscord.CommandInteraction{Name: "trending", GuildID: "1", ChannelID: "2", UserID: "3"})
//	got, _ := srv.WaitInteraction(ctx, in.ID, func(i fakediscord.Interaction) bool { return i.Callback != nil })
//	msgs := srv.Messages("2")                      // what a channel received, in order
//
// Payloads are checked against the part of Discord's OpenAPI document
// (shared/specs/discord-openapi.json) built into the fake, specs/ (WithSpec
// to name another), and against Discord's limits.
package fakediscord

import (
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"
)

// Identity of the fake bot.
const (
	AppID     = "900000000000000001"
	BotUserID = AppID // the bot user of a modern application has the app's ID
	BotName   = "newsdigest-test"
	Token     = "test-token" // the token the fake accepts unless WithToken
)

// Option configures a Server.
type Option func(*Server)

// WithRate sets the global limit: requests in any sliding second, counted
// strictly (no burst beyond it); 0 turns it off. Default 50, Discord's.
func WithRate(perSecond int) Option { return func(s *Server) { s.rate = perSecond } }

// WithChannelRate sets the per-channel message limit (n per window, a
// strict sliding window, with X-RateLimit-* headers); n 0 turns it off.
// Default 5 per 5 s, the common limit of channel messages.
func WithChannelRate(n int, window time.Duration) Option {
	return func(s *Server) { s.chanN, s.chanWindow = n, window }
}

// WithToken sets the bot token the fake accepts (without "Bot ").
func WithToken(tok string) Option { return func(s *Server) { s.token = tok } }

// WithSpec loads the OpenAPI document from path instead of the trimmed
// copy built into the fake (EmbeddedSpec).
func WithSpec(path string) Option { return func(s *Server) { s.specPath = path } }

// WithHeartbeat sets the heartbeat interval announced in Hello.
func WithHeartbeat(d time.Duration) Option { return func(s *Server) { s.heartbeat = d } }

// WithInteractionDeadline sets how long an interaction may wait for its
// first answer (Discord: 3 s).
func WithInteractionDeadline(d time.Duration) Option { return func(s *Server) { s.deadline = d } }

// WithLogger logs requests and gateway traffic at debug level.
func WithLogger(l *slog.Logger) Option { return func(s *Server) { s.log = l } }

// Server is a running fake Discord.
type Server struct {
	URL string // http://127.0.0.1:PORT
	srv *httptest.Server

	rate, chanN         int
	chanWindow          time.Duration
	token, specPath     string
	heartbeat, deadline time.Duration
	nonceWindow         time.Duration
	log                 *slog.Logger
	spec                *Spec
	closed              chan struct{}
	closeOnce           sync.Once

	mu           sync.Mutex
	nextID       int64
	global       window             // admitted requests, last second
	granted      []time.Time        // every admitted request (GlobalPeak)
	routeLimits  []RouteLimit       // per-route limits, first match applies
	routes       map[string]*window // per-route buckets by key
	routeLimited int
	messages     map[string][]Message
	nonces       map[string]nonceEntry // channel + "\x00" + nonce
	gone         map[string]Fault      // channel -> permanent answer
	faults       []*faultRule
	violations   []string
	rateLimited  int // 429s from the limits (not injected)
	dedups       int
	requests     map[string]int // route -> count
	commands     map[string][]json.RawMessage
	interactions map[string]*Interaction // by ID
	byToken      map[string]*Interaction
	uploads      map[string][]byte // attachment path -> bytes
	attGets      int
	attBytes     int64
	chans        map[string]*channelInfo // channels set up by tests, and threads

	gw gateway
}

// New starts a fake Discord on 127.0.0.1. With a non-nil tb it is closed at
// the end of the test and the schema being unavailable is logged there;
// with nil the caller closes it.
func New(tb testing.TB, opts ...Option) *Server {
	s := &Server{
		rate: 50, chanN: 5, chanWindow: 5 * time.Second,
		token: Token, heartbeat: 41250 * time.Millisecond, deadline: 3 * time.Second,
		nonceWindow:  5 * time.Minute,
		log:          slog.New(slog.DiscardHandler),
		closed:       make(chan struct{}),
		nextID:       1300000000000000000,
		routes:       map[string]*window{},
		messages:     map[string][]Message{},
		nonces:       map[string]nonceEntry{},
		gone:         map[string]Fault{},
		requests:     map[string]int{},
		commands:     map[string][]json.RawMessage{},
		interactions: map[string]*Interaction{},
		byToken:      map[string]*Interaction{},
		uploads:      map[string][]byte{},
	}
	for _, o := range opts {
		o(s)
	}
	s.global = window{n: s.rate, d: time.Second}
	// The channel message limit comes first, before limits of WithRouteLimit.
	s.routeLimits = append([]RouteLimit{{Pattern: "POST /channels/*/messages", N: s.chanN, Window: s.chanWindow}}, s.routeLimits...)
	load := EmbeddedSpec
	if s.specPath != "" {
		load = func() (*Spec, error) { return LoadSpec(s.specPath) }
	}
	spec, err := load()
	if err != nil {
		s.violations = append(s.violations, err.Error())
	}
	s.spec = spec
	s.gw.init(s)
	s.srv = httptest.NewServer(http.HandlerFunc(s.serve))
	s.URL = s.srv.URL
	if tb != nil {
		tb.Cleanup(s.Close)
	}
	return s
}

// APIURL is the REST base to configure a bot with (.../api/v9).
func (s *Server) APIURL() string { return s.URL + "/api/v9" }

// SchemaChecked reports whether payloads are checked against the OpenAPI spec.
func (s *Server) SchemaChecked() bool { return s.spec != nil }

// Close stops the server, releasing hung requests and gateway connections.
func (s *Server) Close() {
	s.closeOnce.Do(func() {
		close(s.closed)
		s.gw.closeAll()
		s.srv.CloseClientConnections()
		s.srv.Close()
	})
}

// Message is one message the fake accepted in a channel.
type Message struct {
	ID        string
	ChannelID string
	Nonce     string
	Content   string
	Embeds    []*discordgo.MessageEmbed
	Flags     int
	Body      json.RawMessage // the request body as sent
	At        time.Time
}

type nonceEntry struct {
	msg Message
	at  time.Time
}

// Messages returns the messages posted to a channel, in order.
func (s *Server) Messages(channelID string) []Message {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Message(nil), s.messages[channelID]...)
}

// Channels returns the channels that received messages, sorted.
func (s *Server) Channels() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]string, 0, len(s.messages))
	for c := range s.messages {
		out = append(out, c)
	}
	sort.Strings(out)
	return out
}

// MessageCount is the number of messages accepted in all channels.
func (s *Server) MessageCount() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for _, m := range s.messages {
		n += len(m)
	}
	return n
}

// Violations lists every payload or protocol problem seen (a test asserts
// it is empty).
func (s *Server) Violations() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.violations...)
}

// RateLimited counts the 429s the fake's own limits answered (global or per
// channel), not the injected ones.
func (s *Server) RateLimited() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.rateLimited
}

// Deduplicated counts message posts answered with an earlier message
// because of a repeated nonce.
func (s *Server) Deduplicated() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.dedups
}

// Requests counts requests by route, e.g. "POST /channels/{id}/messages".
func (s *Server) Requests(route string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.requests[route]
}

// Commands returns the last command set registered globally (guildID "")
// or for a guild, as sent.
func (s *Server) Commands(guildID string) []json.RawMessage {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]json.RawMessage(nil), s.commands[guildID]...)
}

// DeleteChannel makes every later post to the channel answer 404 10003.
func (s *Server) DeleteChannel(id string) { s.setGone(id, NotFound()) }

// RevokeAccess makes every later post to the channel answer 403 50001.
func (s *Server) RevokeAccess(id string) {
	s.setGone(id, Fault{Status: http.StatusForbidden, Code: 50001, Message: "Missing Access"})
}

func (s *Server) setGone(id string, f Fault) {
	s.mu.Lock()
	s.gone[id] = f
	s.mu.Unlock()
}

func (s *Server) violate(format string, args ...any) {
	s.mu.Lock()
	s.violations = append(s.violations, fmt.Sprintf(format, args...))
	s.mu.Unlock()
}

func (s *Server) newID() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.nextID++
	return strconv.FormatInt(s.nextID, 10)
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

func writeError(w http.ResponseWriter, status, code int, msg string) {
	writeJSON(w, status, map[string]any{"code": code, "message": msg})
}

func writeRateLimited(w http.ResponseWriter, retry time.Duration, global bool, scope string) {
	secs := retry.Seconds()
	w.Header().Set("Retry-After", strconv.Itoa(int(secs+0.999)))
	w.Header().Set("X-RateLimit-Scope", scope)
	if global {
		w.Header().Set("X-RateLimit-Global", "true")
	} else {
		w.Header().Set("X-RateLimit-Remaining", "0")
		w.Header().Set("X-RateLimit-Reset-After", strconv.FormatFloat(secs, 'f', 3, 64))
	}
	writeJSON(w, http.StatusTooManyRequests, map[string]any{"message": "You are being rate limited.", "retry_after": secs, "global": global})
}

// routeOf names a request's route with IDs abstracted, and returns the
// path segments after /api/v9.
func routeOf(r *http.Request) (string, []string) {
	p := strings.TrimPrefix(r.URL.Path, "/api/v9")
	p = strings.TrimPrefix(p, "/api/v10")
	segs := strings.Split(strings.Trim(p, "/"), "/")
	abstract := make([]string, len(segs))
	for i, sg := range segs {
		abstract[i] = sg
		switch {
		case i > 0 && (segs[i-1] == "channels" || segs[i-1] == "applications" || segs[i-1] == "guilds" || segs[i-1] == "interactions" || segs[i-1] == "webhooks"):
			abstract[i] = "{id}"
		case i > 1 && (segs[i-2] == "interactions" || segs[i-2] == "webhooks"):
			abstract[i] = "{token}"
		}
	}
	if len(segs) == 2 && segs[0] == "users" {
		abstract[1] = segs[1]
	}
	return r.Method + " /" + strings.Join(abstract, "/"), segs
}
