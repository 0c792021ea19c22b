package tools

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"github.com/partnerstack-mcp/partnerstack-mcp/client"
	"github.com/partnerstack-mcp/partnerstack-mcp/client/sandbox"
	"github.com/partnerstack-mcp/partnerstack-mcp/internal/profiletest"
)

// The audit's "would break a call" rows (API notes, section 10), under both
// sandbox profiles: strict insists on documented required fields and
// resolves only documented identifiers.

type writeFixture struct {
	sb    *sandbox.Sandbox
	tools map[string]Tool
}

func newWriteFixture(t *testing.T) *writeFixture {
	t.Helper()
	sb := profiletest.New(t, sandbox.Options{})
	f := &writeFixture{sb: sb, tools: map[string]Tool{}}
	for _, tl := range All(Deps{Client: newSandboxClient(t, sb, nil), AllowLocalWebhooks: true}) {
		f.tools[tl.Def.Name] = tl
	}
	return f
}

// call runs a tool and decodes its structured answer; want says whether a
// tool error is expected.
func (f *writeFixture) call(t *testing.T, name string, args map[string]any, wantErr bool) (map[string]any, string) {
	t.Helper()
	res := callTool(t, f.tools[name], args)
	text := resultText(res)
	if res.IsError != wantErr {
		t.Fatalf("%s(%v): isError=%v: %s", name, args, res.IsError, text)
	}
	var out map[string]any
	if res.StructuredContent != nil {
		raw, _ := json.Marshal(res.StructuredContent)
		_ = json.Unmarshal(raw, &out)
	}
	return out, text
}

// lastWrite is the sandbox's record of the last write and its JSON body.
func (f *writeFixture) lastWrite(t *testing.T) (sandbox.LoggedRequest, map[string]any) {
	t.Helper()
	log := f.sb.Requests()
	for i := len(log) - 1; i >= 0; i-- {
		if log[i].Method != "GET" {
			var body map[string]any
			if len(log[i].Body) > 0 {
				if err := json.Unmarshal(log[i].Body, &body); err != nil {
					t.Fatal(err)
				}
			}
			return log[i], body
		}
	}
	t.Fatal("no write was sent")
	return sandbox.LoggedRequest{}, nil
}

func somePartner(t *testing.T, sb *sandbox.Sandbox) sandbox.Partnership {
	t.Helper()
	for _, p := range sb.Partnerships() {
		if !p.Archived && p.PartnerKey != "gstest" {
			return p
		}
	}
	t.Fatal("no live partner")
	return sandbox.Partnership{}
}

func TestTheSeedsCustomerExampleWorks(t *testing.T) {
	profiletest.Run(t, func(t *testing.T, _ sandbox.Profile) {
		f := newWriteFixture(t)
		p := somePartner(t, f.sb)
		out, text := f.call(t, "create_customer", map[string]any{"email": "New.Buyer@Acme.test", "partner_key": p.PartnerKey, "name": "Acme"}, false)
		_, body := f.lastWrite(t)
		if body["customer_key"] != "new.buyer@acme.test" {
			t.Fatalf("create_customer sent customer_key %v", body["customer_key"])
		}
		if !strings.Contains(text, "the email new.buyer@acme.test was sent as customer_key") {
			t.Errorf("the result does not say the key was derived: %s", text)
		}
		cu := out["result"].(map[string]any)
		if cu["customer_key"] != "new.buyer@acme.test" {
			t.Fatalf("created %v", cu)
		}
		// The derived key addresses the customer from now on.
		got, _ := f.call(t, "get_customer", map[string]any{"customer_key": "new.buyer@acme.test"}, false)
		if got["key"] != cu["key"] {
			t.Fatalf("get_customer by the derived key: %v", got)
		}
		// A given key is sent as given, and nothing is said.
		_, text = f.call(t, "create_customer", map[string]any{"email": "b2@acme.test", "partner_key": p.PartnerKey, "customer_key": "acme-2"}, false)
		if _, body := f.lastWrite(t); body["customer_key"] != "acme-2" || strings.Contains(text, "was sent as customer_key") {
			t.Fatalf("sent %v; %s", body, text)
		}
	})
}

func TestRewardTargets(t *testing.T) {
	profiletest.Run(t, func(t *testing.T, _ sandbox.Profile) {
		f := newWriteFixture(t)
		p := somePartner(t, f.sb)
		var cust sandbox.Customer
		for _, c := range f.sb.Customers() {
			if !c.Archived && !c.Test && c.CustomerKey != nil {
				cust = c
				break
			}
		}
		var txn sandbox.Transaction
		for _, x := range f.sb.Transactions() {
			if !x.Archived && !x.Test {
				txn = x
				break
			}
		}
		for _, tc := range []struct {
			args       map[string]any
			typ, key   string
			followUpOf string
		}{
			{map[string]any{"partner_key": p.PartnerKey}, client.TargetPartnership, p.PartnerKey, "partner_key=" + p.PartnerKey},
			{map[string]any{"customer_key": *cust.CustomerKey}, client.TargetCustomer, *cust.CustomerKey, ""},
			{map[string]any{"transaction_key": txn.Key}, client.TargetTransaction, txn.Key, ""},
		} {
			args := clone(tc.args)
			args["amount"], args["description"] = 5000, "Bonus for "+tc.key
			f.call(t, "create_reward", args, false)
			w, body := f.lastWrite(t)
			target, _ := body["target"].(map[string]any)
			if w.Status != 200 || target["type"] != tc.typ || target["key"] != tc.key || body["amount"] != float64(5000) {
				t.Errorf("%v: sent %v, answered %d", tc.args, body, w.Status)
			}
		}
		_, text := f.call(t, "create_reward", map[string]any{"partner_key": p.PartnerKey, "customer_key": "x", "amount": 1, "description": "d"}, true)
		if !strings.Contains(text, "exactly one of partner_key, customer_key, transaction_key") {
			t.Errorf("two targets: %s", text)
		}
	})
}

func TestUpdatePartnershipSendsOnlyDocumentedFieldsAndTagsToTheirEndpoint(t *testing.T) {
	profiletest.Run(t, func(t *testing.T, _ sandbox.Profile) {
		f := newWriteFixture(t)
		p := somePartner(t, f.sb)
		var other string
		for _, g := range f.sb.Groups() {
			if g.Key != p.Group.Key {
				other = g.Key
			}
		}
		// By partner_key: strict resolves only the partnership key in the
		// write paths, so the tool resolves it first.
		f.sb.ResetLog()
		out, _ := f.call(t, "update_partnership", map[string]any{"key": p.PartnerKey, "group_key": other, "tags": []any{"vip", "emea"}}, false)
		var writes []sandbox.LoggedRequest
		for _, r := range f.sb.Requests() {
			if r.Method != "GET" {
				writes = append(writes, r)
			}
		}
		if len(writes) != 2 || writes[0].Path != "/api/v2/partnerships/"+p.Key || writes[1].Path != "/api/v2/partnerships/"+p.Key+"/tags" {
			t.Fatalf("writes %+v", writes)
		}
		var fields, tags map[string]any
		_ = json.Unmarshal(writes[0].Body, &fields)
		_ = json.Unmarshal(writes[1].Body, &tags)
		if len(fields) != 1 || fields["group_key"] != other {
			t.Errorf("PATCH body %v, want only group_key", fields)
		}
		if got, _ := tags["tags"].([]any); len(got) != 2 || got[0] != "vip" {
			t.Errorf("tags body %v", tags)
		}
		res := out["result"].(map[string]any)
		g, _ := res["group"].(map[string]any)
		if tg, _ := res["tags"].([]any); len(tg) != 2 || g["key"] != other {
			t.Errorf("result %v", res)
		}
		for _, x := range f.sb.Partnerships() {
			if x.Key == p.Key && (x.Group.Key != other || !slices.Equal(x.Tags, []string{"vip", "emea"})) {
				t.Errorf("sandbox holds group %s tags %v", x.Group.Key, x.Tags)
			}
		}
		_, text := f.call(t, "update_partnership", map[string]any{"key": p.Key, "first_name": "Ada"}, true)
		if !strings.Contains(text, "first_name") {
			t.Errorf("an undocumented field: %s", text)
		}
	})
}

func TestWebhookEventsAreTheDocumentedNames(t *testing.T) {
	if !slices.Equal(client.WebhookEvents, sandbox.DocumentedWebhookEvents) {
		t.Fatalf("client.WebhookEvents %v differ from the strict sandbox's %v", client.WebhookEvents, sandbox.DocumentedWebhookEvents)
	}
	profiletest.Run(t, func(t *testing.T, _ sandbox.Profile) {
		f := newWriteFixture(t)
		f.call(t, "create_webhook", map[string]any{"target": "https://hooks.example.com/a", "events": []any{"partnership.created", "customer_created", "application_approved"}}, false)
		if _, body := f.lastWrite(t); len(body["events"].([]any)) != 3 {
			t.Fatalf("sent %v", body)
		}
		f.sb.ResetLog()
		_, text := f.call(t, "create_webhook", map[string]any{"target": "https://hooks.example.com/a", "events": []any{"deal.created"}}, true)
		if !strings.Contains(text, "'deal.created' is not a PartnerStack webhook event") || !strings.Contains(text, "partnership.tags_updated") {
			t.Errorf("unknown event: %s", text)
		}
		if n := len(f.sb.Requests()); n != 0 {
			t.Errorf("%d requests sent for a refused event", n)
		}
	})
}
