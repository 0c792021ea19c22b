package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strings"
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

// listTools prints the catalogue as a table, or as tools/list JSON with --json.
func listTools(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var asJSON bool
	o, _, err := parse("partnerstack-mcp tools", args, stderr, func(fs *flag.FlagSet) {
		fs.BoolVar(&asJSON, "json", false, "print the full tool definitions (tools/list) as JSON")
	})
	if err != nil {
		return err
	}
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
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(res)
	}
	w := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
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

// callTool runs one tool through the same validation and output as over MCP.
// It reports whether the tool answered with an error.
func callTool(ctx context.Context, args []string, stdout, stderr io.Writer) (bool, error) {
	if len(args) == 0 || strings.HasPrefix(args[0], "-") {
		fmt.Fprintln(stderr, "usage: partnerstack-mcp call TOOL [--args JSON] [--sandbox] [flags]")
		return false, errUsage
	}
	name := args[0]
	var rawArgs string
	o, fs, err := parse("partnerstack-mcp call", args[1:], stderr, func(fs *flag.FlagSet) {
		fs.StringVar(&rawArgs, "args", "{}", "tool arguments as a JSON object")
	})
	if err != nil {
		return false, err
	}
	logger, err := newLogger(o.logLevel, stderr)
	if err != nil {
		return false, err
	}
	a, err := build(o, logger)
	if err != nil {
		return false, err
	}
	defer a.close()
	var arguments map[string]any
	if err := json.Unmarshal([]byte(rawArgs), &arguments); err != nil || arguments == nil {
		return false, errors.New("--args must be a JSON object, e.g. --args '{\"limit\":5}'")
	}
	if fs.NArg() > 0 {
		return false, fmt.Errorf("call: unexpected argument %q; pass tool arguments as JSON with --args", fs.Arg(0))
	}
	c, err := connect(ctx, a.server)
	if err != nil {
		return false, err
	}
	defer c.Close()
	req := mcp.CallToolRequest{}
	req.Params.Name = name
	req.Params.Arguments = arguments
	req.Params.RawArguments = json.RawMessage(rawArgs)
	res, err := c.CallTool(ctx, req)
	if err != nil {
		return false, fmt.Errorf("call %s: %w (see the tools with: partnerstack-mcp tools)", name, err)
	}
	// A tool error goes to stderr, so stdout holds only successful results
	// (handy for piping into jq); the exit code tells the two apart.
	out := stdout
	if res.IsError {
		out = stderr
	}
	// structuredContent is JSON; the text content of a list is a table for
	// models, so stdout gets the JSON when there is one.
	if !res.IsError && res.StructuredContent != nil {
		raw, err := json.Marshal(res.StructuredContent)
		if err != nil {
			return false, err
		}
		fmt.Fprintln(out, string(raw))
		return false, nil
	}
	for _, content := range res.Content {
		if t, ok := content.(mcp.TextContent); ok {
			fmt.Fprintln(out, t.Text)
		}
	}
	return res.IsError, nil
}
