package sandbox

import "fmt"

var leadStatuses = []string{"open", "closed", "dead", "closed won", "closed lost"}

func (s *Sandbox) leadWire(i int32) Lead {
	st := s.st
	l := st.leads[i]
	w := Lead{
		Key: l.key, CreatedAt: l.created, UpdatedAt: l.updated, ExternalKey: l.externalKey,
		PartnerKey: st.partnerships[l.part].partnerKey, GroupKey: cloneStrp(l.groupKey), Status: l.status,
		Amount: cloneInt64p(l.amount), Meta: cloneMap(l.meta), CustomerKey: cloneStrp(l.customerKey), Archived: l.archived,
	}
	if l.approved != nil {
		v := *l.approved
		w.Approved = &v
	}
	return w
}

func (l *lead) pageMeta() itemMeta {
	return itemMeta{key: l.key, created: l.created, updated: l.updated, archived: l.archived}
}

// leadList: Emulator choice: partner_key and status are conveniences; no
// source documents them (API notes, section 10).
var leadList = listSpec[Lead]{
	what: "lead",
	records: func(st *store) (int, map[string]int32, func(int) itemMeta) {
		return len(st.leads), st.leadIdx, func(i int) itemMeta { return st.leads[i].pageMeta() }
	},
	wire:           func(s *Sandbox) func(int32) Lead { return s.leadWire },
	strict:         asStrictLead,
	strictArchived: true,
	filters: []listFilter{
		{param: "partner_key", keep: func(st *store, i int, v string) bool {
			return st.partnerships[st.leads[i].part].partnerKey == v
		}},
		{param: "status", keep: func(st *store, i int, v string) bool { return st.leads[i].status == v }},
	},
}

// getLead resolves {lead_key} as key, then external_key. Emulator choice:
// archived leads stay readable (archived:true).
func (s *Sandbox) getLead(c *call) reply {
	s.mu.RLock()
	defer s.mu.RUnlock()
	i, ok := s.st.findLead(c.id)
	if !ok {
		return notFound("Lead")
	}
	return success(view(s, s.leadWire(i), asStrictLead), "Lead returned successfully")
}

var leadCreateSchema = schema{
	{name: "partner_key", typ: tString, required: true, minLen: 1, maxLen: 255},
	{name: "external_key", typ: tString, required: true, minLen: 1, maxLen: 255},
	{name: "status", typ: tString, required: true, enum: leadStatuses},
	{name: "meta", typ: tObject, required: true},
	{name: "amount", typ: tInt, nullable: true, min: 0, max: 2147483647},
	{name: "approved", typ: tBool, nullable: true},
	{name: "group_key", typ: tString, nullable: true, maxLen: 255},
	// Emulator choice: accepted, not modelled.
	{name: "mold_key", typ: tString, nullable: true, maxLen: 255},
	{name: "fields", typ: tArray, nullable: true},
	{name: "field_data", typ: tObject, nullable: true},
}

// leadUpdateSchema: the create fields, all optional, plus customer_key and stage_data.
var leadUpdateSchema = func() schema {
	sc := schema{}
	for _, f := range leadCreateSchema {
		f.required = false
		sc = append(sc, f)
	}
	return append(sc,
		field{name: "customer_key", typ: tString, nullable: true, maxLen: 255},
		field{name: "stage_data", typ: tObject, nullable: true}) // Emulator choice: accepted, not stored
}()

// leadMeta checks that meta carries the contact's first and last name.
func leadMeta(b body) (map[string]any, *apiError) {
	m, _ := b.object("meta")
	for _, k := range []string{"first_name", "last_name"} {
		if _, ok := m[k]; !ok {
			return nil, badRequest(fmt.Sprintf("'meta.%s' is a required property", k))
		}
	}
	return m, nil
}

func (st *store) leadRefs(b body, l *lead) *apiError {
	if b.given("partner_key") {
		pk := b.str("partner_key")
		pi, ok := st.partByPK[pk]
		if !ok {
			return badRequest(fmt.Sprintf("'partner_key' does not match any partnership ('%s')", pk))
		}
		l.part = pi
		if !b.given("group_key") {
			l.groupKey = strp(st.groups[st.partnerships[pi].group].key)
		}
	}
	if b.given("group_key") {
		gi, e := st.groupFor(b)
		if e != nil {
			return e
		}
		l.groupKey = strp(st.groups[gi].key)
	}
	if b.given("external_key") {
		ek := b.str("external_key")
		if j, taken := st.leadByExt[ek]; taken && st.leads[j].key != l.key {
			return badRequest(fmt.Sprintf("a lead with external_key '%s' already exists", ek))
		}
	}
	if b.given("customer_key") {
		if _, ok := st.findCustomer(b.str("customer_key")); !ok {
			return badRequest(fmt.Sprintf("'customer_key' does not match any customer ('%s')", b.str("customer_key")))
		}
	}
	return nil
}

func (s *Sandbox) createLead(c *call) reply {
	b, e := decodeBody(c.body, leadCreateSchema, s.strict)
	if e != nil {
		return e.reply()
	}
	meta, e := leadMeta(b)
	if e != nil {
		return e.reply()
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	st := s.st
	l := &lead{}
	if e := st.leadRefs(b, l); e != nil {
		return e.reply()
	}
	l.key = newKey(st.rng, pfxLead, st.leadIdx)
	l.created, l.updated = c.now, c.now
	l.externalKey, l.status, l.meta = b.str("external_key"), b.str("status"), meta
	l.amount, l.approved = b.intp("amount"), b.boolp("approved")
	i := st.addLead(l)
	st.version++
	c.applied = true
	return success(view(s, s.leadWire(i), asStrictLead), "Lead Created")
}

func (s *Sandbox) updateLead(c *call) reply {
	b, e := decodeBody(c.body, leadUpdateSchema, s.strict)
	if e != nil {
		return e.reply()
	}
	var meta map[string]any
	if b.has("meta") {
		if meta, e = leadMeta(b); e != nil {
			return e.reply()
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	st := s.st
	i, ok := st.findLead(c.id)
	if !ok {
		return notFound("Lead")
	}
	l := st.leads[i]
	next := *l
	if e := st.leadRefs(b, &next); e != nil {
		return e.reply()
	}
	if b.has("external_key") && b.str("external_key") != l.externalKey {
		delete(st.leadByExt, l.externalKey)
		next.externalKey = b.str("external_key")
		st.leadByExt[next.externalKey] = i
	}
	if b.has("status") {
		next.status = b.str("status")
	}
	if meta != nil {
		next.meta = meta
	}
	if b.has("amount") {
		next.amount = b.intp("amount")
	}
	if b.has("approved") {
		next.approved = b.boolp("approved")
	}
	if b.has("customer_key") {
		next.customerKey = b.strp("customer_key")
	}
	next.updated = c.now
	*l = next
	st.version++
	c.applied = true
	return success(view(s, s.leadWire(i), asStrictLead), "Lead Updated")
}

func (s *Sandbox) archiveLead(c *call) reply {
	s.mu.Lock()
	defer s.mu.Unlock()
	i, ok := s.st.findLead(c.id)
	if !ok {
		return notFound("Lead")
	}
	if l := s.st.leads[i]; !l.archived {
		l.archived, l.updated = true, c.now
		s.st.version++
		c.applied = true
	}
	return okNoData("Lead Archived")
}

// Leads returns a copy of every lead, archived ones included, in creation order.
func (s *Sandbox) Leads() []Lead {
	s.mu.RLock()
	defer s.mu.RUnlock()
	out := make([]Lead, len(s.st.leads))
	for i := range s.st.leads {
		out[i] = s.leadWire(int32(i))
	}
	return out
}
