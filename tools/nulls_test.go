package tools

import (
	"context"
	"encoding/json"
	"maps"
	"slices"
	"strings"
	"testing"

	"github.com/mark3labs/mcp-go/mcp"

	"github.com/partnerstack-mcp/partnerstack-mcp/client/sandbox"
	"github.com/partnerstack-mcp/partnerstack-mcp/internal/mcptest"
)

// nullFixture is every tool of every toolset over one sandbox, called with
// raw JSON arguments through the real handlers.
type nullFixture struct {
	tools map[string]Tool
}

func newNullFixture(t *testing.T, profile sandbox.Profile) *nullFixture {
	t.Helper()
	sb := sandbox.New(sandbox.Options{Seed: 7, Profile: profile})
	f := &nullFixture{tools: map[string]Tool{}}
	// One insight worker: how parallel walkers split a range, and so their
	// page counts, vary from run to run.
	for _, tl := range All(Deps{Client: newSandboxClient(t, sb, nil), AllowLocalWebhooks: true, InsightConcurrency: 1}) {
		f.tools[tl.Def.Name] = tl
	}
	return f
}

// call sends raw arguments; the answer is the text content, then the
// structured content after a NUL.
func (f *nullFixture) call(t *testing.T, name string, args json.RawMessage) (bool, string) {
	t.Helper()
	req := mcp.CallToolRequest{}
	req.Params.Name = name
	req.Params.RawArguments = args
	res, err := f.tools[name].Handler(context.Background(), req)
	if err != nil {
		t.Fatalf("%s: Go error %v", name, err)
	}
	structured, _ := json.Marshal(res.StructuredContent)
	return res.IsError, res.Content[0].(mcp.TextContent).Text + "\x00" + string(structured)
}

// firstKey reads one field of a list tool's first item.
func (f *nullFixture) firstKey(t *testing.T, tool, field string) string {
	t.Helper()
	isErr, out := f.call(t, tool, json.RawMessage(`{"limit":1}`))
	var res map[string]any
	_, structured, _ := strings.Cut(out, "\x00")
	_ = json.Unmarshal([]byte(structured), &res)
	items := mcptest.Items(res)
	if isErr || len(items) == 0 {
		t.Fatalf("%s gave no item: %s", tool, out)
	}
	v, _ := items[0][field].(string)
	if v == "" {
		t.Fatalf("%s: first item has no %s: %v", tool, field, items[0])
	}
	return v
}

// keyWithout is the key of the first of a list tool's items without field.
func (f *nullFixture) keyWithout(t *testing.T, tool, field string) string {
	t.Helper()
	_, out := f.call(t, tool, json.RawMessage(`{"limit":100}`))
	var res map[string]any
	_, structured, _ := strings.Cut(out, "\x00")
	_ = json.Unmarshal([]byte(structured), &res)
	for _, it := range mcptest.Items(res) {
		if it[field] == nil {
			return it["key"].(string)
		}
	}
	t.Fatalf("%s: every item has %s", tool, field)
	return ""
}

// baseArgs is a call of every tool that succeeds on the sandbox: its required
// arguments, and dry_run for the writes.
func (f *nullFixture) baseArgs(t *testing.T) map[string]map[string]any {
	partnership, partnerKey := f.firstKey(t, "list_partnerships", "key"), f.firstKey(t, "list_partnerships", "partner_key")
	customer := f.firstKey(t, "list_customers", "customer_key")
	deal, lead := f.firstKey(t, "list_deals", "key"), f.firstKey(t, "list_leads", "key")
	report := f.firstKey(t, "list_report_configurations", "key")
	dry := func(args map[string]any) map[string]any { args["dry_run"] = true; return args }
	return map[string]map[string]any{
		"list_partnerships": {}, "list_groups": {}, "list_customers": {}, "list_transactions": {}, "list_deals": {},
		"list_leads": {}, "list_actions": {}, "list_rewards": {}, "list_webhooks": {},
		"summarize_revenue": {}, "partner_leaderboard": {}, "pipeline_summary": {}, "reward_summary": {}, "inactive_partners": {"as_of": "2026-11-01"},
		"get_partnership":     {"key": partnership},
		"get_customer":        {"customer_key": customer},
		"get_deal":            {"key": deal},
		"get_lead":            {"key": lead},
		"create_partnership":  dry(map[string]any{"email": "new.partner@example.com"}),
		"update_partnership":  dry(map[string]any{"key": partnership, "tier_key": "tier_gold"}),
		"archive_partnership": dry(map[string]any{"key": partnership}),
		"create_customer":     dry(map[string]any{"email": "new.customer@example.com", "partner_key": partnerKey}),
		"update_customer":     dry(map[string]any{"customer_key": customer, "name": "Renamed"}),
		"delete_customer":     dry(map[string]any{"customer_key": customer}),
		"record_transaction": dry(map[string]any{"customer_key": customer, "amount": 9900, "currency": "USD",
			"metadata": []any{map[string]any{"key": "plan", "value": "pro"}}}),
		"delete_transaction":         dry(map[string]any{"key": "tx_any"}),
		"create_deal":                dry(map[string]any{"name": "Big deal", "partner_key": partnerKey}),
		"update_deal":                dry(map[string]any{"key": deal, "name": "Bigger deal"}),
		"archive_deal":               dry(map[string]any{"key": deal}),
		"create_lead":                dry(map[string]any{"partner_key": partnerKey, "email": "lead@example.com", "name": "A Lead"}),
		"update_lead":                dry(map[string]any{"key": lead, "status": "open"}),
		"record_action":              dry(map[string]any{"customer_key": customer, "key": "signup", "value": 1}),
		"create_reward":              dry(map[string]any{"partner_key": partnerKey, "amount": 5000, "description": "Bonus"}),
		"create_webhook":             dry(map[string]any{"target": "https://hooks.example.com/ps", "events": []any{"customer_created"}}),
		"delete_webhook":             dry(map[string]any{"key": "wh_any"}),
		"list_applications":          {},
		"archive_lead":               dry(map[string]any{"key": lead}),
		"archive_action":             dry(map[string]any{"key": "actn_any"}),
		"get_webhook":                {"key": f.firstKey(t, "list_webhooks", "key")},
		"update_webhook":             dry(map[string]any{"key": "whk_any", "events": []any{"customer_created"}}),
		"decide_application":         dry(map[string]any{"application_key": "appl_any", "decision": "approve"}),
		"convert_deal":               dry(map[string]any{"deal_key": f.keyWithout(t, "list_deals", "customer_key"), "email": "won@example.com"}),
		"convert_lead":               dry(map[string]any{"lead_key": f.keyWithout(t, "list_leads", "customer_key"), "email": "won@example.com"}),
		"list_deal_stages":           {},
		"list_referral_links":        {"partnership_key": partnership},
		"tag_partnership":            dry(map[string]any{"partnership_key": partnership, "add": []any{"brand-new-tag"}}),
		"move_partnerships":          dry(map[string]any{"partnership_keys": []any{partnership}, "group_key": "grup_any"}),
		"list_report_configurations": {}, "list_tiers": {}, "list_products": {},
		"start_report_export": dry(map[string]any{"report_key": report, "member_email": "ops@example.com"}),
		"get_report_export":   {"export_key": f.startedExport(t)},
		"create_product":      dry(map[string]any{"name": "Inbox"}),
	}
}

// startedExport starts a real export of the second saved report (the base
// call previews the first) and returns its key.
func (f *nullFixture) startedExport(t *testing.T) string {
	t.Helper()
	isErr, out := f.call(t, "list_report_configurations", json.RawMessage(`{"limit":2}`))
	var res map[string]any
	_, structured, _ := strings.Cut(out, "\x00")
	_ = json.Unmarshal([]byte(structured), &res)
	items := mcptest.Items(res)
	if isErr || len(items) < 2 {
		t.Fatalf("list_report_configurations: %s", out)
	}
	isErr, out = f.call(t, "start_report_export", mustJSON(t, map[string]any{"report_key": items[1]["key"], "member_email": "ops@example.com"}))
	_, structured, _ = strings.Cut(out, "\x00")
	var started struct {
		Result struct {
			Key string `json:"key"`
		} `json:"result"`
	}
	if _ = json.Unmarshal([]byte(structured), &started); isErr || started.Result.Key == "" {
		t.Fatalf("start_report_export: %s", out)
	}
	return started.Result.Key
}

// schemaProps lists a tool's published top-level properties and its required ones.
func schemaProps(t *testing.T, tl Tool) (props []string, required map[string]bool) {
	t.Helper()
	var s struct {
		Properties map[string]json.RawMessage `json:"properties"`
		Required   []string                   `json:"required"`
	}
	if err := json.Unmarshal(tl.Def.RawInputSchema, &s); err != nil {
		t.Fatal(err)
	}
	required = map[string]bool{}
	for _, r := range s.Required {
		required[r] = true
	}
	return slices.Sorted(maps.Keys(s.Properties)), required
}

func mustJSON(t *testing.T, v any) json.RawMessage {
	t.Helper()
	raw, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return raw
}

// A strict-mode model sends every property, null where it has no value: for
// every tool, null for every optional argument it does not use gives the
// same answer as leaving them out.
func TestNullOptionalArgumentsMeanNotGiven(t *testing.T) {
	for _, p := range sandbox.Profiles() {
		t.Run(string(p), func(t *testing.T) { testNullOptionals(t, newNullFixture(t, p)) })
	}
}

func testNullOptionals(t *testing.T, f *nullFixture) {
	base := f.baseArgs(t)
	for _, name := range slices.Sorted(maps.Keys(f.tools)) {
		args, ok := base[name]
		if !ok {
			t.Errorf("%s: no base arguments in this test", name)
			continue
		}
		props, _ := schemaProps(t, f.tools[name])
		filled := maps.Clone(args)
		nulls := 0
		for _, p := range props {
			if _, set := filled[p]; !set {
				filled[p] = nil
				nulls++
			}
		}
		absentErr, absent := f.call(t, name, mustJSON(t, args))
		if absentErr {
			t.Errorf("%s(%v) failed, so the comparison means nothing: %s", name, args, absent)
			continue
		}
		nullErr, withNulls := f.call(t, name, mustJSON(t, filled))
		if nullErr || withNulls != absent {
			t.Errorf("%s: %d optional arguments sent as null changed the answer:\n absent: %s\n nulls:  %s", name, nulls, absent, withNulls)
		}
	}
	for name := range base {
		if _, ok := f.tools[name]; !ok {
			t.Errorf("base arguments for %s, which is not a tool", name)
		}
	}
}

// null for a required argument is still an error naming the field.
func TestNullRequiredArgumentIsAnErrorNamingIt(t *testing.T) {
	f := newNullFixture(t, sandbox.ProfileStrict)
	base := f.baseArgs(t)
	checked := 0
	for _, name := range slices.Sorted(maps.Keys(f.tools)) {
		_, required := schemaProps(t, f.tools[name])
		for field := range required {
			args := maps.Clone(base[name])
			args[field] = nil
			isErr, out := f.call(t, name, mustJSON(t, args))
			out, _, _ = strings.Cut(out, "\x00")
			if !isErr || !strings.Contains(out, "'"+field+"'") || !strings.Contains(out, "got null") {
				t.Errorf("%s: null for the required %s: error=%v %s", name, field, isErr, out)
			}
			checked++
		}
	}
	if checked < 20 {
		t.Fatalf("only %d required arguments checked", checked)
	}
	// Nested too: the fields of a metadata pair are required.
	isErr, out := f.call(t, "record_transaction", json.RawMessage(`{"customer_key":"c","amount":1,"currency":"USD","dry_run":true,"metadata":[{"key":"plan","value":null}]}`))
	if !isErr || !strings.Contains(out, "'metadata.0.value'") {
		t.Errorf("a null metadata value: error=%v %s", isErr, out)
	}
}

// record_transaction's metadata is published as {key, value} pairs (OpenAI
// strict mode takes only closed objects); the earlier map form still works
// and is the same call, for the request and for the duplicate guard.
func TestMetadataPairsAndTheMapFormAreOneCall(t *testing.T) {
	for _, p := range sandbox.Profiles() {
		t.Run(string(p), func(t *testing.T) { testMetadataForms(t, newNullFixture(t, p)) })
	}
}

func testMetadataForms(t *testing.T, f *nullFixture) {
	customer := f.firstKey(t, "list_customers", "customer_key")
	send := func(metadata string, dry bool) (bool, string) {
		return f.call(t, "record_transaction", json.RawMessage(`{"customer_key":"`+customer+`","amount":1200,"currency":"USD",`+
			`"key":"tx-metadata-1","dry_run":`+map[bool]string{true: "true", false: "false"}[dry]+`,"metadata":`+metadata+`}`))
	}
	pairs := `[{"key":"plan","value":"pro"},{"key":"invoice","value":"in_1"}]`
	legacy := `{"invoice":"in_1","plan":"pro"}`
	e1, viaPairs := send(pairs, true)
	e2, viaMap := send(legacy, true)
	if e1 || e2 || viaPairs != viaMap || !strings.Contains(viaPairs, `"metadata":{"invoice":"in_1","plan":"pro"}`) {
		t.Fatalf("the two forms differ or fail:\n pairs: %s\n map:   %s", viaPairs, viaMap)
	}
	if isErr, out := send(`[{"key":"plan","value":"pro"},{"key":"plan","value":"max"}]`, true); !isErr || !strings.Contains(out, "'metadata'") || !strings.Contains(out, "plan") {
		t.Errorf("a repeated key: error=%v %s", isErr, out)
	}
	if isErr, out := send(`{"plan":"`+strings.Repeat("x", 101)+`"}`, true); !isErr || !strings.Contains(out, "metadata") {
		t.Errorf("a 101-character value in the map form was accepted: %s", out)
	}
	// Sent for real without a key of its own, the call is fingerprinted by
	// its arguments: the same metadata in the other spelling and order is
	// refused as a duplicate.
	write := func(metadata string) (bool, string) {
		return f.call(t, "record_transaction", json.RawMessage(`{"customer_key":"`+customer+`","amount":1300,"currency":"USD","metadata":`+metadata+`}`))
	}
	if isErr, out := write(pairs); isErr {
		t.Fatalf("the real write failed: %s", out)
	}
	if isErr, out := write(legacy); !isErr || !strings.Contains(out, "duplicate") {
		t.Errorf("the map form of the same call was sent again: %s", out)
	}
}
