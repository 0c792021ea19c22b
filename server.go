// Package partnerstackmcp builds the PartnerStack MCP server from a
// configuration (toolsets, tool filters, read-only mode, middleware) and
// serves it over stdio, SSE or streamable HTTP. It knows nothing of
// PartnerStack's fields: those live in tools and client.
package partnerstackmcp

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"slices"
	"sort"
	"strings"
	"sync/atomic"
	"time"

	"github.com/mark3labs/mcp-go/mcp"
	"github.com/mark3labs/mcp-go/server"

	"github.com/partnerstack-mcp/partnerstack-mcp/assets"
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
- Lists: limit is the total wanted (default 25, max 500); pages are fetched for you. If has_more is true, call again with cursor = next_cursor. created_after/created_before take an ISO-8601 date or time, inclusive. fields adds raw API fields under extra. A list's text is a table: a count/has_more/next_cursor line, a header row, one row per item (nested objects as dotted columns).
- Strings are at most 255 characters unless a schema says otherwise.
- Writes: pass dry_run=true to get the exact API request (method, url, body) without sending it. If a write answers "outcome unknown", check with the list tool before retrying.`

// Config selects and shapes the tools the server offers.
type Config struct {
	Toolsets     []string // enabled toolsets, "default" or "all"; empty means the default ones (unless Tools is set)
	Tools        []string // individual tools, added to the toolsets
	ExcludeTools []string // removed last: exclusion wins
	ReadOnly     bool     // offer no tool that writes

	ResultBudget int // bytes per list result; 0 = tools.DefaultResultBudget
	Logger       *slog.Logger

	// DedupeWindow: how long an identical money write is refused (0 = the
	// default 10 min, negative = no guard). CallTimeout bounds one tool call
	// (0 = 60 s, negative = none). AllowLocalWebhooks is for the sandbox only.
	DedupeWindow       time.Duration
	CallTimeout        time.Duration
	AllowLocalWebhooks bool

	HTTP HTTPConfig // hardening of the sse and http transports (httpguard.go)
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
	if err := unknown("toolset", cfg.Toolsets, toolsets, "all", "default"); err != nil {
		return nil, err
	}
	if err := unknown("tool", cfg.Tools, known); err != nil {
		return nil, err
	}
	if err := unknown("tool", cfg.ExcludeTools, known); err != nil {
		return nil, err
	}
	sets := slices.Clone(cfg.Toolsets)
	if (len(sets) == 0 && len(cfg.Tools) == 0) || slices.Contains(sets, "default") {
		sets = append(sets, tools.DefaultToolsets()...)
	}
	allSets := slices.Contains(sets, "all")
	var out []tools.Tool
	for _, t := range all {
		on := allSets || slices.Contains(sets, t.Toolset) || slices.Contains(cfg.Tools, t.Def.Name)
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
	all := tools.All(tools.Deps{Client: c, ResultBudget: cfg.ResultBudget, Logger: logger,
		DedupeWindow: cfg.DedupeWindow, DedupeScope: callerScope, CallTimeout: cfg.CallTimeout,
		AllowLocalWebhooks: cfg.AllowLocalWebhooks})
	selected, err := SelectTools(all, cfg)
	if err != nil {
		return nil, err
	}
	selected = tools.ShareShapes(selected)
	opts := []server.ServerOption{
		server.WithTitle("PartnerStack"),
		server.WithIcons(assets.Icons()...),
		server.WithInstructions(Instructions),
		server.WithToolCapabilities(false),
		server.WithRecovery(),
		server.WithToolHandlerMiddleware(logCalls(logger)),
	}
	if cfg.HTTP.PerRequestCredentials {
		opts = append(opts, server.WithToolHandlerMiddleware(requireRequestKeys))
	}
	s := server.NewMCPServer(Name, Version, opts...)
	for _, t := range selected {
		s.AddTool(t.Def, t.Handler)
	}
	return s, nil
}

// callerScope separates the duplicate-write guard's memory per caller when
// keys come with each request (--per-request-credentials): one account's
// writes must never block, or be described to, another account. Both keys
// count: the guard answers before PartnerStack has checked the secret, so a
// public key alone must not open another caller's memory.
func callerScope(ctx context.Context) string {
	if k, ok := keysFrom(ctx); ok {
		sum := sha256.Sum256([]byte(k.public + "\x00" + k.secret))
		return hex.EncodeToString(sum[:])
	}
	return ""
}

// logCalls logs each tool call's name, outcome and duration (never arguments).
func logCalls(logger *slog.Logger) server.ToolHandlerMiddleware {
	return func(next server.ToolHandlerFunc) server.ToolHandlerFunc {
		return func(ctx context.Context, req mcp.CallToolRequest) (*mcp.CallToolResult, error) {
			start := time.Now()
			res, err := next(ctx, req)
			// Checked first: the attributes would be built (and allocated)
			// even for a level that is off.
			if logger.Enabled(ctx, slog.LevelInfo) {
				isErr := err != nil || (res != nil && res.IsError)
				logger.InfoContext(ctx, "tool call", "tool", req.Params.Name, "error", isErr, "duration", time.Since(start))
			}
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
// /message, behind the default guard (HTTPConfig{}). baseURL is the public
// address SSE clients are told to post to.
func HTTPHandler(s *server.MCPServer, transport, baseURL string) (http.Handler, error) {
	t, err := newHTTPTransport(s, transport, baseURL, HTTPConfig{}, nil)
	if err != nil {
		return nil, err
	}
	return t.handler, nil
}

// httpTransport is a guarded MCP handler plus what a graceful stop needs.
type httpTransport struct {
	handler http.Handler
	path    string
	// closeStreams ends the long-lived streams that http.Server.Shutdown
	// would otherwise wait on forever.
	closeStreams func(context.Context)
}

func newHTTPTransport(s *server.MCPServer, transport, baseURL string, hc HTTPConfig, logger *slog.Logger) (*httpTransport, error) {
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	mux := http.NewServeMux()
	t := &httpTransport{}
	switch transport {
	case TransportHTTP:
		opts := []server.StreamableHTTPOption{
			// No standing GET stream: this server sends nothing unprompted, and mcp-go
			// would copy a request's progress notifications onto that stream too,
			// so clients could see progress out of order.
			server.WithDisableStreaming(true),
			server.WithStreamableHTTPLogger(logger),
		}
		if hc.Stateless {
			// No Mcp-Session-Id at all: any instance answers any request.
			opts = append(opts, server.WithStateLess(true))
		} else {
			// Sessions are validated (404 after DELETE or expiry, so clients
			// re-initialize) and bounded in number and idle time.
			opts = append(opts, server.WithSessionIdManager(newSessionIDs(sessionIdleTTL, maxSessions)),
				server.WithSessionIdleTTL(sessionIdleTTL))
		}
		h := server.NewStreamableHTTPServer(s, opts...)
		mux.Handle("/mcp", h)
		t.path, t.closeStreams = "/mcp", h.CloseSessions
	case TransportSSE:
		sse := server.NewSSEServer(s, server.WithBaseURL(baseURL), server.WithKeepAlive(true))
		mux.Handle("/sse", sse.SSEHandler())
		mux.Handle("/message", sse.MessageHandler())
		t.path, t.closeStreams = "/sse", func(context.Context) { sse.CloseSessions() }
	default:
		return nil, fmt.Errorf("transport %q has no HTTP handler", transport)
	}
	g, err := newGuard(mux, hc, logger)
	if err != nil {
		return nil, err
	}
	t.handler = g
	return t, nil
}

// ServeHTTP listens on addr until ctx ends, then stops gracefully: no new
// connections, tool calls in flight finish (up to hc's shutdown timeout),
// then open streams are closed.
//
// Timeouts: ReadHeaderTimeout and a per-request body deadline (see
// bodyReadTimeout) bound slow clients; WriteTimeout stays 0 because an SSE
// stream, or a tool call answered as a stream, legitimately lasts longer
// than any fixed write deadline (calls are bounded by the PartnerStack
// client's timeouts and page caps instead); IdleTimeout reaps idle
// keep-alive connections.
func ServeHTTP(ctx context.Context, s *server.MCPServer, transport, addr string, hc HTTPConfig, logger *slog.Logger) error {
	if err := hc.CheckListenAddr(addr); err != nil {
		return err
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return err
	}
	// A name may resolve differently at bind time: check what was bound.
	if tcp, ok := ln.Addr().(*net.TCPAddr); ok && hc.Token == "" && !tcp.IP.IsLoopback() {
		ln.Close()
		return hc.CheckListenAddr(ln.Addr().String())
	}
	base := "http://" + ln.Addr().String()
	t, err := newHTTPTransport(s, transport, base, hc, logger)
	if err != nil {
		ln.Close()
		return err
	}
	var calls inflight
	s.Use(calls.track)
	srv := &http.Server{
		Handler:           t.handler,
		ReadHeaderTimeout: 10 * time.Second,
		IdleTimeout:       2 * time.Minute,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          slog.NewLogLogger(logger.Handler(), slog.LevelDebug),
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	logger.Info("serving MCP", "transport", transport, "url", base+t.path,
		"token", hc.Token != "", "stateless", hc.Stateless, "per_request_credentials", hc.PerRequestCredentials)
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	logger.Info("shutting down: waiting for calls in flight", "calls", calls.n.Load())
	stop, cancel := context.WithTimeout(context.Background(), hc.shutdownTimeout())
	defer cancel()
	done := make(chan error, 1)
	go func() { done <- srv.Shutdown(stop) }() // closes the listener, waits for requests
	calls.wait(stop)                           // SSE calls run after their POST has returned
	t.closeStreams(stop)
	err = <-done
	if err != nil {
		srv.Close()
		logger.Warn("shutdown timed out; connections closed", "calls_unfinished", calls.n.Load())
	}
	return err
}

// inflight counts running tool calls so a shutdown can wait for them.
type inflight struct{ n atomic.Int64 }

func (c *inflight) track(next server.ToolHandlerFunc) server.ToolHandlerFunc {
	return func(ctx context.Context, req mcp.CallToolRequest) (*mcp.CallToolResult, error) {
		c.n.Add(1)
		defer c.n.Add(-1)
		return next(ctx, req)
	}
}

// wait returns once no call is running, or when ctx ends.
func (c *inflight) wait(ctx context.Context) {
	tick := time.NewTicker(10 * time.Millisecond)
	defer tick.Stop()
	for c.n.Load() > 0 {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
	}
	// An SSE answer is queued on its stream just after the call returns.
	select {
	case <-time.After(100 * time.Millisecond):
	case <-ctx.Done():
	}
}
