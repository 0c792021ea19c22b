package sandbox

import (
	"fmt"
	"strings"
)

func (s *Sandbox) customerWire(i int32) Customer {
	c := s.st.customers[i]
	p := s.st.partnerships[c.part]
	return Customer{
		Key: c.key, CreatedAt: c.created, UpdatedAt: c.updated, CustomerKey: cloneStrp(c.customerKey),
		Email: c.email, Name: cloneStrp(c.name), PartnerKey: p.partnerKey, PartnershipKey: p.key,
		ProviderKey: cloneStrp(c.providerKey), Test: c.test, Archived: c.archived,
		Meta: map[string]any{}, Fields: cloneFields(c.fields),
	}
}

func (c *customer) pageMeta() itemMeta {
	return itemMeta{key: c.key, created: c.created, updated: c.updated, archived: c.archived}
}

// customerList: Emulator choice: partner_key and email are conveniences; no
// source documents them (API notes, section 10).
var customerList = listSpec[Customer]{
	what: "customer",
	records: func(st *store) (int, map[string]int32, func(int) itemMeta) {
		return len(st.customers), st.custIdx, func(i int) itemMeta { return st.customers[i].pageMeta() }
	},
	wire:   func(s *Sandbox) func(int32) Customer { return s.customerWire },
	strict: asStrictCustomer,
	filters: []listFilter{
		{param: "partner_key", keep: func(st *store, i int, v string) bool {
			return st.partnerships[st.customers[i].part].partnerKey == v
		}},
		{param: "email", keep: func(st *store, i int, v string) bool {
			return strings.EqualFold(st.customers[i].email, v)
		}},
	},
}

// getCustomer resolves {customer_key} as the external key first, then the
// internal key. Deleted (archived) customers are not found.
func (s *Sandbox) getCustomer(c *call) reply {
	s.mu.RLock()
	defer s.mu.RUnlock()
	i, ok := s.st.customerByKey(c.id, s.strict)
	if !ok {
		return notFound("Customer")
	}
	return success(view(s, s.customerWire(i), asStrictCustomer), "Customer returned successfully")
}

// customerCreateSchema: customer_key is documented as "string | null,
// required"; the default profile lets it be left out (its users rely on it),
// strict answers 400 "'customer_key' is a required property".
var customerCreateSchema = schema{
	{name: "customer_key", typ: tString, nullable: true, requiredStrict: true, minLen: 1, maxLen: 255},
	{name: "email", typ: tString, required: true, minLen: 4, maxLen: 255, email: true},
	{name: "partner_key", typ: tString, required: true, minLen: 1, maxLen: 255},
	{name: "name", typ: tString, nullable: true, maxLen: 100},
	{name: "provider_key", typ: tString, nullable: true, maxLen: 255},
	// Emulator choice: member_key is accepted but team members are not modelled.
	{name: "member_key", typ: tString, nullable: true, maxLen: 255},
	{name: "meta", typ: tObject, nullable: true},
}

// customerUpdateSchema: the create fields, all optional, without partner_key.
var customerUpdateSchema = func() schema {
	sc := schema{}
	for _, f := range customerCreateSchema {
		if f.name != "partner_key" {
			f.required, f.requiredStrict = false, false
			sc = append(sc, f)
		}
	}
	return sc
}()

func (s *Sandbox) createCustomer(c *call) reply {
	b, e := decodeBody(c.body, customerCreateSchema, s.strict)
	if e != nil {
		return e.reply()
	}
	values, order, e := b.fieldValues()
	if e != nil {
		return e.reply()
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	st := s.st
	pk := b.str("partner_key")
	pi, ok := st.partByPK[pk]
	if !ok {
		return fail(400, fmt.Sprintf("'partner_key' does not match any partnership ('%s')", pk))
	}
	p := st.partnerships[pi]
	switch {
	case p.archived:
		return fail(400, fmt.Sprintf("'partner_key' refers to an archived partnership ('%s')", pk))
	case c.test && !p.test:
		return fail(400, fmt.Sprintf("test customers must belong to test partners: '%s' is a production partner (use 'gstest' or a partner created with the test keys)", pk))
	case !c.test && p.test:
		// Inferred: production keys cannot attach customers to test partners.
		return fail(400, fmt.Sprintf("'%s' is a test partner: customers of test partners must be created with the test keys", pk))
	}
	if ck := b.strp("customer_key"); ck != nil {
		if _, taken := st.custByExt[*ck]; taken {
			// Emulator choice: duplicate external keys are a 400.
			return fail(400, fmt.Sprintf("a customer with customer_key '%s' already exists", *ck))
		}
	}
	cu := &customer{
		key: newKey(st.rng, pfxCust, st.custIdx), created: c.now, updated: c.now,
		customerKey: b.strp("customer_key"), email: b.str("email"), name: b.strp("name"),
		part: pi, providerKey: b.strp("provider_key"), test: c.test,
		fields: setFields(nil, values, order),
	}
	i := st.addCustomer(cu)
	st.version++
	c.applied = true
	return success(view(s, s.customerWire(i), asStrictCustomer), "Customer Created")
}

func (s *Sandbox) updateCustomer(c *call) reply {
	b, e := decodeBody(c.body, customerUpdateSchema, s.strict)
	if e != nil {
		return e.reply()
	}
	values, order, e := b.fieldValues()
	if e != nil {
		return e.reply()
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	st := s.st
	i, ok := st.customerByKey(c.id, s.strict)
	if !ok {
		return notFound("Customer")
	}
	cu := st.customers[i]
	if b.has("customer_key") {
		ck := b.strp("customer_key")
		if ck != nil && (cu.customerKey == nil || *ck != *cu.customerKey) {
			if _, taken := st.custByExt[*ck]; taken {
				return fail(400, fmt.Sprintf("a customer with customer_key '%s' already exists", *ck))
			}
		}
		if cu.customerKey != nil {
			delete(st.custByExt, *cu.customerKey)
		}
		cu.customerKey = ck
		if ck != nil {
			st.custByExt[*ck] = i
		}
	}
	if b.has("email") {
		cu.email = b.str("email")
	}
	if b.has("name") {
		cu.name = b.strp("name")
	}
	if b.has("provider_key") {
		cu.providerKey = b.strp("provider_key")
	}
	cu.fields = setFields(cu.fields, values, order)
	cu.updated = c.now
	st.version++
	c.applied = true
	return success(view(s, s.customerWire(i), asStrictCustomer), "Customer Updated")
}

// deleteCustomer archives the customer: later GETs are 404 and lists skip it.
func (s *Sandbox) deleteCustomer(c *call) reply {
	s.mu.Lock()
	defer s.mu.Unlock()
	st := s.st
	i, ok := st.customerByKey(c.id, s.strict)
	if !ok {
		return notFound("Customer")
	}
	cu := st.customers[i]
	cu.archived, cu.updated = true, c.now
	if cu.customerKey != nil {
		delete(st.custByExt, *cu.customerKey)
	}
	st.version++
	c.applied = true
	return okNoData("Customer Deleted")
}

// Customers returns a copy of every customer, deleted ones included, in
// creation order.
func (s *Sandbox) Customers() []Customer {
	s.mu.RLock()
	defer s.mu.RUnlock()
	out := make([]Customer, len(s.st.customers))
	for i := range s.st.customers {
		out[i] = s.customerWire(int32(i))
	}
	return out
}
