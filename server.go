// Package partnerstackmcp builds the PartnerStack MCP server from a
// configuration (toolsets, tool filters, read-only mode, middleware) and
// serves it over stdio, SSE or streamable HTTP. It knows nothing of
// PartnerStack's fields: those live in tools and client.
package partnerstackmcp

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/mark3labs/mcp-go/mcp"
	"github.com/mark3labs/mcp-go/server"

	"github.com/partnerstack-mcp/partnerstack-mcp/client"
	"github.com/partnerstack-mcp/partnerstack-mcp/tools"
)

// Name is the server's MCP implementation name.
const Name = "partnerstack-mcp"

// Version is set at build time with -ldflags "-X github.com/partnerstack-mcp/partnerstack-mcp.Version=v1.2.3".
var Version = "dev"

// Instructions tell the model in a few lines how the tools fit together.
const Instructions = `PartnerStack partner program tools.
- Keys: every object has a key; partners also have partner_key, customers your own customer_key. Find keys with list_* tools, then pass them to get/update tools.
- Money: amounts are integer cents (9900 = 99.00) with an ISO currency; rewards are USD cents.
- Lists: limit is the total wanted (default 25, max 500). If has_more is true, call again with cursor = next_cursor. Dates are ISO-8601.
- Writes: pass dry_run=true to preview the exact API request. If a write answers "outcome unknown", check with the list tool before retrying.`

// Config selects and shapes the tools the server offers.
type Config struct {
	Toolsets     []string // enabled toolsets; empty means all (unless Tools is set)
	Tools        []string // individual tools, added to the toolsets
	ExcludeTools []string // removed last: exclusion wins
	ReadOnly     bool     // offer no tool that writes

	ResultBudget int // bytes per list result; 0 = tools.DefaultResultBudget
	Logger       *slog.Logger
}

// SelectTools applies the configuration to the full catalogue and fails on
// unknown names, so a typo stops start-up instead of silently hiding tools.
func SelectTools(all []tools.Tool, cfg Config) ([]tools.Tool, error) {
	known := map[string]bool{}
	for _, t := range all {
		known[t.Def.Name] = true
	}
	toolsets := map[string]bool{}
	for _, ts := range tools.Toolsets {
		toolsets[ts.Name] = true
	}
	if err := unknown("toolset", cfg.Toolsets, toolsets, "all"); err != nil {
		return nil, err
	}
	if err := unknown("tool", cfg.Tools, known); err != nil {
		return nil, err
	}
	if err := unknown("tool", cfg.ExcludeTools, known); err != nil {
		return nil, err
	}
	allSets := (len(cfg.Toolsets) == 0 && len(cfg.Tools) == 0) || slices.Contains(cfg.Toolsets, "all")
	var out []tools.Tool
	for _, t := range all {
		on := allSets || slices.Contains(cfg.Toolsets, t.Toolset) || slices.Contains(cfg.Tools, t.Def.Name)
		if !on || slices.Contains(cfg.ExcludeTools, t.Def.Name) || (cfg.ReadOnly && !t.ReadOnly()) {
			continue
		}
		out = append(out, t)
	}
	if len(out) == 0 {
		return nil, errors.New("the configuration enables no tools; check --toolsets, --tools, --exclude-tools and --read-only")
	}
	return out, nil
}

func unknown(what string, names []string, known map[string]bool, extra ...string) error {
	for _, n := range names {
		if !known[n] && !slices.Contains(extra, n) {
			valid := append(slices.Collect(func(yield func(string) bool) {
				for k := range known {
					if !yield(k) {
						return
					}
				}
			}), extra...)
			sort.Strings(valid)
			return fmt.Errorf("unknown %s %q; valid: %s", what, n, strings.Join(valid, ", "))
		}
	}
	return nil
}

// New builds the MCP server over a PartnerStack client.
func New(c *client.Client, cfg Config) (*server.MCPServer, error) {
	logger := cfg.Logger
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	all := tools.All(tools.Deps{Client: c, ResultBudget: cfg.ResultBudget, Logger: logger})
	selected, err := SelectTools(all, cfg)
	if err != nil {
		return nil, err
	}
	s := server.NewMCPServer(Name, Version,
		server.WithTitle("PartnerStack"),
		server.WithInstructions(Instructions),
		server.WithToolCapabilities(false),
		server.WithRecovery(),
		server.WithToolHandlerMiddleware(logCalls(logger)),
	)
	for _, t := range selected {
		s.AddTool(t.Def, t.Handler)
	}
	return s, nil
}

// logCalls logs each tool call's name, outcome and duration (never arguments).
func logCalls(logger *slog.Logger) server.ToolHandlerMiddleware {
	return func(next server.ToolHandlerFunc) server.ToolHandlerFunc {
		return func(ctx context.Context, req mcp.CallToolRequest) (*mcp.CallToolResult, error) {
			start := time.Now()
			res, err := next(ctx, req)
			isErr := err != nil || (res != nil && res.IsError)
			logger.InfoContext(ctx, "tool call", "tool", req.Params.Name, "error", isErr, "duration", time.Since(start))
			return res, err
		}
	}
}

// Transports the server speaks.
const (
	TransportStdio = "stdio"
	TransportSSE   = "sse"
	TransportHTTP  = "http"
)

// HTTPHandler serves streamable HTTP at /mcp, or legacy SSE at /sse and
// /message. baseURL is the public address SSE clients are told to post to.
func HTTPHandler(s *server.MCPServer, transport, baseURL string) (http.Handler, error) {
	mux := http.NewServeMux()
	switch transport {
	case TransportHTTP:
		// No standing GET stream: this server sends nothing unprompted, and mcp-go
		// would copy a request's progress notifications onto that stream too,
		// so clients could see progress out of order.
		mux.Handle("/mcp", server.NewStreamableHTTPServer(s, server.WithDisableStreaming(true)))
	case TransportSSE:
		sse := server.NewSSEServer(s, server.WithBaseURL(baseURL), server.WithKeepAlive(true))
		mux.Handle("/sse", sse.SSEHandler())
		mux.Handle("/message", sse.MessageHandler())
	default:
		return nil, fmt.Errorf("transport %q has no HTTP handler", transport)
	}
	return mux, nil
}

// ServeHTTP listens on addr until ctx ends, then shuts down gracefully.
func ServeHTTP(ctx context.Context, s *server.MCPServer, transport, addr string, logger *slog.Logger) error {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return err
	}
	h, err := HTTPHandler(s, transport, "http://"+ln.Addr().String())
	if err != nil {
		ln.Close()
		return err
	}
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	path := "/mcp"
	if transport == TransportSSE {
		path = "/sse"
	}
	logger.Info("serving MCP", "transport", transport, "url", "http://"+ln.Addr().String()+path)
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	shutdown, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	return srv.Shutdown(shutdown)
}
