package tools

import (
	"context"
	"time"

	"github.com/mark3labs/mcp-go/mcp"
	"github.com/mark3labs/mcp-go/server"
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
	ToolsetApplications ToolsetID = "applications"
	ToolsetReports      ToolsetID = "reports"
	ToolsetTiers        ToolsetID = "tiers"
	ToolsetProducts     ToolsetID = "products"

	ToolsetDefault ToolsetID = "default"
	ToolsetAll     ToolsetID = "all"
)

// Toolset is a named group of tools that can be enabled as a unit.
type Toolset struct {
	ID          ToolsetID
	Description string
	// Default toolsets are offered when the configuration names none. Every
	// toolset holding one of the common operations is (the seed's list,
	// create, record and delete tools for partners, customers, transactions,
	// deals, actions, rewards, leads, groups and webhooks): the server exists
	// to offer them, and a host that lists no tool cannot call it. A toolset
	// that adds breadth beyond them may start opt-in (--toolsets all, or
	// default,<name>). Within a default toolset, single tools may be opt-in
	// too (Tool.OptIn): the rarer operations of a family.
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
	{ToolsetApplications, "Applications to join the program: the backlog, approve or decline.", true},
	{ToolsetInsights, "Whole-program answers in one call: revenue, leaderboards, pipeline, rewards.", true},
	{ToolsetActions, "Custom actions (signups, upgrades) that trigger rewards; usually sent by your product.", true},
	{ToolsetWebhooks, "Webhook subscriptions.", true},
	{ToolsetReports, "Saved reports and their exports: click and performance metrics.", false},
	{ToolsetTiers, "Partner tiers.", false},
	{ToolsetProducts, "The product book transactions are attributed to.", false},
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

// All returns every tool, in catalogue order. The definitions (schemas) are
// built here once; handlers close over d.
// Pass the tools you offer through ShareShapes before listing them.
func All(d Deps) []Tool {
	d.guard = newDedupeGuard(d.DedupeWindow, d.DedupeScope, d.DedupeStore, d.Logger, d.Meters)
	d.exports = newExportLimits(d)
	var all []Tool
	for _, group := range [][]Tool{
		partnershipTools(d), partnershipManageTools(d), groupTools(d), customerTools(d), transactionTools(d),
		dealTools(d), leadTools(d), actionTools(d), rewardTools(d), webhookTools(d),
		applicationTools(d), insightTools(d), reportTools(d), tierTools(d), productTools(d),
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
