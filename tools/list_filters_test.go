package tools

import (
	"context"
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"github.com/mark3labs/mcp-go/mcp"

	"github.com/partnerstack-mcp/partnerstack-mcp/client/sandbox"
	"github.com/partnerstack-mcp/partnerstack-mcp/internal/mcptest"
	"github.com/partnerstack-mcp/partnerstack-mcp/internal/profiletest"
)

// Every list tool with a filter, under both sandbox profiles: each returned
// item matches the filter, and walking the cursor finds exactly the items a
// brute force over the sandbox's data finds (none skipped or repeated), in a
// small limit so that re-filtered pages and cursors are exercised. Under
// strict the API ignores every undocumented filter, so this is what proves
// the client-side re-filtering and the cursor that resumes after the last
// item scanned.

type listFilterCase struct {
	tool string
	args map[string]any
	// item checks one returned item; want is the brute-force set of keys.
	item func(map[string]any) bool
	want []string
}

func TestEveryListFilterHoldsForEveryItemUnderBothProfiles(t *testing.T) {
	profiletest.Run(t, testEveryListFilterHoldsForEveryItem)
}

func testEveryListFilterHoldsForEveryItem(t *testing.T, _ sandbox.Profile) {
	sb := profiletest.New(t, sandbox.Options{})
	d := Deps{Client: newSandboxClient(t, sb, nil)}
	tools := map[string]Tool{}
	for _, tl := range All(d) {
		tools[tl.Def.Name] = tl
	}
	for _, tc := range listFilterCases(t, sb) {
		args, _ := json.Marshal(tc.args)
		t.Run(tc.tool+" "+string(args), func(t *testing.T) {
			if len(tc.want) == 0 {
				t.Fatal("the demo data has nothing for this filter; the case proves nothing")
			}
			got := walkList(t, tools[tc.tool], tc.args, 7)
			for _, it := range got {
				if !tc.item(it) {
					t.Errorf("returned an item the filter excludes: %v", it)
				}
			}
			keys := make([]string, len(got))
			for i, it := range got {
				keys[i] = it["key"].(string)
			}
			want := slices.Clone(tc.want)
			slices.Sort(keys)
			slices.Sort(want)
			if !slices.Equal(keys, want) {
				t.Errorf("got %d items, want the %d the data holds\ngot  %v\nwant %v", len(keys), len(want), keys, want)
			}
		})
	}
}

// walkList calls a list tool page after page (limit items each) until
// has_more is false, and fails on a repeated item.
func walkList(t *testing.T, tl Tool, args map[string]any, limit int) []map[string]any {
	t.Helper()
	var all []map[string]any
	seen := map[string]bool{}
	cursor := ""
	for call := 0; ; call++ {
		if call > 200 {
			t.Fatal("the cursor never ends")
		}
		a := clone(args)
		a["limit"] = limit
		if cursor != "" {
			a["cursor"] = cursor
		}
		res := callList(t, tl, a)
		for _, it := range res.Items {
			k := it["key"].(string)
			if seen[k] {
				t.Fatalf("item %s returned twice (cursor %q)", k, cursor)
			}
			seen[k] = true
			all = append(all, it)
		}
		if len(res.Items) > limit {
			t.Fatalf("%d items for limit %d", len(res.Items), limit)
		}
		if !res.HasMore {
			if res.NextCursor != "" {
				t.Fatalf("has_more false with next_cursor %q", res.NextCursor)
			}
			return all
		}
		if res.NextCursor == "" || res.NextCursor == cursor {
			t.Fatalf("has_more with next_cursor %q after %q", res.NextCursor, cursor)
		}
		cursor = res.NextCursor
	}
}

func callList(t *testing.T, tl Tool, args map[string]any) ListResult[map[string]any] {
	t.Helper()
	req := mcp.CallToolRequest{}
	req.Params.Name = tl.Def.Name
	req.Params.Arguments = args
	res, err := tl.Handler(context.Background(), req)
	if err != nil {
		t.Fatal(err)
	}
	if res.IsError {
		t.Fatalf("%s(%v): %s", tl.Def.Name, args, resultText(res))
	}
	var structured map[string]any
	raw, _ := json.Marshal(res.StructuredContent)
	if err := json.Unmarshal(raw, &structured); err != nil {
		t.Fatalf("%s: %v\n%s", tl.Def.Name, err, raw)
	}
	out := ListResult[map[string]any]{Items: mcptest.Items(structured)}
	if out.Items == nil {
		t.Fatalf("%s: no rows in %s", tl.Def.Name, raw)
	}
	out.HasMore, _ = structured["has_more"].(bool)
	out.NextCursor, _ = structured["next_cursor"].(string)
	out.Note, _ = structured["note"].(string)
	n, _ := structured["count"].(float64)
	out.Count = int(n)
	return out
}

func field(it map[string]any, name string) string { s, _ := it[name].(string); return s }

// listFilterCases picks filter values from the demo data that match some
// items but not all, and computes what each filter must return.
func listFilterCases(t *testing.T, sb *sandbox.Sandbox) []listFilterCase {
	t.Helper()
	parts, custs, txns := sb.Partnerships(), sb.Customers(), sb.Transactions()
	deals, leads, rewards, actions := sb.Deals(), sb.Leads(), sb.Rewards(), sb.Actions()
	partnerOf := partnerOfTransaction(sb)
	byKey := map[string]sandbox.Partnership{}
	for _, p := range parts {
		byKey[p.Key] = p
	}
	custExt := map[string]string{}
	for _, c := range custs {
		custExt[c.Key] = deref(c.CustomerKey)
	}

	// A partner with transactions and rewards, one of its customers, and a
	// group, currency and product that are neither all nor none.
	var cust sandbox.Customer
	for i := len(txns) - 1; i >= 0; i-- {
		if c := custs[slices.IndexFunc(custs, func(c sandbox.Customer) bool { return c.Key == txns[i].Customer.Key })]; !txns[i].Archived && !c.Archived && c.CustomerKey != nil {
			cust = c
			break
		}
	}
	partner := byKey[cust.PartnershipKey]
	var product string
	for _, x := range txns {
		if x.ProductKey != nil {
			product = *x.ProductKey
			break
		}
	}
	var dealPartner, dealGroup, stage string
	for _, x := range deals {
		if !x.Archived && x.PartnerKey != nil && x.GroupKey != nil {
			dealPartner, dealGroup, stage = *x.PartnerKey, *x.GroupKey, x.Stage
			break
		}
	}
	var act sandbox.Action
	for _, x := range actions {
		if !x.Archived && x.PartnershipKey != "" {
			act = x
			break
		}
	}

	keys := func(n int, keep func(i int) bool, key func(i int) string) []string {
		var out []string
		for i := range n {
			if keep(i) {
				out = append(out, key(i))
			}
		}
		return out
	}
	liveTxns := func(keep func(sandbox.Transaction) bool) []string {
		return keys(len(txns), func(i int) bool { return !txns[i].Archived && keep(txns[i]) }, func(i int) string { return txns[i].Key })
	}
	liveCusts := func(keep func(sandbox.Customer) bool) []string {
		return keys(len(custs), func(i int) bool { return !custs[i].Archived && keep(custs[i]) }, func(i int) string { return custs[i].Key })
	}
	liveDeals := func(keep func(sandbox.Deal) bool) []string {
		return keys(len(deals), func(i int) bool { return !deals[i].Archived && keep(deals[i]) }, func(i int) string { return deals[i].Key })
	}
	liveLeads := func(keep func(sandbox.Lead) bool) []string {
		return keys(len(leads), func(i int) bool { return !leads[i].Archived && keep(leads[i]) }, func(i int) string { return leads[i].Key })
	}
	liveRewards := func(keep func(sandbox.Reward) bool) []string {
		return keys(len(rewards), func(i int) bool { return !rewards[i].Archived && keep(rewards[i]) }, func(i int) string { return rewards[i].Key })
	}
	liveParts := func(keep func(sandbox.Partnership) bool) []string {
		return keys(len(parts), func(i int) bool { return !parts[i].Archived && keep(parts[i]) }, func(i int) string { return parts[i].Key })
	}
	pk := partner.PartnerKey
	return []listFilterCase{
		{"list_customers", map[string]any{"partner_key": pk},
			func(it map[string]any) bool { return field(it, "partner_key") == pk },
			liveCusts(func(c sandbox.Customer) bool { return c.PartnerKey == pk })},
		{"list_customers", map[string]any{"email": strings.ToUpper(cust.Email)},
			func(it map[string]any) bool { return strings.EqualFold(field(it, "email"), cust.Email) },
			liveCusts(func(c sandbox.Customer) bool { return strings.EqualFold(c.Email, cust.Email) })},
		{"list_transactions", map[string]any{"customer_key": *cust.CustomerKey},
			func(it map[string]any) bool { return field(it, "customer_key") == *cust.CustomerKey },
			liveTxns(func(x sandbox.Transaction) bool { return custExt[x.Customer.Key] == *cust.CustomerKey })},
		{"list_transactions", map[string]any{"partner_key": pk},
			func(it map[string]any) bool { return true }, // the item does not show its partner; the set decides
			liveTxns(func(x sandbox.Transaction) bool { return byKey[partnerOf(x)].PartnerKey == pk })},
		{"list_transactions", map[string]any{"currency": "eur"},
			func(it map[string]any) bool { return field(it, "currency") == "EUR" },
			liveTxns(func(x sandbox.Transaction) bool { return x.Currency == "EUR" })},
		{"list_transactions", map[string]any{"product_key": product},
			func(it map[string]any) bool { return field(it, "product_key") == product },
			liveTxns(func(x sandbox.Transaction) bool { return deref(x.ProductKey) == product })},
		{"list_transactions", map[string]any{"partner_key": pk, "currency": "USD"},
			func(it map[string]any) bool { return field(it, "currency") == "USD" },
			liveTxns(func(x sandbox.Transaction) bool { return byKey[partnerOf(x)].PartnerKey == pk && x.Currency == "USD" })},
		{"list_rewards", map[string]any{"partner_key": pk},
			func(it map[string]any) bool { return field(it, "partner_key") == pk },
			liveRewards(func(r sandbox.Reward) bool { return r.Partnership != nil && r.Partnership.Key == partner.Key })},
		{"list_rewards", map[string]any{"status": "paid"},
			func(it map[string]any) bool { return field(it, "status") == "paid" },
			liveRewards(func(r sandbox.Reward) bool { return r.RewardStatus == "paid" })},
		{"list_deals", map[string]any{"partner_key": dealPartner},
			func(it map[string]any) bool { return field(it, "partner_key") == dealPartner && it["archived"] == nil },
			liveDeals(func(x sandbox.Deal) bool { return deref(x.PartnerKey) == dealPartner })},
		{"list_deals", map[string]any{"group_key": dealGroup},
			func(it map[string]any) bool { return it["archived"] == nil },
			liveDeals(func(x sandbox.Deal) bool { return deref(x.GroupKey) == dealGroup })},
		{"list_deals", map[string]any{"stage": stage},
			func(it map[string]any) bool { return field(it, "stage") == stage && it["archived"] == nil },
			liveDeals(func(x sandbox.Deal) bool { return x.Stage == stage })},
		{"list_leads", map[string]any{"status": "open"},
			func(it map[string]any) bool { return field(it, "status") == "open" && it["archived"] == nil },
			liveLeads(func(l sandbox.Lead) bool { return l.Status == "open" })},
		{"list_leads", map[string]any{"partner_key": leads[0].PartnerKey},
			func(it map[string]any) bool { return field(it, "partner_key") == leads[0].PartnerKey },
			liveLeads(func(l sandbox.Lead) bool { return l.PartnerKey == leads[0].PartnerKey })},
		{"list_partnerships", map[string]any{"group_key": partner.Group.Key},
			func(it map[string]any) bool {
				g, _ := it["group"].(map[string]any)
				return g != nil && g["key"] == partner.Group.Key && it["archived"] == nil
			},
			liveParts(func(p sandbox.Partnership) bool { return p.Group.Key == partner.Group.Key })},
		{"list_partnerships", map[string]any{"email": partner.Email},
			func(it map[string]any) bool { return strings.EqualFold(field(it, "email"), partner.Email) },
			liveParts(func(p sandbox.Partnership) bool { return strings.EqualFold(p.Email, partner.Email) })},
		{"list_partnerships", map[string]any{},
			func(it map[string]any) bool { return it["archived"] == nil },
			liveParts(func(sandbox.Partnership) bool { return true })},
		{"list_actions", map[string]any{"partnership_key": act.PartnershipKey},
			func(it map[string]any) bool { return field(it, "partnership_key") == act.PartnershipKey },
			keys(len(actions), func(i int) bool { return !actions[i].Archived && actions[i].PartnershipKey == act.PartnershipKey },
				func(i int) string { return actions[i].Key })},
		{"list_actions", map[string]any{"key": act.Type},
			func(it map[string]any) bool { return field(it, "type") == act.Type },
			keys(len(actions), func(i int) bool { return !actions[i].Archived && actions[i].Type == act.Type },
				func(i int) string { return actions[i].Key })},
	}
}

// The demo data must make each filter meaningful: a case whose filter keeps
// everything (or nothing) would pass whether or not the filter is applied.
func TestListFilterCasesExcludeSomething(t *testing.T) {
	sb := sandbox.New(sandbox.Options{})
	totals := map[string]int{
		"list_customers": len(sb.Customers()), "list_transactions": len(sb.Transactions()), "list_rewards": len(sb.Rewards()),
		"list_deals": len(sb.Deals()), "list_leads": len(sb.Leads()), "list_partnerships": len(sb.Partnerships()),
		"list_actions": len(sb.Actions()),
	}
	for _, tc := range listFilterCases(t, sb) {
		if len(tc.args) == 0 {
			continue // the archived-only case
		}
		if n := len(tc.want); n == 0 || n >= totals[tc.tool] {
			t.Errorf("%s %v keeps %d of %d items", tc.tool, tc.args, n, totals[tc.tool])
		}
	}
}
