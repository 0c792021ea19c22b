package httpserve

import (
	"io"
	"net/http"
	"strings"
	"testing"
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
