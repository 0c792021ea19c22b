package tools

import (
	"slices"
	"strings"
	"testing"
)

func names(ts []Tool) []string {
	var out []string
	for _, t := range ts {
		out = append(out, t.Def.Name)
	}
	return out
}

func TestSelect(t *testing.T) {
	all := All(Deps{})
	cases := []struct {
		name    string
		sel     Selection
		has     []string
		hasNot  []string
		count   int
		wantErr string
	}{
		{name: "default leaves out the opt-in toolsets", sel: Selection{},
			has:    []string{"list_partnerships", "record_transaction", "summarize_revenue", "list_groups"},
			hasNot: []string{"list_actions", "record_action", "list_webhooks", "create_webhook", "delete_webhook"}, count: len(all) - 5},
		{name: "'default' names the same set", sel: Selection{Toolsets: []ToolsetID{"default"}}, count: len(all) - 5},
		{name: "'default' plus an opt-in toolset", sel: Selection{Toolsets: []ToolsetID{"default", "webhooks"}},
			has: []string{"list_partnerships", "create_webhook"}, hasNot: []string{"record_action"}, count: len(all) - 2},
		{name: "'all' is everything", sel: Selection{Toolsets: []ToolsetID{"all"}}, count: len(all)},
		{name: "an opt-in toolset alone", sel: Selection{Toolsets: []ToolsetID{"actions"}}, has: []string{"list_actions", "record_action"}, count: 2},
		{name: "one toolset", sel: Selection{Toolsets: []ToolsetID{"deals"}}, has: []string{"list_deals", "archive_deal"}, count: 5},
		{name: "tools add to toolsets", sel: Selection{Toolsets: []ToolsetID{"groups"}, Tools: []string{"get_deal"}},
			has: []string{"list_groups", "get_deal"}, count: 2},
		{name: "tools alone", sel: Selection{Tools: []string{"list_rewards"}}, count: 1},
		{name: "exclusion wins over tools and toolsets", sel: Selection{Toolsets: []ToolsetID{"deals"}, Tools: []string{"archive_deal"}, ExcludeTools: []string{"archive_deal"}},
			hasNot: []string{"archive_deal"}, count: 4},
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
