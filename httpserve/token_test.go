package httpserve

import (
	"net/http"
	"strings"
	"testing"

	gosdk "github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/partnerstack-mcp/partnerstack-mcp/internal/mcptest"
)

func TestBearerToken(t *testing.T) {
	f := newFixture(t)
	for _, transport := range []string{TransportHTTP, TransportSSE} {
		base := serveGuarded(t, f, transport, Options{Token: "tok-Ω-123"}, nil)
		path := map[string]string{TransportHTTP: "/mcp", TransportSSE: "/message?sessionId=x"}[transport]
		tests := []struct {
			name, auth string
			status     int
			challenge  string
		}{
			{"a request without a token is refused even on loopback", "", 401, `Bearer realm="partnerstack-mcp"`},
			{"a wrong token is refused", "Bearer tok-Ω-124", 401, `error="invalid_token"`},
			{"a token of another length is refused", "Bearer t", 401, `error="invalid_token"`},
			{"another scheme is refused", "Basic dG9rOg==", 401, `Bearer realm=`},
			{"the right token passes", "Bearer tok-Ω-123", 0, ""},
			{"the scheme is case-insensitive", "bearer tok-Ω-123", 0, ""},
		}
		for _, tt := range tests {
			t.Run(transport+": "+tt.name, func(t *testing.T) {
				h := map[string]string{}
				if tt.auth != "" {
					h["Authorization"] = tt.auth
				}
				r := send(t, "POST", base+path, initializeBody, h)
				if tt.status == 401 {
					if r.status != 401 || !strings.Contains(r.header.Get("WWW-Authenticate"), tt.challenge) {
						t.Fatalf("status %d, WWW-Authenticate %q", r.status, r.header.Get("WWW-Authenticate"))
					}
					return
				}
				if r.status == 401 || r.status == 403 {
					t.Fatalf("status %d: %s", r.status, r.body)
				}
			})
		}
	}
	t.Run("an MCP client with the token works end to end", func(t *testing.T) {
		base := serveGuarded(t, f, TransportHTTP, Options{Token: "tok-Ω-123"}, nil)
		hc := &http.Client{Transport: mcptest.HeaderTransport{"Authorization": "Bearer tok-Ω-123"}}
		cs := mcptest.SDKSession(t, &gosdk.StreamableClientTransport{Endpoint: base + "/mcp", HTTPClient: hc}, "", nil)
		s, isErr, text := mcptest.SDKCall(t, cs, "list_groups", map[string]any{})
		if isErr || s["count"] == float64(0) {
			t.Fatalf("list_groups: %s", text)
		}
	})
}
