package sandbox

import (
	"encoding/json"
	"reflect"
	"runtime"
	"testing"
	"time"
)

func TestSameSeedSameData(t *testing.T) {
	a, b := New(Options{Seed: 7}), New(Options{Seed: 7})
	snap := func(s *Sandbox) []any {
		return []any{s.Groups(), s.Partnerships(), s.Customers(), s.Transactions(), s.Deals(), s.Leads(), s.Actions(), s.Rewards(), s.Webhooks()}
	}
	if !reflect.DeepEqual(snap(a), snap(b)) {
		t.Fatal("two sandboxes with one seed differ")
	}
	c := New(Options{Seed: 8})
	if reflect.DeepEqual(a.Partnerships(), c.Partnerships()) {
		t.Fatal("different seeds gave the same partnerships")
	}
	t.Run("new keys are deterministic too", func(t *testing.T) {
		x, y := newTestSandbox(t), newTestSandbox(t)
		body := map[string]any{"target": "https://h.example", "events": []string{"deal.created"}}
		if send(t, x, &prodKeys, "POST", "/v2/webhooks", body).data()["key"] != send(t, y, &prodKeys, "POST", "/v2/webhooks", body).data()["key"] {
			t.Fatal("created keys differ")
		}
	})
}

func TestDemoDataShape(t *testing.T) {
	s := New(Options{})
	lo, hi := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC).UnixMilli(), time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC).UnixMilli()
	inRange := func(what string, ts ...int64) {
		for _, x := range ts {
			if x < lo || x > hi {
				t.Fatalf("%s timestamp %d outside the demo window", what, x)
			}
		}
	}
	if n := len(s.Groups()); n != 4 {
		t.Errorf("%d groups", n)
	}
	if n := len(s.Partnerships()); n != 41 {
		t.Errorf("%d partnerships", n)
	}
	if n := len(s.Transactions()); n != DefaultTransactions {
		t.Errorf("%d transactions", n)
	}
	if n := len(s.Webhooks()); n != 3 {
		t.Errorf("%d webhooks", n)
	}
	currencies, refunds, products := map[string]bool{}, 0, map[string]bool{}
	for _, x := range s.Transactions() {
		inRange("transaction", x.CreatedAt, x.UpdatedAt)
		currencies[x.Currency] = true
		if x.Amount < 0 {
			refunds++
		}
		if x.ProductKey != nil {
			products[*x.ProductKey] = true
		}
	}
	if len(currencies) != 5 || refunds == 0 || len(products) < 4 {
		t.Errorf("currencies %v, refunds %d, products %v", currencies, refunds, products)
	}
	stages, statuses := map[string]bool{}, map[string]bool{}
	for _, d := range s.Deals() {
		inRange("deal", d.CreatedAt, d.UpdatedAt)
		stages[d.Stage] = true
	}
	for _, l := range s.Leads() {
		statuses[l.Status] = true
	}
	if len(stages) != len(dealStages) || len(statuses) < 4 {
		t.Errorf("stages %v, lead statuses %v", stages, statuses)
	}
	for _, p := range s.Partnerships() {
		inRange("partnership", p.CreatedAt, p.UpdatedAt)
		if p.PartnerKey != "gstest" && p.Stats.CustomerCount > 0 && p.Stats.Revenue == 0 && p.Stats.PaidAccountCount > 0 {
			t.Errorf("partner %s has paying customers and no revenue", p.PartnerKey)
		}
	}
	for _, c := range s.Customers() {
		inRange("customer", c.CreatedAt, c.UpdatedAt)
	}
	for _, r := range s.Rewards() {
		inRange("reward", r.CreatedAt, r.UpdatedAt)
	}
}

func TestStatsAreComputedFromData(t *testing.T) {
	s := New(Options{})
	txs, custs, rews := s.Transactions(), s.Customers(), s.Rewards()
	for _, p := range s.Partnerships() {
		var want PartnershipStats
		paid := map[string]bool{}
		for _, c := range custs {
			if c.PartnershipKey == p.Key && !c.Archived {
				want.CustomerCount++
			}
		}
		for _, x := range txs {
			if x.PartnershipKey == p.Key && !x.Archived {
				want.Revenue += x.AmountUSD
				if x.Amount > 0 && !paid[x.CustomerKey] {
					paid[x.CustomerKey] = true
					want.PaidAccountCount++
				}
			}
		}
		for _, r := range rews {
			if r.Partnership != nil && r.Partnership.Key == p.Key && !r.Archived && (r.RewardStatus == "approved" || r.RewardStatus == "paid") {
				want.CommissionEarned += r.Amount
			}
		}
		if p.Stats != want {
			t.Fatalf("%s stats %+v, want %+v", p.PartnerKey, p.Stats, want)
		}
	}
}

func TestLargeSandbox(t *testing.T) {
	// How long the build takes is BenchmarkNew100k's figure: a timed test
	// fails on a loaded machine without telling anything.
	s := New(Options{Transactions: 100_000})
	if n := len(seeded(s).txns); n != 100_000 {
		t.Fatalf("%d transactions", n)
	}
	r := get(t, s, "/v2/transactions?limit=250&order_by=-amount")
	mustStatus(t, r, 200)
	if len(r.items()) != 250 || !r.hasMore() {
		t.Fatal("bad first page")
	}
	var first Transaction
	b, _ := json.Marshal(r.items()[0])
	_ = json.Unmarshal(b, &first)
	if first.Amount != 99900 {
		t.Fatalf("largest amount %d", first.Amount)
	}
}

func BenchmarkNew100k(b *testing.B) {
	b.ReportAllocs()
	var s *Sandbox
	for b.Loop() {
		s = New(Options{Transactions: 100_000})
		seeded(s) // New seeds in the background
	}
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	b.ReportMetric(float64(m.HeapAlloc)/(1<<20), "heap-MB")
	runtime.KeepAlive(s)
}

func BenchmarkListPage100k(b *testing.B) {
	s := New(Options{Transactions: 100_000})
	h := s.Client()
	after := seeded(s).txns[500].key
	b.ReportAllocs()
	for b.Loop() {
		req, _ := newAuthedRequest("GET", "/api/v2/transactions?limit=250&starting_after="+after)
		resp, err := h.Do(req)
		if err != nil || resp.StatusCode != 200 {
			b.Fatal(err, resp.StatusCode)
		}
		resp.Body.Close()
	}
}
