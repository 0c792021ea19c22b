package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"

	mcpclient "github.com/mark3labs/mcp-go/client"
	"github.com/mark3labs/mcp-go/mcp"
	"golang.org/x/term"

	"github.com/partnerstack-mcp/partnerstack-mcp/internal/toolflags"
	"github.com/partnerstack-mcp/partnerstack-mcp/tools"
)

// callFlags: `call TOOL` runs one tool through the same validation and
// output as over MCP. The tool's own arguments are flags too (toolargs.go).
func callFlags(fs *flag.FlagSet) func(context.Context, *invocation) error {
	rawArgs := fs.String("args", "{}", "the tool's arguments as one `JSON` object; a flag for the same argument wins")
	asJSON := fs.Bool("json", false, "print the result as JSON (structuredContent), the default when stdout is not a terminal")
	asText := fs.Bool("text", false, "print the result's text form (a table for lists), the default on a terminal")
	return func(ctx context.Context, in *invocation) error {
		if *asJSON && *asText {
			return usagef("call: --json and --text exclude each other")
		}
		text := *asText || (!*asJSON && isTerminal(in.stdout))
		return callTool(ctx, in, *rawArgs, text)
	}
}

// isTerminal reports whether w is a terminal (not a pipe, file or /dev/null).
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}

func callTool(ctx context.Context, in *invocation, rawArgs string, text bool) error {
	name := in.args[0]
	base, err := decodeArgs(rawArgs)
	if err != nil || base == nil {
		return usagef(`--args must be a JSON object, e.g. --args '{"limit":5}'`)
	}
	raw := json.RawMessage(rawArgs) // sent as typed unless a flag adds to it
	if in.tool != nil {
		if merged := in.tool.Arguments(base); in.tool.Given() {
			if raw, err = json.Marshal(merged); err != nil {
				return err
			}
		}
	}
	o := in.opts
	// Naming a tool is explicit, so call reaches every toolset, the opt-in
	// ones too, unless the command line or environment chose toolsets or
	// tools; --read-only and --exclude-tools still apply.
	if !o.given["toolsets"] && !o.fromEnv["toolsets"] && !o.given["tools"] && !o.fromEnv["tools"] {
		o.toolsets = string(tools.ToolsetAll)
	}
	// One call needs no progress notes on the terminal: warnings and
	// errors only, unless a level was asked for.
	level := o.logLevel
	if !o.given["log-level"] && !o.fromEnv["log-level"] {
		level = "warn"
	}
	logger, err := newLogger(level, in.stderr)
	if err != nil {
		return err
	}
	a, err := build(o, logger)
	if err != nil {
		return err
	}
	defer a.close()
	c, err := connect(ctx, a.server)
	if err != nil {
		return err
	}
	defer c.Close()
	if err := enabled(ctx, c, name, o); err != nil {
		return err
	}
	req := mcp.CallToolRequest{}
	req.Params.Name = name
	req.Params.RawArguments = raw
	res, err := c.CallTool(ctx, req)
	if err != nil {
		return fmt.Errorf("call %s: %w", name, err)
	}
	// A tool error goes to stderr, so stdout holds only successful results
	// (handy for piping into jq); the exit code tells the two apart.
	if res.IsError {
		printText(in.stderr, res, in.tool)
		return errToolFailed
	}
	// structuredContent is JSON; the text content of a list is a table, the
	// form people and text-reading hosts get.
	if !text && res.StructuredContent != nil {
		raw, err := json.Marshal(res.StructuredContent)
		if err != nil {
			return err
		}
		fmt.Fprintln(in.stdout, string(raw))
		return nil
	}
	printText(in.stdout, res, nil)
	return nil
}

// forPeople indents a text form that is JSON (a single object's), for
// reading on a terminal; a table stays as it is.
func forPeople(text string) string {
	var b bytes.Buffer
	if t := strings.TrimSpace(text); (strings.HasPrefix(t, "{") || strings.HasPrefix(t, "[")) && json.Indent(&b, []byte(t), "", "  ") == nil {
		return b.String()
	}
	return text
}

// decodeArgs reads --args, one JSON object, with numbers kept exact.
func decodeArgs(raw string) (map[string]any, error) {
	dec := json.NewDecoder(strings.NewReader(raw))
	dec.UseNumber()
	var m map[string]any
	if err := dec.Decode(&m); err != nil {
		return nil, err
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, errors.New("trailing data after the object")
	}
	return m, nil
}

// printText prints the text content: a result's for people (JSON indented),
// or an error's with its argument errors naming the flags as typed.
func printText(w io.Writer, res *mcp.CallToolResult, flags *toolflags.Set) {
	for _, content := range res.Content {
		if t, ok := content.(mcp.TextContent); ok {
			text := t.Text
			if flags != nil {
				text = flags.Rename(text)
			} else {
				text = forPeople(text)
			}
			fmt.Fprintln(w, text)
		}
	}
}

// enabled checks that the server offers the tool, and otherwise says how to
// get it: the toolset to add, or the filter that removed it.
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
	t := catalogTool(name)
	if t == nil {
		return unknownTool(name)
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
	why := fmt.Sprintf("is in the toolset %s, which is not enabled", t.Toolset)
	if t.OptIn && slices.ContainsFunc(offered.Tools, func(o mcp.Tool) bool { return inToolset(o.Name, t.Toolset) }) {
		why = fmt.Sprintf("is an opt-in tool of the toolset %s, offered only when that toolset is named", t.Toolset)
	}
	return usagef("tool %s %s; enable it with --toolsets %s,%s (or --tools %s)", name, why, sets, t.Toolset, name)
}

// inToolset reports whether the named tool belongs to toolset ts.
func inToolset(name string, ts tools.ToolsetID) bool {
	t := catalogTool(name)
	return t != nil && t.Toolset == ts
}

// catalogTool is the tool of that name among every toolset's, or nil.
func catalogTool(name string) *tools.Tool {
	for _, t := range tools.All(tools.Deps{}) {
		if t.Def.Name == name {
			return &t
		}
	}
	return nil
}

func unknownTool(name string) error {
	var names []string
	for _, t := range tools.All(tools.Deps{}) {
		names = append(names, t.Def.Name)
	}
	msg := fmt.Sprintf("unknown tool %q", name)
	if near := closest(name, names); near != "" {
		msg += fmt.Sprintf("; did you mean %s?", near)
	}
	return usagef("%s (every tool: partnerstack-mcp tools --toolsets all)", msg)
}
