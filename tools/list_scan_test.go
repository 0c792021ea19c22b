package tools

import (
	"slices"
	"strings"
	"testing"

	"github.com/partnerstack-mcp/partnerstack-mcp/client/sandbox"
	"github.com/partnerstack-mcp/partnerstack-mcp/internal/profiletest"
)

// pagesOf counts the sandbox's GETs of one list path.
func pagesOf(sb *sandbox.Sandbox, path string) int {
	n := 0
	for _, r := range sb.Requests() {
		if r.Method == "GET" && r.Path == "/api"+path {
			n++
		}
	}
	return n
}

// When the API ignores a filter, the page cap ends the scan with a cursor
// after the last item scanned and a note saying how far it read; following
// the cursors finds every match once.
func TestThePageCapEndsAScanWithACursorThatResumesIt(t *testing.T) {
	sb := sandbox.New(sandbox.Options{Profile: sandbox.ProfileStrict})
	tools := map[string]Tool{}
	for _, tl := range All(Deps{Client: newSandboxClient(t, sb, nil), ListScanPages: 1}) {
		tools[tl.Def.Name] = tl
	}
	cases := listFilterCases(t, sb)
	tc := cases[slices.IndexFunc(cases, func(c listFilterCase) bool { return c.tool == "list_transactions" && c.args["customer_key"] != nil })]
	first := callList(t, tools["list_transactions"], map[string]any{"customer_key": tc.args["customer_key"], "limit": 5})
	if !first.HasMore || first.NextCursor == "" || !strings.Contains(first.Note, "Read 1 page ") ||
		!strings.Contains(first.Note, "page cap") || !strings.Contains(first.Note, "customer_key") {
		t.Fatalf("a capped scan answered has_more=%v cursor=%q note=%q", first.HasMore, first.NextCursor, first.Note)
	}
	got := walkList(t, tools["list_transactions"], tc.args, 5)
	if len(got) != len(tc.want) {
		t.Fatalf("following the cursors found %d of the %d matches", len(got), len(tc.want))
	}
}

// What re-filtering costs on the demo data: the pages list tools read under
// strict (filters ignored) and default (honoured), for limit 25.
//
//	go test ./tools -run TestRefilteringCostOnTheDemoData -v
func TestRefilteringCostOnTheDemoData(t *testing.T) {
	for _, tc := range []struct {
		tool, path string
		args       func(sb *sandbox.Sandbox) map[string]any
	}{
		{"list_transactions", "/v2/transactions", func(sb *sandbox.Sandbox) map[string]any {
			c := listFilterCases(t, sb)
			return c[slices.IndexFunc(c, func(c listFilterCase) bool { return c.tool == "list_transactions" })].args
		}},
		{"list_customers", "/v2/customers", func(sb *sandbox.Sandbox) map[string]any {
			return listFilterCases(t, sb)[0].args
		}},
		{"list_deals", "/v2/deals", func(*sandbox.Sandbox) map[string]any { return map[string]any{"stage": "qualified"} }},
		{"list_leads", "/v2/leads", func(*sandbox.Sandbox) map[string]any { return map[string]any{"status": "open"} }},
	} {
		pages := map[sandbox.Profile]int{}
		count := map[sandbox.Profile]int{}
		for _, p := range sandbox.Profiles() {
			sb := sandbox.New(sandbox.Options{Profile: p})
			var tl Tool
			for _, x := range All(Deps{Client: newSandboxClient(t, sb, nil)}) {
				if x.Def.Name == tc.tool {
					tl = x
				}
			}
			args := tc.args(sb)
			sb.ResetLog()
			res := callList(t, tl, args)
			pages[p], count[p] = pagesOf(sb, tc.path), res.Count
		}
		t.Logf("%s %v: default %d page(s), strict %d page(s); %d items either way", tc.tool, tc.args(sandbox.New(sandbox.Options{})), pages[sandbox.ProfileDefault], pages[sandbox.ProfileStrict], count[sandbox.ProfileStrict])
		if count[sandbox.ProfileDefault] != count[sandbox.ProfileStrict] {
			t.Errorf("%s: %d items under default, %d under strict", tc.tool, count[sandbox.ProfileDefault], count[sandbox.ProfileStrict])
		}
		if pages[sandbox.ProfileDefault] != 1 {
			t.Errorf("%s: %d pages under default, where the filter is honoured", tc.tool, pages[sandbox.ProfileDefault])
		}
	}
	_ = profiletest.Of
}

// What attribution through customers costs the insights on the demo data:
// pages read under default and strict for the same figures.
//
//	go test ./tools -run TestInsightCostOnTheDemoData -v
func TestInsightCostOnTheDemoData(t *testing.T) {
	partner := somePartner(t, sandbox.New(sandbox.Options{})).PartnerKey
	for _, args := range []map[string]any{{"group_by": "partner"}, {"partner_key": partner}} {
		pages := map[sandbox.Profile]int{}
		totals := map[sandbox.Profile]int64{}
		for _, p := range sandbox.Profiles() {
			sb := sandbox.New(sandbox.Options{Profile: p})
			res := runInsight[revenueResult](t, t.Context(), Deps{Client: newSandboxClient(t, sb, nil)}, "summarize_revenue", args)
			pages[p], totals[p] = res.Coverage.Pages, res.Total.USDCents
		}
		t.Logf("summarize_revenue %v: default %d pages, strict %d pages", args, pages[sandbox.ProfileDefault], pages[sandbox.ProfileStrict])
		if totals[sandbox.ProfileDefault] != totals[sandbox.ProfileStrict] {
			t.Errorf("%v: totals differ: %d and %d", args, totals[sandbox.ProfileDefault], totals[sandbox.ProfileStrict])
		}
	}
}

// Every filter and lookup rule is consulted by some tool: the table holds
// no row that no code reads.
func TestEveryFilterAndLookupRuleIsConsulted(t *testing.T) {
	All(Deps{})
	for i := range rules {
		r := &rules[i]
		if r.kind != kindFilter && r.kind != kindLookup || r.resource == "every list" {
			continue
		}
		if _, ok := consulted.Load(r); !ok {
			t.Errorf("rule %s %s %q is consulted by no tool", r.resource, r.kind, r.name)
		}
	}
}
