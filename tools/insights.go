package tools

import (
	"cmp"
	"slices"
	"time"

	"github.com/partnerstack-mcp/partnerstack-mcp/client"
)

// Insight tools answer a question over the whole program in one call by
// streaming the lists through the walker (insights_walk.go). Their results
// always carry a Coverage saying what was read and whether it was all of it.
// This file holds what they share: the range and top arguments, coverage,
// ranking and the registration; each tool has its own insights_<name>.go.

// insightTools are the insight tools in catalogue order.
func insightTools(d Deps) []Tool {
	return []Tool{summarizeRevenueTool(d), partnerLeaderboardTool(d), pipelineSummaryTool(d), rewardSummaryTool(d), inactivePartnersTool(d)}
}

const insightsToolset = "insights"

// Rows kept by default; a tool's top argument can ask for up to maxTop.
const (
	defaultTop     = 10
	maxTop         = 100
	defaultTimeTop = 100 // a time series is wanted whole, not ranked
)

// rangeArgs are every insight's created_at range, and its resume token.
type rangeArgs struct {
	resumeArgs
	From string `json:"from,omitempty" jsonschema:"maxLength=40"` // semantics in the server instructions
	To   string `json:"to,omitempty" jsonschema:"maxLength=40"`
}

// validate is promoted to every insight's arguments, which embed rangeArgs.
func (a *rangeArgs) validate() error {
	_, err := parseRange(a.From, a.To)
	return err
}

type topArg struct {
	Top int `json:"top,omitempty" jsonschema:"minimum=1,maximum=100"` // semantics in the server instructions
}

func (a topArg) top(def int) int {
	if a.Top <= 0 {
		return def
	}
	return a.Top
}

// Coverage says what an insight's figures rest on.
type Coverage struct {
	From        string `json:"from,omitempty"`
	To          string `json:"to,omitempty"`
	ItemsSeen   int    `json:"items_seen"`
	Pages       int    `json:"pages"`
	Complete    bool   `json:"complete"`
	Unread      []span `json:"unread,omitempty"`
	ResumeToken string `json:"resume_token,omitempty"`
	Conflicts   int    `json:"attribution_conflicts,omitempty" jsonschema_description:"Transactions credited to their customer's partner over their own partnership_key."`
	Note        string `json:"note,omitempty"`
}

// span is an inclusive ISO time span of one list; an empty end is unbounded.
type span struct {
	List string `json:"list,omitempty"`
	From string `json:"from,omitempty"`
	To   string `json:"to,omitempty"`
}

// timeRange is an inclusive created_at window in epoch ms. A bound is set
// explicitly (hasMin, hasMax), never by being non-zero: 0 ms is the epoch,
// a real bound. The zero value is unbounded.
type timeRange struct {
	min, max       int64
	hasMin, hasMax bool
}

// between is the range [min, max], both bounds set.
func between(min, max int64) timeRange {
	return timeRange{min: min, max: max, hasMin: true, hasMax: true}
}

// rangeOf is the range of two optional bounds (nil = open).
func rangeOf(min, max *int64) timeRange {
	var r timeRange
	if min != nil {
		r.min, r.hasMin = *min, true
	}
	if max != nil {
		r.max, r.hasMax = *max, true
	}
	return r
}

// inverted reports a range whose start is after its end.
func (r timeRange) inverted() bool { return r.hasMin && r.hasMax && r.min > r.max }

// parseRange reads the from/to arguments; a bare-date `to` means that day's end.
func parseRange(from, to string) (timeRange, error) {
	min, err := parseBound("from", from, false)
	if err != nil {
		return timeRange{}, err
	}
	max, err := parseBound("to", to, true)
	if err != nil {
		return timeRange{}, err
	}
	r := rangeOf(min, max)
	if r.inverted() {
		return r, argErr("from", "is later than to", "swap the two dates")
	}
	return r, nil
}

// contains filters client-side too: the real API may ignore a time filter.
func (r timeRange) contains(ms int64) bool {
	return (!r.hasMin || ms >= r.min) && (!r.hasMax || ms <= r.max)
}

// from and to render the bounds for results; "" when open.
func (r timeRange) from() string { return isoBound(r.min, r.hasMin) }
func (r timeRange) to() string   { return isoBound(r.max, r.hasMax) }

// isoBound renders a set bound as RFC 3339, keeping milliseconds when there
// are any so a bound such as the end of a day (23:59:59.999) reads exactly;
// the epoch is a bound like any other.
func isoBound(ms int64, set bool) string {
	if !set {
		return ""
	}
	return time.UnixMilli(ms).UTC().Format(time.RFC3339Nano)
}

// isoMilli renders a bound of the walk's spans, where 0 means open (spansOf).
func isoMilli(ms int64) string { return isoBound(ms, ms != 0) }

// txnCreated and rewardCreated give walkRange the created_at of the lists
// that more than one insight reads.
func txnCreated(t client.Transaction) int64 { return t.CreatedAt }

func rewardCreated(r client.Reward) int64 { return r.CreatedAt }

// countCents is one cell of a by-status or by-stage breakdown.
type countCents struct {
	Count int   `json:"count"`
	Cents int64 `json:"amount_cents"`
}

func (c *countCents) add(cents int64) { c.Count++; c.Cents += cents }

func addTo(m map[string]countCents, key string, cents int64) {
	c := m[key]
	c.add(cents)
	m[key] = c
}

// ranked is a row that can be ordered by its figures.
type ranked interface {
	rankKey() (primary int64, count int, name string)
}

// topN orders rows by rank (largest first, then count, then name) and
// splits them into the first n and the rest (n <= 0 keeps all).
func topN[R ranked](rows []R, n int) (kept, rest []R) {
	slices.SortFunc(rows, func(a, b R) int {
		pa, ca, na := a.rankKey()
		pb, cb, nb := b.rankKey()
		if c := cmp.Compare(pb, pa); c != 0 {
			return c
		}
		if c := cmp.Compare(cb, ca); c != 0 {
			return c
		}
		return cmp.Compare(na, nb)
	})
	if n <= 0 || len(rows) <= n {
		return rows, nil
	}
	return rows[:n], rows[n:]
}

// orNone names the bucket of items that lack the key, so a breakdown still
// adds up to the total.
func orNone(s string) string {
	if s == "" {
		return "(none)"
	}
	return s
}
