package tools

import (
	"context"
	"log/slog"
	"time"

	"go.opentelemetry.io/otel/metric"

	"github.com/partnerstack-mcp/partnerstack-mcp/client"
	"github.com/partnerstack-mcp/partnerstack-mcp/tools/dedupe"
)

// Deps is what the tools need at run time. It is the one configuration every
// tool file takes, so none of them reaches into another for its settings;
// zero values mean the documented defaults, resolved by the methods below.
type Deps struct {
	Client       *client.Client
	ResultBudget int // bytes per list result; 0 means DefaultResultBudget
	Logger       *slog.Logger
	// InsightPageCap, when positive, bounds the upstream pages one insight
	// call reads; reaching it gives a result marked incomplete, with a
	// resume token. 0 means no cap: the budget bounds a call.
	InsightPageCap int
	// InsightConcurrency is how many pages an insight call reads at once;
	// 0 means DefaultInsightConcurrency, 1 reads sequentially.
	InsightConcurrency int
	// InsightBudget is how long an insight call reads before it answers
	// with what it has and a resume token (the call timeout bounds it too);
	// 0 means DefaultInsightBudget, negative means only the call timeout.
	InsightBudget time.Duration
	// ListScanPages bounds the upstream pages one list call reads when it
	// re-filters an undocumented filter (list.go); 0 means
	// DefaultListScanPages. Reaching it gives a result with a cursor.
	ListScanPages int

	// DedupeWindow is how long record_transaction, create_reward and
	// record_action remember a call to refuse an identical one (dedupe.go);
	// 0 means DefaultDedupeWindow, negative disables the guard.
	DedupeWindow time.Duration
	// DedupeScope, when set, separates the guard's memory per caller (e.g.
	// per tenant on a shared server), so one caller's writes never block or
	// reveal another's.
	DedupeScope func(context.Context) string
	// DedupeStore is where the guard remembers writes; nil means this
	// process's memory (dedupe.NewMemory). Share one (dedupe.Redis) between
	// replicas, or each protects only itself.
	DedupeStore dedupe.Store
	// Meters records the guard's counters (dedupe_metrics.go); nil records nothing.
	Meters metric.MeterProvider
	// CallTimeout bounds one tool call, upstream retries included; 0 means
	// DefaultCallTimeout, negative means no limit.
	CallTimeout time.Duration
	// AllowLocalWebhooks lets create_webhook target http, loopback, private
	// and link-local addresses: only for the embedded sandbox.
	AllowLocalWebhooks bool

	guard   *dedupeGuard  // built by All from DedupeWindow
	exports *exportLimits // built by All (exportlimits.go)
}

// DefaultResultBudget is the default byte budget of one tool result.
const DefaultResultBudget = 16 << 10

// DefaultCallTimeout bounds one tool call when Deps.CallTimeout is 0.
const DefaultCallTimeout = 60 * time.Second

func (d Deps) budget() int {
	if d.ResultBudget <= 0 {
		return DefaultResultBudget
	}
	return d.ResultBudget
}

func (d Deps) insightConcurrency() int {
	if d.InsightConcurrency <= 0 {
		return DefaultInsightConcurrency
	}
	return d.InsightConcurrency
}

func (d Deps) listScanPages() int {
	if d.ListScanPages <= 0 {
		return DefaultListScanPages
	}
	return d.ListScanPages
}

func (d Deps) insightBudget() time.Duration {
	if d.InsightBudget == 0 {
		return DefaultInsightBudget
	}
	return max(d.InsightBudget, 0)
}
