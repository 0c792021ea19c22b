package sandbox

import (
	"net/url"
	"slices"
	"strings"
	"testing"
)

// filterCase checks one list filter against a brute-force selection of the
// snapshot.
type filterCase struct {
	name  string
	path  string
	query url.Values
	want  []string // keys expected, any order; must be non-empty
}

func runFilterCases(t *testing.T, s *Sandbox, cases []filterCase) {
	t.Helper()
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if len(c.want) == 0 {
				t.Fatal("the demo data gives this filter nothing to find")
			}
			got := pageAll(t, s, c.path+"?"+c.query.Encode(), 250)
			slices.Sort(got)
			want := slices.Clone(c.want)
			slices.Sort(want)
			if !slices.Equal(got, want) {
				t.Fatalf("got %d keys, want %d", len(got), len(want))
			}
		})
	}
}

func collect[T any](items []T, keep func(T) bool, key func(T) string) []string {
	var out []string
	for _, it := range items {
		if keep(it) {
			out = append(out, key(it))
		}
	}
	return out
}

func TestResourceFilters(t *testing.T) {
	s := newTestSandbox(t)
	parts, custs, txs := s.Partnerships(), s.Customers(), s.Transactions()
	deals, leads, acts, rews, groups := s.Deals(), s.Leads(), s.Actions(), s.Rewards(), s.Groups()
	p := parts[5]
	var cust Customer // a live customer with transactions
	for _, tx := range txs {
		if !tx.Archived && !tx.Test {
			cust = custs[slices.IndexFunc(custs, func(c Customer) bool { return c.Key == tx.CustomerKey })]
			break
		}
	}
	var dealGroup Group
	for _, g := range groups {
		if slices.ContainsFunc(deals, func(d Deal) bool { return d.GroupKey != nil && *d.GroupKey == g.Key && !d.Archived }) {
			dealGroup = g
			break
		}
	}
	dealPartner := *deals[slices.IndexFunc(deals, func(d Deal) bool { return d.PartnerKey != nil && !d.Archived })].PartnerKey
	leadPartner := leads[0].PartnerKey
	actPart := acts[0].PartnershipKey
	rewPartner := rews[0].Partnership.PartnerKey
	pk := func(x Partnership) string { return x.Key }
	ck := func(x Customer) string { return x.Key }
	tk := func(x Transaction) string { return x.Key }
	dk := func(x Deal) string { return x.Key }
	lk := func(x Lead) string { return x.Key }
	ak := func(x Action) string { return x.Key }
	rk := func(x Reward) string { return x.Key }
	runFilterCases(t, s, []filterCase{
		{"partnerships by group_key", "/v2/partnerships", url.Values{"group_key": {p.Group.Key}},
			collect(parts, func(x Partnership) bool { return !x.Archived && x.Group.Key == p.Group.Key }, pk)},
		{"partnerships by email, case-insensitively", "/v2/partnerships", url.Values{"email": {strings.ToUpper(p.Email)}},
			collect(parts, func(x Partnership) bool { return x.Key == p.Key }, pk)},
		{"customers by partner_key", "/v2/customers", url.Values{"partner_key": {cust.PartnerKey}},
			collect(custs, func(x Customer) bool { return !x.Archived && x.PartnerKey == cust.PartnerKey }, ck)},
		{"customers by email", "/v2/customers", url.Values{"email": {cust.Email}},
			collect(custs, func(x Customer) bool { return !x.Archived && x.Email == cust.Email }, ck)},
		{"transactions by internal customer_key", "/v2/transactions", url.Values{"customer_key": {cust.Key}},
			collect(txs, func(x Transaction) bool { return !x.Archived && x.CustomerKey == cust.Key }, tk)},
		{"transactions by customer_external_key", "/v2/transactions", url.Values{"customer_external_key": {*cust.CustomerKey}},
			collect(txs, func(x Transaction) bool { return !x.Archived && x.CustomerKey == cust.Key }, tk)},
		{"transactions by partner_key", "/v2/transactions", url.Values{"partner_key": {cust.PartnerKey}},
			collect(txs, func(x Transaction) bool { return !x.Archived && x.PartnershipKey == cust.PartnershipKey }, tk)},
		{"transactions by product_key", "/v2/transactions", url.Values{"product_key": {"northbeam-pro"}},
			collect(txs, func(x Transaction) bool {
				return !x.Archived && x.ProductKey != nil && *x.ProductKey == "northbeam-pro"
			}, tk)},
		{"transactions by currency, any case", "/v2/transactions", url.Values{"currency": {"eur"}},
			collect(txs, func(x Transaction) bool { return !x.Archived && x.Currency == "EUR" }, tk)},
		{"deals by partner_key", "/v2/deals", url.Values{"partner_key": {dealPartner}},
			collect(deals, func(x Deal) bool { return !x.Archived && x.PartnerKey != nil && *x.PartnerKey == dealPartner }, dk)},
		{"deals by group name without spaces", "/v2/deals", url.Values{"group": {strings.ReplaceAll(dealGroup.Name, " ", "")}},
			collect(deals, func(x Deal) bool { return !x.Archived && x.GroupKey != nil && *x.GroupKey == dealGroup.Key }, dk)},
		{"deals by group_key", "/v2/deals", url.Values{"group_key": {dealGroup.Key}},
			collect(deals, func(x Deal) bool { return !x.Archived && x.GroupKey != nil && *x.GroupKey == dealGroup.Key }, dk)},
		{"deals by stage", "/v2/deals", url.Values{"stage": {"closed won"}},
			collect(deals, func(x Deal) bool { return !x.Archived && x.Stage == "closed won" }, dk)},
		{"leads by partner_key", "/v2/leads", url.Values{"partner_key": {leadPartner}},
			collect(leads, func(x Lead) bool { return !x.Archived && x.PartnerKey == leadPartner }, lk)},
		{"leads by status", "/v2/leads", url.Values{"status": {"closed won"}},
			collect(leads, func(x Lead) bool { return !x.Archived && x.Status == "closed won" }, lk)},
		{"actions by partnership_key", "/v2/actions", url.Values{"partnership_key": {actPart}},
			collect(acts, func(x Action) bool { return !x.Archived && x.PartnershipKey == actPart }, ak)},
		{"actions by action_type", "/v2/actions", url.Values{"action_type": {"demo_booked"}},
			collect(acts, func(x Action) bool { return !x.Archived && x.Type == "demo_booked" }, ak)},
		{"rewards by partner_key", "/v2/rewards", url.Values{"partner_key": {rewPartner}},
			collect(rews, func(x Reward) bool {
				return !x.Archived && x.Partnership != nil && x.Partnership.PartnerKey == rewPartner
			}, rk)},
		{"rewards by reward_status", "/v2/rewards", url.Values{"reward_status": {"hold"}},
			collect(rews, func(x Reward) bool { return !x.Archived && x.RewardStatus == "hold" }, rk)},
		{"rewards by customer_key", "/v2/rewards", url.Values{"customer_key": {cust.Key}},
			collect(rews, func(x Reward) bool { return !x.Archived && x.Customer != nil && x.Customer.Key == cust.Key }, rk)},
		{"filters combine with AND", "/v2/transactions", url.Values{"partner_key": {cust.PartnerKey}, "currency": {txs[0].Currency}},
			collect(txs, func(x Transaction) bool {
				return !x.Archived && x.PartnershipKey == cust.PartnershipKey && x.Currency == txs[0].Currency
			}, tk)},
	})
	t.Run("an unknown reward_status is a 400", func(t *testing.T) {
		mustStatus(t, get(t, s, "/v2/rewards?reward_status=lost"), 400)
	})
}

func TestDemoDataCoversEveryRewardStatus(t *testing.T) {
	seen := map[string]bool{}
	for _, r := range newTestSandbox(t).Rewards() {
		seen[r.RewardStatus] = true
	}
	for _, st := range rewardStatuses {
		if !seen[st] {
			t.Errorf("no %s reward in the demo data", st)
		}
	}
}

// TestListSpecs checks the per-resource list descriptions the generic list
// handler reads: which filters count as documented (the switch a profile
// serving only documented behaviour needs), and that every declared filter
// really narrows its list.
// listFilters are the filters of every list route, by path.
var listFilters = map[string][]listFilter{
	"/v2/partnerships": partnershipList.filters, "/v2/groups": groupList.filters,
	"/v2/customers": customerList.filters, "/v2/transactions": transactionList.filters,
	"/v2/deals": dealList.filters, "/v2/leads": leadList.filters, "/v2/actions": actionList.filters,
	"/v2/rewards": rewardList.filters, "/v2/webhooks": webhookList.filters,
	"/v2/applications": applicationList.filters,
	"/v2/tiers":        tierList.filters, "/v2/product_book": productList.filters,
	"/v2/vendor_report_configuration/list": reportConfigList.filters,
}

func TestListSpecs(t *testing.T) {
	specs := listFilters
	lists := 0
	for _, res := range routes {
		if res.coll["GET"] != nil {
			lists++
		}
		for _, fixed := range res.under {
			if fixed.coll["GET"] != nil {
				lists++
			}
		}
	}
	if lists != len(specs) {
		t.Fatalf("%d list routes, %d specs here: add the new resource's spec", lists, len(specs))
	}
	t.Run("only filters a primary source documents are marked documented", func(t *testing.T) {
		want := map[string][]string{"/v2/actions": {"action_type", "partnership_key"}, "/v2/deals": {"group", "partner_key"},
			"/v2/product_book": {"keywords"}}
		for path, filters := range specs {
			var got []string
			for _, f := range filters {
				if f.documented {
					got = append(got, f.param)
				}
			}
			slices.Sort(got)
			if !slices.Equal(got, want[path]) {
				t.Errorf("%s: documented filters %v, want %v", path, got, want[path])
			}
		}
	})
	t.Run("every declared filter narrows its list", func(t *testing.T) {
		s := newTestSandbox(t)
		for path, filters := range specs {
			if len(get(t, s, path).items()) == 0 {
				t.Fatalf("%s: the demo data has nothing to filter", path)
			}
			for _, f := range filters {
				r := get(t, s, path+"?"+url.Values{f.param: {"nosuchvalue"}}.Encode())
				if f.param == "reward_status" { // a closed set: an unknown value is refused
					mustStatus(t, r, 400)
					continue
				}
				mustStatus(t, r, 200)
				if n := len(r.items()); n != 0 {
					t.Errorf("%s?%s=nosuchvalue: %d items, want none", path, f.param, n)
				}
			}
		}
	})
}
