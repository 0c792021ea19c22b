package httpserve

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/mark3labs/mcp-go/server"

	"github.com/partnerstack-mcp/partnerstack-mcp/client"
	"github.com/partnerstack-mcp/partnerstack-mcp/client/sandbox"
	"github.com/partnerstack-mcp/partnerstack-mcp/internal/mcptest"
	"github.com/partnerstack-mcp/partnerstack-mcp/tools"
)

// fixture is an MCP server offering every tool over a fresh in-process sandbox.
type fixture struct {
	sb     *sandbox.Sandbox
	server *server.MCPServer
}

func newFixture(t testing.TB) *fixture {
	t.Helper()
	sb := sandbox.New(sandbox.Options{})
	api, err := client.New(client.Config{
		PublicKey: sandbox.DefaultPublicKey, SecretKey: sandbox.DefaultSecretKey,
		BaseURL: "http://sandbox.invalid/api", HTTPClient: sb.Client(),
	})
	if err != nil {
		t.Fatal(err)
	}
	// Built from the tools directly: the root package, which builds the real
	// server, sits above this one.
	s := server.NewMCPServer("httpserve-test", "0", server.WithToolCapabilities(false), server.WithRecovery())
	for _, tl := range tools.All(tools.Deps{Client: api}) {
		s.AddTool(tl.Def, tl.Handler)
	}
	return &fixture{sb: sb, server: s}
}

// serveGuarded serves f's MCP server on a loopback port behind the guard
// configured by o and returns the base URL.
func serveGuarded(t testing.TB, f *fixture, transport string, o Options, logger *slog.Logger) string {
	t.Helper()
	o.Transport, o.Logger = transport, logger
	return mcptest.ServeLoopback(t, func(base string) (http.Handler, error) {
		h, err := newHandler(f.server, base, o)
		if err != nil {
			return nil, err
		}
		return h.guarded, nil
	})
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
