package partnerstackmcp

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	gosdk "github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/partnerstack-mcp/partnerstack-mcp/client/sandbox"
)

// serveGuarded serves f's MCP server on a loopback port behind the guard
// configured by hc and returns the base URL.
func serveGuarded(t testing.TB, f *fixture, transport string, hc HTTPConfig, logger *slog.Logger) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	base := "http://" + ln.Addr().String()
	tr, err := newHTTPTransport(f.server, transport, base, hc, logger)
	if err != nil {
		t.Fatal(err)
	}
	srv := &http.Server{Handler: tr.handler, ReadHeaderTimeout: 5 * time.Second}
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Close() })
	return base
}

const initializeBody = `{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-11-25","capabilities":{},"clientInfo":{"name":"guard-test","version":"0"}}}`

type reply struct {
	status int
	header http.Header
	body   string
}

// send makes one raw HTTP request; headers may set "Host".
func send(t testing.TB, method, u, body string, headers map[string]string) reply {
	t.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, err := http.NewRequest(method, u, rd)
	if err != nil {
		t.Fatal(err)
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	req.Header.Set("Accept", "application/json, text/event-stream")
	for k, v := range headers {
		if k == "Host" {
			req.Host = v
			continue
		}
		req.Header.Set(k, v)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	resp, err := http.DefaultClient.Do(req.WithContext(ctx))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.Request.Method == "GET" && strings.HasPrefix(resp.Header.Get("Content-Type"), "text/event-stream") {
		return reply{resp.StatusCode, resp.Header, ""} // a standing stream: the status is the answer
	}
	b, _ := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	return reply{resp.StatusCode, resp.Header, string(b)}
}

func TestListenAddressNeedsTokenOffLoopback(t *testing.T) {
	tests := []struct {
		addr  string
		token string
		ok    bool
	}{
		{"127.0.0.1:8080", "", true},
		{"127.9.9.9:8080", "", true},
		{"localhost:8080", "", true},
		{"[::1]:8080", "", true},
		{"0.0.0.0:8080", "", false},
		{":8080", "", false},
		{"[::]:8080", "", false},
		{"192.0.2.10:8080", "", false},
		{"0.0.0.0:8080", "s3cret", true},
		{"192.0.2.10:8080", "s3cret", true},
	}
	for _, tt := range tests {
		name := fmt.Sprintf("%s with token %v is allowed %v", tt.addr, tt.token != "", tt.ok)
		t.Run(name, func(t *testing.T) {
			err := HTTPConfig{Token: tt.token}.CheckListenAddr(tt.addr)
			if (err == nil) != tt.ok {
				t.Fatalf("err = %v", err)
			}
			if err != nil && !strings.Contains(err.Error(), "--http-token") {
				t.Fatalf("the refusal should say how to fix it: %v", err)
			}
		})
	}
	t.Run("ServeHTTP refuses before listening", func(t *testing.T) {
		f := newFixture(t, Config{})
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		err := ServeHTTP(ctx, f.server, TransportHTTP, "0.0.0.0:0", HTTPConfig{}, slog.New(slog.DiscardHandler))
		if err == nil || !strings.Contains(err.Error(), "not a loopback address") {
			t.Fatalf("err = %v", err)
		}
	})
}

func TestBearerToken(t *testing.T) {
	f := newFixture(t, Config{})
	for _, transport := range []string{TransportHTTP, TransportSSE} {
		base := serveGuarded(t, f, transport, HTTPConfig{Token: "tok-Ω-123"}, nil)
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
		base := serveGuarded(t, f, TransportHTTP, HTTPConfig{Token: "tok-Ω-123"}, nil)
		hc := &http.Client{Transport: headerTransport{"Authorization": "Bearer tok-Ω-123"}}
		cs := sdkSession(t, &gosdk.StreamableClientTransport{Endpoint: base + "/mcp", HTTPClient: hc}, "", nil)
		s, isErr, text := sdkCall(t, cs, "list_groups", map[string]any{})
		if isErr || s["count"] == float64(0) {
			t.Fatalf("list_groups: %s", text)
		}
	})
}

// headerTransport adds fixed headers to every request.
type headerTransport map[string]string

func (h headerTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	r = r.Clone(r.Context())
	for k, v := range h {
		r.Header.Set(k, v)
	}
	return http.DefaultTransport.RoundTrip(r)
}

func TestOriginCheck(t *testing.T) {
	f := newFixture(t, Config{})
	for _, transport := range []string{TransportHTTP, TransportSSE} {
		base := serveGuarded(t, f, transport, HTTPConfig{AllowedOrigins: []string{"https://App.example.com:443", "http://tool.example:8443"}}, nil)
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
		_, err := newHTTPTransport(f.server, TransportHTTP, "", HTTPConfig{AllowedOrigins: []string{"app.example.com"}}, nil)
		if err == nil || !strings.Contains(err.Error(), "--allowed-origins") {
			t.Fatalf("err = %v", err)
		}
	})
}

func TestHostCheckOnLoopback(t *testing.T) {
	f := newFixture(t, Config{})
	for _, tc := range []struct{ transport, method, path, body string }{
		{TransportHTTP, "POST", "/mcp", initializeBody},
		{TransportSSE, "GET", "/sse", ""},
		{TransportSSE, "POST", "/message?sessionId=x", initializeBody},
	} {
		base := serveGuarded(t, f, tc.transport, HTTPConfig{}, nil)
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

func TestBodyLimit(t *testing.T) {
	f := newFixture(t, Config{})
	const limit = 64 << 10
	for _, transport := range []string{TransportHTTP, TransportSSE} {
		base := serveGuarded(t, f, transport, HTTPConfig{MaxBodyBytes: limit}, nil)
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
		if (HTTPConfig{}).maxBody() != 1<<20 {
			t.Fatal((HTTPConfig{}).maxBody())
		}
	})
}

// TestSessionModes pins the default (validated sessions) and --stateless.
func TestSessionModes(t *testing.T) {
	f := newFixture(t, Config{})
	t.Run("default: a session ends with DELETE and is then 404", func(t *testing.T) {
		base := serveGuarded(t, f, TransportHTTP, HTTPConfig{}, nil)
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
		base := serveGuarded(t, f, TransportHTTP, HTTPConfig{Stateless: true}, nil)
		r := send(t, "POST", base+"/mcp", initializeBody, nil)
		if r.status != 200 || r.header.Get("Mcp-Session-Id") != "" {
			t.Fatalf("initialize: %d, session %q", r.status, r.header.Get("Mcp-Session-Id"))
		}
	})
}

func TestSessionTableIsBounded(t *testing.T) {
	now := time.Unix(1000, 0)
	s := newSessionIDs(time.Minute, 3)
	s.now = func() time.Time { return now }
	a := s.Generate()
	if _, err := s.Validate(a); err != nil {
		t.Fatal(err)
	}
	now = now.Add(2 * time.Minute)
	if _, err := s.Validate(a); err == nil {
		t.Fatal("an idle session should expire")
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
	if _, err := s.Validate(ids[0]); err != nil {
		t.Fatal("a recently used session was dropped")
	}
	s.Terminate(ids[0])
	if _, err := s.Validate(ids[0]); err == nil || s.len() != 2 {
		t.Fatal("a terminated session should be forgotten")
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
	a, b := newFixture(t, Config{}), newFixture(t, Config{})
	for name, v := range map[string]string{"protocol 2025-11-25": "2025-11-25", "default protocol": ""} {
		t.Run(name, func(t *testing.T) {
			front, counts := roundRobin(t,
				serveGuarded(t, a, TransportHTTP, HTTPConfig{Stateless: true}, nil),
				serveGuarded(t, b, TransportHTTP, HTTPConfig{Stateless: true}, nil))
			cs := sdkSession(t, &gosdk.StreamableClientTransport{Endpoint: front + "/mcp"}, v, nil)
			for i := 0; i < 6; i++ {
				s, isErr, text := sdkCall(t, cs, "list_partnerships", map[string]any{"limit": 5})
				if isErr || s["count"] != float64(5) {
					t.Fatalf("list_partnerships: %s", text)
				}
				key := s["items"].([]any)[i%5].(map[string]any)["key"]
				if _, isErr, text := sdkCall(t, cs, "get_partnership", map[string]any{"key": key}); isErr {
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
			serveGuarded(t, a, TransportHTTP, HTTPConfig{}, nil),
			serveGuarded(t, b, TransportHTTP, HTTPConfig{}, nil))
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

func TestGracefulShutdown(t *testing.T) {
	for _, transport := range []string{TransportHTTP, TransportSSE} {
		t.Run(transport+": a call in flight finishes, then streams close and ServeHTTP returns", func(t *testing.T) {
			f := newFixture(t, Config{})
			f.sb.AddFault(sandbox.Fault{Kind: sandbox.FaultLatency, Latency: 400 * time.Millisecond, Route: "GET /v2/groups"})
			ln, err := net.Listen("tcp", "127.0.0.1:0")
			if err != nil {
				t.Fatal(err)
			}
			addr := ln.Addr().String()
			ln.Close()
			ctx, stop := context.WithCancel(context.Background())
			defer stop()
			served := make(chan error, 1)
			go func() {
				served <- ServeHTTP(ctx, f.server, transport, addr, HTTPConfig{ShutdownTimeout: 10 * time.Second}, slog.New(slog.DiscardHandler))
			}()
			var tr gosdk.Transport = &gosdk.StreamableClientTransport{Endpoint: "http://" + addr + "/mcp"}
			if transport == TransportSSE {
				tr = &gosdk.SSEClientTransport{Endpoint: "http://" + addr + "/sse"}
			}
			var cs *gosdk.ClientSession
			for deadline := time.Now().Add(5 * time.Second); ; {
				c := gosdk.NewClient(&gosdk.Implementation{Name: "stop", Version: "0"}, nil)
				if cs, err = c.Connect(context.Background(), tr, nil); err == nil || time.Now().After(deadline) {
					break
				}
				time.Sleep(20 * time.Millisecond)
			}
			if err != nil {
				t.Fatal(err)
			}
			defer cs.Close()
			got := make(chan error, 1)
			go func() {
				res, err := cs.CallTool(context.Background(), &gosdk.CallToolParams{Name: "list_groups", Arguments: map[string]any{}})
				if err == nil && res.IsError {
					err = fmt.Errorf("tool error")
				}
				got <- err
			}()
			time.Sleep(150 * time.Millisecond) // the call is now waiting on the sandbox
			stop()
			if err := <-got; err != nil {
				t.Fatalf("the call in flight failed: %v", err)
			}
			select {
			case err := <-served:
				if err != nil {
					t.Fatalf("ServeHTTP: %v", err)
				}
			case <-time.After(5 * time.Second):
				t.Fatal("ServeHTTP did not return after the call finished")
			}
			if _, err := net.DialTimeout("tcp", addr, time.Second); err == nil {
				t.Fatal("still accepting connections")
			}
		})
	}
}
