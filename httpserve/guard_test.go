package httpserve

import (
	"strings"
	"testing"
)

// The guard's checks run in a fixed order, so a hostile page learns nothing
// past the browser checks and an unauthenticated caller never makes the
// server read a body: each request below fails every check from its row on,
// and must be refused by the first.
func TestGuardChecksInOrder(t *testing.T) {
	f := newFixture(t)
	const limit = 1024
	base := serveGuarded(t, f, TransportHTTP, Options{Token: "tok", MaxBodyBytes: limit}, nil)
	port := base[strings.LastIndex(base, ":")+1:]
	big := `{"jsonrpc":"2.0","id":1,"method":"ping","params":{"pad":"` + strings.Repeat("x", limit) + `"}}`
	tests := []struct {
		name    string
		headers map[string]string
		status  int
		reason  string
	}{
		{"a foreign Host is refused before the origin, token and body are looked at",
			map[string]string{"Host": "evil.example:" + port, "Origin": "https://evil.example"}, 403, "Host header"},
		{"a foreign origin is refused before the token and body",
			map[string]string{"Origin": "https://evil.example"}, 403, "origin not allowed"},
		{"a missing token is refused before the body is read",
			map[string]string{}, 401, "Unauthorized"},
		{"with the token, the body limit applies",
			map[string]string{"Authorization": "Bearer tok"}, 413, "request body over 1024 bytes"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := send(t, "POST", base+"/mcp", big, tt.headers)
			if r.status != tt.status || !strings.Contains(r.body, tt.reason) {
				t.Fatalf("status %d %q, want %d with %q", r.status, r.body, tt.status, tt.reason)
			}
		})
	}
}
