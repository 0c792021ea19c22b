package tools

import (
	"github.com/partnerstack-mcp/partnerstack-mcp/client"
)

// Attribution through the documented links: a transaction names its
// customer (customer.key / customer_key, documented), and a customer names
// its partnership (partnership_key, partner_key, documented). No source
// documents partnership_key on vendor transactions, so a per-partner figure
// is never built on it alone.
//
// The customers are read once per call into a compact map, customer key ->
// a small index into the distinct partners (int32), so memory is
// O(customers) with one short string per customer (see
// BenchmarkAttributionMemory). A transaction's own partnership_key is used
// only when present: when its customer is unknown it stands in; when it
// disagrees with the customer's partner, the customer's partner wins (the
// documented link) and the transaction counts as a conflict in the result.
//
// An attribution is read-only once loaded, so concurrent walkers (issue 14)
// can share one; partnerOf mutates nothing and callers count outcomes.

// partnerRef names a partner as a customer does.
type partnerRef struct {
	Key        string // partnership key
	PartnerKey string
}

type attribution struct {
	byCustomer map[string]int32 // customer internal key -> index into partners
	partners   []partnerRef
	index      map[partnerRef]int32
}

func newAttribution() *attribution {
	return &attribution{byCustomer: map[string]int32{}, index: map[partnerRef]int32{}}
}

// add records customer cu's partner.
func (a *attribution) add(cu *client.Customer) {
	ref := partnerRef{Key: str(cu.PartnershipKey), PartnerKey: str(cu.PartnerKey)}
	if cu.Key == "" || ref == (partnerRef{}) {
		return
	}
	i, ok := a.index[ref]
	if !ok {
		i = int32(len(a.partners))
		a.partners = append(a.partners, ref)
		a.index[ref] = i
	}
	a.byCustomer[cu.Key] = i
}

// has reports whether the customer with internal key k is in the map.
func (a *attribution) has(k string) bool {
	_, ok := a.byCustomer[k]
	return ok
}

// How a transaction was attributed.
type attributedBy int

const (
	unattributed     attributedBy = iota
	viaCustomer                   // the documented link
	viaTransaction                // customer unknown; the transaction's own partnership_key
	customerOverrode              // the transaction's partnership_key disagreed; the customer's partner was used
)

// txnCustomer is the internal key of a transaction's customer.
func txnCustomer(t *client.Transaction) string {
	if t.Customer != nil && t.Customer.Key != "" {
		return t.Customer.Key
	}
	return str(t.CustomerKey)
}

// partnerOf attributes t.
func (a *attribution) partnerOf(t *client.Transaction) (partnerRef, attributedBy) {
	own := str(t.PartnershipKey)
	if i, ok := a.byCustomer[txnCustomer(t)]; ok {
		p := a.partners[i]
		if own != "" && p.Key != "" && own != p.Key {
			return p, customerOverrode
		}
		return p, viaCustomer
	}
	if own != "" {
		return partnerRef{Key: own}, viaTransaction
	}
	return partnerRef{}, unattributed
}

// loadAttribution reads the customers into an attribution, keeping those
// keep accepts (nil: all). Archived customers are asked for (undocumented
// include_archived): their transactions still count.
func loadAttribution(w *walker, c *client.Client, o client.CustomerListOptions, keep func(*client.Customer) bool) (*attribution, error) {
	a := newAttribution()
	o.IncludeArchived = true
	err := walkLookup(w, "customers", lister(c.Customers.All, o), customerCreated, func(cu client.Customer) {
		if keep == nil || keep(&cu) {
			a.add(&cu)
		}
	})
	return a, err
}
