package tools

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"net/http"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	mcpclient "github.com/mark3labs/mcp-go/client"
	"github.com/mark3labs/mcp-go/mcp"
	"github.com/mark3labs/mcp-go/server"

	"github.com/partnerstack-mcp/partnerstack-mcp/client"
	"github.com/partnerstack-mcp/partnerstack-mcp/client/sandbox"
)

// The insight tools are checked against brute-force computations over the
// sandbox's own snapshot data: every figure must match exactly.

func newSandboxClient(t testing.TB, sb *sandbox.Sandbox, rt http.RoundTripper) *client.Client {
	t.Helper()
	hc := sb.Client()
	if rt != nil {
		hc = &http.Client{Transport: rt}
	}
	c, err := client.New(client.Config{PublicKey: sandbox.DefaultPublicKey, SecretKey: sandbox.DefaultSecretKey,
		BaseURL: "http://sandbox.invalid/api", HTTPClient: hc})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func insightTool(t testing.TB, d Deps, name string) Tool {
	t.Helper()
	for _, tl := range insightTools(d) {
		if tl.Def.Name == name {
			return tl
		}
	}
	t.Fatalf("no insight tool %s", name)
	return Tool{}
}

// runInsight calls a tool's handler as the server would and decodes its
// structured result; a tool error fails the test.
func runInsight[R any](t testing.TB, ctx context.Context, d Deps, name string, args map[string]any) R {
	t.Helper()
	res, text := callInsight(t, ctx, d, name, args)
	if res.IsError {
		t.Fatalf("%s(%v) failed: %s", name, args, text)
	}
	var out R
	if err := json.Unmarshal([]byte(text), &out); err != nil {
		t.Fatalf("%s: result does not decode: %v\n%s", name, err, text)
	}
	return out
}

func callInsight(t testing.TB, ctx context.Context, d Deps, name string, args map[string]any) (*mcp.CallToolResult, string) {
	t.Helper()
	req := mcp.CallToolRequest{}
	req.Params.Name = name
	req.Params.Arguments = args
	res, err := insightTool(t, d, name).Handler(ctx, req)
	if err != nil {
		t.Fatal(err)
	}
	return res, res.Content[0].(mcp.TextContent).Text
}

// ---- brute force over snapshots ----

type bruteRow struct {
	count, refunds, usdMissing int
	cents, refundCents         map[string]int64
	usd                        int64
}

func (b *bruteRow) add(amount, usd int64, cur string) {
	if b.cents == nil {
		b.cents, b.refundCents = map[string]int64{}, map[string]int64{}
	}
	b.count++
	b.cents[cur] += amount
	b.usd += usd
	if amount < 0 {
		b.refunds++
		b.refundCents[cur] += amount
	}
}

func (b *bruteRow) merge(o *bruteRow) {
	if b.cents == nil {
		b.cents, b.refundCents = map[string]int64{}, map[string]int64{}
	}
	b.count += o.count
	b.refunds += o.refunds
	b.usd += o.usd
	for k, v := range o.cents {
		b.cents[k] += v
	}
	for k, v := range o.refundCents {
		b.refundCents[k] += v
	}
}

type brutePartner struct{ key, partnerKey, name, email, groupKey, groupName string }

func partnersOf(sb *sandbox.Sandbox) map[string]brutePartner {
	out := map[string]brutePartner{}
	for _, p := range sb.Partnerships() {
		name := strings.TrimSpace(deref(p.FirstName) + " " + deref(p.LastName))
		out[p.Key] = brutePartner{p.Key, p.PartnerKey, name, p.Email, p.Group.Key, p.Group.Name}
	}
	return out
}

func deref(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}

func inRange(ms, from, to int64) bool { return (from == 0 || ms >= from) && (to == 0 || ms <= to) }

type revQuery struct {
	from, to                                   int64
	partnerKey, groupKey, productKey, currency string
	groupBy                                    string
}

func bruteRevenue(sb *sandbox.Sandbox, q revQuery) (bruteRow, map[string]*bruteRow) {
	partners := partnersOf(sb)
	var total bruteRow
	groups := map[string]*bruteRow{}
	for _, t := range sb.Transactions() {
		p := partners[t.PartnershipKey]
		if t.Archived || !inRange(t.CreatedAt, q.from, q.to) ||
			(q.currency != "" && t.Currency != q.currency) || (q.productKey != "" && deref(t.ProductKey) != q.productKey) ||
			(q.partnerKey != "" && p.partnerKey != q.partnerKey) || (q.groupKey != "" && p.groupKey != q.groupKey) {
			continue
		}
		total.add(t.Amount, t.AmountUSD, t.Currency)
		var key string
		ts := time.UnixMilli(t.CreatedAt).UTC()
		switch q.groupBy {
		case "":
			continue
		case "partner":
			key = p.partnerKey
		case "group":
			key = p.groupKey
		case "product":
			key = deref(t.ProductKey)
			if key == "" {
				key = "(none)"
			}
		case "currency":
			key = t.Currency
		case "day":
			key = ts.Format(time.DateOnly)
		case "week":
			y, w := ts.ISOWeek()
			key = fmt.Sprintf("%d-W%02d", y, w)
		case "month":
			key = ts.Format("2006-01")
		}
		if groups[key] == nil {
			groups[key] = &bruteRow{}
		}
		groups[key].add(t.Amount, t.AmountUSD, t.Currency)
	}
	return total, groups
}

// bruteTop ranks keys by (value desc, count desc, key asc) and splits at n.
func bruteTop[V any](m map[string]V, n int, rank func(V) (int64, int)) (kept, rest []string) {
	keys := slices.Collect(maps.Keys(m))
	slices.SortFunc(keys, func(a, b string) int {
		va, ca := rank(m[a])
		vb, cb := rank(m[b])
		return cmp.Or(cmp.Compare(vb, va), cmp.Compare(cb, ca), cmp.Compare(a, b))
	})
	if len(keys) <= n {
		return keys, nil
	}
	return keys[:n], keys[n:]
}

func sameMoney(got money, want map[string]int64) bool {
	g := map[string]int64{}
	for k, v := range got {
		if v != 0 || want[k] != 0 {
			g[k] = v
		}
	}
	w := map[string]int64{}
	for k, v := range want {
		if v != 0 || got[k] != 0 {
			w[k] = v
		}
	}
	return maps.Equal(g, w)
}

func checkRevenueRow(t *testing.T, what string, got revenueRow, want bruteRow) {
	t.Helper()
	if got.Count != want.count || got.USDCents != want.usd || got.RefundCount != want.refunds ||
		!sameMoney(got.Cents, want.cents) || !sameMoney(got.RefundCents, want.refundCents) || got.USDMissing != 0 {
		t.Errorf("%s: got count=%d usd=%d refunds=%d cents=%v refund_cents=%v usd_missing=%d; want count=%d usd=%d refunds=%d cents=%v refund_cents=%v",
			what, got.Count, got.USDCents, got.RefundCount, got.Cents, got.RefundCents, got.USDMissing,
			want.count, want.usd, want.refunds, want.cents, want.refundCents)
	}
}

func iso(ms int64) string { return time.UnixMilli(ms).UTC().Format(time.RFC3339Nano) }

func TestSummarizeRevenueMatchesBruteForce(t *testing.T) {
	sb := sandbox.New(sandbox.Options{Seed: 7, Transactions: 1500})
	d := Deps{Client: newSandboxClient(t, sb, nil)}
	txns := sb.Transactions()
	partners := partnersOf(sb)
	// Edges equal to existing items' created_at: both must be counted.
	created := make([]int64, len(txns))
	for i, x := range txns {
		created[i] = x.CreatedAt
	}
	slices.Sort(created)
	lo, hi := created[200], created[1100]
	somePartner := partners[txns[10].PartnershipKey]
	someProduct := ""
	for _, x := range txns {
		if x.ProductKey != nil {
			someProduct = *x.ProductKey
			break
		}
	}

	cases := []struct {
		name string
		args map[string]any
		q    revQuery
	}{
		{"the whole history in one total", map[string]any{}, revQuery{}},
		{"by currency keeps currencies apart", map[string]any{"group_by": "currency"}, revQuery{groupBy: "currency"}},
		{"by partner over items exactly at both edges", map[string]any{"group_by": "partner", "from": iso(lo), "to": iso(hi), "top": 100},
			revQuery{from: lo, to: hi, groupBy: "partner"}},
		{"one millisecond inside the edges drops the edge items", map[string]any{"from": iso(lo + 1), "to": iso(hi - 1)},
			revQuery{from: lo + 1, to: hi - 1}},
		{"by group", map[string]any{"group_by": "group"}, revQuery{groupBy: "group"}},
		{"by product, top 2 with the rest folded", map[string]any{"group_by": "product", "top": 2}, revQuery{groupBy: "product"}},
		{"by day over March with a bare-date end", map[string]any{"group_by": "day", "from": "2026-03-01", "to": "2026-03-31"},
			revQuery{from: time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC).UnixMilli(), to: time.Date(2026, 4, 1, 0, 0, 0, 0, time.UTC).UnixMilli() - 1, groupBy: "day"}},
		{"by ISO week", map[string]any{"group_by": "week"}, revQuery{groupBy: "week"}},
		{"by month, top 3", map[string]any{"group_by": "month", "top": 3}, revQuery{groupBy: "month"}},
		{"filtered to one partner", map[string]any{"partner_key": somePartner.partnerKey, "group_by": "month"},
			revQuery{partnerKey: somePartner.partnerKey, groupBy: "month"}},
		{"filtered to one group", map[string]any{"group_key": somePartner.groupKey, "group_by": "partner", "top": 100},
			revQuery{groupKey: somePartner.groupKey, groupBy: "partner"}},
		{"filtered to one product and currency", map[string]any{"product_key": someProduct, "currency": "usd"},
			revQuery{productKey: someProduct, currency: "USD"}},
		{"an empty range", map[string]any{"from": "2020-01-01", "to": "2020-12-31", "group_by": "partner"},
			revQuery{from: time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC).UnixMilli(), to: time.Date(2021, 1, 1, 0, 0, 0, 0, time.UTC).UnixMilli() - 1, groupBy: "partner"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := runInsight[revenueResult](t, t.Context(), d, "summarize_revenue", tc.args)
			total, groups := bruteRevenue(sb, tc.q)
			checkRevenueRow(t, "total", got.Total, total)
			if !got.Coverage.Complete || got.Coverage.Note != "" {
				t.Errorf("coverage = %+v, want complete", got.Coverage)
			}
			if tc.q.groupBy == "" {
				return
			}
			top := defaultTop
			if n, ok := tc.args["top"].(int); ok {
				top = n
			} else if isTimeDim(tc.q.groupBy) {
				top = defaultTimeTop
			}
			kept, rest := bruteTop(groups, top, func(b *bruteRow) (int64, int) { return b.usd, b.count })
			if len(got.Groups) != len(kept) {
				t.Fatalf("got %d groups, want %d", len(got.Groups), len(kept))
			}
			gotKeys := map[string]revenueRow{}
			for _, g := range got.Groups {
				gotKeys[g.Group] = g
			}
			for _, k := range kept {
				g, ok := gotKeys[k]
				if !ok {
					t.Errorf("group %q missing from %v", k, slices.Collect(maps.Keys(gotKeys)))
					continue
				}
				checkRevenueRow(t, "group "+k, g, *groups[k])
			}
			if len(rest) == 0 {
				if got.Other != nil {
					t.Errorf("other = %+v, want none", got.Other)
				}
			} else {
				var o bruteRow
				for _, k := range rest {
					o.merge(groups[k])
				}
				if got.Other == nil || got.Other.Folded != len(rest) {
					t.Fatalf("other = %+v, want %d folded groups", got.Other, len(rest))
				}
				checkRevenueRow(t, "other", *got.Other, o)
			}
			if isTimeDim(tc.q.groupBy) && !slices.IsSortedFunc(got.Groups, func(a, b revenueRow) int { return strings.Compare(a.Group, b.Group) }) {
				t.Errorf("time buckets are not in time order")
			}
			if tc.q.groupBy == "partner" {
				for _, g := range got.Groups {
					for _, p := range partners {
						if p.partnerKey == g.Group && p.name != g.Name {
							t.Errorf("partner %s named %q, want %q", g.Group, g.Name, p.name)
						}
					}
				}
			}
		})
	}

	t.Run("the data exercises several currencies and refunds", func(t *testing.T) {
		total, _ := bruteRevenue(sb, revQuery{})
		if len(total.cents) < 2 || total.refunds == 0 {
			t.Fatalf("seed data too thin for this test: %+v", total)
		}
	})
}

func TestSummarizeRevenueCountsItemsExactlyAtTheRangeEdges(t *testing.T) {
	sb := sandbox.New(sandbox.Options{Seed: 3, Transactions: 50})
	c := newSandboxClient(t, sb, nil)
	d := Deps{Client: c}
	var cust string
	for _, cu := range sb.Customers() {
		if !cu.Archived && !cu.Test {
			cust = cu.Key
			break
		}
	}
	// December 2025 is before all seeded data, so the range holds only these.
	from := time.Date(2025, 12, 1, 0, 0, 0, 0, time.UTC).UnixMilli()
	to := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC).UnixMilli() - 1 // end of 2025-12-31
	for _, tx := range []struct {
		at     int64
		amount int64
		cur    string
	}{
		{from - 1, 1111, "USD"},  // out
		{from, 10000, "USD"},     // in: first millisecond
		{from + 5, 2500, "EUR"},  // in
		{from + 9, -3000, "USD"}, // in: refund
		{to, 700, "GBP"},         // in: last millisecond
		{to + 1, 2222, "USD"},    // out
	} {
		if _, err := c.Transactions.Create(t.Context(), &client.TransactionCreate{CustomerKey: cust, Amount: tx.amount,
			Currency: tx.cur, CreatedAt: tx.at}); err != nil {
			t.Fatal(err)
		}
	}
	got := runInsight[revenueResult](t, t.Context(), d, "summarize_revenue",
		map[string]any{"from": "2025-12-01", "to": "2025-12-31", "group_by": "currency"})
	want := map[string]int64{"USD": 7000, "EUR": 2500, "GBP": 700}
	if got.Total.Count != 4 || !sameMoney(got.Total.Cents, want) || got.Total.RefundCount != 1 ||
		!sameMoney(got.Total.RefundCents, map[string]int64{"USD": -3000}) {
		t.Errorf("total = %+v, want 4 items, cents %v and one USD -3000 refund", got.Total, want)
	}
	if got.Coverage.From != "2025-12-01T00:00:00Z" || got.Coverage.To != "2025-12-31T23:59:59.999Z" {
		t.Errorf("coverage range = %s..%s", got.Coverage.From, got.Coverage.To)
	}
	total, _ := bruteRevenue(sb, revQuery{from: from, to: to})
	checkRevenueRow(t, "total vs brute force", got.Total, total)
	if len(got.Groups) != 3 {
		t.Errorf("groups = %+v, want one per currency", got.Groups)
	}
}

func TestPartnerLeaderboardMatchesBruteForce(t *testing.T) {
	sb := sandbox.New(sandbox.Options{Seed: 11, Transactions: 1200})
	d := Deps{Client: newSandboxClient(t, sb, nil)}
	partners := partnersOf(sb)
	from, to := time.Date(2026, 2, 1, 0, 0, 0, 0, time.UTC).UnixMilli(), time.Date(2026, 9, 1, 0, 0, 0, 0, time.UTC).UnixMilli()-1
	type fig struct {
		value int64
		count int
	}
	brute := map[string]func(group string) map[string]*fig{
		"revenue": func(group string) map[string]*fig {
			m := map[string]*fig{}
			for _, x := range sb.Transactions() {
				p := partners[x.PartnershipKey]
				if x.Archived || !inRange(x.CreatedAt, from, to) || (group != "" && p.groupKey != group) {
					continue
				}
				if m[p.key] == nil {
					m[p.key] = &fig{}
				}
				m[p.key].value += x.AmountUSD
				m[p.key].count++
			}
			return m
		},
		"customers": func(group string) map[string]*fig {
			m := map[string]*fig{}
			for _, x := range sb.Customers() {
				p := partners[x.PartnershipKey]
				if x.Archived || !inRange(x.CreatedAt, from, to) || (group != "" && p.groupKey != group) {
					continue
				}
				if m[p.key] == nil {
					m[p.key] = &fig{}
				}
				m[p.key].value++
				m[p.key].count++
			}
			return m
		},
		"rewards": func(group string) map[string]*fig {
			m := map[string]*fig{}
			for _, x := range sb.Rewards() {
				if x.Archived || x.Partnership == nil || !inRange(x.CreatedAt, from, to) || x.RewardStatus == "declined" {
					continue
				}
				p := partners[x.Partnership.Key]
				if group != "" && p.groupKey != group {
					continue
				}
				if m[p.key] == nil {
					m[p.key] = &fig{}
				}
				m[p.key].value += x.Amount
				m[p.key].count++
			}
			return m
		},
	}
	someGroup := sb.Partnerships()[5].Group.Key
	for _, metric := range []string{"revenue", "customers", "rewards"} {
		for _, group := range []string{"", someGroup} {
			name := metric
			if group != "" {
				name += " within one group"
			}
			t.Run(name, func(t *testing.T) {
				args := map[string]any{"metric": metric, "from": iso(from), "to": iso(to), "top": 5}
				if group != "" {
					args["group_key"] = group
				}
				got := runInsight[leaderboardResult](t, t.Context(), d, "partner_leaderboard", args)
				want := brute[metric](group)
				kept, rest := bruteTop(want, 5, func(f *fig) (int64, int) { return f.value, f.count })
				if len(got.Partners) != len(kept) {
					t.Fatalf("got %d partners, want %d", len(got.Partners), len(kept))
				}
				for i, k := range kept {
					row, p := got.Partners[i], partners[k]
					if row.Rank != i+1 || row.Key != k || row.Value != want[k].value || row.Count != want[k].count ||
						row.PartnerKey != p.partnerKey || row.Name != p.name || row.Email != p.email || row.Group != p.groupName {
						t.Errorf("rank %d: got %+v, want key=%s value=%d count=%d partner=%+v", i+1, row, k, want[k].value, want[k].count, p)
					}
				}
				var rv int64
				var rc int
				for _, k := range rest {
					rv += want[k].value
					rc += want[k].count
				}
				if len(rest) > 0 && (got.Rest == nil || got.Rest.Partners != len(rest) || got.Rest.Value != rv || got.Rest.Count != rc) {
					t.Errorf("rest = %+v, want partners=%d value=%d count=%d", got.Rest, len(rest), rv, rc)
				}
				if got.Basis == "" || !got.Coverage.Complete || got.Unattributed != 0 {
					t.Errorf("basis=%q coverage=%+v unattributed=%d", got.Basis, got.Coverage, got.Unattributed)
				}
			})
		}
	}
}

func bruteDealStatus(x sandbox.Deal) string {
	stage := strings.ToLower(x.Stage)
	switch {
	case x.Archived:
		return "archived"
	case stage == "closed won":
		return "won"
	case stage == "closed lost" || deref(x.LostReason) != "":
		return "lost"
	}
	return "open"
}

func TestPipelineSummaryMatchesBruteForce(t *testing.T) {
	sb := sandbox.New(sandbox.Options{Seed: 5})
	d := Deps{Client: newSandboxClient(t, sb, nil)}
	partners := partnersOf(sb)
	byPartnerKey := map[string]brutePartner{}
	for _, p := range partners {
		byPartnerKey[p.partnerKey] = p
	}
	deals, leads := sb.Deals(), sb.Leads()
	somePartner := deref(deals[3].PartnerKey)
	someGroup := byPartnerKey[somePartner].groupKey
	from, to := time.Date(2026, 2, 1, 0, 0, 0, 0, time.UTC).UnixMilli(), time.Date(2026, 10, 1, 0, 0, 0, 0, time.UTC).UnixMilli()-1

	cases := []struct {
		name                 string
		args                 map[string]any
		from, to             int64
		partnerKey, groupKey string
		by                   string
	}{
		{"everything", map[string]any{}, 0, 0, "", "", ""},
		{"a range by partner", map[string]any{"from": iso(from), "to": iso(to), "by": "partner", "top": 100}, from, to, "", "", "partner"},
		{"by group", map[string]any{"by": "group"}, 0, 0, "", "", "group"},
		{"one partner", map[string]any{"partner_key": somePartner}, 0, 0, somePartner, "", ""},
		{"one group by partner, top 2", map[string]any{"group_key": someGroup, "by": "partner", "top": 2}, 0, 0, "", someGroup, "partner"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := runInsight[pipelineResult](t, t.Context(), d, "pipeline_summary", tc.args)
			stage, status, leadStatus := map[string]countCents{}, map[string]countCents{}, map[string]countCents{}
			rows := map[string]*pipelineRow{}
			row := func(p brutePartner, pk, gk string) *pipelineRow {
				key := cmp.Or(pk, "(none)")
				if tc.by == "group" {
					key = cmp.Or(gk, "(none)")
				}
				if rows[key] == nil {
					rows[key] = &pipelineRow{Key: key}
				}
				return rows[key]
			}
			var dealN, leadN int
			var dealC, leadC int64
			for _, x := range deals {
				pk := deref(x.PartnerKey)
				gk := cmp.Or(deref(x.GroupKey), byPartnerKey[pk].groupKey)
				if !inRange(x.CreatedAt, tc.from, tc.to) || (tc.partnerKey != "" && pk != tc.partnerKey) || (tc.groupKey != "" && gk != tc.groupKey) {
					continue
				}
				amt := int64Val(x.Amount)
				dealN++
				dealC += amt
				addTo(stage, cmp.Or(x.Stage, "(none)"), amt)
				st := bruteDealStatus(x)
				addTo(status, st, amt)
				r := row(byPartnerKey[pk], pk, gk)
				r.Deals++
				r.DealCents += amt
				switch st {
				case "open":
					r.Open++
				case "won":
					r.Won++
				case "lost":
					r.Lost++
				case "archived":
					r.Archived++
				}
			}
			for _, x := range leads {
				gk := cmp.Or(deref(x.GroupKey), byPartnerKey[x.PartnerKey].groupKey)
				if x.Archived || !inRange(x.CreatedAt, tc.from, tc.to) || (tc.partnerKey != "" && x.PartnerKey != tc.partnerKey) || (tc.groupKey != "" && gk != tc.groupKey) {
					continue
				}
				leadN++
				leadC += int64Val(x.Amount)
				addTo(leadStatus, x.Status, int64Val(x.Amount))
				row(byPartnerKey[x.PartnerKey], x.PartnerKey, gk).Leads++
			}
			if got.Deals.Count != dealN || got.Deals.Cents != dealC || !maps.Equal(got.Deals.ByStage, stage) || !maps.Equal(got.Deals.ByStatus, status) {
				t.Errorf("deals = %+v, want count=%d cents=%d stages=%v statuses=%v", got.Deals, dealN, dealC, stage, status)
			}
			if got.Leads.Count != leadN || got.Leads.Cents != leadC || !maps.Equal(got.Leads.ByStatus, leadStatus) {
				t.Errorf("leads = %+v, want count=%d cents=%d statuses=%v", got.Leads, leadN, leadC, leadStatus)
			}
			if tc.name == "everything" && (len(status) < 3 || dealN == 0 || leadN == 0) {
				t.Errorf("seed data too thin: statuses %v", status)
			}
			if tc.by == "" {
				if len(got.Breakdown) != 0 {
					t.Errorf("unasked breakdown %+v", got.Breakdown)
				}
				return
			}
			top := 10
			if n, ok := tc.args["top"].(int); ok {
				top = n
			}
			kept, rest := bruteTop(rows, top, func(r *pipelineRow) (int64, int) { return r.DealCents, r.Deals + r.Leads })
			if len(got.Breakdown) != len(kept) {
				t.Fatalf("breakdown has %d rows, want %d", len(got.Breakdown), len(kept))
			}
			for i, k := range kept {
				g, w := got.Breakdown[i], rows[k]
				g.Name = ""
				if g != *w {
					t.Errorf("row %d: got %+v, want %+v", i, g, *w)
				}
			}
			if len(rest) > 0 {
				o := pipelineRow{Key: "other", Folded: len(rest)}
				for _, k := range rest {
					r := rows[k]
					o.Deals, o.DealCents, o.Open, o.Won, o.Lost, o.Archived, o.Leads = o.Deals+r.Deals, o.DealCents+r.DealCents,
						o.Open+r.Open, o.Won+r.Won, o.Lost+r.Lost, o.Archived+r.Archived, o.Leads+r.Leads
				}
				if got.Other == nil || *got.Other != o {
					t.Errorf("other = %+v, want %+v", got.Other, o)
				}
			}
		})
	}
}

func TestRewardSummaryMatchesBruteForce(t *testing.T) {
	sb := sandbox.New(sandbox.Options{Seed: 9, Transactions: 1000})
	d := Deps{Client: newSandboxClient(t, sb, nil)}
	partners := partnersOf(sb)
	rewards := sb.Rewards()
	somePartner := partners[rewards[4].Partnership.Key]
	from, to := rewards[30].CreatedAt, rewards[400].CreatedAt
	if from > to {
		from, to = to, from
	}
	cases := []struct {
		name                         string
		args                         map[string]any
		from, to                     int64
		partnerKey, groupKey, status string
	}{
		{"everything", map[string]any{}, 0, 0, "", "", ""},
		{"a range with items at both edges", map[string]any{"from": iso(from), "to": iso(to), "top": 3}, from, to, "", "", ""},
		{"one partner", map[string]any{"partner_key": somePartner.partnerKey}, 0, 0, somePartner.partnerKey, "", ""},
		{"one group, paid only", map[string]any{"group_key": somePartner.groupKey, "status": "paid", "top": 100}, 0, 0, "", somePartner.groupKey, "paid"},
		{"an empty range", map[string]any{"from": "2019-01-01", "to": "2019-02-01"}, 1, 2, "", "", ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := runInsight[rewardSummaryResult](t, t.Context(), d, "reward_summary", tc.args)
			status := map[string]countCents{}
			rows := map[string]*rewardPartnerRow{}
			var n int
			var cents int64
			for _, x := range rewards {
				if x.Archived || !inRange(x.CreatedAt, tc.from, tc.to) || (tc.status != "" && x.RewardStatus != tc.status) {
					continue
				}
				var p brutePartner
				if x.Partnership != nil {
					p = partners[x.Partnership.Key]
				}
				if (tc.partnerKey != "" && p.partnerKey != tc.partnerKey) || (tc.groupKey != "" && p.groupKey != tc.groupKey) {
					continue
				}
				n++
				cents += x.Amount
				addTo(status, x.RewardStatus, x.Amount)
				k := cmp.Or(p.key, "(none)")
				if rows[k] == nil {
					rows[k] = &rewardPartnerRow{Key: k, PartnerKey: p.partnerKey, Name: p.name, ByStatus: map[string]int64{}}
				}
				rows[k].Count++
				rows[k].USDCents += x.Amount
				rows[k].ByStatus[x.RewardStatus] += x.Amount
			}
			if got.Count != n || got.USDCents != cents || !maps.Equal(got.ByStatus, status) {
				t.Errorf("totals: got count=%d cents=%d %v; want %d %d %v", got.Count, got.USDCents, got.ByStatus, n, cents, status)
			}
			if tc.name == "everything" && len(status) < 3 {
				t.Errorf("seed data too thin: %v", status)
			}
			top := 10
			if v, ok := tc.args["top"].(int); ok {
				top = v
			}
			kept, rest := bruteTop(rows, top, func(r *rewardPartnerRow) (int64, int) { return r.USDCents, r.Count })
			if len(got.Partners) != len(kept) {
				t.Fatalf("got %d partners, want %d", len(got.Partners), len(kept))
			}
			for i, k := range kept {
				g, w := got.Partners[i], rows[k]
				if g.Key != w.Key || g.PartnerKey != w.PartnerKey || g.Name != w.Name || g.Count != w.Count || g.USDCents != w.USDCents || !maps.Equal(g.ByStatus, w.ByStatus) {
					t.Errorf("partner %d: got %+v, want %+v", i, g, *w)
				}
			}
			if len(rest) > 0 {
				var c int
				var v int64
				for _, k := range rest {
					c += rows[k].Count
					v += rows[k].USDCents
				}
				if got.Other == nil || got.Other.Folded != len(rest) || got.Other.Count != c || got.Other.USDCents != v {
					t.Errorf("other = %+v, want %d partners, %d rewards, %d cents", got.Other, len(rest), c, v)
				}
			}
		})
	}
}

func TestInsightPageCapGivesAnHonestPartialResult(t *testing.T) {
	sb := sandbox.New(sandbox.Options{Seed: 2, Transactions: 600})
	c := newSandboxClient(t, sb, nil)

	t.Run("a cap below the data marks the result incomplete", func(t *testing.T) {
		got := runInsight[revenueResult](t, t.Context(), Deps{Client: c, InsightPageCap: 2}, "summarize_revenue", map[string]any{})
		cv := got.Coverage
		// The figures are exactly those of the newest 500 items.
		txns := sb.Transactions()
		slices.SortFunc(txns, func(a, b sandbox.Transaction) int {
			return cmp.Or(cmp.Compare(b.CreatedAt, a.CreatedAt), strings.Compare(b.Key, a.Key))
		})
		if cv.Complete || cv.Pages != 2 || cv.ItemsSeen != 500 || !strings.Contains(cv.Note, "cap of 2") ||
			len(cv.Unread) != 1 || cv.Unread[0] != (span{"", iso(txns[499].CreatedAt)}) {
			t.Errorf("coverage = %+v, want unread up to %s", cv, iso(txns[499].CreatedAt))
		}
		var want bruteRow
		for _, x := range txns[:500] {
			want.add(x.Amount, x.AmountUSD, x.Currency)
		}
		checkRevenueRow(t, "partial total", got.Total, want)
	})
	t.Run("a cap spent by the partner directory still says so", func(t *testing.T) {
		got := runInsight[leaderboardResult](t, t.Context(), Deps{Client: c, InsightPageCap: 1}, "partner_leaderboard", map[string]any{})
		if got.Coverage.Complete || !strings.Contains(got.Coverage.Note, "transactions") || len(got.Partners) != 0 {
			t.Errorf("got %+v", got)
		}
	})
	t.Run("a cap exactly big enough is complete", func(t *testing.T) {
		sb := sandbox.New(sandbox.Options{Seed: 2, Transactions: 500})
		got := runInsight[revenueResult](t, t.Context(), Deps{Client: newSandboxClient(t, sb, nil), InsightPageCap: 2}, "summarize_revenue", map[string]any{})
		if !got.Coverage.Complete || got.Coverage.Pages != 2 || got.Total.Count != 500 {
			t.Errorf("coverage = %+v, count %d", got.Coverage, got.Total.Count)
		}
	})
}

// ignoreTimeFilters plays an API that drops min_created/max_created.
type ignoreTimeFilters struct{ next http.RoundTripper }

func (f ignoreTimeFilters) RoundTrip(r *http.Request) (*http.Response, error) {
	r = r.Clone(r.Context())
	q := r.URL.Query()
	q.Del("min_created")
	q.Del("max_created")
	r.URL.RawQuery = q.Encode()
	return f.next.RoundTrip(r)
}

func TestInsightWindowsMergeExactly(t *testing.T) {
	sb := sandbox.New(sandbox.Options{Seed: 4, Transactions: 1500})
	c := newSandboxClient(t, sb, nil)
	// Transactions exactly on the window boundaries of December 2025 (before
	// the seeded data) and one millisecond either side.
	from := time.Date(2025, 12, 1, 0, 0, 0, 0, time.UTC).UnixMilli()
	to := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC).UnixMilli() - 1
	var cust string
	for _, cu := range sb.Customers() {
		if !cu.Archived && !cu.Test {
			cust = cu.Key
			break
		}
	}
	for _, w := range (timeRange{from, to}).split(4) {
		for _, at := range []int64{w.min - 1, w.min, w.min + 1, w.max} {
			if _, err := c.Transactions.Create(t.Context(), &client.TransactionCreate{CustomerKey: cust, Amount: 100 + at%1000,
				Currency: "USD", CreatedAt: at}); err != nil {
				t.Fatal(err)
			}
		}
	}
	sequential := Deps{Client: c, InsightWindows: 1}
	parallel := Deps{Client: c, InsightWindows: 4}
	odd := Deps{Client: c, InsightWindows: 7}
	blind := Deps{Client: newSandboxClient(t, sb, ignoreTimeFilters{sb.Client().Transport}), InsightWindows: 4}

	ranges := []map[string]any{
		{"from": "2025-12-01", "to": "2025-12-31"},
		{"from": "2026-02-01", "to": "2026-06-30"},
		{"from": iso(from + 3), "to": "2026-10-15T12:00:00Z"},
	}
	calls := []struct {
		tool string
		args map[string]any
	}{
		{"summarize_revenue", map[string]any{"group_by": "partner", "top": 100}},
		{"summarize_revenue", map[string]any{"group_by": "day", "top": 100}},
		{"partner_leaderboard", map[string]any{"metric": "revenue", "top": 100}},
		{"partner_leaderboard", map[string]any{"metric": "customers", "top": 100}},
		{"partner_leaderboard", map[string]any{"metric": "rewards", "top": 100}},
		{"pipeline_summary", map[string]any{"by": "partner", "top": 100}},
		{"reward_summary", map[string]any{"top": 100}},
	}
	for _, rg := range ranges {
		for _, cl := range calls {
			args := maps.Clone(cl.args)
			maps.Copy(args, rg)
			t.Run(cl.tool+" "+rg["from"].(string), func(t *testing.T) {
				var want string
				for i, d := range []Deps{sequential, parallel, odd, blind} {
					res, text := callInsight(t, t.Context(), d, cl.tool, args)
					if res.IsError {
						t.Fatal(text)
					}
					var m map[string]any
					if err := json.Unmarshal([]byte(text), &m); err != nil {
						t.Fatal(err)
					}
					cov := m["coverage"].(map[string]any)
					if cov["complete"] != true {
						t.Fatalf("incomplete: %v", cov)
					}
					delete(m, "coverage") // pages and items differ by design
					norm, _ := json.Marshal(m)
					if i == 0 {
						want = string(norm)
					} else if string(norm) != want {
						t.Errorf("deps %d differ from the sequential walk:\n got %s\nwant %s", i, norm, want)
					}
				}
			})
		}
	}
	t.Run("the boundary items are all counted once", func(t *testing.T) {
		got := runInsight[revenueResult](t, t.Context(), parallel, "summarize_revenue", map[string]any{"from": "2025-12-01", "to": "2025-12-31"})
		total, _ := bruteRevenue(sb, revQuery{from: from, to: to})
		checkRevenueRow(t, "total", got.Total, total)
		if total.count != 15 { // 16 created, one a millisecond before the range
			t.Errorf("brute force found %d, want 15", total.count)
		}
	})
}

func TestInsightPageCapWithWindowsNamesTheUnreadSpans(t *testing.T) {
	sb := sandbox.New(sandbox.Options{Seed: 6, Transactions: 3000})
	d := Deps{Client: newSandboxClient(t, sb, nil), InsightPageCap: 5, InsightWindows: 4}
	from, to := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC).UnixMilli(), time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC).UnixMilli()-1
	got := runInsight[revenueResult](t, t.Context(), d, "summarize_revenue", map[string]any{"from": iso(from), "to": iso(to)})
	cv := got.Coverage
	if cv.Complete || cv.Pages != 5 || len(cv.Unread) == 0 || !strings.Contains(cv.Note, "unread spans") {
		t.Fatalf("coverage = %+v", cv)
	}
	// Outside the unread spans every item was counted; inside, none was,
	// except items sharing a span's last millisecond with a read one.
	var unread []timeRange
	for _, u := range cv.Unread {
		lo, _ := parseTime("", u.From, false)
		hi, _ := parseTime("", u.To, false)
		unread = append(unread, timeRange{lo, hi})
	}
	var outside, atEdge int
	for _, x := range sb.Transactions() {
		if x.Archived || !inRange(x.CreatedAt, from, to) {
			continue
		}
		in, edge := false, false
		for _, u := range unread {
			in = in || u.contains(x.CreatedAt)
			edge = edge || x.CreatedAt == u.max
		}
		switch {
		case !in:
			outside++
		case edge:
			atEdge++
		}
	}
	if got.Total.Count < outside || got.Total.Count > outside+atEdge {
		t.Errorf("counted %d, want %d (+ up to %d at span edges)", got.Total.Count, outside, atEdge)
	}
}

// cancelAfter cancels the call's context once n requests have been served.
type cancelAfter struct {
	next   http.RoundTripper
	n      int32
	seen   atomic.Int32
	cancel context.CancelFunc
}

func (c *cancelAfter) RoundTrip(r *http.Request) (*http.Response, error) {
	res, err := c.next.RoundTrip(r)
	if c.seen.Add(1) == c.n {
		c.cancel()
	}
	return res, err
}

func TestInsightCancellationStopsWithAnError(t *testing.T) {
	sb := sandbox.New(sandbox.Options{Seed: 2, Transactions: 4000})
	rt := &cancelAfter{next: sb.Client().Transport, n: 2}
	d := Deps{Client: newSandboxClient(t, sb, rt)}
	for _, name := range []string{"summarize_revenue", "partner_leaderboard", "pipeline_summary", "reward_summary"} {
		for _, args := range []map[string]any{
			{"group_key": "grup_x"},                    // one sequential walk
			{"from": "2026-01-01", "to": "2026-12-31"}, // parallel windows
		} {
			rt.seen.Store(0)
			ctx, cancel := context.WithCancel(t.Context())
			rt.cancel = cancel
			res, text := callInsight(t, ctx, d, name, args)
			if !res.IsError || !strings.Contains(text, "cancelled") {
				t.Errorf("%s %v: got isError=%v %q, want a cancellation error", name, args, res.IsError, text)
			}
			if n := rt.seen.Load(); n > 2+DefaultInsightWindows {
				t.Errorf("%s %v: %d requests after cancelling at 2", name, args, n)
			}
			cancel()
		}
	}
}

func TestInsightProgressIsReportedPerPage(t *testing.T) {
	sb := sandbox.New(sandbox.Options{Seed: 2, Transactions: 600})
	tool := insightTool(t, Deps{Client: newSandboxClient(t, sb, nil)}, "summarize_revenue")
	s := server.NewMCPServer("insights-test", "0")
	s.AddTool(tool.Def, tool.Handler)
	c, err := mcpclient.NewInProcessClient(s)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	var mu sync.Mutex
	var progress []map[string]any
	c.OnNotification(func(n mcp.JSONRPCNotification) {
		if n.Method == "notifications/progress" {
			mu.Lock()
			progress = append(progress, n.Params.AdditionalFields)
			mu.Unlock()
		}
	})
	ctx := t.Context()
	if err := c.Start(ctx); err != nil {
		t.Fatal(err)
	}
	init := mcp.InitializeRequest{}
	init.Params.ClientInfo = mcp.Implementation{Name: "t", Version: "0"}
	if _, err := c.Initialize(ctx, init); err != nil {
		t.Fatal(err)
	}
	req := mcp.CallToolRequest{}
	req.Params.Name = "summarize_revenue"
	req.Params.Arguments = map[string]any{"group_by": "currency"}
	req.Params.Meta = &mcp.Meta{ProgressToken: "p1"}
	res, err := c.CallTool(ctx, req)
	if err != nil || res.IsError {
		t.Fatalf("call failed: %v %+v", err, res)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(progress) != 3 { // 600 items = pages of 250, 250, 100
		t.Fatalf("got %d progress notifications, want 3: %v", len(progress), progress)
	}
	for i, p := range progress {
		if p["progressToken"] != "p1" || p["progress"] != float64(i+1) || !strings.Contains(p["message"].(string), "transactions: page") {
			t.Errorf("notification %d = %v", i, p)
		}
	}
	if !strings.Contains(progress[2]["message"].(string), "600 items") {
		t.Errorf("last message %q does not count items", progress[2]["message"])
	}
}

func TestInsightArgumentsAreChecked(t *testing.T) {
	d := Deps{}
	for _, tc := range []struct {
		tool string
		args map[string]any
		want string
	}{
		{"summarize_revenue", map[string]any{"from": "2026-05-01", "to": "2026-04-01"}, "'from': is later than to"},
		{"summarize_revenue", map[string]any{"to": "May 1st"}, "'to': 'May 1st' is not an ISO-8601 date"},
		{"summarize_revenue", map[string]any{"group_by": "year"}, "group_by"},
		{"partner_leaderboard", map[string]any{"metric": "clicks"}, "metric"},
		{"pipeline_summary", map[string]any{"top": 101}, "top"},
		{"reward_summary", map[string]any{"status": "owed"}, "status"},
	} {
		res, text := callInsight(t, t.Context(), d, tc.tool, tc.args)
		if !res.IsError || !strings.Contains(text, tc.want) {
			t.Errorf("%s(%v) = %q, want an error naming %q", tc.tool, tc.args, text, tc.want)
		}
	}
}

func TestDealStatusIsDerivedFromStageAndLostReason(t *testing.T) {
	s := func(v string) *string { return &v }
	for _, tc := range []struct {
		deal client.Deal
		want string
	}{
		{client.Deal{Stage: s("Closed Won")}, "won"},
		{client.Deal{Stage: s("closed_lost")}, "lost"},
		{client.Deal{Stage: s("Negotiation"), LostReason: s("budget")}, "lost"},
		{client.Deal{Stage: s("closed won"), Archived: true}, "archived"},
		{client.Deal{Stage: s("Demo")}, "open"},
		{client.Deal{}, "open"},
	} {
		if got := dealStatus(tc.deal); got != tc.want {
			t.Errorf("dealStatus(stage=%q lost=%q archived=%v) = %s, want %s", str(tc.deal.Stage), str(tc.deal.LostReason), tc.deal.Archived, got, tc.want)
		}
	}
}

func TestBucketsUseUTCAndISOWeeks(t *testing.T) {
	// 2027-01-01 is a Friday in ISO week 53 of 2026.
	ms := time.Date(2027, 1, 1, 0, 30, 0, 0, time.UTC).UnixMilli()
	for dim, want := range map[string]string{"day": "2027-01-01", "week": "2026-W53", "month": "2027-01"} {
		if got := bucket(dim, ms); got != want {
			t.Errorf("bucket(%s) = %s, want %s", dim, got, want)
		}
	}
}
