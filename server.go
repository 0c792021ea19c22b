// Package partnerstackmcp builds the PartnerStack MCP server from a
// configuration (tool selection, result budget, write guard, call timeout,
// per-request credentials): the tools of package tools, behind call logging.
// It knows nothing of PartnerStack's fields (tools and client) nor of HTTP
// hosting (httpserve); cmd/partnerstack-mcp serves what New builds.
package partnerstackmcp

import (
	"context"
	"log/slog"
	"time"

	"github.com/mark3labs/mcp-go/mcp"
	"github.com/mark3labs/mcp-go/server"
	"go.opentelemetry.io/otel/metric"

	"github.com/partnerstack-mcp/partnerstack-mcp/assets"
	"github.com/partnerstack-mcp/partnerstack-mcp/client"
	"github.com/partnerstack-mcp/partnerstack-mcp/credentials"
	"github.com/partnerstack-mcp/partnerstack-mcp/prompts"
	"github.com/partnerstack-mcp/partnerstack-mcp/schemas"
	"github.com/partnerstack-mcp/partnerstack-mcp/telemetry"
	"github.com/partnerstack-mcp/partnerstack-mcp/tools"
	"github.com/partnerstack-mcp/partnerstack-mcp/tools/dedupe"
)

// Name is the server's MCP implementation name.
const Name = "partnerstack-mcp"

// Version is set at build time with -ldflags "-X github.com/partnerstack-mcp/partnerstack-mcp.Version=v1.2.3".
var Version = "dev"

// Instructions tell the model in a few lines how the tools fit together.
const Instructions = `PartnerStack partner program tools.
- Keys: every object has a key; partners also have partner_key, customers your own customer_key. Find keys with list_* tools, then pass them to get/update tools.
- Money: amounts are integer cents (9900 = 99.00) with an ISO currency; rewards are USD cents.
- Lists: limit is the total wanted (default 25, max 500); pages are fetched for you. If has_more is true, call again with cursor = next_cursor. created_after/created_before take an ISO-8601 date or time, inclusive. fields adds raw API fields under extra. A list is one table: structuredContent holds count, has_more, next_cursor, columns and rows (one array of cells per item, in column order, null if absent); the text is the same table (a count line, a header row, one |-separated row per item). Dotted columns are nested fields; dates in rows are UTC days.
- Insights: from/to are ISO dates or times, inclusive (a date as to means its end; absent = unbounded); top = rows kept (default 10, 100 for day/week/month), the rest summed in other. They read whole lists within a time budget: if coverage.complete is false, call again with coverage.resume_token and the same arguments, and the answer covers all calls so far.
- Strings are at most 255 characters unless a schema says otherwise. An optional argument sent as null counts as not given.
- Writes: pass dry_run=true to get the exact API request (method, url, body) in the answer's dry_run, without sending it. If a write answers "outcome unknown", check with the list tool before retrying.`

// Config selects and shapes the tools the server offers.
type Config struct {
	// Tool selection (tools.Select): enabled toolsets (tools.ToolsetDefault
	// or tools.ToolsetAll; empty means the default ones unless Tools is set),
	// individual tools added to them, tools removed last (exclusion wins),
	// and no tool that writes.
	Toolsets     []tools.ToolsetID
	Tools        []string
	ExcludeTools []string
	ReadOnly     bool

	ResultBudget int // bytes per list result; 0 = tools.DefaultResultBudget
	Logger       *slog.Logger

	// DedupeWindow: how long an identical money write is refused (0 = the
	// default 10 min, negative = no guard). CallTimeout bounds one tool call
	// (0 = 60 s, negative = none). AllowLocalWebhooks is for the sandbox only.
	DedupeWindow       time.Duration
	CallTimeout        time.Duration
	AllowLocalWebhooks bool
	// DedupeStore is the guard's memory (nil: this process's); a shared one
	// (dedupe.Redis) protects every replica. DedupeAccount separates, in a
	// store shared by servers of several accounts, the writes made with the
	// server's own keys (credentials.KeyScope of them); callers with their
	// own keys are separated by those.
	DedupeStore   dedupe.Store
	DedupeAccount string

	// InsightConcurrency: pages one insight call reads at once (0 = 6).
	// InsightBudget: how long an insight reads before it answers with what
	// it has and a resume token (0 = 50 s; the call timeout bounds it too).
	InsightConcurrency int
	InsightBudget      time.Duration

	// Telemetry, when set, records the MCP operation histogram, a span per
	// tool call and the guard's counters (package telemetry); the client's
	// requests are recorded by the client it was built with.
	// NetworkTransport labels them: telemetry.TransportPipe (stdio) or
	// telemetry.TransportTCP.
	Telemetry        *telemetry.Telemetry
	NetworkTransport string

	// PerRequestCredentials: every tool call needs its caller's PartnerStack
	// keys in its context (package credentials; httpserve puts them there
	// from each request's headers), and one without answers a tool error
	// naming the headers. The client must come from credentials.ClientConfig.
	PerRequestCredentials bool
}

// New builds the MCP server over a PartnerStack client.
func New(c *client.Client, cfg Config) (*server.MCPServer, error) {
	logger := cfg.Logger
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	all := tools.All(tools.Deps{Client: c, ResultBudget: cfg.ResultBudget, Logger: logger,
		DedupeWindow: cfg.DedupeWindow, DedupeScope: dedupeScope(cfg.DedupeAccount), DedupeStore: cfg.DedupeStore,
		CallTimeout:        cfg.CallTimeout,
		AllowLocalWebhooks: cfg.AllowLocalWebhooks, Meters: meters(cfg.Telemetry),
		InsightConcurrency: cfg.InsightConcurrency, InsightBudget: cfg.InsightBudget})
	selected, err := tools.Select(all, tools.Selection{Toolsets: cfg.Toolsets, Tools: cfg.Tools,
		ExcludeTools: cfg.ExcludeTools, ReadOnly: cfg.ReadOnly})
	if err != nil {
		return nil, err
	}
	selected = tools.ShareShapes(selected)
	var opts []server.ServerOption
	hooks := &server.Hooks{}
	if cfg.Telemetry != nil {
		var names []string
		for _, t := range selected {
			names = append(names, t.Def.Name)
		}
		m, err := cfg.Telemetry.MCP(cfg.NetworkTransport, names)
		if err != nil {
			return nil, err
		}
		// First, so the span encloses every other middleware.
		hooks = m.Hooks()
		opts = append(opts, server.WithToolHandlerMiddleware(m.ToolSpans()))
	}
	// After the first tools/list, which a host sends right after initialize
	// and then waits for: so neither start-up nor that answer shares the CPU
	// with them, and a model's first call, seconds later, does not wait.
	hooks.AddAfterListTools(func(context.Context, any, *mcp.ListToolsRequest, *mcp.ListToolsResult) { schemas.Warm() })
	// Never nil: the stdio intake ties cancels to calls through the hooks
	// (GetHooks is nil without a set).
	opts = append(opts, server.WithHooks(hooks))
	opts = append(opts,
		server.WithTitle("PartnerStack"),
		server.WithIcons(assets.Icons()...),
		server.WithInstructions(Instructions),
		server.WithToolCapabilities(false),
		server.WithPromptCapabilities(false),
		server.WithRecovery(),
		server.WithToolHandlerMiddleware(logCalls(logger)),
	)
	if cfg.PerRequestCredentials {
		opts = append(opts, server.WithToolHandlerMiddleware(credentials.Require))
	}
	s := server.NewMCPServer(Name, Version, opts...)
	for _, t := range selected {
		s.AddTool(t.Def, t.Handler)
	}
	prompts.Register(s)
	return s, nil
}

func meters(t *telemetry.Telemetry) metric.MeterProvider {
	if t == nil {
		return nil
	}
	return t.Meters
}

// dedupeScope is the caller's scope when the request carries keys, else
// the server's own account.
func dedupeScope(account string) func(context.Context) string {
	return func(ctx context.Context) string {
		if s := credentials.Scope(ctx); s != "" {
			return s
		}
		return account
	}
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
