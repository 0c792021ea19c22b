package httpserve

import (
	"fmt"
	"log/slog"
	"net/http"
	"sync"

	"github.com/mark3labs/mcp-go/mcp"
	"github.com/mark3labs/mcp-go/server"

	"github.com/partnerstack-mcp/partnerstack-mcp/credentials"
	"github.com/partnerstack-mcp/partnerstack-mcp/internal/jsonrpc"
)

// calls is the table of requests in flight per session, with the caller
// scope (credentials.Scope) each was sent with. It bounds the requests of a
// session, and it is what ties a cancellation to its sender.
//
// mcp-go keys a running request by session id and request id, and honours
// any notifications/cancelled that names that pair. Where there is no
// session id (--stateless, and protocol 2026-07-28 clients in either mode)
// every caller shares one key space of small integer ids, so a cancel from
// anyone would stop whichever call has that id. So a cancel is passed on
// only when it names a request of its own session, sent from its own
// credentials scope; every other one is dropped (answered 202 like any
// notification). Without a session, a caller stops its call by closing the
// request, which cancels it through the request's context.
type calls struct {
	max      int
	logger   *slog.Logger
	mu       sync.Mutex
	sessions map[string]map[string]string // session id -> request id key -> scope
	// lazy: a session's entry comes with its first request (streamable
	// HTTP); otherwise open and close bracket it (an SSE stream).
	lazy bool
}

func newCalls(max int, lazy bool, logger *slog.Logger) *calls {
	return &calls{max: max, logger: logger, lazy: lazy, sessions: map[string]map[string]string{}}
}

type startResult int

const (
	started        startResult = iota
	sessionFull                // max requests in flight already
	idInUse                    // a request with this id is still in flight
	unknownSession             // not open (SSE): mcp-go answers it
)

func (c *calls) open(session string) {
	c.mu.Lock()
	c.sessions[session] = map[string]string{}
	c.mu.Unlock()
}

// close forgets a session and every request it had in flight.
func (c *calls) close(session string) {
	c.mu.Lock()
	delete(c.sessions, session)
	c.mu.Unlock()
}

func (c *calls) start(session, id, scope string) startResult {
	c.mu.Lock()
	defer c.mu.Unlock()
	s, ok := c.sessions[session]
	switch {
	case !ok && !c.lazy:
		return unknownSession
	case !ok:
		s = map[string]string{}
		c.sessions[session] = s
	}
	if _, dup := s[id]; dup {
		// MCP: an id is never reused within a session. Refusing it also
		// keeps one id to one caller in mcp-go's table of running calls.
		return idInUse
	}
	if len(s) >= c.max {
		return sessionFull
	}
	s[id] = scope
	return started
}

// end forgets one request, once it is answered.
func (c *calls) end(session, id string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if s, ok := c.sessions[session]; ok {
		delete(s, id)
		if c.lazy && len(s) == 0 {
			delete(c.sessions, session)
		}
	}
}

// owns reports whether session has request id in flight, sent from scope.
func (c *calls) owns(session, id, scope string) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	got, ok := c.sessions[session][id]
	return ok && got == scope
}

// admit is the intake of one POSTed message of session ("" when it has
// none): an id of a type JSON-RPC does not allow gets -32600, a cancellation
// passes only to its sender's own request, and a request takes a place in
// its session. It reports whether next may serve the message; if so, and
// key is not "", the caller must end(session, key) once it is answered.
func (c *calls) admit(w http.ResponseWriter, r *http.Request, m jsonrpc.Message, parsed bool, session string) (key string, ok bool) {
	switch {
	case !parsed:
		return "", true // not JSON: mcp-go answers the parse error
	case m.BadID():
		writeRPC(w, http.StatusBadRequest, jsonrpc.ErrInvalidID)
		return "", false
	case m.IsCancel():
		if session == "" || len(m.CancelID) == 0 || !c.owns(session, jsonrpc.Key(m.CancelID), credentials.Scope(r.Context())) {
			c.logger.Debug("cancellation dropped: it names no call of its sender", "session", session != "")
			w.WriteHeader(http.StatusAccepted)
			return "", false
		}
		return "", true
	case !m.IsRequest() || session == "":
		return "", true
	}
	key = jsonrpc.Key(m.ID)
	switch c.start(session, key, credentials.Scope(r.Context())) {
	case sessionFull:
		w.Header().Set("Retry-After", "1")
		http.Error(w, fmt.Sprintf("too many requests in flight in this session (at most %d): wait for answers before sending more", c.max), http.StatusTooManyRequests)
		return "", false
	case idInUse:
		writeRPC(w, http.StatusBadRequest, jsonrpc.Error(m.ID, -32600, "Invalid Request: this id is already used by a request in flight in this session"))
		return "", false
	case unknownSession:
		return "", true
	}
	return key, true
}

// streamable is the intake of streamable HTTP. A request's place is held
// until its POST is answered. Only a legacy request with a session id has a
// session: under --stateless, and for protocol 2026-07-28 messages (by
// header or _meta, as mcp-go tells them), mcp-go ignores the session id.
func (c *calls) streamable(next http.Handler, stateless bool) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost {
			next.ServeHTTP(w, r)
			return
		}
		m, parsed := jsonrpc.Peek(bodyOf(r))
		session := r.Header.Get(server.HeaderKeySessionID)
		if stateless || jsonrpc.Modern(r.Header.Get(mcp.HeaderProtocolVersion)) || jsonrpc.Modern(m.ProtocolVersion) {
			session = ""
		}
		key, ok := c.admit(w, r, m, parsed, session)
		if !ok {
			return
		}
		if key != "" {
			defer c.end(session, key)
		}
		next.ServeHTTP(w, r)
	})
}

func writeRPC(w http.ResponseWriter, status int, body []byte) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	w.Write(append(body, '\n'))
}
