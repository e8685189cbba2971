package fakediscord

import (
	"net/http"
	"strings"
	"time"
)

// Fault is an answer the fake gives instead of serving a request.
type Fault struct {
	Status     int    // HTTP status
	Code       int    // Discord error code in the body
	Message    string // Discord error message in the body
	RetryAfter time.Duration
	Global     bool // a global 429
	Hang       bool // hold the request until the client gives up or the server closes
	// LoseResponse serves the request (a message is posted) but drops the
	// connection instead of answering: the client cannot tell whether it
	// worked, which is what a nonce is for.
	LoseResponse bool
}

// RateLimit is a 429 with retry_after (global or per route).
func RateLimit(retryAfter time.Duration, global bool) Fault {
	return Fault{Status: http.StatusTooManyRequests, RetryAfter: retryAfter, Global: global}
}

// ServerError is a 5xx without a Discord error body.
func ServerError(status int) Fault { return Fault{Status: status} }

// Hang holds the request without answering (a timeout for the client).
func Hang() Fault { return Fault{Hang: true} }

// LoseResponse serves the request, then drops the connection unanswered.
func LoseResponse() Fault { return Fault{LoseResponse: true} }

// Forbidden is 403 50013 Missing Permissions.
func Forbidden() Fault {
	return Fault{Status: http.StatusForbidden, Code: 50013, Message: "Missing Permissions"}
}

// NotFound is 404 10003 Unknown Channel.
func NotFound() Fault {
	return Fault{Status: http.StatusNotFound, Code: 10003, Message: "Unknown Channel"}
}

type faultRule struct {
	method string
	segs   []string // "*" matches one segment
	left   int
	f      Fault
}

// Fail makes the next n requests matching pattern answer with f. A pattern
// is a method and a path after /api/v9 in which * matches one segment:
// "POST /channels/*/messages", "POST /channels/42/messages", "* /users/@me".
func (s *Server) Fail(pattern string, n int, f Fault) {
	method, path, _ := strings.Cut(pattern, " ")
	s.mu.Lock()
	s.faults = append(s.faults, &faultRule{method: method, segs: strings.Split(strings.Trim(path, "/"), "/"), left: n, f: f})
	s.mu.Unlock()
}

// takeFault returns the fault for a request, if a rule matches and has
// answers left.
func (s *Server) takeFault(method string, segs []string) (Fault, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, r := range s.faults {
		if r.left <= 0 || (r.method != "*" && r.method != method) || len(r.segs) != len(segs) {
			continue
		}
		match := true
		for i, sg := range r.segs {
			if sg != "*" && sg != segs[i] {
				match = false
				break
			}
		}
		if match {
			r.left--
			return r.f, true
		}
	}
	return Fault{}, false
}

// answer writes a fault.
func (s *Server) answer(w http.ResponseWriter, r *http.Request, f Fault) {
	if f.Hang {
		select {
		case <-r.Context().Done():
		case <-s.closed:
		}
		return
	}
	switch {
	case f.Status == http.StatusTooManyRequests:
		scope := "user"
		if f.Global {
			scope = "global"
		}
		writeRateLimited(w, f.RetryAfter, f.Global, scope)
	case f.Code != 0:
		writeError(w, f.Status, f.Code, f.Message)
	default:
		w.WriteHeader(f.Status)
		_, _ = w.Write([]byte(http.StatusText(f.Status)))
	}
}
