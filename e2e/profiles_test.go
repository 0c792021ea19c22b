package e2e_test

import (
	"encoding/json"
	"fmt"
	"maps"
	"reflect"
	"slices"
	"testing"

	partnerstackmcp "github.com/partnerstack-mcp/partnerstack-mcp"
	"github.com/partnerstack-mcp/partnerstack-mcp/client/sandbox"
	"github.com/partnerstack-mcp/partnerstack-mcp/internal/profiletest"
)

// Every read tool with a filter or a lookup gives the same answer over the
// default sandbox and over the strict one, which honours only what
// PartnerStack documents: the same demo data, asked the same thing, must
// come back the same however much of the work the API does. Only how the
// tool got there may differ (see sameAnswer).
func TestReadToolsAnswerTheSameUnderBothProfiles(t *testing.T) {
	opts := sandbox.Options{Transactions: 800}
	def := newFixture(t, partnerstackmcp.Config{}, withProfile(opts, sandbox.ProfileDefault))
	strict := newFixture(t, partnerstackmcp.Config{}, withProfile(opts, sandbox.ProfileStrict))
	dc, sc := def.inProcess(t, ""), strict.inProcess(t, "")

	// Filter values that find something in the demo data.
	parts, custs, txs := def.sb.Partnerships(), def.sb.Customers(), def.sb.Transactions()
	deals, acts, groups := def.sb.Deals(), def.sb.Actions(), def.sb.Groups()
	var cust sandbox.Customer // a live production customer with transactions, its own email and an external key
	for _, tx := range txs {
		i := slices.IndexFunc(custs, func(c sandbox.Customer) bool { return c.Key == tx.CustomerKey })
		if c := custs[i]; !tx.Archived && !c.Test && !c.Archived && c.CustomerKey != nil {
			cust = c
			break
		}
	}
	partner := parts[slices.IndexFunc(parts, func(p sandbox.Partnership) bool { return p.PartnerKey == cust.PartnerKey })]
	group := groups[slices.IndexFunc(groups, func(g sandbox.Group) bool { return g.Key == partner.Group.Key })]
	// a partner with live and archived deals: the default list hides the
	// archived ones, strict lists them flagged
	var dealPartner string
	live, archived := map[string]bool{}, map[string]bool{}
	for _, d := range deals {
		if d.PartnerKey != nil {
			live[*d.PartnerKey] = live[*d.PartnerKey] || !d.Archived
			archived[*d.PartnerKey] = archived[*d.PartnerKey] || d.Archived
			if live[*d.PartnerKey] && archived[*d.PartnerKey] {
				dealPartner = *d.PartnerKey
			}
		}
	}

	cases := []struct {
		tool    string
		args    map[string]any
		pending string // the strict side waits for this fix
	}{
		{"list_partnerships", map[string]any{"group_key": group.Key, "limit": 500}, ""},
		{"list_partnerships", map[string]any{"email": partner.Email}, ""},
		{"list_partnerships", map[string]any{"limit": 500}, ""},
		{"get_partnership", map[string]any{"key": partner.PartnerKey}, ""},
		{"list_customers", map[string]any{"partner_key": partner.PartnerKey, "limit": 500}, ""},
		{"list_customers", map[string]any{"email": cust.Email}, ""},
		{"get_customer", map[string]any{"customer_email": cust.Email}, ""},
		{"get_customer", map[string]any{"customer_internal_key": cust.Key}, ""},
		{"list_transactions", map[string]any{"customer_key": *cust.CustomerKey, "limit": 500}, ""},
		{"list_transactions", map[string]any{"partner_key": partner.PartnerKey, "limit": 500}, ""},
		{"list_transactions", map[string]any{"currency": "EUR", "limit": 500}, ""},
		{"list_transactions", map[string]any{"product_key": "northbeam-pro", "limit": 500}, ""},
		{"list_deals", map[string]any{"partner_key": dealPartner, "limit": 500}, ""},
		{"list_deals", map[string]any{"stage": "qualified", "limit": 500}, ""},
		{"list_deals", map[string]any{"group_key": group.Key, "limit": 500}, ""},
		{"list_leads", map[string]any{"status": "open", "limit": 500}, ""},
		{"list_leads", map[string]any{"partner_key": partner.PartnerKey, "limit": 500}, ""},
		{"list_actions", map[string]any{"key": acts[0].Type, "limit": 500}, ""},
		{"list_actions", map[string]any{"partnership_key": acts[0].PartnershipKey, "limit": 500}, ""},
		{"list_rewards", map[string]any{"partner_key": partner.PartnerKey, "limit": 500}, ""},
		{"list_rewards", map[string]any{"status": "pending", "limit": 500}, ""},
		{"summarize_revenue", map[string]any{}, ""},
		{"summarize_revenue", map[string]any{"group_by": "partner"}, ""},
		{"summarize_revenue", map[string]any{"group_by": "group"}, ""},
		{"summarize_revenue", map[string]any{"partner_key": partner.PartnerKey, "group_by": "month"}, ""},
		{"partner_leaderboard", map[string]any{}, ""},
		{"partner_leaderboard", map[string]any{"metric": "customers"}, ""},
		{"pipeline_summary", map[string]any{"by": "partner"}, ""},
		{"reward_summary", map[string]any{}, ""},
		// lists whose shape no source shows: strict sends them as items
		// (links with the URL in link), the default as a bare array
		{"list_deal_stages", map[string]any{"group_key": group.Key}, ""},
		{"list_deal_stages", map[string]any{}, ""},
		{"list_referral_links", map[string]any{"partnership_key": partner.Key}, ""},
	}
	for _, tc := range cases {
		args, _ := json.Marshal(tc.args)
		t.Run(tc.tool+" "+string(args), func(t *testing.T) {
			want := call(t, dc, tc.tool, tc.args)
			if want.IsError {
				t.Fatalf("default profile: %s", want.Text)
			}
			if n, ok := want.Structured["count"].(float64); ok && n == 0 {
				t.Fatalf("the demo data gives %s %s nothing to find", tc.tool, args)
			}
			if tc.pending != "" {
				profiletest.Pending(t, sandbox.ProfileStrict, tc.pending)
			}
			got := call(t, sc, tc.tool, tc.args)
			if got.IsError {
				t.Fatalf("strict profile: %s", got.Text)
			}
			if d := firstDiff(sameAnswer(got.Structured), sameAnswer(want.Structured), ""); d != "" {
				t.Fatalf("answers differ at %s", d)
			}
		})
	}
}

func withProfile(o sandbox.Options, p sandbox.Profile) sandbox.Options {
	o.Profile = p
	return o
}

// sameAnswer is a tool's answer without what may rightly differ between
// profiles: where the next page starts (the strict walk may scan past the
// last match) and the account of the pages scanned; of an insight's
// coverage only whether it is complete counts.
func sameAnswer(structured map[string]any) map[string]any {
	m := map[string]any{}
	for k, v := range structured {
		switch k {
		case "next_cursor", "scanned", "note":
		case "coverage":
			c, _ := v.(map[string]any)
			m[k] = map[string]any{"complete": c["complete"]}
		default:
			m[k] = v
		}
	}
	return m
}

// firstDiff names the first place where two decoded JSON values differ
// (path: got vs want), or "" when they are equal.
func firstDiff(got, want any, path string) string {
	switch w := want.(type) {
	case map[string]any:
		g, ok := got.(map[string]any)
		if !ok {
			break
		}
		keys := slices.Sorted(maps.Keys(w))
		for k := range g {
			if _, has := w[k]; !has {
				keys = append(keys, k)
			}
		}
		for _, k := range keys {
			if d := firstDiff(g[k], w[k], path+"."+k); d != "" {
				return d
			}
		}
		return ""
	case []any:
		g, ok := got.([]any)
		if !ok {
			break
		}
		for i := range min(len(g), len(w)) {
			if d := firstDiff(g[i], w[i], fmt.Sprintf("%s[%d]", path, i)); d != "" {
				return d
			}
		}
		if len(g) == len(w) {
			return ""
		}
		return fmt.Sprintf("%s: strict has %d items, default %d", path, len(g), len(w))
	default:
		if reflect.DeepEqual(got, want) {
			return ""
		}
	}
	gj, _ := json.Marshal(got)
	wj, _ := json.Marshal(want)
	return fmt.Sprintf("%s: strict %.600s, default %.600s", path, gj, wj)
}
