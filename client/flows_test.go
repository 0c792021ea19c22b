package client_test

import (
	"context"
	"slices"
	"testing"

	"github.com/partnerstack-mcp/partnerstack-mcp/client"
	"github.com/partnerstack-mcp/partnerstack-mcp/client/sandbox"
	"github.com/partnerstack-mcp/partnerstack-mcp/internal/profiletest"
)

// The partner manager's workflow endpoints: conversions, sales-cycle
// stages, the bulk group move, tags and referral links.

func lastRequest(t *testing.T, sb *sandbox.Sandbox) sandbox.LoggedRequest {
	t.Helper()
	log := sb.Requests()
	if len(log) == 0 {
		t.Fatal("no request reached the sandbox")
	}
	return log[len(log)-1]
}

func TestConversionsContract(t *testing.T) { profiletest.Run(t, testConversionsContract) }

func testConversionsContract(t *testing.T, _ sandbox.Profile) {
	ctx := context.Background()
	sb, c := newPair(t, sandbox.Options{})
	var deal, lead string
	live := map[string]bool{}
	for _, p := range sb.Partnerships() {
		live[p.PartnerKey] = !p.Archived && !p.Test
	}
	for _, d := range sb.Deals() {
		if d.PartnerKey != nil && live[*d.PartnerKey] && d.CustomerKey == nil && !d.Archived {
			deal = d.Key
			break
		}
	}
	for _, l := range sb.Leads() {
		if live[l.PartnerKey] && l.CustomerKey == nil && !l.Archived {
			lead = l.Key
			break
		}
	}

	t.Run("a deal converts into a customer of its partner, and the deal shows it", func(t *testing.T) {
		cu := must(c.Deals.Convert(ctx, deal, &client.Conversion{Email: "won@globex.test", CustomerKey: "globex-won"}))(t)
		if cu.Key == "" || cu.Email != "won@globex.test" || cu.CustomerKey == nil || *cu.CustomerKey != "globex-won" {
			t.Fatalf("customer %+v", cu)
		}
		if r := lastRequest(t, sb); r.Method != "POST" || r.Path != "/api/v2/deals/"+deal+"/convert" {
			t.Fatalf("request %s %s", r.Method, r.Path)
		}
		d := must(c.Deals.Get(ctx, deal))(t)
		if d.CustomerKey == nil || *d.CustomerKey != "globex-won" || d.PartnerKey == nil || *cu.PartnerKey != *d.PartnerKey {
			t.Fatalf("deal after conversion %+v", d)
		}
		if _, err := c.Deals.Convert(ctx, deal, &client.Conversion{Email: "again@globex.test"}); !client.IsValidation(err) {
			t.Fatalf("converting twice: %v, want a 400", err)
		}
	})
	t.Run("a lead converts the same way, its customer_key defaulting to the email", func(t *testing.T) {
		cu := must(c.Leads.Convert(ctx, lead, &client.Conversion{Email: "lead.won@initech.test"}))(t)
		if cu.CustomerKey == nil || *cu.CustomerKey != "lead.won@initech.test" {
			t.Fatalf("customer %+v", cu)
		}
		if r := lastRequest(t, sb); r.Path != "/api/v2/leads/"+lead+"/convert" || string(r.Body) != `{"email":"lead.won@initech.test"}` {
			t.Fatalf("request %s %s", r.Path, r.Body)
		}
		l := must(c.Leads.Get(ctx, lead))(t)
		if l.CustomerKey == nil || *l.CustomerKey != *cu.CustomerKey || l.Status != "closed won" {
			t.Fatalf("lead after conversion %+v", l)
		}
	})
	t.Run("an unknown deal is a 404", func(t *testing.T) {
		if _, err := c.Deals.Convert(ctx, "deal_nope", &client.Conversion{Email: "x@y.test"}); !client.IsNotFound(err) {
			t.Fatalf("err %v", err)
		}
	})
}

func TestStagesContract(t *testing.T) { profiletest.Run(t, testStagesContract) }

func testStagesContract(t *testing.T, _ sandbox.Profile) {
	ctx := context.Background()
	sb, c := newPair(t, sandbox.Options{})
	names := func(ss []client.Stage) []string {
		var out []string
		for _, s := range ss {
			out = append(out, s.APIName)
		}
		return out
	}
	company := must(c.SalesCycles.Stages(ctx, client.ObjectDeal, ""))(t)
	if len(company) < 2 || company[0].Name == "" || company[0].SalesCycleKey == "" || company[0].Key == "" {
		t.Fatalf("company stages %+v", company)
	}
	if r := lastRequest(t, sb); r.Path != "/api/v2/sales-cycles/deal/stages" || r.RawQuery != "" {
		t.Fatalf("request %s?%s", r.Path, r.RawQuery)
	}
	t.Run("stages differ per group and the group_key is sent", func(t *testing.T) {
		seen := map[string]bool{}
		for _, g := range sb.Groups() {
			ss := must(c.SalesCycles.Stages(ctx, client.ObjectDeal, g.Key))(t)
			if r := lastRequest(t, sb); r.RawQuery != "group_key="+g.Key {
				t.Fatalf("query %s", r.RawQuery)
			}
			if !slices.Contains(names(ss), "closed won") {
				t.Fatalf("group %s stages %v", g.Name, names(ss))
			}
			seen[joined(names(ss))] = true
		}
		if len(seen) < 2 {
			t.Fatalf("every group has the same stages: %v", seen)
		}
	})
	t.Run("a deal stage outside its group's cycle is refused", func(t *testing.T) {
		_, err := c.Deals.Create(ctx, &client.DealCreate{PartnerKey: "gstest", AccountName: "Acme", Stage: "procurement"})
		if !client.IsValidation(err) {
			t.Fatalf("err %v, want a 400", err)
		}
	})
	t.Run("an unknown group is a 404", func(t *testing.T) {
		if _, err := c.SalesCycles.Stages(ctx, client.ObjectDeal, "grup_nope"); !client.IsNotFound(err) {
			t.Fatalf("err %v", err)
		}
	})
}

func joined(ss []string) string {
	out := ""
	for _, s := range ss {
		out += s + ","
	}
	return out
}

func TestPartnershipBulkContract(t *testing.T) { profiletest.Run(t, testPartnershipBulkContract) }

func testPartnershipBulkContract(t *testing.T, _ sandbox.Profile) {
	ctx := context.Background()
	sb, c := newPair(t, sandbox.Options{})
	parts := sb.Partnerships()
	target := sb.Groups()[2].Key
	keys := []string{parts[3].Key, parts[4].Key}

	t.Run("the bulk move sends the keys and the group, and moves them", func(t *testing.T) {
		if err := c.Partnerships.Move(ctx, &client.PartnershipMove{PartnershipKeys: keys, GroupKey: target}); err != nil {
			t.Fatal(err)
		}
		r := lastRequest(t, sb)
		if r.Method != "PATCH" || r.Path != "/api/v2/partnerships" ||
			string(r.Body) != `{"partnership_keys":["`+keys[0]+`","`+keys[1]+`"],"group_key":"`+target+`"}` {
			t.Fatalf("request %s %s %s", r.Method, r.Path, r.Body)
		}
		for _, k := range keys {
			if p := must(c.Partnerships.Get(ctx, k))(t); p.Group == nil || p.Group.Key != target {
				t.Fatalf("partnership %s is in %+v", k, p.Group)
			}
		}
	})
	t.Run("an unknown key moves nothing", func(t *testing.T) {
		before := sb.AppliedWrites("PATCH", "/api/v2/partnerships")
		err := c.Partnerships.Move(ctx, &client.PartnershipMove{PartnershipKeys: []string{parts[5].Key, "part_nope"}, GroupKey: target})
		if !client.IsValidation(err) || sb.AppliedWrites("PATCH", "/api/v2/partnerships") != before {
			t.Fatalf("err %v", err)
		}
	})
	t.Run("tags are replaced through the tags endpoint", func(t *testing.T) {
		p := must(c.Partnerships.SetTags(ctx, keys[0], []string{"emea", "vip"}))(t)
		if !slices.Equal(p.Tags, []string{"emea", "vip"}) {
			t.Fatalf("tags %v", p.Tags)
		}
		if r := lastRequest(t, sb); r.Path != "/api/v2/partnerships/"+keys[0]+"/tags" || string(r.Body) != `{"tags":["emea","vip"]}` {
			t.Fatalf("request %s %s", r.Path, r.Body)
		}
	})
	t.Run("referral links are read by partnership key, in either shape", func(t *testing.T) {
		links := must(c.Links.ForPartnership(ctx, parts[3].Key))(t)
		if len(links) == 0 {
			t.Fatal("no links")
		}
		for _, l := range links {
			if l.Key == "" || l.URL == "" || l.Name == "" || l.CreatedAt == 0 || l.Raw["key"] != l.Key {
				t.Fatalf("link %+v", l)
			}
		}
		if r := lastRequest(t, sb); r.Method != "GET" || r.Path != "/api/v2/links/"+parts[3].Key {
			t.Fatalf("request %s %s", r.Method, r.Path)
		}
		if _, err := c.Links.ForPartnership(ctx, "part_nope"); !client.IsNotFound(err) {
			t.Fatalf("unknown partnership: %v", err)
		}
	})
}
