package fakediscord

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/gorilla/websocket"
)

// Privileged gateway intents: a bot that does not need them must not ask.
const privilegedIntents = 1<<1 | 1<<8 | 1<<15 // GUILD_MEMBERS, GUILD_PRESENCES, MESSAGE_CONTENT

type gateway struct {
	s        *Server
	upgrader websocket.Upgrader

	mu         sync.Mutex
	sessions   map[string]*gwSession
	conns      map[*gwConn]bool
	identifies int
	resumes    int
	intents    int
}

type gwSession struct {
	id      string
	seq     int64
	shard   [2]int
	conn    *gwConn
	backlog [][]byte // dispatched frames, for replay on resume
}

type gwConn struct {
	ws  *websocket.Conn
	wmu sync.Mutex
}

func (c *gwConn) write(v any) error {
	c.wmu.Lock()
	defer c.wmu.Unlock()
	_ = c.ws.SetWriteDeadline(time.Now().Add(5 * time.Second))
	switch b := v.(type) {
	case []byte:
		return c.ws.WriteMessage(websocket.TextMessage, b)
	default:
		return c.ws.WriteJSON(v)
	}
}

func (c *gwConn) closeWith(code int, text string) {
	c.wmu.Lock()
	_ = c.ws.WriteControl(websocket.CloseMessage, websocket.FormatCloseMessage(code, text), time.Now().Add(time.Second))
	c.wmu.Unlock()
	_ = c.ws.Close()
}

func (g *gateway) init(s *Server) {
	g.s = s
	g.sessions = map[string]*gwSession{}
	g.conns = map[*gwConn]bool{}
}

func (g *gateway) closeAll() {
	g.mu.Lock()
	conns := make([]*gwConn, 0, len(g.conns))
	for c := range g.conns {
		conns = append(conns, c)
	}
	g.mu.Unlock()
	for _, c := range conns {
		c.closeWith(websocket.CloseGoingAway, "server closing")
	}
}

type gwFrame struct {
	Op int             `json:"op"`
	D  json.RawMessage `json:"d"`
	S  *int64          `json:"s,omitempty"`
	T  string          `json:"t,omitempty"`
}

func (g *gateway) serveWS(w http.ResponseWriter, r *http.Request) {
	ws, err := g.upgrader.Upgrade(w, r, nil)
	if err != nil {
		g.s.violate("gateway upgrade: %v", err)
		return
	}
	c := &gwConn{ws: ws}
	g.mu.Lock()
	g.conns[c] = true
	g.mu.Unlock()
	defer func() {
		g.mu.Lock()
		delete(g.conns, c)
		for _, sess := range g.sessions {
			if sess.conn == c {
				sess.conn = nil
			}
		}
		g.mu.Unlock()
		_ = ws.Close()
	}()
	hello := map[string]any{"op": 10, "d": map[string]any{"heartbeat_interval": g.s.heartbeat.Milliseconds()}}
	if c.write(hello) != nil {
		return
	}
	for {
		_, msg, err := ws.ReadMessage()
		if err != nil {
			return
		}
		var f gwFrame
		if err := json.Unmarshal(msg, &f); err != nil {
			g.s.violate("gateway: undecodable frame %q", msg)
			c.closeWith(4002, "Decode error")
			return
		}
		switch f.Op {
		case 1:
			if c.write(map[string]any{"op": 11}) != nil {
				return
			}
		case 2:
			if !g.identify(c, f.D, r.Host) {
				return
			}
		case 6:
			if !g.resume(c, f.D) {
				return
			}
		case 3, 4, 8:
			// presence, voice and member requests: accepted, ignored
		default:
			g.s.violate("gateway: unexpected op %d", f.Op)
			c.closeWith(4001, "Unknown opcode")
			return
		}
	}
}

func (g *gateway) identify(c *gwConn, d json.RawMessage, host string) bool {
	var id struct {
		Token   string  `json:"token"`
		Intents int     `json:"intents"`
		Shard   *[2]int `json:"shard"`
	}
	if err := json.Unmarshal(d, &id); err != nil {
		c.closeWith(4002, "Decode error")
		return false
	}
	if id.Token != "Bot "+g.s.token {
		c.closeWith(4004, "Authentication failed.")
		return false
	}
	if id.Intents&privilegedIntents != 0 {
		g.s.violate("gateway: identify asks for privileged intents %d", id.Intents&privilegedIntents)
		c.closeWith(4014, "Disallowed intent(s).")
		return false
	}
	sess := &gwSession{id: "fake-session-" + g.s.newID(), shard: [2]int{0, 1}, conn: c}
	if id.Shard != nil {
		sess.shard = *id.Shard
	}
	g.mu.Lock()
	g.sessions[sess.id] = sess
	g.identifies++
	g.intents = id.Intents
	sess.seq++
	seq := sess.seq
	g.mu.Unlock()
	ready := map[string]any{
		"v": 9, "user": botUser(), "session_id": sess.id, "guilds": []any{},
		"resume_gateway_url": "ws://" + host + "/ws", "shard": sess.shard,
		"application": map[string]any{"id": AppID, "flags": 0},
	}
	return c.write(map[string]any{"op": 0, "t": "READY", "s": seq, "d": ready}) == nil
}

func (g *gateway) resume(c *gwConn, d json.RawMessage) bool {
	var rs struct {
		Token     string `json:"token"`
		SessionID string `json:"session_id"`
		Seq       int64  `json:"seq"`
	}
	if err := json.Unmarshal(d, &rs); err != nil {
		c.closeWith(4002, "Decode error")
		return false
	}
	if rs.Token != "Bot "+g.s.token {
		c.closeWith(4004, "Authentication failed.")
		return false
	}
	g.mu.Lock()
	sess, ok := g.sessions[rs.SessionID]
	if !ok {
		g.mu.Unlock()
		return c.write(map[string]any{"op": 9, "d": false}) == nil
	}
	sess.conn = c
	g.resumes++
	var replay [][]byte
	for _, fr := range sess.backlog {
		var f gwFrame
		_ = json.Unmarshal(fr, &f)
		if f.S != nil && *f.S > rs.Seq {
			replay = append(replay, fr)
		}
	}
	sess.seq++
	seq := sess.seq
	g.mu.Unlock()
	for _, fr := range replay {
		if c.write(fr) != nil {
			return false
		}
	}
	return c.write(map[string]any{"op": 0, "t": "RESUMED", "s": seq, "d": map[string]any{}}) == nil
}

// session picks the session that gets a guild's events: the shard
// (guild_id >> 22) % shard_count, or the only session.
func (g *gateway) session(guildID string) *gwSession {
	var only *gwSession
	for _, sess := range g.sessions {
		// A session with a live connection wins over one whose client died
		// (a killed bot's, replaced by its restart's).
		if only == nil || (only.conn == nil && sess.conn != nil) {
			only = sess
		}
		if sess.shard[1] > 1 {
			id, _ := strconv.ParseUint(guildID, 10, 64)
			if int((id>>22)%uint64(sess.shard[1])) == sess.shard[0] {
				return sess
			}
		}
	}
	return only
}

func (g *gateway) dispatch(t string, d json.RawMessage, guildID string) error {
	g.mu.Lock()
	sess := g.session(guildID)
	if sess == nil {
		g.mu.Unlock()
		return errors.New("fakediscord: no gateway session (has the bot connected?)")
	}
	sess.seq++
	frame, _ := json.Marshal(gwFrame{Op: 0, T: t, S: &sess.seq, D: d})
	sess.backlog = append(sess.backlog, frame)
	if len(sess.backlog) > 1000 {
		sess.backlog = sess.backlog[1:]
	}
	c := sess.conn
	g.mu.Unlock()
	if c == nil {
		return nil // replayed on resume
	}
	// A connection closing under the write loses the frame only until the
	// client resumes: the backlog replays it, as Discord does.
	_ = c.write(frame)
	return nil
}

// Reconnect sends op 7 Reconnect to every connected session; the client
// should redial and resume.
func (s *Server) Reconnect() {
	g := &s.gw
	g.mu.Lock()
	var conns []*gwConn
	for _, sess := range g.sessions {
		if sess.conn != nil {
			conns = append(conns, sess.conn)
		}
	}
	g.mu.Unlock()
	for _, c := range conns {
		_ = c.write(map[string]any{"op": 7, "d": nil})
	}
}

// GatewayStats returns how many times clients identified and resumed, and
// the intents of the last identify.
func (s *Server) GatewayStats() (identifies, resumes, intents int) {
	s.gw.mu.Lock()
	defer s.gw.mu.Unlock()
	return s.gw.identifies, s.gw.resumes, s.gw.intents
}

// Connected reports whether a gateway session has a live connection.
func (s *Server) Connected() bool {
	s.gw.mu.Lock()
	defer s.gw.mu.Unlock()
	for _, sess := range s.gw.sessions {
		if sess.conn != nil {
			return true
		}
	}
	return false
}

// WaitGateway polls until cond holds for (identifies, resumes, connected)
// or ctx ends.
func (s *Server) WaitGateway(ctx context.Context, cond func(identifies, resumes int, connected bool) bool) error {
	t := time.NewTicker(5 * time.Millisecond)
	defer t.Stop()
	for {
		i, r, _ := s.GatewayStats()
		if cond(i, r, s.Connected()) {
			return nil
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("fakediscord: waiting for the gateway: %w", ctx.Err())
		case <-t.C:
		}
	}
}
