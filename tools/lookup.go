package tools

import (
	"context"
	"fmt"
	"strings"

	"github.com/partnerstack-mcp/partnerstack-mcp/client"
)

// Verified lookups. No list filter that would find one object by email or
// internal key is documented (evidence.go), so a lookup sends the filter
// (cheap when honoured), compares every returned object with the asked
// value and walks on through the pages when the API ignored it. "Not
// found" and "ambiguous" are said only when they are true: after the whole
// list was read, or once two objects really match.

// lookupResult is what a verified walk found.
type lookupResult[T any] struct {
	found    []T  // at most two
	complete bool // the whole list was read (or two matches found)
	scanned  int
}

// verifiedWalk reads it, keeping up to two items match accepts, within
// pages pages.
func verifiedWalk[T client.Keyed](ctx context.Context, it *client.Iterator[T], pages int, match func(*T) bool) (lookupResult[T], error) {
	var r lookupResult[T]
	it.SetPageSize(client.MaxPageSize)
	pageEnd := -1
	it.OnPage = func(_, items int) { pageEnd = items }
	for item, err := range it.Seq(ctx) {
		if err != nil {
			return r, err
		}
		r.scanned++
		if match(&item) {
			if r.found = append(r.found, item); len(r.found) == 2 {
				r.complete = true
				return r, nil
			}
		}
		if r.scanned == pageEnd && it.HasMore() && it.Pages() >= pages {
			return r, nil
		}
	}
	r.complete = true
	return r, nil
}

// lookupPages bounds a verified lookup, which reads a whole list when the
// API ignores the filter: the insights' page cap when one is set, else 400
// pages (100k items).
func (d Deps) lookupPages() int {
	if d.InsightPageCap > 0 {
		return d.InsightPageCap
	}
	return defaultLookupPages
}

const defaultLookupPages = 400

// The lookup rules this file implements (consulted once, at start).
var _ = []*rule{
	lookupRule("customers", kindLookup, "by email"),
	lookupRule("customers", kindLookup, "by internal key (cus_...)"),
	lookupRule("customers", kindLookup, "GET /v2/customers/{customer_key} (external key)"),
	lookupRule("partnerships", kindLookup, "by email"),
	lookupRule("partnerships", kindLookup, "PATCH/DELETE with a partner_key"),
	lookupRule("partnerships", kindLookup, "GET /v2/partnerships/{partner_key}"),
	lookupRule("partnerships", kindLookup, "GET /v2/partnerships/{key}"),
}

// findCustomer finds the one customer ref names by internal key or email.
// field names the argument in errors.
func findCustomer(ctx context.Context, c *client.Client, d Deps, field, value string) (*client.Customer, error) {
	if err := client.CheckKey(value); err != nil {
		return nil, err
	}
	o := &client.CustomerListOptions{}
	// Deleted customers are archived; they are not the customer asked for.
	match := func(cu *client.Customer) bool { return !cu.Archived && cu.Key == value }
	what := "customer_internal_key " + value
	if field == "customer_email" {
		o.Email = value
		match = func(cu *client.Customer) bool { return !cu.Archived && strings.EqualFold(cu.Email, value) }
		what = "the email " + value
	}
	r, err := verifiedWalk(ctx, c.Customers.All(o), d.lookupPages(), match)
	if err != nil {
		return nil, err
	}
	switch {
	case len(r.found) == 1 && r.complete:
		return &r.found[0], nil
	case len(r.found) == 2:
		return nil, argErr(field, "more than one customer has "+what, "use customer_key instead (see list_customers)")
	case !r.complete:
		return nil, fmt.Errorf("no customer with %s among the %d read (the lookup stops after %d pages, as PartnerStack documents no filter for it); pass customer_key instead", what, r.scanned, d.lookupPages())
	}
	return nil, argErr(field, "no customer has "+what, "check it with list_customers")
}

// customerPath is the identifier customer paths take: the external
// customer_key (documented). An internal key or an email is resolved to it
// by a verified lookup, never put into the path; the customer found is
// returned too (nil when the caller gave the customer_key).
func (r *CustomerRef) customerPath(ctx context.Context, c *client.Client, d Deps) (string, *client.Customer, error) {
	if r.CustomerKey != "" {
		return r.CustomerKey, nil, nil
	}
	field, value := "customer_internal_key", r.CustomerInternalKey
	if r.CustomerEmail != "" {
		field, value = "customer_email", r.CustomerEmail
	}
	cu, err := findCustomer(ctx, c, d, field, value)
	if err != nil {
		return "", nil, err
	}
	k := str(cu.CustomerKey)
	if k == "" {
		return "", cu, argErr(field, "customer "+cu.Key+" has no customer_key, and PartnerStack addresses customers by their customer_key",
			"give the customer a customer_key in PartnerStack first")
	}
	return k, cu, nil
}

// findPartnership gets a partnership by key or partner_key (documented GET)
// or by email (verified walk), checking the answer is the one asked for.
func findPartnership(ctx context.Context, c *client.Client, d Deps, id string) (*client.Partnership, error) {
	if err := client.CheckKey(id); err != nil {
		return nil, err
	}
	if strings.Contains(id, "@") {
		o := &client.PartnershipListOptions{Email: id, IncludeArchived: true}
		r, err := verifiedWalk(ctx, c.Partnerships.All(o), d.lookupPages(), func(p *client.Partnership) bool {
			return strings.EqualFold(p.Email, id)
		})
		if err != nil {
			return nil, err
		}
		switch {
		case len(r.found) == 1 && r.complete:
			return &r.found[0], nil
		case len(r.found) == 2:
			return nil, argErr("key", "more than one partner has the email "+id, "use the partner_key instead (see list_partnerships)")
		case !r.complete:
			return nil, fmt.Errorf("no partner with the email %s among the %d read; pass the partner_key instead", id, r.scanned)
		}
		return nil, argErr("key", "no partner has the email "+id, "check it with list_partnerships")
	}
	p, err := c.Partnerships.Get(ctx, id)
	if err != nil {
		return nil, err
	}
	if p.Key != id && p.PartnerKey != id {
		return nil, fmt.Errorf("PartnerStack answered partner %s (partner_key %s) for %q; pass the partnership key from list_partnerships", p.Key, p.PartnerKey, id)
	}
	return p, nil
}

// partnershipPath is the identifier partnership writes take: the
// partnership key ({partnership_key} in the documented paths). Whatever the
// caller gave (key, partner_key, email) is resolved and verified first.
func partnershipPath(ctx context.Context, c *client.Client, d Deps, id string) (string, error) {
	p, err := findPartnership(ctx, c, d, id)
	if err != nil {
		return "", err
	}
	return p.Key, nil
}
