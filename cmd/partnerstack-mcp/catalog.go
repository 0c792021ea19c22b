package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"slices"
	"text/tabwriter"

	mcpclient "github.com/mark3labs/mcp-go/client"
	"github.com/mark3labs/mcp-go/mcp"
	"github.com/mark3labs/mcp-go/server"

	partnerstackmcp "github.com/partnerstack-mcp/partnerstack-mcp"
	"github.com/partnerstack-mcp/partnerstack-mcp/client"
	"github.com/partnerstack-mcp/partnerstack-mcp/tools"
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

// callFlags: `call TOOL` runs one tool through the same validation and
// output as over MCP.
func callFlags(fs *flag.FlagSet) func(context.Context, *invocation) error {
	rawArgs := fs.String("args", "{}", "the tool's arguments as one `JSON` object")
	return func(ctx context.Context, in *invocation) error { return callTool(ctx, in, *rawArgs) }
}

func callTool(ctx context.Context, in *invocation, rawArgs string) error {
	name := in.args[0]
	var arguments map[string]any
	if err := json.Unmarshal([]byte(rawArgs), &arguments); err != nil || arguments == nil {
		return usagef(`--args must be a JSON object, e.g. --args '{"limit":5}'`)
	}
	// One call needs no progress notes on the terminal: warnings and
	// errors only, unless a level was asked for.
	level := in.opts.logLevel
	if !in.opts.given["log-level"] && !in.opts.fromEnv["log-level"] {
		level = "warn"
	}
	logger, err := newLogger(level, in.stderr)
	if err != nil {
		return err
	}
	a, err := build(in.opts, logger)
	if err != nil {
		return err
	}
	defer a.close()
	c, err := connect(ctx, a.server)
	if err != nil {
		return err
	}
	defer c.Close()
	if err := enabled(ctx, c, name, in.opts); err != nil {
		return err
	}
	req := mcp.CallToolRequest{}
	req.Params.Name = name
	req.Params.Arguments = arguments
	req.Params.RawArguments = json.RawMessage(rawArgs)
	res, err := c.CallTool(ctx, req)
	if err != nil {
		return fmt.Errorf("call %s: %w", name, err)
	}
	// A tool error goes to stderr, so stdout holds only successful results
	// (handy for piping into jq); the exit code tells the two apart.
	if res.IsError {
		printText(in.stderr, res)
		return errToolFailed
	}
	// structuredContent is JSON; the text content of a list is a table for
	// models, so stdout gets the JSON when there is one.
	if res.StructuredContent != nil {
		raw, err := json.Marshal(res.StructuredContent)
		if err != nil {
			return err
		}
		fmt.Fprintln(in.stdout, string(raw))
		return nil
	}
	printText(in.stdout, res)
	return nil
}

func printText(w io.Writer, res *mcp.CallToolResult) {
	for _, content := range res.Content {
		if t, ok := content.(mcp.TextContent); ok {
			fmt.Fprintln(w, t.Text)
		}
	}
}

// enabled checks that the server offers the tool, and otherwise says how to
// get it: the toolset to add, the filter that removed it, or a close name.
func enabled(ctx context.Context, c *mcpclient.Client, name string, o *options) error {
	offered, err := c.ListTools(ctx, mcp.ListToolsRequest{})
	if err != nil {
		return err
	}
	for _, t := range offered.Tools {
		if t.Name == name {
			return nil
		}
	}
	all := tools.All(tools.Deps{})
	for _, t := range all {
		if t.Def.Name != name {
			continue
		}
		switch {
		case slices.Contains(splitList(o.excludeTools), name):
			return usagef("tool %s is disabled by %s", name, o.source("exclude-tools"))
		case o.readOnly && !t.ReadOnly():
			return usagef("tool %s changes data, and %s is on", name, o.source("read-only"))
		}
		sets := o.toolsets
		if sets == "" {
			sets = "default"
		}
		return usagef("tool %s is in the toolset %s, which is not enabled; enable it with --toolsets %s,%s (or --tools %s)",
			name, t.Toolset, sets, t.Toolset, name)
	}
	var names []string
	for _, t := range all {
		names = append(names, t.Def.Name)
	}
	msg := fmt.Sprintf("unknown tool %q", name)
	if near := closest(name, names); near != "" {
		msg += fmt.Sprintf("; did you mean %s?", near)
	}
	return usagef("%s (every tool: partnerstack-mcp tools --toolsets all)", msg)
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
