package tools

import (
	"context"
	"log/slog"
	"time"

	"github.com/mark3labs/mcp-go/mcp"
	"github.com/mark3labs/mcp-go/server"

	"github.com/partnerstack-mcp/partnerstack-mcp/client"
)

// ToolsetID names a toolset: what --toolsets takes and Tool.Toolset holds.
type ToolsetID string

// The toolsets, in display order (Toolsets), and the two names that stand
// for several: ToolsetDefault (the Default ones) and ToolsetAll.
const (
	ToolsetPartnerships ToolsetID = "partnerships"
	ToolsetGroups       ToolsetID = "groups"
	ToolsetCustomers    ToolsetID = "customers"
	ToolsetTransactions ToolsetID = "transactions"
	ToolsetDeals        ToolsetID = "deals"
	ToolsetLeads        ToolsetID = "leads"
	ToolsetRewards      ToolsetID = "rewards"
	ToolsetInsights     ToolsetID = "insights"
	ToolsetActions      ToolsetID = "actions"
	ToolsetWebhooks     ToolsetID = "webhooks"

	ToolsetDefault ToolsetID = "default"
	ToolsetAll     ToolsetID = "all"
)

// Toolset is a named group of tools that can be enabled as a unit.
type Toolset struct {
	ID          ToolsetID
	Description string
	// Default toolsets are offered when the configuration names none. The
	// others are integration plumbing, normally driven by the company's own
	// backend rather than by someone running the program: they cost every
	// session tool-definition tokens, and webhooks can send program data to
	// any URL, so an agent gets them only when asked for (--toolsets all).
	Default bool
}

// Toolsets is the catalogue of toolsets, in display order.
var Toolsets = []Toolset{
	{ToolsetPartnerships, "Partners in the program: list, look up, invite, update, archive.", true},
	{ToolsetGroups, "Partner groups.", true},
	{ToolsetCustomers, "Customers referred by partners.", true},
	{ToolsetTransactions, "Payments and refunds that drive commissions.", true},
	{ToolsetDeals, "Partner-registered deals.", true},
	{ToolsetLeads, "Partner-submitted leads.", true},
	{ToolsetRewards, "Partner rewards (commissions).", true},
	{ToolsetInsights, "Whole-program answers in one call: revenue, leaderboards, pipeline, rewards.", true},
	{ToolsetActions, "Custom actions (signups, upgrades) that trigger rewards; usually sent by your product.", false},
	{ToolsetWebhooks, "Webhook subscriptions.", false},
}

// DefaultToolsets names the toolsets offered when none is configured.
func DefaultToolsets() []ToolsetID {
	var ids []ToolsetID
	for _, ts := range Toolsets {
		if ts.Default {
			ids = append(ids, ts.ID)
		}
	}
	return ids
}

// DefaultResultBudget is the default byte budget of one tool result.
const DefaultResultBudget = 16 << 10

// Deps is what the tools need at run time.
type Deps struct {
	Client       *client.Client
	ResultBudget int // bytes per list result; 0 means DefaultResultBudget
	Logger       *slog.Logger
	// InsightPageCap bounds the upstream pages one insight call reads; 0
	// means DefaultInsightPageCap. Reaching it gives a result marked incomplete.
	InsightPageCap int
	// InsightWindows is how many time windows of a bounded range an insight
	// reads in parallel; 0 means DefaultInsightWindows, 1 reads sequentially.
	InsightWindows int

	// DedupeWindow is how long record_transaction, create_reward and
	// record_action remember a call to refuse an identical one (dedupe.go);
	// 0 means DefaultDedupeWindow, negative disables the guard.
	DedupeWindow time.Duration
	// DedupeScope, when set, separates the guard's memory per caller (e.g.
	// per tenant on a shared server), so one caller's writes never block or
	// reveal another's.
	DedupeScope func(context.Context) string
	// CallTimeout bounds one tool call, upstream retries included; 0 means
	// DefaultCallTimeout, negative means no limit.
	CallTimeout time.Duration
	// AllowLocalWebhooks lets create_webhook target http, loopback, private
	// and link-local addresses: only for the embedded sandbox.
	AllowLocalWebhooks bool

	guard *dedupeGuard // built by All from DedupeWindow
}

// DefaultCallTimeout bounds one tool call when Deps.CallTimeout is 0.
const DefaultCallTimeout = 60 * time.Second

func (d Deps) budget() int {
	if d.ResultBudget <= 0 {
		return DefaultResultBudget
	}
	return d.ResultBudget
}

// All returns every tool, in catalogue order. The definitions (schemas) are
// built here once; handlers close over d.
// Pass the tools you offer through ShareShapes before listing them.
func All(d Deps) []Tool {
	d.guard = newDedupeGuard(d.DedupeWindow, d.DedupeScope)
	var all []Tool
	for _, group := range [][]Tool{
		partnershipTools(d), groupTools(d), customerTools(d), transactionTools(d),
		dealTools(d), leadTools(d), actionTools(d), rewardTools(d), webhookTools(d),
		insightTools(d),
	} {
		all = append(all, group...)
	}
	timeout := d.CallTimeout
	if timeout == 0 {
		timeout = DefaultCallTimeout
	}
	if timeout > 0 {
		for i := range all {
			all[i].Handler = withDeadline(all[i].Handler, timeout)
		}
	}
	return all
}

// withDeadline bounds a call: when it passes, the context ends, the
// request in flight is abandoned and no further page is fetched.
func withDeadline(h server.ToolHandlerFunc, limit time.Duration) server.ToolHandlerFunc {
	return func(ctx context.Context, req mcp.CallToolRequest) (*mcp.CallToolResult, error) {
		ctx, cancel := context.WithTimeout(ctx, limit)
		defer cancel()
		return h(ctx, req)
	}
}
