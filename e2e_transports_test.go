package partnerstackmcp

import (
	"context"
	"encoding/json"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	gosdk "github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/partnerstack-mcp/partnerstack-mcp/tools"
)

var (
	buildOnce sync.Once
	binPath   string
	buildErr  error
)

// binary builds cmd/partnerstack-mcp once per test run.
func binary(t *testing.T) string {
	t.Helper()
	buildOnce.Do(func() {
		dir, err := os.MkdirTemp("", "partnerstack-mcp-bin")
		if err != nil {
			buildErr = err
			return
		}
		binPath = filepath.Join(dir, "partnerstack-mcp")
		out, err := exec.Command("go", "build", "-o", binPath, "./cmd/partnerstack-mcp").CombinedOutput()
		if err != nil {
			buildErr = err
			binPath = string(out)
		}
	})
	if buildErr != nil {
		t.Fatalf("build: %v\n%s", buildErr, binPath)
	}
	return binPath
}

// sdkSession connects the official go-sdk client over a transport.
func sdkSession(t *testing.T, tr gosdk.Transport, version string, progress *atomic.Int32) *gosdk.ClientSession {
	t.Helper()
	opts := &gosdk.ClientOptions{}
	if progress != nil {
		opts.ProgressNotificationHandler = func(context.Context, *gosdk.ProgressNotificationClientRequest) { progress.Add(1) }
	}
	c := gosdk.NewClient(&gosdk.Implementation{Name: "go-sdk-e2e", Version: "0"}, opts)
	// The connect context bounds the session's streams too, so it must outlive the test's calls.
	cs, err := c.Connect(context.Background(), tr, &gosdk.ClientSessionOptions{ProtocolVersion: version})
	if err != nil {
		t.Fatalf("connect: %v", err)
	}
	t.Cleanup(func() { cs.Close() })
	return cs
}

func sdkCall(t *testing.T, cs *gosdk.ClientSession, name string, args map[string]any) (map[string]any, bool, string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	res, err := cs.CallTool(ctx, &gosdk.CallToolParams{Name: name, Arguments: args})
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	var text []string
	for _, c := range res.Content {
		if tc, ok := c.(*gosdk.TextContent); ok {
			text = append(text, tc.Text)
		}
	}
	var structured map[string]any
	if res.StructuredContent != nil {
		raw, _ := json.Marshal(res.StructuredContent)
		_ = json.Unmarshal(raw, &structured)
	}
	return structured, res.IsError, strings.Join(text, "\n")
}

// smoke lists tools and runs a read, a write and a bad call over a session.
func smoke(t *testing.T, cs *gosdk.ClientSession, wantTools int) {
	t.Helper()
	listed, err := cs.ListTools(context.Background(), nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(listed.Tools) != wantTools {
		t.Fatalf("listed %d tools, want %d", len(listed.Tools), wantTools)
	}
	s, isErr, text := sdkCall(t, cs, "list_partnerships", map[string]any{"limit": 3})
	if isErr || s["count"] != float64(3) {
		t.Fatalf("list_partnerships: %s", text)
	}
	partner := s["items"].([]any)[0].(map[string]any)["partner_key"]
	s, isErr, text = sdkCall(t, cs, "create_reward", map[string]any{"partner_key": partner, "amount": 2500, "description": "e2e"})
	if isErr || s["result"].(map[string]any)["amount_cents"] != float64(2500) {
		t.Fatalf("create_reward: %s", text)
	}
	if text == "" || !strings.Contains(text, `"amount_cents":2500`) {
		t.Fatalf("text rendering missing for text-only clients: %q", text)
	}
	_, isErr, text = sdkCall(t, cs, "create_reward", map[string]any{"partner_key": partner, "amount": "lots"})
	if !isErr || !strings.Contains(text, "'amount'") {
		t.Fatalf("bad call: isError=%v %s", isErr, text)
	}
}

var versions = map[string]string{"default protocol": "", "protocol 2025-11-25": "2025-11-25"}

func TestGoSDKClientOverStdioBinary(t *testing.T) {
	bin := binary(t)
	for name, v := range versions {
		t.Run(name, func(t *testing.T) {
			cmd := exec.Command(bin, "--sandbox", "--log-level", "debug")
			cmd.Env = append(os.Environ(), "PARTNERSTACK_PUBLIC_KEY=", "PARTNERSTACK_SECRET_KEY=")
			cs := sdkSession(t, &gosdk.CommandTransport{Command: cmd}, v, nil)
			defaults, err := SelectTools(tools.All(tools.Deps{}), Config{}) // no --toolsets: the default set
			if err != nil {
				t.Fatal(err)
			}
			smoke(t, cs, len(defaults))
		})
	}
}

func TestGoSDKClientOverStreamableHTTP(t *testing.T) {
	for name, v := range versions {
		t.Run(name, func(t *testing.T) {
			f := newFixture(t, Config{ResultBudget: 1 << 20})
			h, err := HTTPHandler(f.server, TransportHTTP, "")
			if err != nil {
				t.Fatal(err)
			}
			ts := httptest.NewServer(h)
			t.Cleanup(ts.Close)
			var progress atomic.Int32
			cs := sdkSession(t, &gosdk.StreamableClientTransport{Endpoint: ts.URL + "/mcp"}, v, &progress)
			smoke(t, cs, len(allToolNames(t)))

			params := &gosdk.CallToolParams{Name: "list_transactions", Arguments: map[string]any{"limit": 300}}
			params.SetProgressToken("tok-1")
			res, err := cs.CallTool(context.Background(), params)
			if err != nil || res.IsError {
				t.Fatalf("list_transactions: %v %+v", err, res)
			}
			if progress.Load() < 2 {
				t.Fatalf("got %d progress notifications for a 2-page list, want >= 2", progress.Load())
			}
		})
	}
}

func TestGoSDKClientOverSSE(t *testing.T) {
	f := newFixture(t, Config{ReadOnly: true})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	base := "http://" + ln.Addr().String()
	h, err := HTTPHandler(f.server, TransportSSE, base)
	if err != nil {
		t.Fatal(err)
	}
	srv := &http.Server{Handler: h}
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Close() }) // Close, not Shutdown: SSE streams never go idle
	for name, v := range map[string]string{"protocol 2024-11-05": "2024-11-05", "default protocol": ""} {
		t.Run(name, func(t *testing.T) {
			cs := sdkSession(t, &gosdk.SSEClientTransport{Endpoint: base + "/sse"}, v, nil)
			s, isErr, text := sdkCall(t, cs, "list_groups", map[string]any{})
			if isErr || s["count"] == float64(0) {
				t.Fatalf("list_groups over SSE: %s", text)
			}
		})
	}
}

func allToolNames(t *testing.T) []string {
	t.Helper()
	f := newFixture(t, Config{})
	c := f.inProcess(t, "")
	listed, err := c.ListTools(context.Background(), mcpListTools())
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, tl := range listed.Tools {
		names = append(names, tl.Name)
	}
	return names
}
