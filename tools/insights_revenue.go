package tools

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/partnerstack-mcp/partnerstack-mcp/client"
)

func summarizeRevenueTool(d Deps) Tool {
	return newTool(spec{name: "summarize_revenue", title: "Summarize revenue", toolset: insightsToolset, hints: readOnly,
		description: "Transaction totals per currency in cents (never mixed), refunds apart; filters and a breakdown by partner, group, product, currency or period."},
		func(ctx context.Context, call *Call, a *summarizeRevenueArgs) (revenueResult, error) {
			return summarizeRevenue(ctx, d, call, a)
		})
}

type summarizeRevenueArgs struct {
	rangeArgs
	PartnerKey string `json:"partner_key,omitempty" jsonschema:"maxLength=255"`
	GroupKey   string `json:"group_key,omitempty" jsonschema:"maxLength=255"`
	ProductKey string `json:"product_key,omitempty" jsonschema:"maxLength=255"`
	Currency   string `json:"currency,omitempty" jsonschema:"pattern=^[A-Za-z]{3}$"`
	GroupBy    string `json:"group_by,omitempty" jsonschema:"enum=partner,enum=group,enum=product,enum=currency,enum=day,enum=week,enum=month" jsonschema_description:"day/week/month: UTC, ISO weeks."`
	topArg
}

// revenueRow is one group's transactions. Cents are net (refunds
// subtracted) and per currency; USDCents sums amount_usd where given.
type revenueRow struct {
	Group       string `json:"group"`
	Name        string `json:"name,omitempty"`
	Count       int    `json:"count"`
	Cents       money  `json:"cents" jsonschema_description:"Net cents per currency."`
	USDCents    int64  `json:"usd_cents" jsonschema_description:"Net amount_usd cents."`
	USDMissing  int    `json:"usd_missing,omitempty"`
	RefundCount int    `json:"refund_count"`
	RefundCents money  `json:"refund_cents,omitempty" jsonschema_description:"Refunds (negative) per currency."`
	Folded      int    `json:"folded_groups,omitempty"`
}

func newRevenueRow(group, name string) *revenueRow {
	return &revenueRow{Group: group, Name: name, Cents: money{}}
}

func (r *revenueRow) add(t *client.Transaction, cur string) {
	r.Count++
	r.Cents.add(cur, t.Amount)
	if t.AmountUSD != nil {
		r.USDCents += *t.AmountUSD
	} else {
		r.USDMissing++
	}
	if t.Amount < 0 {
		r.RefundCount++
		if r.RefundCents == nil {
			r.RefundCents = money{}
		}
		r.RefundCents.add(cur, t.Amount)
	}
}

func (r *revenueRow) merge(o *revenueRow) {
	r.Count += o.Count
	r.Cents.merge(o.Cents)
	r.USDCents += o.USDCents
	r.USDMissing += o.USDMissing
	r.RefundCount += o.RefundCount
	if len(o.RefundCents) > 0 {
		if r.RefundCents == nil {
			r.RefundCents = money{}
		}
		r.RefundCents.merge(o.RefundCents)
	}
}

func (r *revenueRow) rankKey() (int64, int, string) { return r.USDCents, r.Count, r.Group }

type revenueResult struct {
	GroupBy      string       `json:"group_by,omitempty"`
	Total        revenueRow   `json:"total"`
	Groups       []revenueRow `json:"groups,omitempty"`
	Other        *revenueRow  `json:"other,omitempty"`
	Unattributed int          `json:"unattributed,omitempty" jsonschema_description:"Skipped: partner unknown."`
	Coverage     Coverage     `json:"coverage"`
}

func summarizeRevenue(ctx context.Context, d Deps, call *Call, a *summarizeRevenueArgs) (revenueResult, error) {
	r, _ := parseRange(a.From, a.To)
	cur := strings.ToUpper(a.Currency)
	filter := partnerFilter{a.PartnerKey, a.GroupKey}
	res := revenueResult{GroupBy: a.GroupBy}
	w := newWalker(ctx, call, d)
	total := newRevenueRow("total", "")
	groups := map[string]*revenueRow{}
	if err := w.resume("summarize_revenue", a, map[string]any{"total": &total, "groups": &groups, "unattributed": &res.Unattributed}); err != nil {
		return res, err
	}

	// Partner filters and breakdowns attribute each transaction through its
	// customer (attribution.go) and name the partner from the directory. A
	// partner_key filter alone needs only that partner's customers.
	var dir *directory
	var attr *attribution
	onlyPartner := filter.groupKey == "" && a.GroupBy != "partner" && a.GroupBy != "group"
	if filter != (partnerFilter{}) || !onlyPartner {
		var err error
		if dir, err = loadDirectory(w, d.Client); err != nil {
			return res, err
		}
		o, keep := client.CustomerListOptions{}, func(*client.Customer) bool { return true }
		if onlyPartner {
			o.PartnerKey = a.PartnerKey
			keep = func(cu *client.Customer) bool { return str(cu.PartnerKey) == a.PartnerKey }
		}
		if attr, err = loadAttribution(w, d.Client, o, keep); err != nil {
			return res, err
		}
	}

	o := client.TransactionListOptions{PartnerKey: a.PartnerKey, ProductKey: a.ProductKey, Currency: cur}
	err := walkRange(w, "transactions", r, lister(d.Client.Transactions.All, o), txnCreated, func(t client.Transaction) {
		if t.Archived || (cur != "" && !strings.EqualFold(t.Currency, cur)) ||
			(a.ProductKey != "" && str(t.ProductKey) != a.ProductKey) {
			return
		}
		var p partnerInfo
		if dir != nil {
			ref, how := attr.partnerOf(&t)
			w.attributed(how)
			p = dir.resolve(ref.Key, ref.PartnerKey, "")
			if filter != (partnerFilter{}) && (p.PartnerKey == "" || !filter.match(p)) {
				// With only the partner's customers read, an unknown
				// customer is simply someone else's.
				if p.PartnerKey == "" && !(onlyPartner && how == unattributed) {
					res.Unattributed++
				}
				return
			}
		}
		tc := strings.ToUpper(t.Currency)
		total.add(&t, tc)
		if a.GroupBy == "" {
			return
		}
		key, name := revenueGroup(a.GroupBy, &t, tc, p)
		g := groups[key]
		if g == nil {
			g = newRevenueRow(key, name)
			groups[key] = g
		}
		g.add(&t, tc)
	})
	if err != nil {
		return res, err
	}
	res.Total = *total
	if a.GroupBy != "" {
		rows := make([]*revenueRow, 0, len(groups))
		for _, g := range groups {
			rows = append(rows, g)
		}
		def := defaultTop
		if isTimeDim(a.GroupBy) {
			def = defaultTimeTop
		}
		kept, rest := topN(rows, a.top(def))
		if len(rest) > 0 {
			res.Other = newRevenueRow("other", "")
			for _, g := range rest {
				res.Other.merge(g)
			}
			res.Other.Folded = len(rest)
		}
		if isTimeDim(a.GroupBy) { // a series reads in time order
			slices.SortFunc(kept, func(x, y *revenueRow) int { return strings.Compare(x.Group, y.Group) })
		}
		res.Groups = make([]revenueRow, len(kept))
		for i, g := range kept {
			res.Groups[i] = *g
		}
	}
	res.Coverage = w.coverage(r)
	return res, nil
}

// revenueGroup names the group of a transaction for the chosen dimension.
func revenueGroup(dim string, t *client.Transaction, cur string, p partnerInfo) (key, name string) {
	switch dim {
	case "partner":
		if p.PartnerKey == "" {
			return orNone(p.Key), ""
		}
		return p.PartnerKey, p.Name
	case "group":
		return orNone(p.GroupKey), p.GroupName
	case "product":
		return orNone(str(t.ProductKey)), ""
	case "currency":
		return cur, ""
	}
	return bucket(dim, t.CreatedAt), ""
}

// money is an amount per currency (ISO code -> cents); currencies never mix.
type money map[string]int64

func (m money) add(cur string, cents int64) { m[cur] += cents }

func (m money) merge(o money) {
	for k, v := range o {
		m[k] += v
	}
}

// bucket names a created_at time for the day/week/month dimensions (UTC;
// ISO weeks such as 2026-W09).
func bucket(dim string, ms int64) string {
	t := time.UnixMilli(ms).UTC()
	switch dim {
	case "day":
		return t.Format("2006-01-02")
	case "week":
		y, wk := t.ISOWeek()
		return fmt.Sprintf("%04d-W%02d", y, wk)
	case "month":
		return t.Format("2006-01")
	}
	return ""
}

func isTimeDim(dim string) bool { return dim == "day" || dim == "week" || dim == "month" }
