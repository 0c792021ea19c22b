package e2e_test

import (
	"context"
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

	partnerstackmcp "github.com/partnerstack-mcp/partnerstack-mcp"
	"github.com/partnerstack-mcp/partnerstack-mcp/httpserve"
	"github.com/partnerstack-mcp/partnerstack-mcp/internal/mcptest"
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
		build := exec.Command("go", "build", "-o", binPath, "./cmd/partnerstack-mcp")
		build.Dir = repo
		out, err := build.CombinedOutput()
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
	s, isErr, text := mcptest.SDKCall(t, cs, "list_partnerships", map[string]any{"limit": 3})
	if isErr || s["count"] != float64(3) {
		t.Fatalf("list_partnerships: %s", text)
	}
	partner := mcptest.Items(s)[0]["partner_key"]
	s, isErr, text = mcptest.SDKCall(t, cs, "create_reward", map[string]any{"partner_key": partner, "amount": 2500, "description": "e2e"})
	if isErr || s["result"].(map[string]any)["amount_cents"] != float64(2500) {
		t.Fatalf("create_reward: %s", text)
	}
	if text == "" || !strings.Contains(text, `"amount_cents":2500`) {
		t.Fatalf("text rendering missing for text-only clients: %q", text)
	}
	_, isErr, text = mcptest.SDKCall(t, cs, "create_reward", map[string]any{"partner_key": partner, "amount": "lots"})
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
			cs := mcptest.SDKSession(t, &gosdk.CommandTransport{Command: cmd}, v, nil)
			defaults, err := tools.Select(tools.All(tools.Deps{}), tools.Selection{}) // no --toolsets: the default set
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
			f := newFixture(t, partnerstackmcp.Config{ResultBudget: 1 << 20})
			h, err := httpserve.NewHandler(f.server, "", httpserve.Options{Transport: httpserve.TransportHTTP})
			if err != nil {
				t.Fatal(err)
			}
			ts := httptest.NewServer(h)
			t.Cleanup(ts.Close)
			var progress atomic.Int32
			cs := mcptest.SDKSession(t, &gosdk.StreamableClientTransport{Endpoint: ts.URL + "/mcp"}, v, &progress)
			smoke(t, cs, len(allToolNames(t)))

			params := &gosdk.CallToolParams{Name: "list_transactions", Arguments: map[string]any{"limit": 300}}
			params.SetProgressToken("tok-1")
			res, err := cs.CallTool(context.Background(), params)
			if err != nil || res.IsError {
				t.Fatalf("list_transactions: %v %+v", err, res)
			}
			// go-sdk queues incoming notifications for a handler goroutine
			// but delivers the call's answer at once, so the last progress
			// notification may be handled just after CallTool returns.
			for deadline := time.Now().Add(5 * time.Second); progress.Load() < 2 && time.Now().Before(deadline); {
				time.Sleep(10 * time.Millisecond)
			}
			if progress.Load() < 2 {
				t.Fatalf("got %d progress notifications for a 2-page list, want >= 2", progress.Load())
			}
		})
	}
}

func TestGoSDKClientOverSSE(t *testing.T) {
	f := newFixture(t, partnerstackmcp.Config{ReadOnly: true})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	base := "http://" + ln.Addr().String()
	h, err := httpserve.NewHandler(f.server, base, httpserve.Options{Transport: httpserve.TransportSSE})
	if err != nil {
		t.Fatal(err)
	}
	srv := &http.Server{Handler: h}
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Close() }) // Close, not Shutdown: SSE streams never go idle
	for name, v := range map[string]string{"protocol 2024-11-05": "2024-11-05", "default protocol": ""} {
		t.Run(name, func(t *testing.T) {
			cs := mcptest.SDKSession(t, &gosdk.SSEClientTransport{Endpoint: base + "/sse"}, v, nil)
			s, isErr, text := mcptest.SDKCall(t, cs, "list_groups", map[string]any{})
			if isErr || s["count"] == float64(0) {
				t.Fatalf("list_groups over SSE: %s", text)
			}
		})
	}
}

func allToolNames(t *testing.T) []string {
	t.Helper()
	f := newFixture(t, partnerstackmcp.Config{})
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
