package sandbox

import "fmt"

func (s *Sandbox) actionWire(i int32) Action {
	st := s.st
	a := st.actions[i]
	w := Action{Key: a.key, CreatedAt: a.created, UpdatedAt: a.updated, Archived: a.archived,
		Company: st.company, PartnershipKey: st.partnerships[a.part].key, Type: a.typ, Value: a.value}
	if a.cust >= 0 {
		w.Customer = &ActionCustomer{Key: st.customers[a.cust].key, SubIDs: []string{}}
	}
	return w
}

func (a *action) record() ActionRecord {
	return ActionRecord{Key: a.key, CreatedAt: a.created, UpdatedAt: a.updated, ExternalKey: cloneStrp(a.externalKey),
		TargetKey: a.targetKey, TargetType: a.targetType, Type: a.typ, Value: a.value}
}

func (a *action) pageMeta() itemMeta {
	return itemMeta{key: a.key, created: a.created, updated: a.updated, amount: a.value, archived: a.archived}
}

// actionList: both filters are documented (Fern).
var actionList = listSpec[Action]{
	what: "action",
	records: func(st *store) (int, map[string]int32, func(int) itemMeta) {
		return len(st.actions), st.actionIdx, func(i int) itemMeta { return st.actions[i].pageMeta() }
	},
	wire: func(s *Sandbox) func(int32) Action { return s.actionWire },
	filters: []listFilter{
		{param: "partnership_key", documented: true, keep: func(st *store, i int, v string) bool {
			return st.partnerships[st.actions[i].part].key == v
		}},
		{param: "action_type", documented: true, keep: func(st *store, i int, v string) bool { return st.actions[i].typ == v }},
	},
}

var actionSchema = schema{
	{name: "target_type", typ: tString, required: true, enum: []string{"partnership", "customer"}},
	{name: "target_key", typ: tString, required: true, minLen: 1, maxLen: 255},
	{name: "type", typ: tString, required: true, minLen: 1, maxLen: 255},
	{name: "value", typ: tInt, required: true, min: 1, max: maxInt},
	{name: "external_key", typ: tString, nullable: true, maxLen: 255},
}

// recordAction records an action. target_key is the partner_key for
// partnerships and the customer's external key (Emulator choice: or its
// internal key) for customers. Emulator choice: no reward triggers are
// configured, so recording creates no reward.
func (s *Sandbox) recordAction(c *call) reply {
	b, e := decodeBody(c.body, actionSchema, s.strict)
	if e != nil {
		return e.reply()
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	st := s.st
	a := &action{targetType: b.str("target_type"), targetKey: b.str("target_key"), typ: b.str("type"),
		value: b.int("value"), externalKey: b.strp("external_key"), cust: -1}
	if a.targetType == "partnership" {
		pi, ok := st.partByPK[a.targetKey]
		if !ok {
			return fail(400, fmt.Sprintf("'target_key' does not match any partner_key ('%s')", a.targetKey))
		}
		a.part = pi
	} else {
		ci, ok := st.customerByKey(a.targetKey, s.strict)
		if !ok {
			return fail(400, fmt.Sprintf("'target_key' does not match any customer ('%s')", a.targetKey))
		}
		a.cust, a.part = ci, st.customers[ci].part
	}
	a.key = newKey(st.rng, pfxAction, st.actionIdx)
	a.created, a.updated = c.now, c.now
	st.addAction(a)
	st.version++
	c.applied = true
	return success(a.record(), "Action Recorded")
}

// archiveAction archives the action and its rewards.
func (s *Sandbox) archiveAction(c *call) reply {
	s.mu.Lock()
	defer s.mu.Unlock()
	st := s.st
	i, ok := st.actionIdx[c.id]
	if !ok {
		return notFound("Action")
	}
	if a := st.actions[i]; !a.archived {
		a.archived, a.updated = true, c.now
		for j := range st.rewards {
			if r := &st.rewards[j]; r.actix == i && !r.archived {
				r.archived, r.updated = true, c.now
			}
		}
		st.version++
		c.applied = true
	}
	return okNoData("Action Archived")
}

// Actions returns a copy of every action (list-item shape), archived ones
// included, in creation order.
func (s *Sandbox) Actions() []Action {
	s.mu.RLock()
	defer s.mu.RUnlock()
	out := make([]Action, len(s.st.actions))
	for i := range s.st.actions {
		out[i] = s.actionWire(int32(i))
	}
	return out
}
