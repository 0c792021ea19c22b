package tools

import (
	"fmt"
	"maps"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/partnerstack-mcp/partnerstack-mcp/client"
	"github.com/partnerstack-mcp/partnerstack-mcp/client/sandbox"
	"github.com/partnerstack-mcp/partnerstack-mcp/internal/profiletest"
)

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

type revQuery struct {
	from, to                                   int64
	partnerKey, groupKey, productKey, currency string
	groupBy                                    string
}

func bruteRevenue(sb *sandbox.Sandbox, q revQuery) (bruteRow, map[string]*bruteRow) {
	partners, partnerOf := partnersOf(sb), partnerOfTransaction(sb)
	var total bruteRow
	groups := map[string]*bruteRow{}
	for _, t := range sb.Transactions() {
		p := partners[partnerOf(t)]
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

func TestSummarizeRevenueMatchesBruteForce(t *testing.T) {
	profiletest.Run(t, testSummarizeRevenueMatchesBruteForce)
}

func testSummarizeRevenueMatchesBruteForce(t *testing.T, profile sandbox.Profile) {
	sb := profiletest.New(t, sandbox.Options{Seed: 7, Transactions: 1500})
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
	somePartner := partners[partnerOfTransaction(sb)(txns[10])]
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
	profiletest.Run(t, testSummarizeRevenueCountsItemsExactlyAtTheRangeEdges)
}

func testSummarizeRevenueCountsItemsExactlyAtTheRangeEdges(t *testing.T, profile sandbox.Profile) {
	sb := profiletest.New(t, sandbox.Options{Seed: 3, Transactions: 50})
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
			Currency: tx.cur, CreatedAt: &tx.at}); err != nil {
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

func TestBucketsUseUTCAndISOWeeks(t *testing.T) {
	// 2027-01-01 is a Friday in ISO week 53 of 2026.
	ms := time.Date(2027, 1, 1, 0, 30, 0, 0, time.UTC).UnixMilli()
	for dim, want := range map[string]string{"day": "2027-01-01", "week": "2026-W53", "month": "2027-01"} {
		if got := bucket(dim, ms); got != want {
			t.Errorf("bucket(%s) = %s, want %s", dim, got, want)
		}
	}
}
