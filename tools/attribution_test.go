package tools

import (
	"fmt"
	"runtime"
	"strings"
	"testing"

	"github.com/partnerstack-mcp/partnerstack-mcp/client"
)

func sp(s string) *string { return &s }

func TestAttributionGoesThroughTheCustomer(t *testing.T) {
	a := newAttribution()
	a.add(&client.Customer{Base: client.Base{Key: "cus_a"}, PartnershipKey: sp("part_1"), PartnerKey: sp("ann")})
	a.add(&client.Customer{Base: client.Base{Key: "cus_b"}, PartnershipKey: sp("part_2"), PartnerKey: sp("bob")})
	a.add(&client.Customer{Base: client.Base{Key: "cus_c"}, PartnerKey: sp("ann")}) // no partnership_key: partner_key alone
	txn := func(cust, own string) *client.Transaction {
		t := &client.Transaction{Customer: &client.TransactionCustomer{Key: cust}}
		if own != "" {
			t.PartnershipKey = &own
		}
		return t
	}
	cases := []struct {
		name string
		t    *client.Transaction
		want partnerRef
		how  attributedBy
	}{
		{"the customer's partner, no partnership_key on the transaction", txn("cus_a", ""), partnerRef{"part_1", "ann"}, viaCustomer},
		{"an agreeing partnership_key", txn("cus_b", "part_2"), partnerRef{"part_2", "bob"}, viaCustomer},
		{"a disagreeing partnership_key loses to the customer", txn("cus_a", "part_2"), partnerRef{"part_1", "ann"}, customerOverrode},
		{"a customer known only by partner_key", txn("cus_c", "part_9"), partnerRef{"", "ann"}, viaCustomer},
		{"an unknown customer: the transaction's own key stands in", txn("cus_x", "part_2"), partnerRef{Key: "part_2"}, viaTransaction},
		{"an unknown customer and no key", txn("cus_x", ""), partnerRef{}, unattributed},
		{"the internal customer_key when the nested customer is absent", &client.Transaction{CustomerKey: sp("cus_b")}, partnerRef{"part_2", "bob"}, viaCustomer},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, how := a.partnerOf(tc.t)
			if got != tc.want || how != tc.how {
				t.Errorf("got %+v (%d), want %+v (%d)", got, how, tc.want, tc.how)
			}
		})
	}
	if len(a.partners) != 3 {
		t.Errorf("%d distinct partners, want 3 (one per partnership/partner pair)", len(a.partners))
	}
}

// BenchmarkAttributionMemory measures the customers map of one insight call:
// the live heap it holds per customer, for 100,000 customers spread over
// 2,000 partners (keys shaped like PartnerStack's, each its own allocation
// as encoding/json makes them).
//
//	go test ./tools -run '^$' -bench AttributionMemory -benchtime 3x
func BenchmarkAttributionMemory(b *testing.B) {
	const customers, partners = 100_000, 2_000
	in := make([]client.Customer, customers)
	for i := range in {
		in[i] = client.Customer{Base: client.Base{Key: strings.Clone(fmt.Sprintf("cus_%014d", i))},
			PartnershipKey: sp(fmt.Sprintf("part_%014d", i%partners)), PartnerKey: sp(fmt.Sprintf("partner%d", i%partners))}
	}
	var perCustomer float64
	for b.Loop() {
		runtime.GC()
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		a := newAttribution()
		for i := range in {
			// Fresh strings per customer, as a decoded page gives them;
			// only what the map keeps survives the page.
			cu := client.Customer{Base: client.Base{Key: strings.Clone(in[i].Key)},
				PartnershipKey: sp(strings.Clone(*in[i].PartnershipKey)), PartnerKey: sp(strings.Clone(*in[i].PartnerKey))}
			a.add(&cu)
		}
		runtime.GC()
		runtime.ReadMemStats(&after)
		perCustomer = float64(after.HeapAlloc-before.HeapAlloc) / customers
		if len(a.byCustomer) != customers || len(a.partners) != partners {
			b.Fatalf("%d customers, %d partners", len(a.byCustomer), len(a.partners))
		}
		runtime.KeepAlive(a)
	}
	b.ReportMetric(perCustomer, "B/customer")
	b.ReportMetric(perCustomer*customers/(1<<20), "MiB/100k")
}
