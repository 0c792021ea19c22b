package partnerstackmcp

import (
	"context"
	"log/slog"
	"regexp"
	"strings"
	"testing"

	mcpclient "github.com/mark3labs/mcp-go/client"
	"github.com/mark3labs/mcp-go/mcp"

	"github.com/partnerstack-mcp/partnerstack-mcp/client"
	"github.com/partnerstack-mcp/partnerstack-mcp/client/sandbox"
	"github.com/partnerstack-mcp/partnerstack-mcp/internal/syncbuf"
	"github.com/partnerstack-mcp/partnerstack-mcp/tools"
)

// A tool offered without its list sibling must describe its own result
// shape instead of pointing at a tool the client cannot see.
func TestSharedShapesOnlyReferToOfferedTools(t *testing.T) {
	for _, cfg := range []Config{{Tools: []string{"get_deal"}}, {Toolsets: []tools.ToolsetID{tools.ToolsetDeals}, ExcludeTools: []string{"list_deals"}}, {}} {
		s, err := New(nil, cfg)
		if err != nil {
			t.Fatal(err)
		}
		isTool := map[string]bool{}
		for _, tl := range tools.All(tools.Deps{}) {
			isTool[tl.Def.Name] = true
		}
		offered := map[string]bool{}
		for _, tl := range s.ListTools() {
			offered[tl.Tool.Name] = true
		}
		for name, tl := range s.ListTools() {
			out := string(tl.Tool.RawOutputSchema)
			for _, m := range regexp.MustCompile(`Same fields as (\w+) items`).FindAllStringSubmatch(out, -1) {
				if isTool[m[1]] && !offered[m[1]] { // other references are to fields of the same result
					t.Errorf("%+v: %s refers to %s, which is not offered", cfg, name, m[1])
				}
			}
		}
	}
}

// Each tool call is logged with its name, outcome and duration, never with
// its arguments (they may hold people's names, emails and amounts).
func TestCallsAreLoggedWithoutArguments(t *testing.T) {
	var logs syncbuf.Buffer
	sb := sandbox.New(sandbox.Options{})
	api, err := client.New(client.Config{PublicKey: sandbox.DefaultPublicKey, SecretKey: sandbox.DefaultSecretKey,
		BaseURL: "http://sandbox.invalid/api", HTTPClient: sb.Client()})
	if err != nil {
		t.Fatal(err)
	}
	s, err := New(api, Config{Logger: slog.New(slog.NewTextHandler(&logs, nil))})
	if err != nil {
		t.Fatal(err)
	}
	c, err := mcpclient.NewInProcessClient(s)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	ctx := context.Background()
	if err := c.Start(ctx); err != nil {
		t.Fatal(err)
	}
	init := mcp.InitializeRequest{}
	init.Params.ProtocolVersion = mcp.LATEST_PROTOCOL_VERSION
	if _, err := c.Initialize(ctx, init); err != nil {
		t.Fatal(err)
	}
	for _, args := range []map[string]any{{"limit": 2}, {"limit": "secret-marker-1234"}} {
		req := mcp.CallToolRequest{}
		req.Params.Name, req.Params.Arguments = "list_groups", args
		if _, err := c.CallTool(ctx, req); err != nil {
			t.Fatal(err)
		}
	}
	lines := strings.Split(strings.TrimSpace(logs.String()), "\n")
	if len(lines) != 2 || !strings.Contains(lines[0], "tool=list_groups error=false duration=") ||
		!strings.Contains(lines[1], "tool=list_groups error=true duration=") {
		t.Fatalf("want one line per call with its tool and outcome:\n%s", logs.String())
	}
	if strings.Contains(logs.String(), "secret-marker") || strings.Contains(logs.String(), "limit") {
		t.Fatalf("the arguments were logged:\n%s", logs.String())
	}
}
