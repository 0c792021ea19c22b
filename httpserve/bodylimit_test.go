package httpserve

import (
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"
)

func TestBodyLimit(t *testing.T) {
	f := newFixture(t)
	const limit = 64 << 10
	for _, transport := range []string{TransportHTTP, TransportSSE} {
		base := serveGuarded(t, f, transport, Options{MaxBodyBytes: limit}, nil)
		path := map[string]string{TransportHTTP: "/mcp", TransportSSE: "/message?sessionId=x"}[transport]
		big := `{"jsonrpc":"2.0","id":1,"method":"ping","params":{"pad":"` + strings.Repeat("x", limit) + `"}}`
		t.Run(transport+": a body over the limit with Content-Length gets 413", func(t *testing.T) {
			if r := send(t, "POST", base+path, big, nil); r.status != http.StatusRequestEntityTooLarge {
				t.Fatalf("status %d: %s", r.status, r.body)
			}
		})
		t.Run(transport+": a chunked body over the limit gets 413", func(t *testing.T) {
			req, _ := http.NewRequest("POST", base+path, io.MultiReader(strings.NewReader(big))) // unknown length: chunked
			req.Header.Set("Content-Type", "application/json")
			req.Header.Set("Accept", "application/json, text/event-stream")
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if req.ContentLength != 0 || resp.StatusCode != http.StatusRequestEntityTooLarge {
				t.Fatalf("content length %d, status %d", req.ContentLength, resp.StatusCode)
			}
		})
		t.Run(transport+": a body under the limit passes", func(t *testing.T) {
			if r := send(t, "POST", base+path, initializeBody, nil); r.status == http.StatusRequestEntityTooLarge || r.status == 403 {
				t.Fatalf("status %d: %s", r.status, r.body)
			}
		})
	}
	t.Run("the default limit is 1 MiB", func(t *testing.T) {
		if (Options{}).maxBody() != 1<<20 {
			t.Fatal((Options{}).maxBody())
		}
	})
}

// A refusal closes its connection at once, even when the client never sends
// the rest of its body: net/http would otherwise wait for it with no deadline.
func TestRefusalsCloseTheConnection(t *testing.T) {
	f := newFixture(t)
	for name, tc := range map[string]struct {
		o      Options
		header string
		want   string
	}{
		"a body that stops coming":    {Options{BodyTimeout: 200 * time.Millisecond}, "", "HTTP/1.1 400"},
		"a wrong token, body pending": {Options{Token: "right"}, "Authorization: Bearer wrong\r\n", "HTTP/1.1 401"},
	} {
		t.Run(name, func(t *testing.T) {
			addr := strings.TrimPrefix(serveGuarded(t, f, TransportHTTP, tc.o, nil), "http://")
			conn, err := net.Dial("tcp", addr)
			if err != nil {
				t.Fatal(err)
			}
			defer conn.Close()
			fmt.Fprintf(conn, "POST /mcp HTTP/1.1\r\nHost: %s\r\n%sContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{", addr, tc.header)
			conn.SetReadDeadline(time.Now().Add(3 * time.Second))
			got, err := io.ReadAll(conn)
			if err != nil {
				t.Fatalf("the connection stayed open after %q: %v", got, err)
			}
			if !strings.HasPrefix(string(got), tc.want) || !strings.Contains(string(got), "Connection: close") {
				t.Fatalf("%q", got)
			}
		})
	}
}
