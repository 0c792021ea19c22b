package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"text/tabwriter"

	mcpclient "github.com/mark3labs/mcp-go/client"
	"github.com/mark3labs/mcp-go/mcp"
	"github.com/mark3labs/mcp-go/server"

	partnerstackmcp "github.com/partnerstack-mcp/partnerstack-mcp"
	"github.com/partnerstack-mcp/partnerstack-mcp/client"
)

// connect starts an in-process MCP client on s, so the CLI sees exactly
// what an MCP client would.
func connect(ctx context.Context, s *server.MCPServer) (*mcpclient.Client, error) {
	c, err := mcpclient.NewInProcessClient(s)
	if err != nil {
		return nil, err
	}
	if err := c.Start(ctx); err != nil {
		return nil, err
	}
	init := mcp.InitializeRequest{}
	init.Params.ProtocolVersion = mcp.LATEST_PROTOCOL_VERSION
	init.Params.ClientInfo = mcp.Implementation{Name: "partnerstack-mcp-cli", Version: partnerstackmcp.Version}
	if _, err := c.Initialize(ctx, init); err != nil {
		return nil, err
	}
	return c, nil
}

// toolsFlags: `tools` prints the catalogue as a table, or as tools/list JSON with --json.
func toolsFlags(fs *flag.FlagSet) func(context.Context, *invocation) error {
	asJSON := fs.Bool("json", false, "print the full tool definitions (tools/list) as JSON")
	return func(ctx context.Context, in *invocation) error { return listTools(ctx, in, *asJSON) }
}

func listTools(ctx context.Context, in *invocation, asJSON bool) error {
	o := in.opts
	// Listing tools sends no request, so it works before keys are configured.
	if !o.sandbox && (os.Getenv(client.EnvPublicKey) == "" || os.Getenv(client.EnvSecretKey) == "") {
		o.sandbox = true
	}
	a, err := build(o, slog.New(slog.DiscardHandler))
	if err != nil {
		return err
	}
	defer a.close()
	c, err := connect(ctx, a.server)
	if err != nil {
		return err
	}
	defer c.Close()
	res, err := c.ListTools(ctx, mcp.ListToolsRequest{})
	if err != nil {
		return err
	}
	if asJSON {
		enc := json.NewEncoder(in.stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(res)
	}
	w := tabwriter.NewWriter(in.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(w, "TOOL\tACCESS\tDESCRIPTION")
	for _, t := range res.Tools {
		access := "write"
		if t.Annotations.ReadOnlyHint != nil && *t.Annotations.ReadOnlyHint {
			access = "read"
		}
		fmt.Fprintf(w, "%s\t%s\t%s\n", t.Name, access, t.Description)
	}
	return w.Flush()
}

// closest returns the name within a few edits of s, if any.
func closest(s string, names []string) string {
	best, bestD := "", 4
	for _, n := range names {
		if d := editDistance(s, n); d < bestD {
			best, bestD = n, d
		}
	}
	return best
}

// editDistance is the Levenshtein distance (insertions, deletions, substitutions).
func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur := make([]int, len(b)+1)
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev = cur
	}
	return prev[len(b)]
}
