package httpserve

import (
	"net/http"
	"strings"
	"testing"
)

// TestMissingSessionHeader drives the real guarded handler over loopback
// HTTP: in the default (stateful) mode only initialize may come without
// Mcp-Session-Id; anything else gets 400, an unknown id still 404.
func TestMissingSessionHeader(t *testing.T) {
	f := newFixture(t)
	base := serveGuarded(t, f, TransportHTTP, Options{}, nil)
	ping := `{"jsonrpc":"2.0","id":2,"method":"ping"}`
	list := `{"jsonrpc":"2.0","id":3,"method":"tools/list"}`
	initialized := `{"jsonrpc":"2.0","method":"notifications/initialized"}`
	v := map[string]string{"Mcp-Protocol-Version": "2025-11-25"}

	for _, tc := range []struct {
		name, method, body string
		headers            map[string]string
		want               int
	}{
		{"a ping without a session id is 400", "POST", ping, v, http.StatusBadRequest},
		{"tools/list without a session id or version header is 400", "POST", list, nil, http.StatusBadRequest},
		{"a notification without a session id is 400", "POST", initialized, v, http.StatusBadRequest},
		{"a DELETE without a session id is 400", "DELETE", "", v, http.StatusBadRequest},
		{"an unknown session id is still 404", "POST", ping,
			map[string]string{"Mcp-Protocol-Version": "2025-11-25", "Mcp-Session-Id": "mcp-session-00000000000000000000000000000000"}, http.StatusNotFound},
		{"a body that is not JSON is left to mcp-go's parse error", "POST", "{not json", v, http.StatusBadRequest},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := send(t, tc.method, base+"/mcp", tc.body, tc.headers)
			if r.status != tc.want {
				t.Fatalf("status %d, want %d: %s", r.status, tc.want, r.body)
			}
			if tc.want == http.StatusBadRequest && tc.body != "{not json" && !strings.Contains(r.body, "Mcp-Session-Id") {
				t.Errorf("the answer should name the missing header: %q", r.body)
			}
		})
	}

	t.Run("initialize without a session id opens one, and the id then works", func(t *testing.T) {
		r := send(t, "POST", base+"/mcp", initializeBody, nil)
		id := r.header.Get("Mcp-Session-Id")
		if r.status != http.StatusOK || id == "" {
			t.Fatalf("initialize: %d %q", r.status, r.body)
		}
		h := map[string]string{"Mcp-Session-Id": id, "Mcp-Protocol-Version": "2025-11-25"}
		if r := send(t, "POST", base+"/mcp", list, h); r.status != http.StatusOK || !strings.Contains(r.body, "list_partnerships") {
			t.Fatalf("tools/list in session: %d %.200s", r.status, r.body)
		}
	})

	t.Run("protocol 2026-07-28 has no sessions: its requests pass", func(t *testing.T) {
		body := `{"jsonrpc":"2.0","id":4,"method":"tools/list","params":{"_meta":{"io.modelcontextprotocol/protocolVersion":"2026-07-28","io.modelcontextprotocol/clientCapabilities":{},"io.modelcontextprotocol/clientInfo":{"name":"t","version":"0"}}}}`
		r := send(t, "POST", base+"/mcp", body, map[string]string{"Mcp-Protocol-Version": "2026-07-28", "Mcp-Method": "tools/list"})
		if r.status != http.StatusOK || !strings.Contains(r.body, "list_partnerships") {
			t.Fatalf("modern tools/list: %d %.300s", r.status, r.body)
		}
	})

	t.Run("stateless mode needs no session id", func(t *testing.T) {
		base := serveGuarded(t, f, TransportHTTP, Options{Stateless: true}, nil)
		if r := send(t, "POST", base+"/mcp", list, v); r.status != http.StatusOK {
			t.Fatalf("stateless tools/list: %d %.200s", r.status, r.body)
		}
	})
}
