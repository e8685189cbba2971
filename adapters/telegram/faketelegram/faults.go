package faketelegram

import (
	"context"
	"fmt"
	"time"
)

// FaultKind is an error the fake answers on demand.
type FaultKind int

const (
	// RateLimit answers 429 with parameters.retry_after.
	RateLimit FaultKind = iota + 1
	// Blocked answers 403 "bot was blocked by the user".
	Blocked
	// Kicked answers 403 "bot was kicked from the group chat".
	Kicked
	// ChatNotFound answers 400 "chat not found".
	ChatNotFound
	// Migrated answers 400 with parameters.migrate_to_chat_id.
	Migrated
	// ServerError answers 500 (Telegram's "Internal Server Error") or 502.
	ServerError
	// Hang holds the request until the client gives up (or Fault.Hang
	// passes, then answers 502).
	Hang
)

// Fault makes the next Count calls of Method (all methods if "") for
// ChatID (all chats if "") fail; Count < 0 means until cleared.
type Fault struct {
	Method     string
	ChatID     string
	Count      int
	Kind       FaultKind
	RetryAfter int   // seconds, for RateLimit (default 1)
	MigrateTo  int64 // for Migrated
	Hang       time.Duration
	Code       int // for ServerError: 500 (default), 502, 503, 504
}

// InjectFault adds a fault; faults match in the order added.
func (s *Server) InjectFault(f Fault) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults = append(s.faults, &f)
}

// ClearFaults removes all faults.
func (s *Server) ClearFaults() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults = nil
}

// FaultsLeft counts the calls the faults will still fail (-1: unlimited).
func (s *Server) FaultsLeft() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for _, f := range s.faults {
		if f.Count < 0 {
			return -1
		}
		n += f.Count
	}
	return n
}

// takeFault returns the answer of the first matching fault, or hang=true
// with no answer when the request was held until the client gave up.
func (s *Server) takeFault(ctx context.Context, method string, params map[string]any) (*reply, bool) {
	chat := str(params["chat_id"])
	s.mu.Lock()
	var hit *Fault
	for _, f := range s.faults {
		if f.Count == 0 || (f.Method != "" && f.Method != method) || (f.ChatID != "" && f.ChatID != chat) {
			continue
		}
		if f.Count > 0 {
			f.Count--
		}
		hit = f
		break
	}
	s.mu.Unlock()
	if hit == nil {
		return nil, false
	}
	var rep reply
	switch hit.Kind {
	case RateLimit:
		ra := hit.RetryAfter
		if ra <= 0 {
			ra = 1
		}
		rep = reply{ErrorCode: 429, Description: fmt.Sprintf("Too Many Requests: retry after %d", ra), Parameters: &responseParams{RetryAfter: ra}}
	case Blocked:
		rep = fail(403, "Forbidden: bot was blocked by the user")
	case Kicked:
		rep = fail(403, "Forbidden: bot was kicked from the group chat")
	case ChatNotFound:
		rep = fail(400, "Bad Request: chat not found")
	case Migrated:
		rep = reply{ErrorCode: 400, Description: "Bad Request: group chat was upgraded to a supergroup chat", Parameters: &responseParams{MigrateToChatID: hit.MigrateTo}}
	case ServerError:
		code := hit.Code
		if code == 0 {
			code = 500
		}
		rep = fail(code, "Internal Server Error")
	case Hang:
		var timeout <-chan time.Time
		if hit.Hang > 0 {
			t := time.NewTimer(hit.Hang)
			defer t.Stop()
			timeout = t.C
		}
		select {
		case <-ctx.Done():
			return nil, true
		case <-s.closing:
			return nil, true
		case <-timeout:
			rep = fail(502, "Bad Gateway")
		}
	default:
		return nil, false
	}
	return &rep, false
}
