package sandbox

import (
	"net/url"
	"testing"
)

func TestPartnershipLifecycle(t *testing.T) {
	s := newTestSandbox(t)
	group := s.Groups()[2]
	r := send(t, s, &prodKeys, "POST", "/v2/partnerships", map[string]any{
		"email": "jo.rivera@example.com", "first_name": "Jo", "last_name": "Rivera", "group_key": group.Key,
		"tags": []string{"podcast"}, "meta": map[string]any{"website": "https://jo.example"},
	})
	mustStatus(t, r, 200)
	p := r.data()
	if p["partner_key"] != "jorivera" || p["claimed"] != false || p["joined_at"] != nil || p["test"] != false {
		t.Fatalf("created %s", r.raw)
	}
	if g := p["group"].(map[string]any); g["key"] != group.Key || g["slug"] != group.Slug {
		t.Fatalf("group %v", g)
	}
	if len(p["meta"].(map[string]any)) != 0 || p["fields"].([]any)[0].(map[string]any)["value"] != "https://jo.example" {
		t.Fatalf("meta should show up in fields only: %s", r.raw)
	}
	stats := p["stats"].(map[string]any)
	for _, k := range []string{"CUSTOMER_COUNT", "PAID_ACCOUNT_COUNT", "REVENUE", "COMMISSION_EARNED"} {
		if stats[k] != float64(0) {
			t.Fatalf("new partner stats %v", stats)
		}
	}
	key := p["key"].(string)
	for _, id := range []string{key, "jorivera", "Jo.Rivera@example.com"} {
		mustStatus(t, get(t, s, "/v2/partnerships/"+url.PathEscape(id)), 200)
	}
	r = send(t, s, &prodKeys, "PATCH", "/v2/partnerships/jorivera", map[string]any{"partner_key": "jo", "tags": []string{}})
	mustStatus(t, r, 200)
	if r.data()["partner_key"] != "jo" || len(r.data()["tags"].([]any)) != 0 {
		t.Fatalf("updated %s", r.raw)
	}
	mustStatus(t, get(t, s, "/v2/partnerships/jorivera"), 404)
	mustStatus(t, send(t, s, &prodKeys, "PATCH", "/v2/partnerships/jo", map[string]any{"partner_key": "gstest"}), 400)
	mustStatus(t, send(t, s, &prodKeys, "DELETE", "/v2/partnerships/jo", nil), 200)
	r = get(t, s, "/v2/partnerships/jo")
	if r.data()["archived"] != true {
		t.Fatalf("archived partnership reads %s", r.raw)
	}
	if n := len(pageAll(t, s, "/v2/partnerships?email=jo.rivera@example.com", 10)); n != 0 {
		t.Fatal("archived partnership is still listed")
	}
	mustStatus(t, send(t, s, &prodKeys, "DELETE", "/v2/partnerships/nobody", nil), 404)
}

func TestCustomerLifecycle(t *testing.T) {
	s := newTestSandbox(t)
	partner := s.Partnerships()[3]
	r := send(t, s, &prodKeys, "POST", "/v2/customers", map[string]any{
		"customer_key": "acme.test", "email": "ops@acme.test", "partner_key": partner.PartnerKey, "name": "Acme",
		"meta": map[string]any{"company_name": "Acme Inc"},
	})
	mustStatus(t, r, 200)
	c := r.data()
	internal := c["key"].(string)
	if c["customer_key"] != "acme.test" || c["partnership_key"] != partner.Key || c["test"] != false || c["provider_key"] != nil {
		t.Fatalf("created %s", r.raw)
	}
	if len(c["meta"].(map[string]any)) != 0 || c["fields"].([]any)[0].(map[string]any)["api_name"] != "company_name" {
		t.Fatalf("meta not moved to fields: %s", r.raw)
	}
	t.Run("get by external key, then by internal key", func(t *testing.T) {
		mustStatus(t, get(t, s, "/v2/customers/acme.test"), 200)
		mustStatus(t, get(t, s, "/v2/customers/"+internal), 200)
	})
	t.Run("patch keeps fields not sent", func(t *testing.T) {
		r := send(t, s, &prodKeys, "PATCH", "/v2/customers/acme.test", map[string]any{"name": "Acme 2"})
		mustStatus(t, r, 200)
		if r.data()["name"] != "Acme 2" || r.data()["email"] != "ops@acme.test" {
			t.Fatalf("patched %s", r.raw)
		}
		mustStatus(t, send(t, s, &prodKeys, "PATCH", "/v2/customers/acme.test", map[string]any{"partner_key": "x"}), 400)
	})
	t.Run("partner stats count the customer", func(t *testing.T) {
		before := partner.Stats.CustomerCount
		if got := s.Partnerships()[3].Stats.CustomerCount; got != before+1 {
			t.Fatalf("CUSTOMER_COUNT %d, want %d", got, before+1)
		}
	})
	t.Run("delete archives: 404 afterwards and gone from lists", func(t *testing.T) {
		mustStatus(t, send(t, s, &prodKeys, "DELETE", "/v2/customers/acme.test", nil), 200)
		mustStatus(t, get(t, s, "/v2/customers/acme.test"), 404)
		mustStatus(t, get(t, s, "/v2/customers/"+internal), 404)
		mustStatus(t, send(t, s, &prodKeys, "DELETE", "/v2/customers/acme.test", nil), 404)
		if n := len(pageAll(t, s, "/v2/customers?email=ops@acme.test", 10)); n != 0 {
			t.Fatal("deleted customer still listed")
		}
		if n := len(pageAll(t, s, "/v2/customers?email=ops@acme.test&include_archived=true", 10)); n != 1 {
			t.Fatal("deleted customer missing with include_archived")
		}
	})
}

func TestTransactionCreatesReward(t *testing.T) {
	s := newTestSandbox(t)
	cust := s.Customers()[20]
	rewardsBefore := len(s.Rewards())
	for _, ref := range []map[string]any{
		{"customer_key": cust.Key}, {"customer_external_key": *cust.CustomerKey}, {"customer_email": cust.Email},
	} {
		body := map[string]any{"amount": 10000, "currency": "eur", "product_key": "northbeam-pro", "metadata": map[string]any{"invoice": "in_1"}}
		for k, v := range ref {
			body[k] = v
		}
		r := send(t, s, &prodKeys, "POST", "/v2/transactions", body)
		mustStatus(t, r, 200)
		d := r.data()
		if d["currency"] != "EUR" || d["amount_usd"] != float64(10800) || d["customer_key"] != cust.Key || d["test"] != false ||
			d["metadata"].(map[string]any)["invoice"] != "in_1" || d["customer"].(map[string]any)["external_key"] != *cust.CustomerKey {
			t.Fatalf("created %s", r.raw)
		}
	}
	rews := s.Rewards()
	if len(rews) != rewardsBefore+3 {
		t.Fatalf("%d rewards created, want 3", len(rews)-rewardsBefore)
	}
	last := rews[len(rews)-1]
	if last.Amount != 2160 || last.RewardStatus != "pending" || last.Partnership.Key != cust.PartnershipKey {
		t.Fatalf("reward %+v", last)
	}
	t.Run("a refund creates no reward", func(t *testing.T) {
		mustStatus(t, send(t, s, &prodKeys, "POST", "/v2/transactions", map[string]any{"customer_key": cust.Key, "amount": -500, "currency": "USD"}), 200)
		if len(s.Rewards()) != rewardsBefore+3 {
			t.Fatal("a refund created a reward")
		}
	})
	t.Run("a caller key and created_at are kept", func(t *testing.T) {
		r := send(t, s, &prodKeys, "POST", "/v2/transactions", map[string]any{"customer_key": cust.Key, "amount": 1, "currency": "USD", "key": "inv-0001", "created_at": 1767225600000})
		mustStatus(t, r, 200)
		if r.data()["key"] != "inv-0001" || r.data()["created_at"] != float64(1767225600000) {
			t.Fatalf("got %s", r.raw)
		}
		mustStatus(t, get(t, s, "/v2/transactions/inv-0001"), 200)
		mustStatus(t, send(t, s, &prodKeys, "DELETE", "/v2/transactions/inv-0001", nil), 200)
		mustStatus(t, get(t, s, "/v2/transactions/inv-0001"), 404)
		mustStatus(t, send(t, s, &prodKeys, "DELETE", "/v2/transactions/inv-0001", nil), 404)
		for _, rw := range s.Rewards() {
			if rw.Transaction != nil && rw.Transaction.Key == "inv-0001" && !rw.Archived {
				t.Fatal("the deleted transaction's reward is still live")
			}
		}
	})
}

func TestTestKeyRules(t *testing.T) {
	s := newTestSandbox(t)
	prodPartner := s.Partnerships()[4].PartnerKey
	prodCustomer := s.Customers()[10].Key
	var testCustomer string
	for _, c := range s.Customers() {
		if c.Test {
			testCustomer = c.Key
			break
		}
	}
	tests := []struct {
		name   string
		keys   *KeyPair
		path   string
		body   map[string]any
		status int
		test   bool
	}{
		{"test keys create a test customer under gstest", &testKeys, "/v2/customers", map[string]any{"email": "t1@x.co", "partner_key": "gstest"}, 200, true},
		{"test keys cannot create a customer for a production partner", &testKeys, "/v2/customers", map[string]any{"email": "t2@x.co", "partner_key": prodPartner}, 400, false},
		{"production keys cannot create a customer for a test partner", &prodKeys, "/v2/customers", map[string]any{"email": "t3@x.co", "partner_key": "gstest"}, 400, false},
		{"test keys add a test transaction to a test customer", &testKeys, "/v2/transactions", map[string]any{"customer_key": testCustomer, "amount": 100, "currency": "USD"}, 200, true},
		{"test keys cannot add a transaction to a production customer", &testKeys, "/v2/transactions", map[string]any{"customer_key": prodCustomer, "amount": 100, "currency": "USD"}, 400, false},
		{"production keys cannot add a transaction to a test customer", &prodKeys, "/v2/transactions", map[string]any{"customer_key": testCustomer, "amount": 100, "currency": "USD"}, 400, false},
		{"test keys create test partners", &testKeys, "/v2/partnerships", map[string]any{"email": "tp@x.co"}, 200, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rewards := len(s.Rewards())
			r := send(t, s, tt.keys, "POST", tt.path, tt.body)
			mustStatus(t, r, tt.status)
			if tt.status == 200 && r.data()["test"] != tt.test {
				t.Fatalf("test flag: %s", r.raw)
			}
			if len(s.Rewards()) != rewards {
				t.Fatal("a test-mode write created a reward")
			}
		})
	}
	t.Run("a test partner created over the API takes test customers", func(t *testing.T) {
		mustStatus(t, send(t, s, &testKeys, "POST", "/v2/customers", map[string]any{"email": "t4@x.co", "partner_key": "tp"}), 200)
	})
	t.Run("gstest exists even in an empty sandbox", func(t *testing.T) {
		e := New(Options{Empty: true})
		r := get(t, e, "/v2/partnerships/gstest")
		mustStatus(t, r, 200)
		if r.data()["test"] != true || len(e.Groups()) != 1 || !e.Groups()[0].Default || len(e.Transactions()) != 0 {
			t.Fatalf("empty sandbox: %s, %d groups", r.raw, len(e.Groups()))
		}
	})
}

func TestDealsLeadsActionsRewardsWebhooks(t *testing.T) {
	s := newTestSandbox(t)
	partner := s.Partnerships()[2]
	cust := s.Customers()[30]
	t.Run("deal create, get by external key, patch, archive", func(t *testing.T) {
		r := send(t, s, &prodKeys, "POST", "/v2/deals", map[string]any{"partner_key": partner.PartnerKey, "account_name": "Globex",
			"amount": 1200000, "close_date": "2026-12-31", "external_key": "opp-1", "stage": "qualified"})
		mustStatus(t, r, 200)
		if r.data()["group_key"] != partner.Group.Key || r.data()["source"] != "partner" || r.data()["lost_reason"] != nil {
			t.Fatalf("deal %s", r.raw)
		}
		mustStatus(t, get(t, s, "/v2/deals/opp-1"), 200)
		r = send(t, s, &prodKeys, "PATCH", "/v2/deals/opp-1", map[string]any{"stage": "closed lost", "lost_reason": "budget"})
		mustStatus(t, r, 200)
		if r.data()["stage"] != "closed lost" || r.data()["account_name"] != "Globex" {
			t.Fatalf("patched %s", r.raw)
		}
		mustStatus(t, send(t, s, &prodKeys, "POST", "/v2/deals", map[string]any{"partner_key": partner.PartnerKey, "external_key": "opp-1"}), 400)
		mustStatus(t, send(t, s, &prodKeys, "DELETE", "/v2/deals/opp-1", nil), 200)
		if get(t, s, "/v2/deals/opp-1").data()["archived"] != true {
			t.Fatal("deal not archived")
		}
		r = send(t, s, &prodKeys, "POST", "/v2/deals", map[string]any{"source": "vendor", "group_key": partner.Group.Key})
		mustStatus(t, r, 200)
		if r.data()["partner_key"] != nil || r.data()["stage"] != "new" {
			t.Fatalf("vendor deal %s", r.raw)
		}
		mustStatus(t, get(t, s, "/v2/deals/nope"), 404)
	})
	t.Run("lead create, get, patch, archive", func(t *testing.T) {
		r := send(t, s, &prodKeys, "POST", "/v2/leads", map[string]any{"partner_key": partner.PartnerKey, "external_key": "kim@globex.example",
			"status": "open", "meta": map[string]any{"first_name": "Kim", "last_name": "Lee"}})
		mustStatus(t, r, 200)
		if r.data()["amount"] != nil || r.data()["approved"] != nil || r.data()["meta"].(map[string]any)["first_name"] != "Kim" {
			t.Fatalf("lead %s", r.raw)
		}
		r = send(t, s, &prodKeys, "PATCH", "/v2/leads/kim@globex.example", map[string]any{"status": "closed won", "approved": true, "customer_key": *cust.CustomerKey})
		mustStatus(t, r, 200)
		if r.data()["status"] != "closed won" || r.data()["approved"] != true {
			t.Fatalf("patched %s", r.raw)
		}
		mustStatus(t, send(t, s, &prodKeys, "DELETE", "/v2/leads/"+r.data()["key"].(string), nil), 200)
		mustStatus(t, get(t, s, "/v2/leads/nope"), 404)
	})
	t.Run("action record response and list item", func(t *testing.T) {
		r := send(t, s, &prodKeys, "POST", "/v2/actions", map[string]any{"target_type": "customer", "target_key": *cust.CustomerKey, "type": "signup", "value": 2, "external_key": "e1"})
		mustStatus(t, r, 200)
		d := r.data()
		if d["target_key"] != *cust.CustomerKey || d["target_type"] != "customer" || d["value"] != float64(2) || d["external_key"] != "e1" {
			t.Fatalf("record %s", r.raw)
		}
		key := d["key"].(string)
		l := get(t, s, "/v2/actions?action_type=signup")
		if len(l.items()) != 1 || l.items()[0]["partnership_key"] != cust.PartnershipKey || l.items()[0]["customer"].(map[string]any)["key"] != cust.Key {
			t.Fatalf("list %s", l.raw)
		}
		r = send(t, s, &prodKeys, "POST", "/v2/actions", map[string]any{"target_type": "partnership", "target_key": partner.PartnerKey, "type": "signup", "value": 1})
		mustStatus(t, r, 200)
		mustStatus(t, send(t, s, &prodKeys, "DELETE", "/v2/actions/"+key, nil), 200)
		mustStatus(t, send(t, s, &prodKeys, "DELETE", "/v2/actions/actn_nope", nil), 404)
	})
	t.Run("rewards for each target type", func(t *testing.T) {
		tx := s.Transactions()[0]
		for _, target := range []map[string]any{
			{"type": "customer", "key": *cust.CustomerKey},
			{"type": "transaction", "key": tx.Key},
			{"type": "partnership", "key": partner.PartnerKey},
			{"type": "partnership", "key": partner.Key},
		} {
			r := send(t, s, &prodKeys, "POST", "/v2/rewards", map[string]any{"amount": 2500, "description": "bonus", "target": target})
			mustStatus(t, r, 200)
			if r.data()["reward_status"] != "pending" || r.data()["partnership"] == nil {
				t.Fatalf("reward %s", r.raw)
			}
		}
	})
	t.Run("webhook create, get, patch, archive", func(t *testing.T) {
		r := send(t, s, &prodKeys, "POST", "/v2/webhooks", map[string]any{"target": "https://h.example/ps", "events": []string{"customer.created"}})
		mustStatus(t, r, 200)
		key := r.data()["key"].(string)
		r = send(t, s, &prodKeys, "PATCH", "/v2/webhooks/"+key, map[string]any{"events": []string{"deal.created", "lead.created"}})
		mustStatus(t, r, 200)
		if len(r.data()["events"].([]any)) != 2 || r.data()["target"] != "https://h.example/ps" {
			t.Fatalf("patched %s", r.raw)
		}
		mustStatus(t, send(t, s, &prodKeys, "DELETE", "/v2/webhooks/"+key, nil), 200)
		if get(t, s, "/v2/webhooks/"+key).data()["archived"] != true {
			t.Fatal("webhook not archived")
		}
		mustStatus(t, get(t, s, "/v2/webhooks/whk_nope"), 404)
	})
}

func TestUnknownKeysAre404(t *testing.T) {
	s := newTestSandbox(t)
	for _, p := range []string{"partnerships/nobody", "customers/nobody", "transactions/nobody", "deals/nobody", "leads/nobody", "webhooks/nobody"} {
		t.Run(p, func(t *testing.T) {
			mustStatus(t, get(t, s, "/v2/"+p), 404)
			mustStatus(t, send(t, s, &prodKeys, "DELETE", "/v2/"+p, nil), 404)
		})
	}
}
