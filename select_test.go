package partnerstackmcp

import (
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/partnerstack-mcp/partnerstack-mcp/tools"
)

func names(ts []tools.Tool) []string {
	var out []string
	for _, t := range ts {
		out = append(out, t.Def.Name)
	}
	return out
}

func TestSelectTools(t *testing.T) {
	all := tools.All(tools.Deps{})
	cases := []struct {
		name    string
		cfg     Config
		has     []string
		hasNot  []string
		count   int
		wantErr string
	}{
		{name: "default leaves out the opt-in toolsets", cfg: Config{},
			has:    []string{"list_partnerships", "record_transaction", "summarize_revenue", "list_groups"},
			hasNot: []string{"list_actions", "record_action", "list_webhooks", "create_webhook", "delete_webhook"}, count: len(all) - 5},
		{name: "'default' names the same set", cfg: Config{Toolsets: []string{"default"}}, count: len(all) - 5},
		{name: "'default' plus an opt-in toolset", cfg: Config{Toolsets: []string{"default", "webhooks"}},
			has: []string{"list_partnerships", "create_webhook"}, hasNot: []string{"record_action"}, count: len(all) - 2},
		{name: "'all' is everything", cfg: Config{Toolsets: []string{"all"}}, count: len(all)},
		{name: "an opt-in toolset alone", cfg: Config{Toolsets: []string{"actions"}}, has: []string{"list_actions", "record_action"}, count: 2},
		{name: "one toolset", cfg: Config{Toolsets: []string{"deals"}}, has: []string{"list_deals", "archive_deal"}, count: 5},
		{name: "tools add to toolsets", cfg: Config{Toolsets: []string{"groups"}, Tools: []string{"get_deal"}},
			has: []string{"list_groups", "get_deal"}, count: 2},
		{name: "tools alone", cfg: Config{Tools: []string{"list_rewards"}}, count: 1},
		{name: "exclusion wins over tools and toolsets", cfg: Config{Toolsets: []string{"deals"}, Tools: []string{"archive_deal"}, ExcludeTools: []string{"archive_deal"}},
			hasNot: []string{"archive_deal"}, count: 4},
		{name: "read-only lists no write tool", cfg: Config{ReadOnly: true},
			has: []string{"list_transactions", "get_customer"}, hasNot: []string{"record_transaction", "create_reward", "delete_webhook"}},
		{name: "read-only beats an explicit write tool", cfg: Config{ReadOnly: true, Tools: []string{"record_transaction"}},
			wantErr: "enables no tools"},
		{name: "unknown toolset", cfg: Config{Toolsets: []string{"dealz"}}, wantErr: `unknown toolset "dealz"; valid: actions, all,`},
		{name: "unknown tool", cfg: Config{Tools: []string{"list_dealz"}}, wantErr: `unknown tool "list_dealz"`},
		{name: "unknown excluded tool", cfg: Config{ExcludeTools: []string{"nope"}}, wantErr: `unknown tool "nope"`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := SelectTools(all, c.cfg)
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
			if c.cfg.ReadOnly {
				for _, tl := range got {
					if !tl.ReadOnly() {
						t.Errorf("read-only mode offers %s", tl.Def.Name)
					}
				}
			}
		})
	}
}

// A tool offered without its list sibling must describe its own result
// shape instead of pointing at a tool the client cannot see.
func TestSharedShapesOnlyReferToOfferedTools(t *testing.T) {
	for _, cfg := range []Config{{Tools: []string{"get_deal"}}, {Toolsets: []string{"deals"}, ExcludeTools: []string{"list_deals"}}, {}} {
		s, err := New(nil, cfg)
		if err != nil {
			t.Fatal(err)
		}
		isTool := map[string]bool{}
		for _, tl := range tools.All(tools.Deps{}) {
			isTool[tl.Def.Name] = true
		}
		offered := map[string]bool{}
		for _, tl := range s.ListTools() {
			offered[tl.Tool.Name] = true
		}
		for name, tl := range s.ListTools() {
			out := string(tl.Tool.RawOutputSchema)
			for _, m := range regexp.MustCompile(`Same fields as (\w+) items`).FindAllStringSubmatch(out, -1) {
				if isTool[m[1]] && !offered[m[1]] { // other references are to fields of the same result
					t.Errorf("%+v: %s refers to %s, which is not offered", cfg, name, m[1])
				}
			}
		}
	}
}
