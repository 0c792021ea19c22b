package e2e_test

import (
	"strings"
	"testing"

	partnerstackmcp "github.com/partnerstack-mcp/partnerstack-mcp"
	"github.com/partnerstack-mcp/partnerstack-mcp/client/sandbox"
	"github.com/partnerstack-mcp/partnerstack-mcp/internal/profiletest"
)

func TestBadInputIsAToolErrorThatNamesTheFieldAndSendsNothing(t *testing.T) {
	profiletest.Run(t, testBadInputIsAToolErrorThatNamesTheFieldAndSendsNothing)
}

func testBadInputIsAToolErrorThatNamesTheFieldAndSendsNothing(t *testing.T, profile sandbox.Profile) {
	f := newFixture(t, partnerstackmcp.Config{})
	c := f.inProcess(t, "")
	cases := []struct {
		tool string
		args map[string]any
		want []string // all must appear in the error text
	}{
		{"list_partnerships", map[string]any{"limti": 5}, []string{"'limti'", "not a known argument", "valid arguments are: created_after, created_before, cursor, email, fields, group_key, include_archived, limit"}},
		{"list_transactions", map[string]any{"limit": 501}, []string{"'limit'", "500"}},
		{"list_transactions", map[string]any{"limit": "ten"}, []string{"'limit'", "want integer"}},
		{"list_transactions", map[string]any{"created_after": "last tuesday"}, []string{"'created_after'", "ISO-8601"}},
		{"list_transactions", map[string]any{"created_after": "2026-05-01", "created_before": "2026-04-01"}, []string{"'created_after'", "later than created_before"}},
		{"list_deals", map[string]any{"fields": []any{"secret_sauce"}}, []string{"'fields.0'"}},
		{"record_transaction", map[string]any{"amount": 100, "currency": "USD"}, []string{"'customer_key'", "exactly one of customer_key, customer_internal_key, customer_email"}},
		{"record_transaction", map[string]any{"customer_key": "a", "customer_email": "b@c.de", "amount": 100, "currency": "USD"}, []string{"2 customer identifiers"}},
		{"record_transaction", map[string]any{"customer_key": "a", "currency": "USD"}, []string{"'amount'", "is required"}},
		{"record_transaction", map[string]any{"customer_key": "a", "amount": 99.5, "currency": "USD"}, []string{"'amount'", "want integer"}},
		{"record_transaction", map[string]any{"customer_key": "a", "amount": 100, "currency": "DOLLARS"}, []string{"'currency'"}},
		{"record_transaction", map[string]any{"customer_key": "a", "amount": 100, "currency": "USD", "created_at": "yesterday"}, []string{"'created_at'"}},
		{"create_customer", map[string]any{"email": "not-an-email", "partner_key": "p"}, []string{"'email'"}},
		{"create_deal", map[string]any{"name": "x"}, []string{"'partner_key'", "exactly one of partner_key or group_key"}},
		{"create_deal", map[string]any{"partner_key": "p", "name": "x", "close_date": "31/12/2026"}, []string{"'close_date'", "YYYY-MM-DD"}},
		{"create_lead", map[string]any{"partner_key": "p", "email": "a@b.co", "name": "Cher"}, []string{"'name'", "first and a last name"}},
		{"update_deal", map[string]any{"key": "deal_x"}, []string{"nothing to update"}},
		{"record_action", map[string]any{"key": "signup", "value": 0, "customer_key": "a"}, []string{"'value'"}},
		{"create_reward", map[string]any{"partner_key": "p", "amount": -5, "description": "x"}, []string{"'amount'"}},
		{"create_webhook", map[string]any{"target": "http://example.com/hook", "events": []any{"partnership.created"}}, []string{"'target'", "https"}},
		{"create_webhook", map[string]any{"target": "https://example.com/hook", "events": []any{}}, []string{"'events'"}},
		{"get_partnership", map[string]any{"key": ""}, []string{"'key'"}},
	}
	for _, tc := range cases {
		t.Run(tc.tool, func(t *testing.T) {
			f.sb.ResetLog()
			r := call(t, c, tc.tool, tc.args)
			if !r.IsError {
				t.Fatalf("accepted %v: %s", tc.args, r.Text)
			}
			for _, w := range tc.want {
				if !strings.Contains(r.Text, w) {
					t.Errorf("error %q does not contain %q", r.Text, w)
				}
			}
			if !strings.Contains(r.Text, "Fix:") {
				t.Errorf("error %q says no fix", r.Text)
			}
			if n := len(f.sb.Requests()); n != 0 {
				t.Errorf("%d upstream requests were sent for invalid input", n)
			}
		})
	}
}

func TestAPIErrorsCarryStatusMessageAndHint(t *testing.T) {
	profiletest.Run(t, testAPIErrorsCarryStatusMessageAndHint)
}

func testAPIErrorsCarryStatusMessageAndHint(t *testing.T, profile sandbox.Profile) {
	f := newFixture(t, partnerstackmcp.Config{})
	c := f.inProcess(t, "")
	r := call(t, c, "get_deal", map[string]any{"key": "deal_doesnotexist00"})
	if !r.IsError || !strings.Contains(r.Text, "404") || !strings.Contains(r.Text, "deal_doesnotexist00") || !strings.Contains(r.Text, "list tool") {
		t.Fatalf("404 answer: %s", r.Text)
	}
	t.Run("a 400 names the field", func(t *testing.T) {
		r := call(t, c, "create_customer", map[string]any{"email": "x@y.co", "partner_key": "no-such-partner"})
		if !r.IsError || !strings.Contains(r.Text, "400") || !strings.Contains(r.Text, "partner_key") {
			t.Fatalf("400 answer: %s", r.Text)
		}
	})

	// Its own server: the account then pauses for the 120 s asked (client/throttle.go).
	limited := newFixture(t, partnerstackmcp.Config{})
	limited.sb.AddFault(sandbox.Fault{Kind: sandbox.FaultKind("rate_limit"), RetryAfter: 120e9})
	r = call(t, limited.inProcess(t, ""), "list_groups", map[string]any{})
	if !r.IsError || !strings.Contains(r.Text, "429") || !strings.Contains(r.Text, "retry after 120 s") {
		t.Fatalf("429 answer: %s", r.Text)
	}

	f.sb.AddFault(sandbox.Fault{Route: "POST /v2/transactions", Kind: sandbox.FaultKind("server_error"), Status: 502})
	partner := call(t, c, "list_customers", map[string]any{"limit": 1}).items(t)[0]
	r = call(t, c, "record_transaction", map[string]any{"customer_internal_key": partner["key"], "amount": 100, "currency": "USD"})
	if !r.IsError || !strings.Contains(r.Text, "outcome unknown") || !strings.Contains(r.Text, "list") {
		t.Fatalf("outcome-unknown answer: %s", r.Text)
	}
	if n := f.sb.AppliedWrites("POST", "/v2/transactions"); n != 0 {
		t.Fatalf("%d transactions applied", n)
	}
}

func TestWrongKeysSayCheckTheKeys(t *testing.T) { profiletest.Run(t, testWrongKeysSayCheckTheKeys) }

func testWrongKeysSayCheckTheKeys(t *testing.T, profile sandbox.Profile) {
	f := newFixture(t, partnerstackmcp.Config{}, sandbox.Options{Keys: sandbox.KeyPair{PublicKey: "pk_other", SecretKey: "sk_other"}})
	r := call(t, f.inProcess(t, ""), "list_groups", map[string]any{})
	if !r.IsError || !strings.Contains(r.Text, "401") || !strings.Contains(r.Text, "PARTNERSTACK_SECRET_KEY") {
		t.Fatalf("401 answer: %s", r.Text)
	}
}

func TestDryRunShowsTheRequestAndSendsNothing(t *testing.T) {
	profiletest.Run(t, testDryRunShowsTheRequestAndSendsNothing)
}

func testDryRunShowsTheRequestAndSendsNothing(t *testing.T, profile sandbox.Profile) {
	f := newFixture(t, partnerstackmcp.Config{})
	c := f.inProcess(t, "")
	r := call(t, c, "record_transaction", map[string]any{"customer_key": "acme", "amount": 4200, "currency": "eur", "dry_run": true})
	if r.IsError {
		t.Fatal(r.Text)
	}
	p, _ := r.Structured["dry_run"].(map[string]any)
	body, _ := p["body"].(map[string]any)
	if p["method"] != "POST" || p["url"] != "http://sandbox.invalid/api/v2/transactions" || body["customer_external_key"] != "acme" || body["currency"] != "EUR" {
		t.Fatalf("dry run preview: %v", r.Structured)
	}
	if strings.Contains(r.Text, sandbox.DefaultSecretKey) || strings.Contains(r.Text, "Authorization") {
		t.Fatal("dry run leaks credentials")
	}
	r = call(t, c, "archive_deal", map[string]any{"key": "deal_anything", "dry_run": true})
	if p, _ := r.Structured["dry_run"].(map[string]any); r.IsError || p["method"] != "DELETE" {
		t.Fatalf("archive dry run: %s", r.Text)
	}
	if f.writes() != 0 {
		t.Fatalf("%d writes reached the sandbox during dry runs", f.writes())
	}
}

func TestReadOnlyServerNeitherListsNorRunsWrites(t *testing.T) {
	profiletest.Run(t, testReadOnlyServerNeitherListsNorRunsWrites)
}

func testReadOnlyServerNeitherListsNorRunsWrites(t *testing.T, profile sandbox.Profile) {
	f := newFixture(t, partnerstackmcp.Config{ReadOnly: true})
	c := f.inProcess(t, "")
	listed, err := c.ListTools(t.Context(), mcpListTools())
	if err != nil {
		t.Fatal(err)
	}
	for _, tl := range listed.Tools {
		if tl.Annotations.ReadOnlyHint == nil || !*tl.Annotations.ReadOnlyHint {
			t.Errorf("read-only server lists %s", tl.Name)
		}
	}
	req := mcpCall("record_transaction", map[string]any{"customer_key": "a", "amount": 1, "currency": "USD"})
	if _, err := c.CallTool(t.Context(), req); err == nil || !strings.Contains(err.Error(), "not found") {
		t.Fatalf("calling a write tool on a read-only server: %v", err)
	}
	if f.writes() != 0 {
		t.Fatal("a write reached the sandbox")
	}
}
