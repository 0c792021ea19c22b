package sandbox

import "fmt"

// Conversions: POST /v2/deals/{deal_key}/convert {email, customer_key?}
// returns the new customer [H, Fern]; POST /v2/leads/{lead_key}/convert
// takes the same body [M, typed SDK]. The customer belongs to the deal's or
// lead's partner. Emulator choice: the deal or lead is marked converted by
// its customer_key (a documented field of both) and moves to its won state
// (the group's won stage; lead status "closed won"); converting twice, or a
// deal without a partner, is a 400; without customer_key the customer's key
// is the email, as create_customer's callers are told.

var conversionSchema = schema{
	{name: "email", typ: tString, required: true, minLen: 4, maxLen: 255, email: true},
	{name: "customer_key", typ: tString, nullable: true, minLen: 1, maxLen: 255},
}

// convertedCustomer creates the customer of a conversion for partnership pi;
// the caller holds the write lock and marks the source object.
func (st *store) convertedCustomer(c *call, b body, pi int32, already *string) (int32, *apiError) {
	if already != nil {
		return 0, badRequest(fmt.Sprintf("already converted to customer '%s'", *already))
	}
	if pi < 0 {
		return 0, badRequest("no partner to credit the customer to: set partner_key first")
	}
	p := st.partnerships[pi]
	if p.archived {
		return 0, badRequest(fmt.Sprintf("the partner '%s' is archived", p.partnerKey))
	}
	ck := b.str("email")
	if b.given("customer_key") {
		ck = b.str("customer_key")
	}
	if _, taken := st.custByExt[ck]; taken {
		return 0, badRequest(fmt.Sprintf("a customer with customer_key '%s' already exists", ck))
	}
	cu := &customer{key: newKey(st.rng, pfxCust, st.custIdx), created: c.now, updated: c.now,
		customerKey: strp(ck), email: b.str("email"), part: pi, test: c.test || p.test}
	return st.addCustomer(cu), nil
}

func (s *Sandbox) convertDeal(c *call) reply {
	b, e := decodeBody(c.body, conversionSchema, s.strict)
	if e != nil {
		return e.reply()
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	st := s.st
	i, ok := st.findDeal(c.id)
	if !ok {
		return notFound("Deal")
	}
	d := st.deals[i]
	ci, e := st.convertedCustomer(c, b, d.part, d.customerKey)
	if e != nil {
		return e.reply()
	}
	d.customerKey = cloneStrp(st.customers[ci].customerKey)
	if d.group >= 0 {
		if won, ok := st.groups[d.group].wonStage(); ok {
			d.stage = won
		}
	}
	d.updated = c.now
	st.version++
	c.applied = true
	return success(view(s, s.customerWire(ci), asStrictCustomer), "Deal converted")
}

func (s *Sandbox) convertLead(c *call) reply {
	b, e := decodeBody(c.body, conversionSchema, s.strict)
	if e != nil {
		return e.reply()
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	st := s.st
	i, ok := st.findLead(c.id)
	if !ok {
		return notFound("Lead")
	}
	l := st.leads[i]
	ci, e := st.convertedCustomer(c, b, l.part, l.customerKey)
	if e != nil {
		return e.reply()
	}
	l.customerKey = cloneStrp(st.customers[ci].customerKey)
	l.status, l.updated = "closed won", c.now
	st.version++
	c.applied = true
	return success(view(s, s.customerWire(ci), asStrictCustomer), "Lead converted")
}
