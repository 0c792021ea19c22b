package tools

import (
	"log/slog"

	"github.com/partnerstack-mcp/partnerstack-mcp/client"
)

// Toolset is a named group of tools that can be enabled as a unit.
type Toolset struct {
	Name        string
	Description string
}

// Toolsets is the catalogue of toolsets, in display order.
var Toolsets = []Toolset{
	{"partnerships", "Partners in the program: list, look up, invite, update, archive."},
	{"groups", "Partner groups."},
	{"customers", "Customers referred by partners."},
	{"transactions", "Payments and refunds that drive commissions."},
	{"deals", "Partner-registered deals."},
	{"leads", "Partner-submitted leads."},
	{"actions", "Custom actions (signups, upgrades) that trigger rewards."},
	{"rewards", "Partner rewards (commissions)."},
	{"webhooks", "Webhook subscriptions."},
	{"insights", "Whole-program answers in one call: revenue, leaderboards, pipeline, rewards."},
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
}

func (d Deps) budget() int {
	if d.ResultBudget <= 0 {
		return DefaultResultBudget
	}
	return d.ResultBudget
}

// All returns every tool, in catalogue order. The definitions (schemas) are
// built here once; handlers close over d.
func All(d Deps) []Tool {
	var all []Tool
	for _, group := range [][]Tool{
		partnershipTools(d), groupTools(d), customerTools(d), transactionTools(d),
		dealTools(d), leadTools(d), actionTools(d), rewardTools(d), webhookTools(d),
		insightTools(d),
	} {
		all = append(all, group...)
	}
	return all
}
