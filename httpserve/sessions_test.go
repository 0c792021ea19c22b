package httpserve

import (
	"context"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"sync/atomic"
	"testing"
	"time"

	gosdk "github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/partnerstack-mcp/partnerstack-mcp/internal/mcptest"
)

// TestSessionModes pins the default (validated sessions) and --stateless.
func TestSessionModes(t *testing.T) {
	f := newFixture(t)
	t.Run("default: a session ends with DELETE and is then 404", func(t *testing.T) {
		base := serveGuarded(t, f, TransportHTTP, Options{}, nil)
		r := send(t, "POST", base+"/mcp", initializeBody, nil)
		id := r.header.Get("Mcp-Session-Id")
		if r.status != 200 || id == "" {
			t.Fatalf("initialize: %d %q", r.status, r.body)
		}
		h := map[string]string{"Mcp-Session-Id": id, "Mcp-Protocol-Version": "2025-11-25"}
		ping := `{"jsonrpc":"2.0","id":2,"method":"ping"}`
		if r := send(t, "POST", base+"/mcp", ping, h); r.status != 200 {
			t.Fatalf("ping in session: %d %s", r.status, r.body)
		}
		if r := send(t, "DELETE", base+"/mcp", "", h); r.status != 200 {
			t.Fatalf("DELETE: %d %s", r.status, r.body)
		}
		if r := send(t, "POST", base+"/mcp", ping, h); r.status != 404 {
			t.Fatalf("ping after DELETE: %d %s", r.status, r.body)
		}
		h["Mcp-Session-Id"] = "mcp-session-00000000000000000000000000000000"
		if r := send(t, "POST", base+"/mcp", ping, h); r.status != 404 {
			t.Fatalf("ping with an unknown session: %d %s", r.status, r.body)
		}
	})
	t.Run("stateless: no session id is issued", func(t *testing.T) {
		base := serveGuarded(t, f, TransportHTTP, Options{Stateless: true}, nil)
		r := send(t, "POST", base+"/mcp", initializeBody, nil)
		if r.status != 200 || r.header.Get("Mcp-Session-Id") != "" {
			t.Fatalf("initialize: %d, session %q", r.status, r.header.Get("Mcp-Session-Id"))
		}
	})
}

func TestSessionTableIsBounded(t *testing.T) {
	now := time.Unix(1000, 0)
	var released []string
	s := newSessionIDs(time.Minute, 3, func(id string) { released = append(released, id) })
	s.now = func() time.Time { return now }
	a := s.Generate()
	if _, err := s.Validate(a); err != nil {
		t.Fatal(err)
	}
	now = now.Add(2 * time.Minute)
	if _, err := s.Validate(a); err == nil {
		t.Fatal("an idle session should expire")
	}
	if len(released) != 1 || released[0] != a {
		t.Fatalf("the expired session was not released at once: %q", released)
	}
	var ids []string
	for range 3 { // a millisecond apart: with equal times the least recently used would be a coin toss
		ids = append(ids, s.Generate())
		now = now.Add(time.Millisecond)
	}
	now = now.Add(time.Second)
	s.Validate(ids[0]) // ids[1] is now the least recently used
	s.Generate()
	if s.len() != 3 {
		t.Fatalf("%d sessions, want at most 3", s.len())
	}
	if _, err := s.Validate(ids[1]); err == nil {
		t.Fatal("the least recently used session should have been dropped")
	}
	if len(released) != 2 || released[1] != ids[1] {
		t.Fatalf("the dropped session was not released at once: %q", released)
	}
	if _, err := s.Validate(ids[0]); err != nil {
		t.Fatal("a recently used session was dropped")
	}
	s.Terminate(ids[0])
	if _, err := s.Validate(ids[0]); err == nil || s.len() != 2 {
		t.Fatal("a terminated session should be forgotten")
	}
	if len(released) != 2 {
		t.Fatalf("a DELETE (which mcp-go releases itself) was released again: %q", released)
	}
}

// A session the table drops is gone from mcp-go too: its id answers 404 at
// once, and mcp-go no longer routes anything to it.
func TestDroppedSessionsLeaveMcpGo(t *testing.T) {
	f := newFixture(t)
	base := serveGuarded(t, f, TransportHTTP, Options{MaxSessions: 2}, nil)
	var ids []string
	for range 3 {
		ids = append(ids, send(t, "POST", base+"/mcp", initializeBody, nil).header.Get("Mcp-Session-Id"))
	}
	h := map[string]string{"Mcp-Session-Id": ids[0], "Mcp-Protocol-Version": "2025-11-25"}
	if r := send(t, "POST", base+"/mcp", `{"jsonrpc":"2.0","id":2,"method":"ping"}`, h); r.status != 404 {
		t.Fatalf("the dropped session answered %d", r.status)
	}
	registered := 0
	for _, id := range ids {
		if f.server.SendNotificationToSpecificClient(id, "notifications/message", map[string]any{"level": "info"}) == nil {
			registered++
		}
	}
	if registered != 2 {
		t.Fatalf("mcp-go has %d of the 3 sessions, want the 2 live ones", registered)
	}
}

// roundRobin is a reverse proxy that sends each request to the next backend.
func roundRobin(t *testing.T, backends ...string) (string, []*atomic.Int64) {
	t.Helper()
	var next atomic.Int64
	counts := make([]*atomic.Int64, len(backends))
	targets := make([]*url.URL, len(backends))
	for i, b := range backends {
		counts[i] = new(atomic.Int64)
		targets[i], _ = url.Parse(b)
	}
	proxy := &httputil.ReverseProxy{
		Rewrite: func(pr *httputil.ProxyRequest) {
			i := int(next.Add(1)-1) % len(targets)
			counts[i].Add(1)
			pr.SetURL(targets[i])
		},
		FlushInterval: -1,
	}
	ts := httptest.NewServer(proxy)
	t.Cleanup(ts.Close)
	return ts.URL, counts
}

func TestStatelessBehindRoundRobinProxy(t *testing.T) {
	// Two instances, each with its own (identically seeded) sandbox: nothing
	// is shared but the proxy.
	a, b := newFixture(t), newFixture(t)
	for name, v := range map[string]string{"protocol 2025-11-25": "2025-11-25", "default protocol": ""} {
		t.Run(name, func(t *testing.T) {
			front, counts := roundRobin(t,
				serveGuarded(t, a, TransportHTTP, Options{Stateless: true}, nil),
				serveGuarded(t, b, TransportHTTP, Options{Stateless: true}, nil))
			cs := mcptest.SDKSession(t, &gosdk.StreamableClientTransport{Endpoint: front + "/mcp"}, v, nil)
			for i := 0; i < 6; i++ {
				s, isErr, text := mcptest.SDKCall(t, cs, "list_partnerships", map[string]any{"limit": 5})
				if isErr || s["count"] != float64(5) {
					t.Fatalf("list_partnerships: %s", text)
				}
				key := mcptest.Items(s)[i%5]["key"]
				if _, isErr, text := mcptest.SDKCall(t, cs, "get_partnership", map[string]any{"key": key}); isErr {
					t.Fatalf("get_partnership: %s", text)
				}
			}
			if counts[0].Load() < 6 || counts[1].Load() < 6 {
				t.Fatalf("backends served %d and %d requests; want both used", counts[0].Load(), counts[1].Load())
			}
		})
	}
	t.Run("the stateful default needs sticky sessions: protocol 2025-11-25 fails behind round robin", func(t *testing.T) {
		front, _ := roundRobin(t,
			serveGuarded(t, a, TransportHTTP, Options{}, nil),
			serveGuarded(t, b, TransportHTTP, Options{}, nil))
		c := gosdk.NewClient(&gosdk.Implementation{Name: "rr", Version: "0"}, nil)
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		cs, err := c.Connect(ctx, &gosdk.StreamableClientTransport{Endpoint: front + "/mcp", MaxRetries: -1}, &gosdk.ClientSessionOptions{ProtocolVersion: "2025-11-25"})
		if err == nil {
			_, err = cs.ListTools(ctx, nil)
			cs.Close()
		}
		if err == nil {
			t.Fatal("a session minted by one instance was accepted by the other")
		}
	})
}
