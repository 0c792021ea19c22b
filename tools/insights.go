package tools

import (
	"context"
	"slices"
	"strings"

	"github.com/partnerstack-mcp/partnerstack-mcp/client"
)

// Insight tools answer a question over the whole program in one call by
// streaming the lists through aggregate.go. Their results always carry a
// Coverage saying what was read and whether it was all of it.

const (
	defaultTop     = 10
	maxTop         = 100
	defaultTimeTop = 100 // a time series is wanted whole, not ranked
)

type rangeArgs struct {
	From string `json:"from,omitempty" jsonschema:"maxLength=40" jsonschema_description:"ISO date or time, inclusive; absent = from the start."`
	To   string `json:"to,omitempty" jsonschema:"maxLength=40" jsonschema_description:"ISO date or time, inclusive (a date means its end)."`
}

type topArg struct {
	Top int `json:"top,omitempty" jsonschema:"minimum=1,maximum=100" jsonschema_description:"Rows kept (default 10); the rest fold into other."`
}

func (a topArg) top(def int) int {
	if a.Top <= 0 {
		return def
	}
	return a.Top
}

// ---- summarize_revenue ----

type summarizeRevenueArgs struct {
	rangeArgs
	PartnerKey string `json:"partner_key,omitempty" jsonschema:"maxLength=255"`
	GroupKey   string `json:"group_key,omitempty" jsonschema:"maxLength=255"`
	ProductKey string `json:"product_key,omitempty" jsonschema:"maxLength=255"`
	Currency   string `json:"currency,omitempty" jsonschema:"pattern=^[A-Za-z]{3}$"`
	GroupBy    string `json:"group_by,omitempty" jsonschema:"enum=partner,enum=group,enum=product,enum=currency,enum=day,enum=week,enum=month" jsonschema_description:"Breakdown. day/week/month: UTC, ISO weeks, top defaults to 100."`
	topArg
}

func (a *summarizeRevenueArgs) validate() error {
	_, err := parseRange(a.From, a.To)
	return err
}

// revenueRow is one group's transactions. Cents are net (refunds
// subtracted) and per currency; USDCents sums amount_usd where given.
type revenueRow struct {
	Group       string `json:"group"`
	Name        string `json:"name,omitempty"`
	Count       int    `json:"count"`
	Cents       money  `json:"cents" jsonschema_description:"Net cents per currency."`
	USDCents    int64  `json:"usd_cents" jsonschema_description:"Net amount_usd cents."`
	USDMissing  int    `json:"usd_missing,omitempty" jsonschema_description:"Items without amount_usd."`
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
	Other        *revenueRow  `json:"other,omitempty" jsonschema_description:"Groups past top, summed."`
	Unattributed int          `json:"unattributed,omitempty" jsonschema_description:"Skipped: partner unknown."`
	Coverage     Coverage     `json:"coverage"`
}

func summarizeRevenue(ctx context.Context, d Deps, call *Call, a *summarizeRevenueArgs) (revenueResult, error) {
	r, _ := parseRange(a.From, a.To)
	cur := strings.ToUpper(a.Currency)
	filter := partnerFilter{a.PartnerKey, a.GroupKey}
	res := revenueResult{GroupBy: a.GroupBy}
	w := newWalker(ctx, call, d)

	// Transactions carry only a partnership key, so partner filters and
	// breakdowns need the directory.
	var dir *directory
	if filter != (partnerFilter{}) || a.GroupBy == "partner" || a.GroupBy == "group" {
		var err error
		if dir, err = loadDirectory(w, d.Client); err != nil {
			return res, err
		}
	}

	total := newRevenueRow("total", "")
	groups := map[string]*revenueRow{}
	o := client.TransactionListOptions{PartnerKey: a.PartnerKey, ProductKey: a.ProductKey, Currency: cur}
	err := walkRange(w, "transactions", r, lister(d.Client.Transactions.All, o), txnCreated, func(t client.Transaction) {
		if t.Archived || (cur != "" && !strings.EqualFold(t.Currency, cur)) ||
			(a.ProductKey != "" && str(t.ProductKey) != a.ProductKey) {
			return
		}
		var p partnerInfo
		if dir != nil {
			p = dir.resolve(str(t.PartnershipKey), "", "")
			if filter != (partnerFilter{}) && (p.PartnerKey == "" || !filter.match(p)) {
				if p.PartnerKey == "" {
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

func txnCreated(t client.Transaction) int64 { return t.CreatedAt }

// revenueGroup names the group of a transaction for the chosen dimension.
func revenueGroup(dim string, t *client.Transaction, cur string, p partnerInfo) (key, name string) {
	switch dim {
	case "partner":
		if p.PartnerKey == "" {
			return orNone(str(t.PartnershipKey)), ""
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

// ---- partner_leaderboard ----

type partnerLeaderboardArgs struct {
	rangeArgs
	Metric   string `json:"metric,omitempty" jsonschema:"enum=revenue,enum=customers,enum=rewards" jsonschema_description:"Default revenue."`
	GroupKey string `json:"group_key,omitempty" jsonschema:"maxLength=255"`
	topArg
}

func (a *partnerLeaderboardArgs) validate() error {
	_, err := parseRange(a.From, a.To)
	return err
}

type leaderRow struct {
	Rank       int    `json:"rank"`
	Key        string `json:"key" jsonschema_description:"Partnership key."`
	PartnerKey string `json:"partner_key,omitempty"`
	Name       string `json:"name,omitempty"`
	Email      string `json:"email,omitempty"`
	Group      string `json:"group,omitempty"`
	Value      int64  `json:"value" jsonschema_description:"The metric; see basis."`
	Count      int    `json:"count"`
}

func (r *leaderRow) rankKey() (int64, int, string) { return r.Value, r.Count, r.Key }

type leaderRest struct {
	Partners int   `json:"partners"`
	Value    int64 `json:"value"`
	Count    int   `json:"count"`
}

type leaderboardResult struct {
	Metric       string      `json:"metric"`
	Basis        string      `json:"basis"`
	Partners     []leaderRow `json:"partners"`
	Rest         *leaderRest `json:"rest,omitempty" jsonschema_description:"Partners past top, summed."`
	Unattributed int         `json:"unattributed,omitempty" jsonschema_description:"Items with no known partner."`
	USDMissing   int         `json:"usd_missing,omitempty" jsonschema_description:"Transactions without amount_usd."`
	Coverage     Coverage    `json:"coverage"`
}

var leaderBasis = map[string]string{
	"revenue":   "value = net amount_usd of transactions in USD cents (refunds subtracted); count = transactions",
	"customers": "value = customers created in range; count = the same",
	"rewards":   "value = USD cents of rewards not declined; count = those rewards",
}

func partnerLeaderboard(ctx context.Context, d Deps, call *Call, a *partnerLeaderboardArgs) (leaderboardResult, error) {
	r, _ := parseRange(a.From, a.To)
	metric := cmpOr(a.Metric, "revenue")
	res := leaderboardResult{Metric: metric, Basis: leaderBasis[metric], Partners: []leaderRow{}}
	w := newWalker(ctx, call, d)
	dir, err := loadDirectory(w, d.Client)
	if err != nil {
		return res, err
	}
	filter := partnerFilter{groupKey: a.GroupKey}
	rows := map[string]*leaderRow{}
	credit := func(p partnerInfo, value int64) {
		if p.Key == "" && p.PartnerKey == "" {
			res.Unattributed++
			return
		}
		if !filter.match(p) {
			return
		}
		id := cmpOr(p.Key, p.PartnerKey)
		row := rows[id]
		if row == nil {
			row = &leaderRow{Key: p.Key, PartnerKey: p.PartnerKey, Name: p.Name, Email: p.Email, Group: p.GroupName}
			rows[id] = row
		}
		row.Value += value
		row.Count++
	}

	switch metric {
	case "revenue":
		err = walkRange(w, "transactions", r, lister(d.Client.Transactions.All, client.TransactionListOptions{}), txnCreated, func(t client.Transaction) {
			if t.Archived {
				return
			}
			var usd int64
			if t.AmountUSD != nil {
				usd = *t.AmountUSD
			} else {
				res.USDMissing++
			}
			credit(dir.resolve(str(t.PartnershipKey), "", ""), usd)
		})
	case "customers":
		err = walkRange(w, "customers", r, lister(d.Client.Customers.All, client.CustomerListOptions{}), func(c client.Customer) int64 { return c.CreatedAt }, func(c client.Customer) {
			if c.Archived {
				return
			}
			credit(dir.resolve(str(c.PartnershipKey), str(c.PartnerKey), ""), 1)
		})
	case "rewards":
		err = walkRange(w, "rewards", r, lister(d.Client.Rewards.All, client.RewardListOptions{}), rewardCreated, func(rw client.Reward) {
			if rw.RewardStatus == "declined" {
				return
			}
			credit(rewardPartner(dir, &rw), rw.Amount)
		})
	}
	if err != nil {
		return res, err
	}
	list := make([]*leaderRow, 0, len(rows))
	for _, row := range rows {
		list = append(list, row)
	}
	kept, rest := topN(list, a.top(defaultTop))
	for i, row := range kept {
		row.Rank = i + 1
		res.Partners = append(res.Partners, *row)
	}
	if len(rest) > 0 {
		res.Rest = &leaderRest{Partners: len(rest)}
		for _, row := range rest {
			res.Rest.Value += row.Value
			res.Rest.Count += row.Count
		}
	}
	res.Coverage = w.coverage(r)
	return res, nil
}

func rewardCreated(r client.Reward) int64 { return r.CreatedAt }

func rewardPartner(dir *directory, r *client.Reward) partnerInfo {
	p := r.Partnership
	if p == nil {
		return partnerInfo{}
	}
	var group string
	if p.Group != nil {
		group = p.Group.Key
	}
	info := dir.resolve(p.Key, p.PartnerKey, group)
	if info.Name == "" {
		info.Name = p.Name
	}
	if info.GroupName == "" && p.Group != nil {
		info.GroupName = p.Group.Name
	}
	return info
}

// ---- pipeline_summary ----

type pipelineSummaryArgs struct {
	rangeArgs
	PartnerKey string `json:"partner_key,omitempty" jsonschema:"maxLength=255"`
	GroupKey   string `json:"group_key,omitempty" jsonschema:"maxLength=255"`
	By         string `json:"by,omitempty" jsonschema:"enum=partner,enum=group" jsonschema_description:"Add a breakdown."`
	topArg
}

func (a *pipelineSummaryArgs) validate() error {
	_, err := parseRange(a.From, a.To)
	return err
}

type countCents struct {
	Count int   `json:"count"`
	Cents int64 `json:"amount_cents"`
}

func (c *countCents) add(cents int64) { c.Count++; c.Cents += cents }

type dealFigures struct {
	Count    int                   `json:"count"`
	Cents    int64                 `json:"amount_cents"`
	ByStage  map[string]countCents `json:"by_stage"`
	ByStatus map[string]countCents `json:"by_status" jsonschema_description:"Derived: see status_note."`
}

type leadFigures struct {
	Count    int                   `json:"count"`
	Cents    int64                 `json:"amount_cents"`
	ByStatus map[string]countCents `json:"by_status"`
}

type pipelineRow struct {
	Key       string `json:"key"`
	Name      string `json:"name,omitempty"`
	Deals     int    `json:"deals"`
	DealCents int64  `json:"deal_cents"`
	Open      int    `json:"open"`
	Won       int    `json:"won"`
	Lost      int    `json:"lost"`
	Archived  int    `json:"archived"`
	Leads     int    `json:"leads"`
	Folded    int    `json:"folded_groups,omitempty"`
}

func (r *pipelineRow) rankKey() (int64, int, string) { return r.DealCents, r.Deals + r.Leads, r.Key }

type pipelineResult struct {
	Deals      dealFigures   `json:"deals"`
	Leads      leadFigures   `json:"leads"`
	By         string        `json:"by,omitempty"`
	Breakdown  []pipelineRow `json:"breakdown,omitempty"`
	Other      *pipelineRow  `json:"other,omitempty"`
	StatusNote string        `json:"status_note"`
	Coverage   Coverage      `json:"coverage"`
}

const pipelineStatusNote = "Deal status is derived (the API has none): archived; won or lost from stage 'closed won'/'closed lost' or a lost_reason; else open. Archived leads are left out. Amounts are cents; deals carry no currency."

func pipelineSummary(ctx context.Context, d Deps, call *Call, a *pipelineSummaryArgs) (pipelineResult, error) {
	r, _ := parseRange(a.From, a.To)
	res := pipelineResult{By: a.By, StatusNote: pipelineStatusNote,
		Deals: dealFigures{ByStage: map[string]countCents{}, ByStatus: map[string]countCents{}},
		Leads: leadFigures{ByStatus: map[string]countCents{}}}
	w := newWalker(ctx, call, d)
	filter := partnerFilter{a.PartnerKey, a.GroupKey}
	var dir *directory
	if a.By != "" || a.GroupKey != "" {
		var err error
		if dir, err = loadDirectory(w, d.Client); err != nil {
			return res, err
		}
	}
	rows := map[string]*pipelineRow{}
	row := func(p partnerInfo) *pipelineRow {
		key, name := orNone(p.PartnerKey), p.Name
		if a.By == "group" {
			key, name = orNone(p.GroupKey), p.GroupName
		}
		g := rows[key]
		if g == nil {
			g = &pipelineRow{Key: key, Name: name}
			rows[key] = g
		}
		return g
	}

	do := client.DealListOptions{PartnerKey: a.PartnerKey, GroupKey: a.GroupKey, IncludeArchived: true}
	err := walkRange(w, "deals", r, lister(d.Client.Deals.All, do), func(x client.Deal) int64 { return x.CreatedAt }, func(x client.Deal) {
		p := dir.resolve("", str(x.PartnerKey), str(x.GroupKey))
		if !filter.match(p) {
			return
		}
		cents := int64Val(x.Amount)
		status := dealStatus(x)
		res.Deals.Count++
		res.Deals.Cents += cents
		addTo(res.Deals.ByStage, orNone(str(x.Stage)), cents)
		addTo(res.Deals.ByStatus, status, cents)
		if a.By == "" {
			return
		}
		g := row(p)
		g.Deals++
		g.DealCents += cents
		switch status {
		case "open":
			g.Open++
		case "won":
			g.Won++
		case "lost":
			g.Lost++
		case "archived":
			g.Archived++
		}
	})
	if err != nil {
		return res, err
	}
	lo := client.LeadListOptions{PartnerKey: a.PartnerKey}
	err = walkRange(w, "leads", r, lister(d.Client.Leads.All, lo), func(l client.Lead) int64 { return l.CreatedAt }, func(l client.Lead) {
		if l.Archived {
			return
		}
		p := dir.resolve("", str(l.PartnerKey), str(l.GroupKey))
		if !filter.match(p) {
			return
		}
		cents := int64Val(l.Amount)
		res.Leads.Count++
		res.Leads.Cents += cents
		addTo(res.Leads.ByStatus, orNone(l.Status), cents)
		if a.By != "" {
			row(p).Leads++
		}
	})
	if err != nil {
		return res, err
	}
	if a.By != "" {
		list := make([]*pipelineRow, 0, len(rows))
		for _, g := range rows {
			list = append(list, g)
		}
		kept, rest := topN(list, a.top(defaultTop))
		res.Breakdown = make([]pipelineRow, len(kept))
		for i, g := range kept {
			res.Breakdown[i] = *g
		}
		if len(rest) > 0 {
			o := &pipelineRow{Key: "other", Folded: len(rest)}
			for _, g := range rest {
				o.Deals += g.Deals
				o.DealCents += g.DealCents
				o.Open += g.Open
				o.Won += g.Won
				o.Lost += g.Lost
				o.Archived += g.Archived
				o.Leads += g.Leads
			}
			res.Other = o
		}
	}
	res.Coverage = w.coverage(r)
	return res, nil
}

func addTo(m map[string]countCents, key string, cents int64) {
	c := m[key]
	c.add(cents)
	m[key] = c
}

func int64Val(p *int64) int64 {
	if p == nil {
		return 0
	}
	return *p
}

// ---- reward_summary ----

type rewardSummaryArgs struct {
	rangeArgs
	PartnerKey string `json:"partner_key,omitempty" jsonschema:"maxLength=255"`
	GroupKey   string `json:"group_key,omitempty" jsonschema:"maxLength=255"`
	Status     string `json:"status,omitempty" jsonschema:"enum=hold,enum=pending,enum=approved,enum=declined,enum=paid"`
	topArg
}

func (a *rewardSummaryArgs) validate() error {
	_, err := parseRange(a.From, a.To)
	return err
}

type rewardPartnerRow struct {
	Key        string           `json:"key"`
	PartnerKey string           `json:"partner_key,omitempty"`
	Name       string           `json:"name,omitempty"`
	Count      int              `json:"count"`
	USDCents   int64            `json:"usd_cents"`
	ByStatus   map[string]int64 `json:"by_status" jsonschema_description:"USD cents per status."`
	Folded     int              `json:"folded_partners,omitempty"`
}

func (r *rewardPartnerRow) rankKey() (int64, int, string) { return r.USDCents, r.Count, r.Key }

type rewardSummaryResult struct {
	Count    int                   `json:"count"`
	USDCents int64                 `json:"usd_cents"`
	ByStatus map[string]countCents `json:"by_status" jsonschema_description:"amount_cents are USD."`
	Partners []rewardPartnerRow    `json:"partners"`
	Other    *rewardPartnerRow     `json:"other,omitempty"`
	Coverage Coverage              `json:"coverage"`
}

func rewardSummary(ctx context.Context, d Deps, call *Call, a *rewardSummaryArgs) (rewardSummaryResult, error) {
	r, _ := parseRange(a.From, a.To)
	res := rewardSummaryResult{ByStatus: map[string]countCents{}, Partners: []rewardPartnerRow{}}
	w := newWalker(ctx, call, d)
	filter := partnerFilter{a.PartnerKey, a.GroupKey}
	var dir *directory
	if filter != (partnerFilter{}) { // rewards may lack the nested partner_key or group
		var err error
		if dir, err = loadDirectory(w, d.Client); err != nil {
			return res, err
		}
	}
	rows := map[string]*rewardPartnerRow{}
	o := client.RewardListOptions{PartnerKey: a.PartnerKey, RewardStatus: a.Status}
	err := walkRange(w, "rewards", r, lister(d.Client.Rewards.All, o), rewardCreated, func(rw client.Reward) {
		if a.Status != "" && rw.RewardStatus != a.Status {
			return
		}
		p := rewardPartner(dir, &rw)
		if !filter.match(p) {
			return
		}
		status := orNone(rw.RewardStatus)
		res.Count++
		res.USDCents += rw.Amount
		addTo(res.ByStatus, status, rw.Amount)
		id := orNone(cmpOr(p.Key, p.PartnerKey))
		g := rows[id]
		if g == nil {
			g = &rewardPartnerRow{Key: id, PartnerKey: p.PartnerKey, Name: p.Name, ByStatus: map[string]int64{}}
			rows[id] = g
		}
		g.Count++
		g.USDCents += rw.Amount
		g.ByStatus[status] += rw.Amount
	})
	if err != nil {
		return res, err
	}
	list := make([]*rewardPartnerRow, 0, len(rows))
	for _, g := range rows {
		list = append(list, g)
	}
	kept, rest := topN(list, a.top(defaultTop))
	for _, g := range kept {
		res.Partners = append(res.Partners, *g)
	}
	if len(rest) > 0 {
		o := &rewardPartnerRow{Key: "other", ByStatus: map[string]int64{}, Folded: len(rest)}
		for _, g := range rest {
			o.Count += g.Count
			o.USDCents += g.USDCents
			for s, v := range g.ByStatus {
				o.ByStatus[s] += v
			}
		}
		res.Other = o
	}
	res.Coverage = w.coverage(r)
	return res, nil
}

func cmpOr(s ...string) string {
	for _, v := range s {
		if v != "" {
			return v
		}
	}
	return ""
}

func insightTools(d Deps) []Tool {
	const ts = "insights"
	return []Tool{
		newTool(spec{name: "summarize_revenue", title: "Summarize revenue", toolset: ts, hints: readOnly,
			description: "Transaction totals over a date range, per currency in cents (never mixed), with refunds apart; optional filters and a breakdown by partner, group, product, currency or period. Reads every page in range."},
			func(ctx context.Context, call *Call, a *summarizeRevenueArgs) (revenueResult, error) {
				return summarizeRevenue(ctx, d, call, a)
			}),
		newTool(spec{name: "partner_leaderboard", title: "Partner leaderboard", toolset: ts, hints: readOnly,
			description: "Partners ranked over a date range by revenue (USD cents from amount_usd), new customers, or rewards earned; with key, partner_key, name, email and group."},
			func(ctx context.Context, call *Call, a *partnerLeaderboardArgs) (leaderboardResult, error) {
				return partnerLeaderboard(ctx, d, call, a)
			}),
		newTool(spec{name: "pipeline_summary", title: "Pipeline summary", toolset: ts, hints: readOnly,
			description: "Deals by stage and derived status (open/won/lost/archived) with counts and amounts, and leads by status; optional partner or group filter or breakdown."},
			func(ctx context.Context, call *Call, a *pipelineSummaryArgs) (pipelineResult, error) {
				return pipelineSummary(ctx, d, call, a)
			}),
		newTool(spec{name: "reward_summary", title: "Reward summary", toolset: ts, hints: readOnly,
			description: "Rewards over a date range by status (hold/pending/approved/declined/paid) and by partner, in USD cents; top partners."},
			func(ctx context.Context, call *Call, a *rewardSummaryArgs) (rewardSummaryResult, error) {
				return rewardSummary(ctx, d, call, a)
			}),
	}
}
