package e2e_test

import (
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"strings"
	"testing"

	mcpclient "github.com/mark3labs/mcp-go/client"
	"github.com/mark3labs/mcp-go/mcp"
	"github.com/mark3labs/mcp-go/server"

	partnerstackmcp "github.com/partnerstack-mcp/partnerstack-mcp"
	"github.com/partnerstack-mcp/partnerstack-mcp/client"
	"github.com/partnerstack-mcp/partnerstack-mcp/client/sandbox"
	"github.com/partnerstack-mcp/partnerstack-mcp/httpserve"
	"github.com/partnerstack-mcp/partnerstack-mcp/internal/mcptest"
	"github.com/partnerstack-mcp/partnerstack-mcp/internal/profiletest"
	"github.com/partnerstack-mcp/partnerstack-mcp/tools"
)

// repo is the repository root, where the README, the packaging files and
// cmd/ live; go test runs in this package's directory.
const repo = ".."

// fixture is a server over a fresh in-process sandbox, of the profile of
// the profiletest.Run subtest it is made in (default outside one).
type fixture struct {
	sb     *sandbox.Sandbox
	api    *client.Client
	server *server.MCPServer
}

func newFixture(t testing.TB, cfg partnerstackmcp.Config, opts ...sandbox.Options) *fixture {
	t.Helper()
	o := sandbox.Options{}
	if len(opts) > 0 {
		o = opts[0]
	}
	return newFixtureWith(t, cfg, o, nil)
}

// newFixtureWith also lets a test tune the API client (timeouts, backoff).
func newFixtureWith(t testing.TB, cfg partnerstackmcp.Config, o sandbox.Options, tune func(*client.Config)) *fixture {
	t.Helper()
	sb := profiletest.New(t, o)
	cc := client.Config{
		PublicKey: sandbox.DefaultPublicKey, SecretKey: sandbox.DefaultSecretKey,
		BaseURL: "http://sandbox.invalid/api", HTTPClient: sb.Client(),
	}
	if tune != nil {
		tune(&cc)
	}
	if len(cfg.Toolsets) == 0 && len(cfg.Tools) == 0 {
		cfg.Toolsets = []tools.ToolsetID{tools.ToolsetAll} // the end-to-end tests exercise every tool; tools/select_test.go covers the default set
	}
	api, err := client.New(cc)
	if err != nil {
		t.Fatal(err)
	}
	s, err := partnerstackmcp.New(api, cfg)
	if err != nil {
		t.Fatal(err)
	}
	return &fixture{sb: sb, api: api, server: s}
}

// inProcess connects mcp-go's in-process client, optionally pinned to a protocol version.
func (f *fixture) inProcess(t testing.TB, version string) *mcpclient.Client {
	t.Helper()
	var opts []mcpclient.ClientOption
	if version != "" {
		opts = append(opts, mcpclient.WithProtocolVersion(version))
	}
	c, err := mcpclient.NewInProcessClientWithOptions(f.server, opts...)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if err := c.Start(ctx); err != nil {
		t.Fatal(err)
	}
	init := mcp.InitializeRequest{}
	init.Params.ClientInfo = mcp.Implementation{Name: "e2e", Version: "0"}
	init.Params.ProtocolVersion = version
	if init.Params.ProtocolVersion == "" {
		init.Params.ProtocolVersion = mcp.LATEST_PROTOCOL_VERSION
	}
	res, err := c.Initialize(ctx, init)
	if err != nil {
		t.Fatal(err)
	}
	if version != "" && res.ProtocolVersion != version {
		t.Fatalf("negotiated %s, want %s", res.ProtocolVersion, version)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

// result is a decoded tool answer.
type result struct {
	IsError    bool
	Text       string
	Structured map[string]any
}

func call(t testing.TB, c *mcpclient.Client, name string, args map[string]any) result {
	t.Helper()
	req := mcp.CallToolRequest{}
	req.Params.Name = name
	req.Params.Arguments = args
	res, err := c.CallTool(context.Background(), req)
	if err != nil {
		t.Fatalf("%s: protocol error: %v", name, err)
	}
	return decodeResult(t, res)
}

func decodeResult(t testing.TB, res *mcp.CallToolResult) result {
	t.Helper()
	r := result{IsError: res.IsError}
	var texts []string
	for _, c := range res.Content {
		if tc, ok := c.(mcp.TextContent); ok {
			texts = append(texts, tc.Text)
		}
	}
	r.Text = strings.Join(texts, "\n")
	if res.StructuredContent != nil {
		raw, err := json.Marshal(res.StructuredContent)
		if err != nil {
			t.Fatal(err)
		}
		if err := json.Unmarshal(raw, &r.Structured); err != nil {
			t.Fatalf("structuredContent is not an object: %s", raw)
		}
	}
	return r
}

// items are a list result's rows as objects (mcptest.Items).
func (r result) items(t testing.TB) []map[string]any {
	t.Helper()
	items := mcptest.Items(r.Structured)
	if items == nil {
		t.Fatalf("no rows in %s", r.Text)
	}
	return items
}

// obj returns a write tool's written object.
func (r result) obj(t testing.TB) map[string]any {
	t.Helper()
	m, ok := r.Structured["result"].(map[string]any)
	if !ok {
		t.Fatalf("no result object in %s", r.Text)
	}
	return m
}

// lastWrite is the sandbox's record of the most recent write request.
func (f *fixture) lastWrite(t testing.TB) sandbox.LoggedRequest {
	t.Helper()
	log := f.sb.Requests()
	for i := len(log) - 1; i >= 0; i-- {
		if log[i].Method != "GET" {
			return log[i]
		}
	}
	t.Fatal("no write reached the sandbox")
	return sandbox.LoggedRequest{}
}

func (f *fixture) writes() int {
	n := 0
	for _, r := range f.sb.Requests() {
		if r.Method != "GET" {
			n++
		}
	}
	return n
}

func mcpListTools() mcp.ListToolsRequest { return mcp.ListToolsRequest{} }

func mcpCall(name string, args map[string]any) mcp.CallToolRequest {
	req := mcp.CallToolRequest{}
	req.Params.Name = name
	req.Params.Arguments = args
	return req
}

// serveGuarded serves f's MCP server on a loopback port behind httpserve's
// guard configured by o, and returns the base URL.
func serveGuarded(t testing.TB, f *fixture, transport string, o httpserve.Options, logger *slog.Logger) string {
	t.Helper()
	o.Transport, o.Logger = transport, logger
	return mcptest.ServeLoopback(t, func(base string) (http.Handler, error) {
		return httpserve.NewHandler(f.server, base, o)
	})
}
