package tools

import (
	"slices"
	"strings"
	"testing"

	"github.com/mark3labs/mcp-go/mcp"
)

func names(ts []Tool) []string {
	var out []string
	for _, t := range ts {
		out = append(out, t.Def.Name)
	}
	return out
}

// seedTools are the common operations the server exists for: a client that
// configures nothing must see every one of them.
var seedTools = []string{"list_partnerships", "create_partnership", "list_customers", "create_customer",
	"record_transaction", "list_deals", "create_deal", "record_action", "create_reward", "list_leads",
	"create_lead", "list_groups", "list_webhooks", "create_webhook", "delete_webhook"}

func TestSelect(t *testing.T) {
	all := All(Deps{})
	var optIn []string // opt-in tools, and the tools of opt-in toolsets
	for _, tl := range all {
		if tl.OptIn || !toolsetDefault(tl.Toolset) {
			optIn = append(optIn, tl.Def.Name)
		}
	}
	if !slices.Contains(optIn, "archive_action") || !slices.Contains(optIn, "update_webhook") {
		t.Fatalf("opt-in tools %v: archive_action and update_webhook should be among them", optIn)
	}
	defaults := len(all) - len(optIn)
	cases := []struct {
		name    string
		sel     Selection
		has     []string
		hasNot  []string
		count   int
		wantErr string
	}{
		{name: "default offers every tool but the opt-in ones", sel: Selection{}, has: seedTools, hasNot: optIn, count: defaults},
		{name: "'default' names the same set", sel: Selection{Toolsets: []ToolsetID{"default"}}, has: seedTools, hasNot: optIn, count: defaults},
		{name: "'all' is everything", sel: Selection{Toolsets: []ToolsetID{"all"}}, count: len(all)},
		{name: "a toolset alone brings its opt-in tools", sel: Selection{Toolsets: []ToolsetID{"actions"}},
			has: []string{"list_actions", "record_action", "archive_action"}, count: 3},
		{name: "default with a named toolset adds that toolset's opt-in tools only",
			sel: Selection{Toolsets: []ToolsetID{"default", "webhooks"}}, has: []string{"get_webhook", "update_webhook"},
			hasNot: []string{"archive_action"}, count: defaults + 2},
		{name: "an opt-in tool named alone", sel: Selection{Toolsets: []ToolsetID{"groups"}, Tools: []string{"archive_action"}},
			has: []string{"list_groups", "archive_action"}, count: 2},
		{name: "a removed toolset is unknown", sel: Selection{Toolsets: []ToolsetID{"admin"}}, wantErr: `unknown toolset "admin"; valid: actions, all,`},
		{name: "one toolset", sel: Selection{Toolsets: []ToolsetID{"transactions"}}, has: []string{"list_transactions", "delete_transaction"}, count: 3},
		{name: "tools add to toolsets", sel: Selection{Toolsets: []ToolsetID{"groups"}, Tools: []string{"get_deal"}},
			has: []string{"list_groups", "get_deal"}, count: 2},
		{name: "tools alone", sel: Selection{Tools: []string{"list_rewards"}}, count: 1},
		{name: "exclusion wins over tools and toolsets", sel: Selection{Toolsets: []ToolsetID{"transactions"}, Tools: []string{"delete_transaction"}, ExcludeTools: []string{"delete_transaction"}},
			hasNot: []string{"delete_transaction"}, count: 2},
		{name: "read-only lists no write tool", sel: Selection{ReadOnly: true},
			has: []string{"list_transactions", "get_customer"}, hasNot: []string{"record_transaction", "create_reward", "delete_webhook"}},
		{name: "read-only beats an explicit write tool", sel: Selection{ReadOnly: true, Tools: []string{"record_transaction"}},
			wantErr: "enables no tools"},
		{name: "unknown toolset", sel: Selection{Toolsets: []ToolsetID{"dealz"}}, wantErr: `unknown toolset "dealz"; valid: actions, all,`},
		{name: "unknown tool", sel: Selection{Tools: []string{"list_dealz"}}, wantErr: `unknown tool "list_dealz"`},
		{name: "unknown excluded tool", sel: Selection{ExcludeTools: []string{"nope"}}, wantErr: `unknown tool "nope"`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := Select(all, c.sel)
			if c.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), c.wantErr) {
					t.Fatalf("err=%v, want it to contain %q", err, c.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			n := names(got)
			for _, h := range c.has {
				if !slices.Contains(n, h) {
					t.Errorf("missing %s in %v", h, n)
				}
			}
			for _, h := range c.hasNot {
				if slices.Contains(n, h) {
					t.Errorf("%s should be excluded", h)
				}
			}
			if c.count != 0 && len(n) != c.count {
				t.Errorf("got %d tools %v, want %d", len(n), n, c.count)
			}
			if c.sel.ReadOnly {
				for _, tl := range got {
					if !tl.ReadOnly() {
						t.Errorf("read-only mode offers %s", tl.Def.Name)
					}
				}
			}
		})
	}
}

// A toolset that adds breadth beyond the seed may be opt-in: the default
// selection leaves it out, naming it (alone, with default, or all) brings it.
func TestOptInToolsetsStayOutOfTheDefault(t *testing.T) {
	saved := Toolsets
	t.Cleanup(func() { Toolsets = saved })
	Toolsets = append(slices.Clone(saved), Toolset{ID: "extra", Description: "Breadth beyond the seed.", Default: false})
	all := append(All(Deps{}), Tool{Toolset: "extra", Def: mcp.NewTool("extra_tool")})
	for _, tc := range []struct {
		sel  Selection
		want bool
	}{
		{Selection{}, false},
		{Selection{Toolsets: []ToolsetID{ToolsetDefault}}, false},
		{Selection{Toolsets: []ToolsetID{ToolsetDefault, "extra"}}, true},
		{Selection{Toolsets: []ToolsetID{ToolsetAll}}, true},
		{Selection{Tools: []string{"extra_tool"}}, true},
	} {
		got, err := Select(all, tc.sel)
		if err != nil {
			t.Fatal(err)
		}
		if slices.Contains(names(got), "extra_tool") != tc.want {
			t.Errorf("%+v: extra_tool offered = %v, want %v", tc.sel, !tc.want, tc.want)
		}
	}
}

// toolsetDefault reports whether the toolset id is offered by default.
func toolsetDefault(id ToolsetID) bool {
	for _, ts := range Toolsets {
		if ts.ID == id {
			return ts.Default
		}
	}
	return false
}
