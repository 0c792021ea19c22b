package httpserve

import (
	"fmt"
	"strings"
	"testing"
)

func TestHostCheckOnLoopback(t *testing.T) {
	f := newFixture(t)
	for _, tc := range []struct{ transport, method, path, body string }{
		{TransportHTTP, "POST", "/mcp", initializeBody},
		{TransportSSE, "GET", "/sse", ""},
		{TransportSSE, "POST", "/message?sessionId=x", initializeBody},
	} {
		base := serveGuarded(t, f, tc.transport, Options{}, nil)
		port := base[strings.LastIndex(base, ":")+1:]
		for host, ok := range map[string]bool{
			"evil.example:" + port: false, "evil.example": false, "127.0.0.1.nip.io:" + port: false,
			"localhost:" + port: true, "127.0.0.1:" + port: true, "[::1]:" + port: true,
		} {
			t.Run(fmt.Sprintf("%s %s with Host %s allowed %v", tc.method, tc.path, host, ok), func(t *testing.T) {
				r := send(t, tc.method, base+tc.path, tc.body, map[string]string{"Host": host})
				if (r.status != 403) != ok {
					t.Fatalf("status %d: %s", r.status, r.body)
				}
			})
		}
	}
}
