package httpserve

import (
	"bufio"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/partnerstack-mcp/partnerstack-mcp/client/sandbox"
)

func TestCallsTable(t *testing.T) {
	t.Run("a cancel is owned only by its session and scope", func(t *testing.T) {
		c := newCalls(2, true, nil)
		if c.start("s1", "7", "alice") != started {
			t.Fatal("start")
		}
		for _, tc := range []struct{ session, id, scope string }{{"s2", "7", "alice"}, {"s1", "7", "mallory"}, {"s1", "8", "alice"}, {"", "7", "alice"}} {
			if c.owns(tc.session, tc.id, tc.scope) {
				t.Errorf("owns(%q, %q, %q)", tc.session, tc.id, tc.scope)
			}
		}
		if !c.owns("s1", "7", "alice") {
			t.Error("the sender does not own its own call")
		}
		c.end("s1", "7")
		if c.owns("s1", "7", "alice") || len(c.sessions) != 0 {
			t.Error("an answered call is still owned, or its lazy session kept")
		}
	})
	t.Run("a session holds at most max calls, and no id twice", func(t *testing.T) {
		c := newCalls(2, true, nil)
		if c.start("s", "1", "") != started || c.start("s", "1", "") != idInUse || c.start("s", "2", "") != started || c.start("s", "3", "") != sessionFull {
			t.Fatal("bounds not kept")
		}
		if c.start("other", "3", "") != started {
			t.Fatal("one session's bound hit another")
		}
	})
	t.Run("SSE: only open sessions hold calls, and closing frees them", func(t *testing.T) {
		c := newCalls(2, false, nil)
		if c.start("s", "1", "") != unknownSession {
			t.Fatal("a call was held for a stream that is not open")
		}
		c.open("s")
		c.start("s", "1", "")
		c.close("s")
		if c.start("s", "2", "") != unknownSession || len(c.sessions) != 0 {
			t.Fatal("a closed stream kept its calls")
		}
	})
}

// sseSession opens an SSE stream on base and returns its message URL; the
// stream is read (and dropped) until the test ends.
func sseSession(t *testing.T, base string) string {
	t.Helper()
	resp, err := http.Get(base + "/sse")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { resp.Body.Close() })
	rd := bufio.NewReader(resp.Body)
	for {
		line, err := rd.ReadString('\n')
		if err != nil {
			t.Fatalf("no endpoint event: %v", err)
		}
		if p, ok := strings.CutPrefix(strings.TrimSpace(line), "data:"); ok {
			go func() {
				for {
					if _, err := rd.ReadString('\n'); err != nil {
						return
					}
				}
			}()
			p = strings.TrimSpace(p)
			if strings.HasPrefix(p, "http") {
				return p
			}
			return base + p
		}
	}
}

func TestBadIDsAreInvalidRequests(t *testing.T) {
	f := newFixture(t)
	urls := map[string]string{
		"http with sessions": serveGuarded(t, f, TransportHTTP, Options{}, nil) + "/mcp",
		"http stateless":     serveGuarded(t, f, TransportHTTP, Options{Stateless: true}, nil) + "/mcp",
		"sse":                sseSession(t, serveGuarded(t, f, TransportSSE, Options{}, nil)),
	}
	for name, u := range urls {
		for _, id := range []string{`{"a":1}`, `[1]`, `true`, `false`} {
			t.Run(name+": id "+id, func(t *testing.T) {
				r := send(t, "POST", u, `{"jsonrpc":"2.0","id":`+id+`,"method":"initialize","params":{"protocolVersion":"2025-11-25","capabilities":{},"clientInfo":{"name":"x","version":"0"}}}`, nil)
				if r.status != http.StatusBadRequest || !strings.Contains(r.body, `"id":null,"error":{"code":-32600`) {
					t.Fatalf("%d %s", r.status, r.body)
				}
			})
		}
	}
}

func TestSessionCallsAreBounded(t *testing.T) {
	f := newFixture(t)
	f.sb.AddFault(sandbox.Fault{Kind: sandbox.FaultLatency, Latency: time.Second, Route: "GET /v2/groups"})
	base := serveGuarded(t, f, TransportHTTP, Options{MaxSessionCalls: 2}, nil)
	r := send(t, "POST", base+"/mcp", initializeBody, nil)
	h := map[string]string{"Mcp-Session-Id": r.header.Get("Mcp-Session-Id"), "Mcp-Protocol-Version": "2025-11-25"}
	call := func(id string) string {
		return `{"jsonrpc":"2.0","id":` + id + `,"method":"tools/call","params":{"name":"list_groups","arguments":{}}}`
	}
	var wg sync.WaitGroup
	for _, id := range []string{"1", "2"} {
		wg.Go(func() {
			if r := send(t, "POST", base+"/mcp", call(id), h); r.status != 200 {
				t.Errorf("call %s: %d %s", id, r.status, r.body)
			}
		})
	}
	time.Sleep(300 * time.Millisecond)
	if r := send(t, "POST", base+"/mcp", call("1"), h); r.status != http.StatusBadRequest || !strings.Contains(r.body, "already used") {
		t.Errorf("an id in flight, sent again: %d %s", r.status, r.body)
	}
	if r := send(t, "POST", base+"/mcp", call("3"), h); r.status != http.StatusTooManyRequests || r.header.Get("Retry-After") == "" {
		t.Errorf("a third call past a bound of 2: %d %s", r.status, r.body)
	}
	other := map[string]string{"Mcp-Session-Id": send(t, "POST", base+"/mcp", initializeBody, nil).header.Get("Mcp-Session-Id"), "Mcp-Protocol-Version": "2025-11-25"}
	if r := send(t, "POST", base+"/mcp", `{"jsonrpc":"2.0","id":3,"method":"ping"}`, other); r.status != 200 {
		t.Errorf("another session was held up by the bound of the first: %d %s", r.status, r.body)
	}
	wg.Wait()
	if r := send(t, "POST", base+"/mcp", `{"jsonrpc":"2.0","id":4,"method":"ping"}`, h); r.status != 200 {
		t.Errorf("answered calls did not free their places: %d %s", r.status, r.body)
	}
}
