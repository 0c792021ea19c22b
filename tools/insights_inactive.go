package tools

import (
	"cmp"
	"context"
	"math"
	"slices"
	"time"

	"github.com/partnerstack-mcp/partnerstack-mcp/client"
)

func inactivePartnersTool(d Deps) Tool {
	return newTool(spec{name: "inactive_partners", title: "Inactive partners", toolset: insightsToolset, hints: readOnly,
		description: "Active partners with no new customer, transaction or deal in the days (default 30) before as_of, longest inactive first."},
		func(ctx context.Context, call *Call, a *inactivePartnersArgs) (inactiveResult, error) {
			return inactivePartners(ctx, d, call, a)
		})
}

type inactivePartnersArgs struct {
	resumeArgs
	Days     int    `json:"days,omitempty" jsonschema:"minimum=1,maximum=3650"`
	AsOf     string `json:"as_of,omitempty" jsonschema:"maxLength=40" jsonschema_description:"ISO; default now."`
	GroupKey string `json:"group_key,omitempty" jsonschema:"maxLength=255"`
	topArg
}

func (a *inactivePartnersArgs) validate() error {
	_, err := parseTime("as_of", a.AsOf, true)
	return err
}

type inactiveRow struct {
	Key          string `json:"key"`
	PartnerKey   string `json:"partner_key,omitempty"`
	Name         string `json:"name,omitempty"`
	Email        string `json:"email,omitempty"`
	Group        string `json:"group,omitempty"`
	LastActivity string `json:"last_activity,omitempty" jsonschema_description:"Absent: none ever."`
	LastKind     string `json:"last_kind,omitempty"` // customer, transaction or deal
	DaysInactive int    `json:"days_inactive,omitempty"`

	at int64 // last activity, for ordering
}

type inactiveResult struct {
	AsOf     string        `json:"as_of"`
	Active   int           `json:"active_partners"`
	Inactive int           `json:"inactive"`
	Partners []inactiveRow `json:"partners"`
	Coverage Coverage      `json:"coverage"`
}

// activity is one active partnership's latest dated activity of each kind
// (epoch ms; 0 = none seen).
type activity struct {
	info                partnerInfo
	customer, txn, deal int64
	hasCustomers        bool
}

func (x *activity) last() (int64, string) {
	best, kind := x.customer, "customer"
	if x.txn > best {
		best, kind = x.txn, "transaction"
	}
	if x.deal > best {
		best, kind = x.deal, "deal"
	}
	if best == 0 {
		kind = ""
	}
	return best, kind
}

// How inactivity is found: the partnerships and customers are looked up
// (every call); customers give each partner's newest customer and attribute
// transactions (transaction -> customer -> partnership, the documented
// link). Deals and then transactions are walked newest first up to as_of,
// each with a floor: the oldest last-activity among partners still
// inactive. Older items cannot change any answer (an active partner needs
// no date; an inactive one's date is at least its current one), so the
// walks stop there instead of reading the whole history. A partner without
// customers has no transactions by the documented link and so does not hold
// the transactions' floor down.
func inactivePartners(ctx context.Context, d Deps, call *Call, a *inactivePartnersArgs) (inactiveResult, error) {
	days := cmp.Or(a.Days, 30)
	asOf, _ := parseTime("as_of", a.AsOf, true)
	w := newWalker(ctx, call, d)
	lastTxn, lastDeal := map[string]int64{}, map[string]int64{}
	if err := w.resume("inactive_partners", a, map[string]any{"as_of": &asOf, "txn": &lastTxn, "deal": &lastDeal}); err != nil {
		return inactiveResult{}, err
	}
	if asOf == 0 { // resolved once: a resumed call keeps the first call's window
		asOf = time.Now().UnixMilli()
	}
	since := asOf - int64(days)*dayMs + 1
	res := inactiveResult{AsOf: isoMilli(asOf), Partners: []inactiveRow{}}

	active := map[string]*activity{}
	byPartnerKey := map[string]*activity{}
	err := walkLookup(w, "partnerships", lister(d.Client.Partnerships.All, client.PartnershipListOptions{}), partnershipCreated, func(p client.Partnership) {
		if p.Archived || p.CreatedAt > asOf || (a.GroupKey != "" && (p.Group == nil || p.Group.Key != a.GroupKey)) {
			return
		}
		x := &activity{info: partnerInfo{Key: p.Key, PartnerKey: p.PartnerKey, Name: fullName(p.FirstName, p.LastName), Email: p.Email}}
		if p.Group != nil {
			x.info.GroupKey, x.info.GroupName = p.Group.Key, p.Group.Name
		}
		active[p.Key] = x
		if p.PartnerKey != "" {
			byPartnerKey[p.PartnerKey] = x
		}
	})
	if err != nil {
		return res, err
	}
	partnerOf := func(key, partnerKey *string) *activity {
		if x := active[str(key)]; x != nil {
			return x
		}
		return byPartnerKey[str(partnerKey)]
	}
	customers := map[string]*activity{} // customer key -> its (active) partner
	err = walkLookup(w, "customers", lister(d.Client.Customers.All, client.CustomerListOptions{}), customerCreated, func(c client.Customer) {
		x := partnerOf(c.PartnershipKey, c.PartnerKey)
		if x == nil {
			return
		}
		customers[c.Key] = x
		x.hasCustomers = true
		if c.CreatedAt <= asOf && c.CreatedAt > x.customer {
			x.customer = c.CreatedAt
		}
	})
	if err != nil {
		return res, err
	}
	for k, at := range lastTxn {
		if x := active[k]; x != nil {
			x.txn = at
		}
	}
	for k, at := range lastDeal {
		if x := active[k]; x != nil {
			x.deal = at
		}
	}
	floor := func(needCustomers bool) func() int64 {
		return func() int64 {
			f := int64(math.MaxInt64)
			for _, x := range active {
				if l, _ := x.last(); l < since && (x.hasCustomers || !needCustomers) {
					f = min(f, l)
				}
			}
			return max(f, 1)
		}
	}
	upTo := timeRange{max: asOf, hasMax: true}
	err = walkSpans(w, "deals", upTo, lister(d.Client.Deals.All, client.DealListOptions{IncludeArchived: true}), dealCreated, func(x client.Deal) {
		if p := byPartnerKey[str(x.PartnerKey)]; p != nil && x.CreatedAt > p.deal {
			p.deal = x.CreatedAt
			lastDeal[p.info.Key] = x.CreatedAt
		}
	}, floor(false))
	if err != nil {
		return res, err
	}
	err = walkSpans(w, "transactions", upTo, lister(d.Client.Transactions.All, client.TransactionListOptions{}), txnCreated, func(t client.Transaction) {
		if p := customers[txnCustomer(&t)]; p != nil && t.CreatedAt > p.txn {
			p.txn = t.CreatedAt
			lastTxn[p.info.Key] = t.CreatedAt
		}
	}, floor(true))
	if err != nil {
		return res, err
	}

	res.Active = len(active)
	var rows []inactiveRow
	for _, x := range active {
		l, kind := x.last()
		if l >= since {
			continue
		}
		row := inactiveRow{Key: x.info.Key, PartnerKey: x.info.PartnerKey, Name: x.info.Name, Email: x.info.Email,
			Group: x.info.GroupName, LastKind: kind, at: l}
		if l > 0 {
			row.LastActivity, row.DaysInactive = isoMilli(l), int((asOf-l)/dayMs)
		}
		rows = append(rows, row)
	}
	slices.SortFunc(rows, func(p, q inactiveRow) int {
		return cmp.Or(cmp.Compare(p.at, q.at), cmp.Compare(p.Key, q.Key))
	})
	res.Inactive = len(rows)
	res.Partners = append(res.Partners, rows[:min(len(rows), a.top(defaultTop))]...)
	res.Coverage = w.coverage(upTo)
	return res, nil
}

const dayMs = int64(24 * time.Hour / time.Millisecond)

func partnershipCreated(p client.Partnership) int64 { return p.CreatedAt }
func customerCreated(c client.Customer) int64       { return c.CreatedAt }
func dealCreated(x client.Deal) int64               { return x.CreatedAt }
