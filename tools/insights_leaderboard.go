package tools

import (
	"cmp"
	"context"

	"github.com/partnerstack-mcp/partnerstack-mcp/client"
)

func partnerLeaderboardTool(d Deps) Tool {
	return newTool(spec{name: "partner_leaderboard", title: "Partner leaderboard", toolset: insightsToolset, hints: readOnly,
		description: "Partners ranked by revenue (USD cents from amount_usd), new customers or rewards earned."},
		func(ctx context.Context, call *Call, a *partnerLeaderboardArgs) (leaderboardResult, error) {
			return partnerLeaderboard(ctx, d, call, a)
		})
}

type partnerLeaderboardArgs struct {
	rangeArgs
	Metric   string `json:"metric,omitempty" jsonschema:"enum=revenue,enum=customers,enum=rewards" jsonschema_description:"Default revenue."`
	GroupKey string `json:"group_key,omitempty" jsonschema:"maxLength=255"`
	topArg
}

type leaderRow struct {
	Rank       int    `json:"rank"`
	Key        string `json:"key"` // partnership key
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
	USDMissing   int         `json:"usd_missing,omitempty"`
	Coverage     Coverage    `json:"coverage"`
}

var leaderBasis = map[string]string{
	"revenue":   "value = net amount_usd of transactions in USD cents (refunds subtracted); count = transactions",
	"customers": "value = customers created in range; count = the same",
	"rewards":   "value = USD cents of rewards not declined; count = those rewards",
}

func partnerLeaderboard(ctx context.Context, d Deps, call *Call, a *partnerLeaderboardArgs) (leaderboardResult, error) {
	r, _ := parseRange(a.From, a.To)
	metric := cmp.Or(a.Metric, "revenue")
	res := leaderboardResult{Metric: metric, Basis: leaderBasis[metric], Partners: []leaderRow{}}
	w := newWalker(ctx, call, d)
	rows := map[string]*leaderRow{}
	if err := w.resume("partner_leaderboard", a, map[string]any{"rows": &rows, "unattributed": &res.Unattributed, "usd_missing": &res.USDMissing}); err != nil {
		return res, err
	}
	dir, err := loadDirectory(w, d.Client)
	if err != nil {
		return res, err
	}
	var attr *attribution
	if metric == "revenue" {
		if attr, err = loadAttribution(w, d.Client, client.CustomerListOptions{}, nil); err != nil {
			return res, err
		}
	}
	filter := partnerFilter{groupKey: a.GroupKey}
	credit := func(p partnerInfo, value int64) {
		if p.Key == "" && p.PartnerKey == "" {
			res.Unattributed++
			return
		}
		if !filter.match(p) {
			return
		}
		id := cmp.Or(p.Key, p.PartnerKey)
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
			ref, how := attr.partnerOf(&t)
			w.attributed(how)
			credit(dir.resolve(ref.Key, ref.PartnerKey, ""), usd)
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
