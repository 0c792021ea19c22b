package sandbox

import (
	"testing"
)

func TestCreateValidation(t *testing.T) {
	s := newTestSandbox(t)
	cust := s.Customers()[5] // a production customer
	tx := s.Transactions()[0]
	group := s.Groups()[1].Key
	tests := []struct {
		name, path string
		body       any
		want       string
	}{
		{"malformed JSON", "/v2/customers", `{"email":`, "Request body is not valid JSON"},
		{"a body that is not an object", "/v2/customers", `[1,2]`, "Request body must be a JSON object"},
		{"customer without email", "/v2/customers", map[string]any{"partner_key": "x"}, "'email' is a required property"},
		{"customer without partner_key", "/v2/customers", map[string]any{"email": "a@b.co"}, "'partner_key' is a required property"},
		{"customer with an unknown field", "/v2/customers", map[string]any{"email": "a@b.co", "partner_key": "x", "foo": 1}, "Additional properties are not allowed ('foo' was unexpected)"},
		{"customer with two unknown fields", "/v2/customers", map[string]any{"email": "a@b.co", "partner_key": "x", "foo": 1, "bar": 2}, "Additional properties are not allowed ('bar', 'foo' were unexpected)"},
		{"customer with a bad email", "/v2/customers", map[string]any{"email": "not-an-email", "partner_key": "x"}, "'email' is not a valid email address"},
		{"customer with a numeric name", "/v2/customers", map[string]any{"email": "a@b.co", "partner_key": "x", "name": 5}, "'name' is not of type 'string', 'null'"},
		{"customer of an unknown partner", "/v2/customers", map[string]any{"email": "a@b.co", "partner_key": "nobody"}, "'partner_key' does not match any partnership ('nobody')"},
		{"customer with a taken customer_key", "/v2/customers", map[string]any{"email": "a@b.co", "partner_key": cust.PartnerKey, "customer_key": *cust.CustomerKey}, "a customer with customer_key '" + *cust.CustomerKey + "' already exists"},
		{"transaction without amount", "/v2/transactions", map[string]any{"customer_key": cust.Key, "currency": "USD"}, "'amount' is a required property"},
		{"transaction with a string amount", "/v2/transactions", map[string]any{"customer_key": cust.Key, "amount": "10", "currency": "USD"}, "'amount' is not of type 'integer'"},
		{"transaction with a fractional amount", "/v2/transactions", map[string]any{"customer_key": cust.Key, "amount": 10.5, "currency": "USD"}, "'amount' is not of type 'integer'"},
		{"transaction over the amount limit", "/v2/transactions", map[string]any{"customer_key": cust.Key, "amount": int64(50_000_000_001), "currency": "USD"}, "'amount' must be between -50000000000 and 50000000000"},
		{"transaction with a 4-letter currency", "/v2/transactions", map[string]any{"customer_key": cust.Key, "amount": 100, "currency": "USDT"}, "'currency' must be 3 characters"},
		{"transaction with an unknown currency", "/v2/transactions", map[string]any{"customer_key": cust.Key, "amount": 100, "currency": "XYZ"}, "'currency' is not a supported ISO 4217 code ('XYZ')"},
		{"transaction without a customer", "/v2/transactions", map[string]any{"amount": 100, "currency": "USD"}, "exactly one of 'customer_key', 'customer_external_key' or 'customer_email' is required"},
		{"transaction with two customer references", "/v2/transactions", map[string]any{"customer_key": cust.Key, "customer_email": cust.Email, "amount": 100, "currency": "USD"}, "exactly one of 'customer_key', 'customer_external_key' or 'customer_email' is required"},
		{"transaction for an external key given as customer_key", "/v2/transactions", map[string]any{"customer_key": *cust.CustomerKey, "amount": 100, "currency": "USD"}, "'customer_key' does not match any customer ('" + *cust.CustomerKey + "')"},
		{"transaction with a short key", "/v2/transactions", map[string]any{"customer_key": cust.Key, "amount": 100, "currency": "USD", "key": "abc"}, "'key' is too short (minimum 4 characters)"},
		{"transaction with a reused key", "/v2/transactions", map[string]any{"customer_key": cust.Key, "amount": 100, "currency": "USD", "key": tx.Key}, "a transaction with key '" + tx.Key + "' already exists"},
		{"transaction with 26 metadata attributes", "/v2/transactions", map[string]any{"customer_key": cust.Key, "amount": 100, "currency": "USD", "metadata": manyAttrs(26)}, "'metadata' has too many properties (maximum 25)"},
		{"action without target_type", "/v2/actions", map[string]any{"target_key": "x", "type": "signup", "value": 1}, "'target_type' is a required property"},
		{"action with value 0", "/v2/actions", map[string]any{"target_type": "customer", "target_key": "x", "type": "signup", "value": 0}, "'value' must be at least 1"},
		{"action with a bad target_type", "/v2/actions", map[string]any{"target_type": "lead", "target_key": "x", "type": "signup", "value": 1}, "'target_type' must be one of: partnership, customer"},
		{"action with the LAR-style body", "/v2/actions", map[string]any{"customer_key": "x", "key": "signup"}, "'target_type' is a required property"},
		{"action for an unknown partner", "/v2/actions", map[string]any{"target_type": "partnership", "target_key": "nobody", "type": "signup", "value": 1}, "'target_key' does not match any partner_key ('nobody')"},
		{"reward without target", "/v2/rewards", map[string]any{"amount": 100, "description": "bonus"}, "'target' is a required property"},
		{"reward with a bad target type", "/v2/rewards", map[string]any{"amount": 100, "description": "bonus", "target": map[string]any{"type": "lead", "key": "x"}}, "'target.type' must be one of: customer, transaction, partnership"},
		{"reward for an unknown customer", "/v2/rewards", map[string]any{"amount": 100, "description": "bonus", "target": map[string]any{"type": "customer", "key": "nope"}}, "'target.key' does not match any customer ('nope')"},
		{"lead without meta", "/v2/leads", map[string]any{"partner_key": cust.PartnerKey, "external_key": "l@x.co", "status": "open"}, "'meta' is a required property"},
		{"lead without a last name", "/v2/leads", map[string]any{"partner_key": cust.PartnerKey, "external_key": "l@x.co", "status": "open", "meta": map[string]any{"first_name": "A"}}, "'meta.last_name' is a required property"},
		{"lead with a bad status", "/v2/leads", map[string]any{"partner_key": cust.PartnerKey, "external_key": "l@x.co", "status": "won", "meta": map[string]any{}}, "'status' must be one of: open, closed, dead, closed won, closed lost"},
		{"deal without partner_key", "/v2/deals", map[string]any{"account_name": "Acme"}, "'partner_key' is a required property"},
		{"vendor deal without group_key", "/v2/deals", map[string]any{"source": "vendor"}, "'group_key' is a required property"},
		{"deal with a stage its group lacks", "/v2/deals", map[string]any{"partner_key": "gstest", "stage": "won"}, "'stage' must be one of the group's deal stages (new, qualified, proposal, negotiation, closed won, closed lost), not 'won'"},
		{"deal with a bad close_date", "/v2/deals", map[string]any{"partner_key": cust.PartnerKey, "close_date": "31/12/2026"}, "'close_date' must be a date in YYYY-MM-DD format"},
		{"deal with a name field", "/v2/deals", map[string]any{"partner_key": cust.PartnerKey, "name": "Big deal"}, "Additional properties are not allowed ('name' was unexpected)"},
		{"partnership without email", "/v2/partnerships", map[string]any{"first_name": "A"}, "'email' is a required property"},
		{"partnership with a long first_name", "/v2/partnerships", map[string]any{"email": "n@x.co", "first_name": string(make([]byte, 51))}, "'first_name' is too long (maximum 50 characters)"},
		{"partnership in an unknown group", "/v2/partnerships", map[string]any{"email": "n@x.co", "group_key": "grup_nope"}, "'group_key' does not match any group ('grup_nope')"},
		{"partnership with a taken partner_key", "/v2/partnerships", map[string]any{"email": "n@x.co", "group_key": group, "partner_key": "gstest"}, "'partner_key' 'gstest' is already in use"},
		{"partnership with tags that are not strings", "/v2/partnerships", map[string]any{"email": "n@x.co", "tags": []int{1}}, "'tags' items must be of type 'string'"},
		{"webhook with a relative target", "/v2/webhooks", map[string]any{"target": "/hook", "events": []string{"deal.created"}}, "'target' is not a valid URL"},
		{"webhook with no events", "/v2/webhooks", map[string]any{"target": "https://x.example", "events": []string{}}, "'events' should be non-empty"},
		{"webhook with an unknown event", "/v2/webhooks", map[string]any{"target": "https://x.example", "events": []string{"invoice.paid"}}, "'events' contains an unknown event 'invoice.paid'"},
	}
	for _, tt := range tests {
		t.Run(tt.name+" is rejected", func(t *testing.T) {
			r := send(t, s, &prodKeys, "POST", tt.path, tt.body)
			mustStatus(t, r, 400)
			if r.message() != tt.want {
				t.Fatalf("message %q\n want %q", r.message(), tt.want)
			}
		})
	}
	if n := s.AppliedWrites("POST", "/v2/"); n != 0 {
		t.Fatalf("%d rejected creates were applied", n)
	}
}

func manyAttrs(n int) map[string]any {
	m := map[string]any{}
	for i := 0; i < n; i++ {
		m["k"+itoaInt(i)] = "v"
	}
	return m
}
