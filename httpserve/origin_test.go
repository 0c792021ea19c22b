package httpserve

import (
	"fmt"
	"strings"
	"testing"
)

func TestOriginCheck(t *testing.T) {
	f := newFixture(t)
	for _, transport := range []string{TransportHTTP, TransportSSE} {
		base := serveGuarded(t, f, transport, Options{AllowedOrigins: []string{"https://App.example.com:443", "http://tool.example:8443"}}, nil)
		port := base[strings.LastIndex(base, ":")+1:]
		path := map[string]string{TransportHTTP: "/mcp", TransportSSE: "/message?sessionId=x"}[transport]
		tests := []struct {
			origin  string
			allowed bool
		}{
			{"", true},
			{"https://app.example.com", true},
			{"http://tool.example:8443", true},
			{"http://127.0.0.1:" + port, true},
			{"http://localhost:" + port, true},
			{"http://[::1]:" + port, true},
			{"https://evil.example", false},
			{"http://app.example.com", false}, // scheme differs
			{"https://app.example.com.evil.example", false},
			{"http://localhost:1", false}, // another local app's page
			{"http://127.0.0.1", false},
			{"null", false},
			{"not a url", false},
		}
		for _, tt := range tests {
			t.Run(fmt.Sprintf("%s: Origin %q allowed %v", transport, tt.origin, tt.allowed), func(t *testing.T) {
				h := map[string]string{}
				if tt.origin != "" {
					h["Origin"] = tt.origin
				}
				r := send(t, "POST", base+path, initializeBody, h)
				if got := r.status != 403; got != tt.allowed {
					t.Fatalf("status %d: %s", r.status, r.body)
				}
			})
		}
	}
	t.Run("a malformed allow list stops start-up", func(t *testing.T) {
		_, err := newHandler(f.server, "", Options{Transport: TransportHTTP, AllowedOrigins: []string{"app.example.com"}})
		if err == nil || !strings.Contains(err.Error(), "--allowed-origins") {
			t.Fatalf("err = %v", err)
		}
	})
}
