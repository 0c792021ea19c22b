package sandbox

import (
	"fmt"
	"time"
)

func (s *Sandbox) dealWire(i int32) Deal {
	st := s.st
	d := st.deals[i]
	w := Deal{
		Key: d.key, CreatedAt: d.created, UpdatedAt: d.updated, AccountName: cloneStrp(d.accountName),
		Amount: cloneInt64p(d.amount), CloseDate: cloneStrp(d.closeDate), ContactFirstName: cloneStrp(d.contactFirst),
		ContactLastName: cloneStrp(d.contactLast), CustomerKey: cloneStrp(d.customerKey), ExternalKey: cloneStrp(d.externalKey),
		LostReason: cloneStrp(d.lostReason), Source: d.source, Stage: d.stage, Archived: d.archived,
	}
	if d.part >= 0 {
		w.PartnerKey = strp(st.partnerships[d.part].partnerKey)
	}
	if d.group >= 0 {
		w.GroupKey = strp(st.groups[d.group].key)
	}
	return w
}

func (d *deal) pageMeta() itemMeta {
	var amount int64
	if d.amount != nil {
		amount = *d.amount
	}
	return itemMeta{key: d.key, created: d.created, updated: d.updated, amount: amount, archived: d.archived}
}

// dealList: partner_key and group are documented (Fern); group_key and stage
// are Emulator choice conveniences.
var dealList = listSpec[Deal]{
	what: "deal",
	records: func(st *store) (int, map[string]int32, func(int) itemMeta) {
		return len(st.deals), st.dealIdx, func(i int) itemMeta { return st.deals[i].pageMeta() }
	},
	wire:           func(s *Sandbox) func(int32) Deal { return s.dealWire },
	strict:         asStrictDeal,
	strictArchived: true,
	noOrderBy:      true,
	filters: []listFilter{
		{param: "partner_key", documented: true, keep: func(st *store, i int, v string) bool {
			d := st.deals[i]
			return d.part >= 0 && st.partnerships[d.part].partnerKey == v
		}},
		{param: "group", documented: true, prepare: func(v string) (string, *apiError) { return stripName(v), nil },
			keep: func(st *store, i int, v string) bool {
				d := st.deals[i]
				return d.group >= 0 && stripName(st.groups[d.group].name) == v
			}},
		{param: "group_key", keep: func(st *store, i int, v string) bool {
			d := st.deals[i]
			return d.group >= 0 && st.groups[d.group].key == v
		}},
		{param: "stage", keep: func(st *store, i int, v string) bool { return st.deals[i].stage == v }},
	},
}

// getDeal resolves {deal_key} as key, then external_key. Emulator choice:
// archived deals stay readable (archived:true).
func (s *Sandbox) getDeal(c *call) reply {
	s.mu.RLock()
	defer s.mu.RUnlock()
	i, ok := s.st.findDeal(c.id)
	if !ok {
		return notFound("Deal")
	}
	return success(view(s, s.dealWire(i), asStrictDeal), "Deal returned successfully")
}

var dealSchema = schema{
	{name: "account_name", typ: tString, nullable: true, maxLen: 255},
	{name: "amount", typ: tInt, nullable: true, min: 0, max: 2147483647},
	{name: "close_date", typ: tString, nullable: true},
	{name: "contact_first_name", typ: tString, nullable: true, maxLen: 255},
	{name: "contact_last_name", typ: tString, nullable: true, maxLen: 255},
	{name: "customer_key", typ: tString, nullable: true, maxLen: 255},
	{name: "external_key", typ: tString, nullable: true, minLen: 1, maxLen: 255},
	{name: "group_key", typ: tString, nullable: true, maxLen: 255},
	{name: "partner_key", typ: tString, nullable: true, maxLen: 255},
	{name: "lost_reason", typ: tString, nullable: true, maxLen: 255},
	{name: "source", typ: tString, enum: []string{"partner", "vendor"}},
	{name: "stage", typ: tString, maxLen: 255}, // one of the deal's group's stages (checkStage)
	// Emulator choice: accepted, not modelled (form templates and custom fields).
	{name: "mold_key", typ: tString, nullable: true, maxLen: 255},
	{name: "fields", typ: tArray, nullable: true},
	{name: "field_data", typ: tObject, nullable: true},
	{name: "meta", typ: tObject, nullable: true},
}

// dealRefs checks the cross-references shared by create and update.
func (st *store) dealRefs(b body, d *deal) *apiError {
	if b.given("close_date") {
		if _, err := time.Parse("2006-01-02", b.str("close_date")); err != nil {
			return badRequest("'close_date' must be a date in YYYY-MM-DD format")
		}
	}
	if b.given("partner_key") {
		pk := b.str("partner_key")
		pi, ok := st.partByPK[pk]
		if !ok {
			return badRequest(fmt.Sprintf("'partner_key' does not match any partnership ('%s')", pk))
		}
		d.part, d.group = pi, st.partnerships[pi].group
	}
	if b.given("group_key") {
		gi, e := st.groupFor(b)
		if e != nil {
			return e
		}
		d.group = gi
	}
	if b.given("customer_key") {
		if _, ok := st.findCustomer(b.str("customer_key")); !ok {
			return badRequest(fmt.Sprintf("'customer_key' does not match any customer ('%s')", b.str("customer_key")))
		}
	}
	if b.given("external_key") {
		ek := b.str("external_key")
		if j, taken := st.dealByExt[ek]; taken && (d.key == "" || st.deals[j] != nil && st.deals[j].key != d.key) {
			// Emulator choice: external keys are unique across deals.
			return badRequest(fmt.Sprintf("a deal with external_key '%s' already exists", ek))
		}
	}
	return nil
}

// applyDealFields copies the plain fields present in b onto d.
func applyDealFields(b body, d *deal) {
	for k, dst := range map[string]**string{"account_name": &d.accountName, "close_date": &d.closeDate,
		"contact_first_name": &d.contactFirst, "contact_last_name": &d.contactLast,
		"customer_key": &d.customerKey, "lost_reason": &d.lostReason} {
		if b.has(k) {
			*dst = b.strp(k)
		}
	}
	if b.has("amount") {
		d.amount = b.intp("amount")
	}
	if b.has("stage") {
		d.stage = b.str("stage")
	}
}

func (s *Sandbox) createDeal(c *call) reply {
	b, e := decodeBody(c.body, dealSchema, s.strict)
	if e != nil {
		return e.reply()
	}
	source := "partner"
	if b.given("source") {
		source = b.str("source")
	}
	// partner_key is required for partner-sourced deals, group_key for vendor-sourced ones.
	if source == "partner" && !b.given("partner_key") {
		return fail(400, "'partner_key' is a required property")
	}
	if source == "vendor" && !b.given("group_key") && !b.given("partner_key") {
		return fail(400, "'group_key' is a required property")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	st := s.st
	d := &deal{part: -1, group: -1, source: source}
	if e := st.dealRefs(b, d); e != nil {
		return e.reply()
	}
	if d.group >= 0 {
		d.stage = st.groups[d.group].stages[0].apiName // Emulator choice: a new deal starts in the group's first stage
	}
	applyDealFields(b, d)
	if e := st.checkStage(d); e != nil {
		return e.reply()
	}
	d.externalKey = b.strp("external_key")
	d.key = newKey(st.rng, pfxDeal, st.dealIdx)
	d.created, d.updated = c.now, c.now
	i := st.addDeal(d)
	st.version++
	c.applied = true
	return success(view(s, s.dealWire(i), asStrictDeal), "Deal Created")
}

func (s *Sandbox) updateDeal(c *call) reply {
	b, e := decodeBody(c.body, dealSchema, s.strict)
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
	next := *d
	if e := st.dealRefs(b, &next); e != nil {
		return e.reply()
	}
	applyDealFields(b, &next)
	if b.has("stage") {
		if e := st.checkStage(&next); e != nil {
			return e.reply()
		}
	}
	if b.has("source") {
		next.source = b.str("source")
	}
	if b.has("external_key") {
		if d.externalKey != nil {
			delete(st.dealByExt, *d.externalKey)
		}
		next.externalKey = b.strp("external_key")
		if next.externalKey != nil {
			st.dealByExt[*next.externalKey] = i
		}
	}
	next.updated = c.now
	*d = next
	st.version++
	c.applied = true
	return success(view(s, s.dealWire(i), asStrictDeal), "Deal Updated")
}

func (s *Sandbox) archiveDeal(c *call) reply {
	s.mu.Lock()
	defer s.mu.Unlock()
	i, ok := s.st.findDeal(c.id)
	if !ok {
		return notFound("Deal")
	}
	if d := s.st.deals[i]; !d.archived {
		d.archived, d.updated = true, c.now
		s.st.version++
		c.applied = true
	}
	return okNoData("Deal Archived")
}

// Deals returns a copy of every deal, archived ones included, in creation order.
func (s *Sandbox) Deals() []Deal {
	s.mu.RLock()
	defer s.mu.RUnlock()
	out := make([]Deal, len(s.st.deals))
	for i := range s.st.deals {
		out[i] = s.dealWire(int32(i))
	}
	return out
}
