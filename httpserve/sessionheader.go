package httpserve

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"

	"github.com/mark3labs/mcp-go/mcp"
	"github.com/mark3labs/mcp-go/server"
)

// requireSessionHeader answers 400 to a stateful streamable HTTP request that
// carries no Mcp-Session-Id, other than initialize. The spec (2025-03-26 to
// 2025-11-25, "Session Management") asks servers that require a session for
// 400 there; mcp-go answers 404, which tells a client that its session
// ended, so it would start a new one instead of learning that it sent no id.
// An unknown or ended id keeps mcp-go's 404. Protocol 2026-07-28 has no
// sessions: a request naming it passes untouched.
func requireSessionHeader(next http.Handler, refuse refuseFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if (r.Method == http.MethodPost || r.Method == http.MethodDelete) &&
			r.Header.Get(server.HeaderKeySessionID) == "" &&
			!mcp.IsModernProtocol(r.Header.Get(mcp.HeaderProtocolVersion)) &&
			!mayStartSession(r) {
			refuse(w, r, http.StatusBadRequest, "missing "+server.HeaderKeySessionID+" header: send initialize first, then the session id it returns on every request")
			return
		}
		next.ServeHTTP(w, r)
	})
}

// mayStartSession reports whether a POST's body is an initialize request, or
// one mcp-go should judge itself (not a JSON-RPC object: it answers a parse
// error), and leaves the body readable. limitBody has already read and
// bounded it, so this reads memory.
func mayStartSession(r *http.Request) bool {
	if r.Method != http.MethodPost || r.Body == nil {
		return false
	}
	body, err := io.ReadAll(r.Body)
	r.Body = io.NopCloser(bytes.NewReader(body))
	if err != nil {
		return false
	}
	var msg struct {
		Method string `json:"method"`
	}
	if json.Unmarshal(body, &msg) != nil {
		return true // a parse error: mcp-go answers it as JSON-RPC
	}
	return msg.Method == string(mcp.MethodInitialize)
}
