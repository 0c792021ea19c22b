package e2e_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	mcpclient "github.com/mark3labs/mcp-go/client"

	partnerstackmcp "github.com/partnerstack-mcp/partnerstack-mcp"
	"github.com/partnerstack-mcp/partnerstack-mcp/client/sandbox"
	"github.com/partnerstack-mcp/partnerstack-mcp/internal/profiletest"
	"github.com/partnerstack-mcp/partnerstack-mcp/tools"
)

// The opt-in tools of each family, by toolset: listed when the toolset is
// named (alone, with default, or all), never by default.
var optInByToolset = map[tools.ToolsetID][]string{
	"partnerships": {"tag_partnership", "move_partnerships", "list_referral_links"},
	"deals":        {"convert_deal", "list_deal_stages"},
	"leads":        {"convert_lead"},
	"actions":      {"archive_action"},
	"webhooks":     {"get_webhook", "update_webhook"},
}

func TestOptInToolsAreListedWithTheirToolset(t *testing.T) {
	for ts, names := range optInByToolset {
		for _, tc := range []struct {
			sets   []tools.ToolsetID
			listed bool
		}{
			{[]tools.ToolsetID{tools.ToolsetDefault}, false},
			{[]tools.ToolsetID{ts}, true},
			{[]tools.ToolsetID{tools.ToolsetDefault, ts}, true},
			{[]tools.ToolsetID{tools.ToolsetAll}, true},
		} {
			t.Run(fmt.Sprintf("%s with --toolsets %v", ts, tc.sets), func(t *testing.T) {
				f := newFixture(t, partnerstackmcp.Config{Toolsets: tc.sets})
				res, err := f.inProcess(t, "").ListTools(t.Context(), mcpListTools())
				if err != nil {
					t.Fatal(err)
				}
				var listed []string
				for _, tl := range res.Tools {
					listed = append(listed, tl.Name)
				}
				for _, n := range names {
					if slices.Contains(listed, n) != tc.listed {
						t.Errorf("%s listed = %v, want %v", n, !tc.listed, tc.listed)
					}
				}
			})
		}
	}
	t.Run("the admin toolset is gone", func(t *testing.T) {
		_, err := partnerstackmcp.New(newFixture(t, partnerstackmcp.Config{}).api, partnerstackmcp.Config{Toolsets: []tools.ToolsetID{"admin"}})
		if err == nil || !strings.Contains(err.Error(), `unknown toolset "admin"; valid: actions, all,`) {
			t.Fatalf("err %v", err)
		}
	})
}

// lastGet is the sandbox's record of the most recent read request.
func (f *fixture) lastGet(t testing.TB) sandbox.LoggedRequest {
	t.Helper()
	log := f.sb.Requests()
	for i := len(log) - 1; i >= 0; i-- {
		if log[i].Method == "GET" {
			return log[i]
		}
	}
	t.Fatal("no read reached the sandbox")
	return sandbox.LoggedRequest{}
}

// exerciseFlows calls the workflow tools (exerciseAllTools runs it) and
// checks each upstream request.
func exerciseFlows(t *testing.T, f *fixture, c *mcpclient.Client, do func(string, map[string]any) result) {
	var resellers, affiliates sandbox.Partnership
	for _, p := range f.sb.Partnerships() {
		switch {
		case p.Archived || p.Test:
		case p.Group.Name == "Resellers" && resellers.Key == "":
			resellers = p
		case p.Group.Name == "Affiliates" && affiliates.Key == "":
			affiliates = p
		}
	}

	stages := do("list_deal_stages", map[string]any{"group_key": resellers.Group.Key}).items(t)
	if g := f.lastGet(t); g.Path != "/api/v2/sales-cycles/deal/stages" || g.RawQuery != "group_key="+resellers.Group.Key {
		t.Fatalf("list_deal_stages read %s?%s", g.Path, g.RawQuery)
	}
	if !slices.ContainsFunc(stages, func(s map[string]any) bool { return s["api_name"] == "procurement" }) {
		t.Fatalf("Resellers stages %v", stages)
	}
	before := f.writes()
	if r := call(t, c, "create_deal", map[string]any{"partner_key": affiliates.PartnerKey, "name": "Umbrella", "stage": "procurement"}); !r.IsError ||
		!strings.Contains(r.Text, "closed won") || f.writes() != before {
		t.Fatalf("create_deal with a stage Affiliates lacks: %v %s", r.IsError, r.Text)
	}
	dl := do("create_deal", map[string]any{"partner_key": resellers.PartnerKey, "name": "Umbrella", "stage": "procurement"}).obj(t)
	if body := wantWrite(t, f, "POST", "/v2/deals"); body["stage"] != "procurement" {
		t.Fatalf("create_deal sent %v", body)
	}

	cu := do("convert_deal", map[string]any{"deal_key": dl["key"], "email": "ops@umbrella.test", "customer_key": "umbrella"}).obj(t)
	if body := wantWrite(t, f, "POST", "/v2/deals/"+dl["key"].(string)+"/convert"); body["email"] != "ops@umbrella.test" || body["customer_key"] != "umbrella" {
		t.Fatalf("convert_deal sent %v", body)
	}
	if cu["customer_key"] != "umbrella" || cu["partner_key"] != resellers.PartnerKey {
		t.Fatalf("convert_deal returned %v", cu)
	}
	if got := do("get_deal", map[string]any{"key": dl["key"]}); got.Structured["customer_key"] != "umbrella" {
		t.Fatalf("the converted deal %v", got.Structured)
	}

	ld := do("create_lead", map[string]any{"partner_key": resellers.PartnerKey, "email": "cto@hooli.test", "name": "Gavin Belson"}).obj(t)
	cu = do("convert_lead", map[string]any{"lead_key": ld["key"], "email": "cto@hooli.test"}).obj(t)
	if body := wantWrite(t, f, "POST", "/v2/leads/"+ld["key"].(string)+"/convert"); len(body) != 1 || body["email"] != "cto@hooli.test" {
		t.Fatalf("convert_lead sent %v", body)
	}
	if cu["email"] != "cto@hooli.test" || cu["key"] == "" {
		t.Fatalf("convert_lead returned %v", cu)
	}

	do("tag_partnership", map[string]any{"partnership_key": resellers.Key, "add": []any{"tier-2"}, "remove": []any{"nope"}})
	body := wantWrite(t, f, "PATCH", "/v2/partnerships/"+resellers.Key+"/tags")
	if tags := fmt.Sprint(body["tags"]); !strings.Contains(tags, "tier-2") {
		t.Fatalf("tag_partnership sent %v", body)
	}

	links := do("list_referral_links", map[string]any{"partnership_key": affiliates.Key}).items(t)
	if g := f.lastGet(t); g.Path != "/api/v2/links/"+affiliates.Key {
		t.Fatalf("list_referral_links read %s", g.Path)
	}
	if len(links) == 0 || !strings.Contains(fmt.Sprint(links[0]["url"]), affiliates.PartnerKey) {
		t.Fatalf("links %v", links)
	}

	target := resellers.Group.Key
	moved := do("move_partnerships", map[string]any{"partnership_keys": []any{affiliates.Key}, "group_key": target}).obj(t)
	body = wantWrite(t, f, "PATCH", "/v2/partnerships")
	if fmt.Sprint(body["partnership_keys"]) != "["+affiliates.Key+"]" || body["group_key"] != target {
		t.Fatalf("move_partnerships sent %v", body)
	}
	if fmt.Sprint(moved["moved"]) != "["+affiliates.Key+"]" {
		t.Fatalf("move_partnerships returned %v", moved)
	}
}

// The workflow tools under both profiles, with only their toolsets named:
// each is listed and works without --toolsets all.
func TestWorkflowToolsWithTheirToolsets(t *testing.T) {
	profiletest.Run(t, func(t *testing.T, _ sandbox.Profile) {
		f := newFixture(t, partnerstackmcp.Config{Toolsets: []tools.ToolsetID{"default", "deals", "leads", "partnerships"}})
		c := f.inProcess(t, "")
		exerciseFlows(t, f, c, func(tool string, args map[string]any) result {
			t.Helper()
			return ok(t, call(t, c, tool, args), tool)
		})
	})
}
