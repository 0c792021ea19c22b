package sandbox

import (
	"net/url"
	"slices"
	"strings"
	"testing"
)

func strictSandbox(t testing.TB) *Sandbox {
	t.Helper()
	return newTestSandbox(t, Options{Profile: ProfileStrict})
}

func TestParseProfile(t *testing.T) {
	for in, want := range map[string]Profile{"": ProfileDefault, "default": ProfileDefault, " Strict ": ProfileStrict} {
		if got, err := ParseProfile(in); err != nil || got != want {
			t.Errorf("ParseProfile(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	if _, err := ParseProfile("lenient"); err == nil || !strings.Contains(err.Error(), "default or strict") {
		t.Fatalf("err %v", err)
	}
	if p := New(Options{Profile: ProfileStrict}).Profile(); p != ProfileStrict {
		t.Fatalf("Profile() = %q", p)
	}
	defer func() {
		if recover() == nil {
			t.Fatal("New with an unknown profile did not panic")
		}
	}()
	New(Options{Profile: "lenient"})
}

// Under strict, an undocumented filter changes nothing (the API may ignore
// it) and a documented one narrows the list, for every filter every list
// declares.
func TestStrictHonoursOnlyDocumentedFilters(t *testing.T) {
	s := strictSandbox(t)
	for path, filters := range listFilters { // every list route (TestListSpecs keeps it complete)
		all := get(t, s, path+"?limit=250")
		mustStatus(t, all, 200)
		for _, f := range append(filters, listFilter{param: "no_such_parameter"}) {
			t.Run(path+" "+f.param, func(t *testing.T) {
				// reward_status=bogus is a 400 in the default profile; strict never looks.
				r := get(t, s, path+"?"+url.Values{"limit": {"250"}, f.param: {"bogus"}}.Encode())
				mustStatus(t, r, 200)
				switch {
				case f.documented && len(r.items()) != 0:
					t.Fatalf("documented filter kept %d items matching nothing", len(r.items()))
				case !f.documented && !slices.Equal(r.keys(), all.keys()):
					t.Fatalf("undocumented filter changed the list: %d items, want %d", len(r.items()), len(all.items()))
				}
			})
		}
	}
	t.Run("documented filters find their items", func(t *testing.T) {
		acts, deals := s.Actions(), s.Deals()
		a := acts[0]
		runFilterCases(t, s, []filterCase{
			{"actions by partnership_key", "/v2/actions", url.Values{"partnership_key": {a.PartnershipKey}},
				collect(acts, func(x Action) bool { return !x.Archived && x.PartnershipKey == a.PartnershipKey }, func(x Action) string { return x.Key })},
			{"actions by action_type", "/v2/actions", url.Values{"action_type": {a.Type}},
				collect(acts, func(x Action) bool { return !x.Archived && x.Type == a.Type }, func(x Action) string { return x.Key })},
			// strict lists archived deals too (include_archived is ignored)
			{"deals by partner_key", "/v2/deals", url.Values{"partner_key": {*deals[0].PartnerKey}},
				collect(deals, func(x Deal) bool { return x.PartnerKey != nil && *x.PartnerKey == *deals[0].PartnerKey }, func(x Deal) string { return x.Key })},
		})
	})
	t.Run("time filters and paging are honoured", func(t *testing.T) {
		txs := s.Transactions()
		mid := txs[len(txs)/2].CreatedAt
		want := collect(txs, func(x Transaction) bool { return !x.Archived && x.CreatedAt >= mid }, func(x Transaction) string { return x.Key })
		runFilterCases(t, s, []filterCase{{"min_created", "/v2/transactions", url.Values{"min_created": {itoa(mid)}}, want}})
	})
}

func TestStrictIgnoresUndocumentedListParameters(t *testing.T) {
	s := strictSandbox(t)
	t.Run("include_archived: partnerships, deals and leads list archived records either way", func(t *testing.T) {
		archived := func(path string) (n int) {
			for _, it := range get(t, s, path).items() {
				if _, has := it["archived"]; has {
					t.Fatalf("%s: strict serves archived; want is_archived", path)
				}
				if it["is_archived"] == true {
					n++
				}
			}
			return n
		}
		for _, path := range []string{"/v2/partnerships", "/v2/deals", "/v2/leads"} {
			with, without := archived(path+"?limit=250&include_archived=true"), archived(path+"?limit=250&include_archived=false")
			if with == 0 || with != without {
				t.Errorf("%s: %d archived with include_archived=true, %d with false; want the same, > 0", path, with, without)
			}
		}
	})
	t.Run("order_by amount is ignored on transactions", func(t *testing.T) {
		r := get(t, s, "/v2/transactions?order_by=amount&limit=50")
		mustStatus(t, r, 200)
		if !slices.Equal(r.keys(), get(t, s, "/v2/transactions?limit=50").keys()) {
			t.Fatal("order_by=amount changed the order")
		}
	})
	t.Run("order_by is not documented on deals", func(t *testing.T) {
		if !slices.Equal(get(t, s, "/v2/deals?order_by=created_at&limit=50").keys(), get(t, s, "/v2/deals?limit=50").keys()) {
			t.Fatal("order_by changed the deal order")
		}
	})
	t.Run("order_by created_at is honoured where documented", func(t *testing.T) {
		asc := get(t, s, "/v2/transactions?order_by=created_at&limit=250").keys()
		desc := get(t, s, "/v2/transactions?order_by=-created_at&limit=250").keys()
		if slices.Equal(asc, desc) {
			t.Fatal("order_by created_at did not change the order")
		}
	})
	t.Run("the default profile still refuses a bad order_by", func(t *testing.T) {
		mustStatus(t, get(t, newTestSandbox(t), "/v2/deals?order_by=stage"), 400)
	})
}

// absent and present check a decoded JSON object's keys.
func absent(t *testing.T, what string, obj map[string]any, keys ...string) {
	t.Helper()
	for _, k := range keys {
		if _, has := obj[k]; has {
			t.Errorf("%s has %q; strict must leave it out", what, k)
		}
	}
}

func present(t *testing.T, what string, obj map[string]any, keys ...string) {
	t.Helper()
	for _, k := range keys {
		if _, has := obj[k]; !has {
			t.Errorf("%s lacks %q", what, k)
		}
	}
}

func TestStrictOmitsUndocumentedFields(t *testing.T) {
	strict, def := strictSandbox(t), newTestSandbox(t)
	first := func(s *Sandbox, path string) map[string]any {
		r := get(t, s, path+"?limit=1")
		mustStatus(t, r, 200)
		return r.items()[0]
	}
	tests := []struct {
		path            string
		dropped, strict []string // left out by strict; served by strict only
	}{
		{"/v2/transactions", []string{"partnership_key"}, nil},
		{"/v2/partnerships", []string{"test", "archived"}, []string{"is_archived"}},
		{"/v2/customers", []string{"archived"}, nil},
		{"/v2/deals", []string{"archived"}, []string{"is_archived"}},
		{"/v2/leads", []string{"archived"}, []string{"is_archived"}},
		{"/v2/rewards", []string{"archived"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			s, d := first(strict, tt.path), first(def, tt.path)
			absent(t, "strict "+tt.path, s, tt.dropped...)
			present(t, "strict "+tt.path, s, tt.strict...)
			present(t, "default "+tt.path, d, tt.dropped...)
			absent(t, "default "+tt.path, d, tt.strict...)
			present(t, "strict "+tt.path, s, "key", "created_at", "updated_at")
		})
	}
	t.Run("a reward's partnership has no partner_key", func(t *testing.T) {
		p := first(strict, "/v2/rewards")["partnership"].(map[string]any)
		absent(t, "strict reward.partnership", p, "partner_key")
		present(t, "strict reward.partnership", p, "key", "name", "group")
	})
	t.Run("single objects follow the list", func(t *testing.T) {
		cs := strict.Customers()
		c := cs[slices.IndexFunc(cs, func(c Customer) bool { return !c.Test && !c.Archived && c.CustomerKey != nil })]
		r := get(t, strict, "/v2/customers/"+*c.CustomerKey)
		mustStatus(t, r, 200)
		absent(t, "strict customer", r.data(), "archived")
		tx := send(t, strict, &prodKeys, "POST", "/v2/transactions", map[string]any{
			"customer_external_key": *c.CustomerKey, "amount": 1000, "currency": "USD"})
		mustStatus(t, tx, 200)
		absent(t, "created transaction", tx.data(), "partnership_key")
		present(t, "created transaction", tx.data(), "customer_key", "customer")
	})
}

func TestStrictRequestBodies(t *testing.T) {
	t.Run("customer_key is required, null allowed", func(t *testing.T) {
		s := strictSandbox(t)
		body := map[string]any{"email": "ada@example.com", "partner_key": s.Partnerships()[1].PartnerKey, "name": "Ada"}
		r := send(t, s, &prodKeys, "POST", "/v2/customers", body)
		mustStatus(t, r, 400)
		if r.message() != "'customer_key' is a required property" {
			t.Fatalf("message %q", r.message())
		}
		body["customer_key"] = nil
		mustStatus(t, send(t, s, &prodKeys, "POST", "/v2/customers", body), 200)
		delete(body, "customer_key")
		body["email"] = "bob@example.com"
		mustStatus(t, send(t, newTestSandbox(t), &prodKeys, "POST", "/v2/customers", body), 200) // default: lenient
	})
	t.Run("unknown fields are ignored, not rejected", func(t *testing.T) {
		s := strictSandbox(t)
		body := map[string]any{"target_type": "partnership", "target_key": s.Partnerships()[1].PartnerKey,
			"type": "demo_booked", "value": 1, "customer_key": "x"}
		mustStatus(t, send(t, s, &prodKeys, "POST", "/v2/actions", body), 200)
		mustStatus(t, send(t, newTestSandbox(t), &prodKeys, "POST", "/v2/actions", body), 400)
	})
	t.Run("a partnership update applies only documented fields", func(t *testing.T) {
		s := strictSandbox(t)
		p, g := s.Partnerships()[1], s.Groups()
		other := g[slices.IndexFunc(g, func(x Group) bool { return x.Key != p.Group.Key && !x.Archived })]
		r := send(t, s, &prodKeys, "PATCH", "/v2/partnerships/"+p.Key, map[string]any{
			"first_name": "Renamed", "tags": []string{"x"}, "group_key": other.Key})
		mustStatus(t, r, 200)
		after := s.Partnerships()[1]
		if after.Group.Key != other.Key {
			t.Error("group_key (documented) was not applied")
		}
		if deref(after.FirstName) == "Renamed" || slices.Equal(after.Tags, []string{"x"}) {
			t.Error("first_name or tags (undocumented on update) were applied")
		}
	})
	t.Run("tags go through their own endpoint, in both profiles", func(t *testing.T) {
		for _, s := range []*Sandbox{strictSandbox(t), newTestSandbox(t)} {
			p := s.Partnerships()[1]
			r := send(t, s, &prodKeys, "PATCH", "/v2/partnerships/"+p.Key+"/tags", map[string]any{"tags": []string{"vip", "emea"}})
			mustStatus(t, r, 200)
			if got := s.Partnerships()[1].Tags; !slices.Equal(got, []string{"vip", "emea"}) {
				t.Fatalf("%s: tags %v", s.Profile(), got)
			}
			mustStatus(t, send(t, s, &prodKeys, "PATCH", "/v2/partnerships/"+p.Key+"/tags", map[string]any{}), 400)
			mustStatus(t, send(t, s, &prodKeys, "PATCH", "/v2/partnerships/part_nosuchpartner/tags", map[string]any{"tags": []string{}}), 404)
		}
	})
	t.Run("two partnerships may share an email", func(t *testing.T) {
		s := strictSandbox(t)
		body := map[string]any{"email": s.Partnerships()[1].Email}
		mustStatus(t, send(t, s, &prodKeys, "POST", "/v2/partnerships", body), 200)
		mustStatus(t, send(t, newTestSandbox(t), &prodKeys, "POST", "/v2/partnerships", body), 400)
	})
}

func TestStrictLookups(t *testing.T) {
	s, d := strictSandbox(t), newTestSandbox(t)
	c, p, tx := s.Customers()[0], s.Partnerships()[1], s.Transactions()[0]
	tests := []struct {
		name           string
		method, path   string
		strict, dflt   int
		body           any
		sandboxChanges bool
	}{
		{"customer by external customer_key", "GET", "/v2/customers/" + url.PathEscape(*c.CustomerKey), 200, 200, nil, false},
		{"customer by internal cus_ key", "GET", "/v2/customers/" + c.Key, 404, 200, nil, false},
		{"customer update by internal key", "PATCH", "/v2/customers/" + c.Key, 404, 200, map[string]any{"name": "X"}, true},
		{"partnership by key", "GET", "/v2/partnerships/" + p.Key, 200, 200, nil, false},
		{"partnership by partner_key", "GET", "/v2/partnerships/" + p.PartnerKey, 200, 200, nil, false},
		{"partnership by email", "GET", "/v2/partnerships/" + url.PathEscape(p.Email), 404, 200, nil, false},
		{"partnership update by partner_key", "PATCH", "/v2/partnerships/" + p.PartnerKey, 404, 200, map[string]any{"group_key": p.Group.Key}, true},
		{"transaction by key (undocumented GET)", "GET", "/v2/transactions/" + tx.Key, 404, 200, nil, false},
		{"action target by internal customer key", "POST", "/v2/actions", 400, 200,
			map[string]any{"target_type": "customer", "target_key": c.Key, "type": "demo_booked", "value": 1}, true},
		{"reward target by internal customer key", "POST", "/v2/rewards", 400, 200,
			map[string]any{"amount": 100, "description": "bonus", "target": map[string]any{"type": "customer", "key": c.Key}}, true},
		{"reward target by external customer_key", "POST", "/v2/rewards", 200, 200,
			map[string]any{"amount": 100, "description": "bonus", "target": map[string]any{"type": "customer", "key": *c.CustomerKey}}, true},
		{"reward target: a partnership (Inferred, both profiles)", "POST", "/v2/rewards", 200, 200,
			map[string]any{"amount": 100, "description": "bonus", "target": map[string]any{"type": "partnership", "key": p.PartnerKey}}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.sandboxChanges {
				s, d = strictSandbox(t), newTestSandbox(t)
			}
			mustStatus(t, send(t, s, &prodKeys, tt.method, tt.path, tt.body), tt.strict)
			mustStatus(t, send(t, d, &prodKeys, tt.method, tt.path, tt.body), tt.dflt)
		})
	}
}

func TestWebhookEventsPerProfile(t *testing.T) {
	create := func(s *Sandbox, events ...string) result {
		return send(t, s, &prodKeys, "POST", "/v2/webhooks", map[string]any{"target": "https://h.example/hook", "events": events})
	}
	for _, s := range []*Sandbox{strictSandbox(t), newTestSandbox(t)} {
		mustStatus(t, create(s, DocumentedWebhookEvents...), 200)
		mustStatus(t, create(s, "partnership.created", "customer_created"), 200)
	}
	r := create(strictSandbox(t), "transaction.created")
	mustStatus(t, r, 400)
	if !strings.Contains(r.message(), "transaction.created") {
		t.Fatalf("message %q", r.message())
	}
	mustStatus(t, create(newTestSandbox(t), "transaction.created"), 200) // default keeps its extra names
	if got := WebhookEvents(ProfileStrict); !slices.Equal(got, DocumentedWebhookEvents) {
		t.Fatalf("strict events %v", got)
	}
	if def := WebhookEvents(ProfileDefault); len(def) <= len(DocumentedWebhookEvents) || !slices.Equal(def[:len(DocumentedWebhookEvents)], DocumentedWebhookEvents) {
		t.Fatalf("default events %v", def)
	}
}
