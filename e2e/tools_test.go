package e2e_test

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	mcpclient "github.com/mark3labs/mcp-go/client"
	"github.com/mark3labs/mcp-go/mcp"

	partnerstackmcp "github.com/partnerstack-mcp/partnerstack-mcp"
	"github.com/partnerstack-mcp/partnerstack-mcp/client/sandbox"
	"github.com/partnerstack-mcp/partnerstack-mcp/internal/profiletest"
	"github.com/partnerstack-mcp/partnerstack-mcp/tools"
)

// Every tool of the catalogue, called as a client would against the sandbox,
// on both protocol eras; each write's upstream request is checked in the
// sandbox's own log.
func TestEveryToolAgainstTheSandbox(t *testing.T) { profiletest.Run(t, testEveryToolAgainstTheSandbox) }

func testEveryToolAgainstTheSandbox(t *testing.T, profile sandbox.Profile) {
	for _, version := range []string{"", "2025-11-25"} {
		name := "default protocol"
		if version != "" {
			name = "protocol " + version
		}
		t.Run(name, func(t *testing.T) {
			f := newFixture(t, partnerstackmcp.Config{})
			c := f.inProcess(t, version)
			exerciseAllTools(t, f, c)
		})
	}
}

// wantWrite asserts the last upstream write and returns its JSON body.
func wantWrite(t *testing.T, f *fixture, method, path string) map[string]any {
	t.Helper()
	w := f.lastWrite(t)
	if w.Method != method || !strings.HasSuffix(w.Path, path) {
		t.Fatalf("upstream %s %s, want %s ...%s", w.Method, w.Path, method, path)
	}
	if !w.Applied || w.Status != 200 {
		t.Fatalf("upstream %s %s: status %d applied %v", w.Method, w.Path, w.Status, w.Applied)
	}
	var body map[string]any
	if len(w.Body) > 0 {
		if err := json.Unmarshal(w.Body, &body); err != nil {
			t.Fatalf("upstream body %s: %v", w.Body, err)
		}
	}
	return body
}

func ok(t *testing.T, r result, tool string) result {
	t.Helper()
	if r.IsError {
		t.Fatalf("%s failed: %s", tool, r.Text)
	}
	return r
}

func exerciseAllTools(t *testing.T, f *fixture, c *mcpclient.Client) {
	seen := map[string]bool{}
	do := func(tool string, args map[string]any) result {
		t.Helper()
		seen[tool] = true
		return ok(t, call(t, c, tool, args), tool)
	}

	groups := do("list_groups", map[string]any{}).items(t)
	if len(groups) == 0 {
		t.Fatal("no groups in the demo program")
	}
	groupKey := groups[0]["key"].(string)

	partners := do("list_partnerships", map[string]any{"limit": 5}).items(t)
	if len(partners) != 5 {
		t.Fatalf("got %d partners, want 5", len(partners))
	}
	partnerKey := partners[0]["partner_key"].(string)
	got := do("get_partnership", map[string]any{"key": partnerKey})
	if got.Structured["partner_key"] != partnerKey {
		t.Fatalf("get_partnership returned %v", got.Structured)
	}

	// The issue's own examples.
	np := do("create_partnership", map[string]any{"email": "new.partner@example.com", "group_key": groupKey, "first_name": "Nia", "last_name": "Park"}).obj(t)
	body := wantWrite(t, f, "POST", "/v2/partnerships")
	if body["email"] != "new.partner@example.com" || body["group_key"] != groupKey || body["first_name"] != "Nia" {
		t.Fatalf("create_partnership sent %v", body)
	}
	do("update_partnership", map[string]any{"key": np["key"], "tags": []any{"vip"}})
	if body := wantWrite(t, f, "PATCH", "/v2/partnerships/"+np["key"].(string)+"/tags"); fmt.Sprint(body["tags"]) != "[vip]" {
		t.Fatalf("update_partnership sent %v", body)
	}

	cu := do("create_customer", map[string]any{"email": "buyer@acme.test", "partner_key": partnerKey, "name": "Acme", "customer_key": "acme-e2e"}).obj(t)
	if body := wantWrite(t, f, "POST", "/v2/customers"); body["partner_key"] != partnerKey || body["customer_key"] != "acme-e2e" {
		t.Fatalf("create_customer sent %v", body)
	}
	if cu["customer_key"] != "acme-e2e" {
		t.Fatalf("create_customer returned %v", cu)
	}
	for _, ref := range []map[string]any{{"customer_key": "acme-e2e"}, {"customer_internal_key": cu["key"]}, {"customer_email": "buyer@acme.test"}} {
		if got := do("get_customer", ref); got.Structured["key"] != cu["key"] {
			t.Fatalf("get_customer %v returned %v", ref, got.Structured)
		}
	}
	do("update_customer", map[string]any{"customer_key": "acme-e2e", "name": "Acme Inc"})
	if body := wantWrite(t, f, "PATCH", "/v2/customers/acme-e2e"); body["name"] != "Acme Inc" {
		t.Fatalf("update_customer sent %v", body)
	}
	if cs := do("list_customers", map[string]any{"partner_key": partnerKey, "limit": 500}).items(t); !containsKey(cs, cu["key"]) {
		t.Fatal("list_customers does not show the new customer")
	}

	tx := do("record_transaction", map[string]any{"customer_key": "acme-e2e", "amount": 9900, "currency": "usd", "product_key": "pro"}).obj(t)
	body = wantWrite(t, f, "POST", "/v2/transactions")
	if body["customer_external_key"] != "acme-e2e" || body["amount"] != float64(9900) || body["currency"] != "USD" || body["product_key"] != "pro" {
		t.Fatalf("record_transaction sent %v", body)
	}
	if tx["amount_cents"] != float64(9900) || tx["currency"] != "USD" {
		t.Fatalf("record_transaction returned %v", tx)
	}
	if txs := do("list_transactions", map[string]any{"customer_key": "acme-e2e"}).items(t); !containsKey(txs, tx["key"]) {
		t.Fatal("list_transactions does not show the new transaction")
	}

	deals := do("list_deals", map[string]any{"limit": 3}).items(t)
	stage := deals[0]["stage"].(string)
	dl := do("create_deal", map[string]any{"partner_key": partnerKey, "name": "Globex renewal", "amount": 1250000, "stage": stage}).obj(t)
	if body := wantWrite(t, f, "POST", "/v2/deals"); body["account_name"] != "Globex renewal" || body["partner_key"] != partnerKey || body["stage"] != stage {
		t.Fatalf("create_deal sent %v", body)
	}
	if got := do("get_deal", map[string]any{"key": dl["key"]}); got.Structured["name"] != "Globex renewal" {
		t.Fatalf("get_deal returned %v", got.Structured)
	}
	do("update_deal", map[string]any{"key": dl["key"], "amount": 1300000})
	if body := wantWrite(t, f, "PATCH", "/v2/deals/"+dl["key"].(string)); body["amount"] != float64(1300000) {
		t.Fatalf("update_deal sent %v", body)
	}

	ld := do("create_lead", map[string]any{"partner_key": partnerKey, "email": "lead@initech.test", "name": "Peter Gibbons", "company": "Initech"}).obj(t)
	body = wantWrite(t, f, "POST", "/v2/leads")
	meta, _ := body["meta"].(map[string]any)
	if body["external_key"] != "lead@initech.test" || body["status"] != "open" || meta["first_name"] != "Peter" || meta["last_name"] != "Gibbons" || meta["company"] != "Initech" {
		t.Fatalf("create_lead sent %v", body)
	}
	do("get_lead", map[string]any{"key": ld["key"]})
	do("update_lead", map[string]any{"key": ld["key"], "status": "closed"})
	if body := wantWrite(t, f, "PATCH", "/v2/leads/"+ld["key"].(string)); body["status"] != "closed" {
		t.Fatalf("update_lead sent %v", body)
	}
	do("list_leads", map[string]any{"status": "open"})

	do("record_action", map[string]any{"customer_key": "acme-e2e", "key": "signup", "value": 1})
	body = wantWrite(t, f, "POST", "/v2/actions")
	if body["type"] != "signup" || body["target_type"] != "customer" || body["target_key"] != "acme-e2e" || body["value"] != float64(1) {
		t.Fatalf("record_action sent %v", body)
	}
	do("record_action", map[string]any{"customer_email": "buyer@acme.test", "key": "upgrade", "value": 2})
	if body := wantWrite(t, f, "POST", "/v2/actions"); body["target_key"] != "acme-e2e" {
		t.Fatalf("record_action by email targeted %v", body)
	}
	do("list_actions", map[string]any{"key": "signup"})

	do("create_reward", map[string]any{"partner_key": partnerKey, "amount": 5000, "description": "Launch bonus"})
	body = wantWrite(t, f, "POST", "/v2/rewards")
	target, _ := body["target"].(map[string]any)
	if body["amount"] != float64(5000) || target["type"] != "partnership" || target["key"] != partnerKey {
		t.Fatalf("create_reward sent %v", body)
	}
	do("list_rewards", map[string]any{"partner_key": partnerKey})

	wh := do("create_webhook", map[string]any{"target": "https://hooks.example.com/ps", "events": []any{"partnership.created"}}).obj(t)
	if body := wantWrite(t, f, "POST", "/v2/webhooks"); body["target"] != "https://hooks.example.com/ps" {
		t.Fatalf("create_webhook sent %v", body)
	}
	if whs := do("list_webhooks", map[string]any{}).items(t); !containsKey(whs, wh["key"]) {
		t.Fatal("list_webhooks does not show the new webhook")
	}

	apps := do("list_applications", map[string]any{"status": "pending"}).items(t)
	if len(apps) == 0 {
		t.Fatal("list_applications: no pending application in the demo program")
	}
	do("decide_application", map[string]any{"application_key": apps[0]["key"], "decision": "approve"})
	if body := wantWrite(t, f, "PATCH", "/v2/applications/"+apps[0]["key"].(string)+"/decision"); body["approved"] != true {
		t.Fatalf("decide_application sent %v", body)
	}

	do("get_webhook", map[string]any{"key": wh["key"]})
	do("update_webhook", map[string]any{"key": wh["key"], "events": []any{"partnership.updated"}})
	if body := wantWrite(t, f, "PATCH", "/v2/webhooks/"+wh["key"].(string)); len(body) != 1 || body["events"].([]any)[0] != "partnership.updated" {
		t.Fatalf("update_webhook sent %v", body)
	}
	before := f.writes()
	if r := call(t, c, "update_webhook", map[string]any{"key": wh["key"], "target": "http://169.254.169.254/latest"}); !r.IsError || f.writes() != before {
		t.Fatalf("update_webhook to a link-local target: %v %s", r.IsError, r.Text)
	}
	acts := do("list_actions", map[string]any{"limit": 1}).items(t)
	do("archive_action", map[string]any{"key": acts[0]["key"]})
	wantWrite(t, f, "DELETE", "/v2/actions/"+acts[0]["key"].(string))

	exerciseFlows(t, f, c, do)
	exerciseCatalogueTools(t, f, do, np["key"].(string), "acme-e2e")

	// Removals last.
	do("delete_webhook", map[string]any{"key": wh["key"]})
	wantWrite(t, f, "DELETE", "/v2/webhooks/"+wh["key"].(string))
	do("delete_transaction", map[string]any{"key": tx["key"]})
	wantWrite(t, f, "DELETE", "/v2/transactions/"+tx["key"].(string))
	do("archive_lead", map[string]any{"key": ld["key"]})
	wantWrite(t, f, "DELETE", "/v2/leads/"+ld["key"].(string))
	do("archive_deal", map[string]any{"key": dl["key"]})
	wantWrite(t, f, "DELETE", "/v2/deals/"+dl["key"].(string))
	do("delete_customer", map[string]any{"customer_key": "acme-e2e"})
	wantWrite(t, f, "DELETE", "/v2/customers/acme-e2e")
	do("archive_partnership", map[string]any{"key": np["key"]})
	wantWrite(t, f, "DELETE", "/v2/partnerships/"+np["key"].(string))

	listed, err := c.ListTools(t.Context(), mcp.ListToolsRequest{})
	if err != nil {
		t.Fatal(err)
	}
	insights := map[string]bool{}
	for _, tl := range tools.All(tools.Deps{}) {
		insights[tl.Def.Name] = tl.Toolset == "insights" // exercised by the tools package's exactness tests
	}
	for _, tl := range listed.Tools {
		if !seen[tl.Name] && !insights[tl.Name] {
			t.Errorf("tool %s was not exercised", tl.Name)
		}
	}
}

func containsKey(items []map[string]any, key any) bool {
	for _, it := range items {
		if it["key"] == key {
			return true
		}
	}
	return false
}
