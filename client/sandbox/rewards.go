package sandbox

import (
	"fmt"
	"slices"
)

func (s *Sandbox) rewardWire(i int32) Reward {
	st := s.st
	r := &st.rewards[i]
	w := Reward{Key: r.key, CreatedAt: r.created, UpdatedAt: r.updated, Amount: r.amount,
		Description: r.description, RewardStatus: rewardStatuses[r.status], Archived: r.archived}
	if r.actix >= 0 {
		a := st.actions[r.actix]
		w.Action = &RewardAction{Key: a.key, Type: a.typ, Value: a.value}
	}
	if r.cust >= 0 {
		c := st.customers[r.cust]
		w.Customer = &RewardCustomer{Key: c.key, Email: c.email, Name: cloneStrp(c.name), ExternalKey: cloneStrp(c.customerKey)}
	}
	if r.part >= 0 {
		p := st.partnerships[r.part]
		g := st.groups[p.group]
		w.Partnership = &RewardPartnership{Key: p.key, Name: partnerName(p), PartnerKey: p.partnerKey,
			Group: RewardGroup{Key: g.key, Name: g.name}}
	}
	if r.txn >= 0 {
		t := &st.txns[r.txn]
		w.Transaction = &RewardTransaction{Key: t.key, Amount: t.amount, Currency: currencies[t.currency].code}
	}
	return w
}

// partnerName is the display name of a partner: full name, else email.
// Inferred: what the reward's partnership.name holds.
func partnerName(p *partnership) string {
	switch {
	case p.firstName != nil && p.lastName != nil:
		return *p.firstName + " " + *p.lastName
	case p.firstName != nil:
		return *p.firstName
	case p.lastName != nil:
		return *p.lastName
	}
	return p.email
}

func (r *reward) pageMeta() itemMeta {
	return itemMeta{key: r.key, created: r.created, updated: r.updated, amount: r.amount, archived: r.archived}
}

// rewardList: Emulator choice: no source documents the vendor list's filters
// (partner-side pages show other names), nor order_by amount.
var rewardList = listSpec[Reward]{
	what:     "reward",
	byAmount: true,
	records: func(st *store) (int, map[string]int32, func(int) itemMeta) {
		return len(st.rewards), st.rewardIdx, func(i int) itemMeta { return st.rewards[i].pageMeta() }
	},
	wire:   func(s *Sandbox) func(int32) Reward { return s.rewardWire },
	strict: asStrictReward,
	filters: []listFilter{
		{param: "partner_key", keep: func(st *store, i int, v string) bool {
			r := &st.rewards[i]
			return r.part >= 0 && st.partnerships[r.part].partnerKey == v
		}},
		{param: "reward_status",
			prepare: func(v string) (string, *apiError) {
				if !slices.Contains(rewardStatuses, v) {
					return "", badRequest("'reward_status' must be one of: hold, pending, approved, declined, paid")
				}
				return v, nil
			},
			keep: func(st *store, i int, v string) bool { return rewardStatuses[st.rewards[i].status] == v }},
		// Emulator choice: the internal key or the external customer_key.
		{param: "customer_key", keep: func(st *store, i int, v string) bool {
			r := &st.rewards[i]
			if r.cust < 0 {
				return false
			}
			cu := st.customers[r.cust]
			return cu.key == v || cu.customerKey != nil && *cu.customerKey == v
		}},
	},
}

var rewardSchema = schema{
	{name: "amount", typ: tInt, required: true, min: 1, max: maxTxnAmount},
	{name: "description", typ: tString, required: true, minLen: 1, maxLen: 255},
	{name: "target", typ: tObject, required: true},
}

// createReward grants a manual reward. target.type is customer, transaction
// or partnership. The typed SDK documents customer and transaction; Inferred:
// a partnership target exists in both profiles (the dashboard grants manual
// rewards to a partner; the issue keeps the {partner_key, ...} form), taking
// a partner_key or a partnership key. A customer target is the external
// customer_key (strict) or also the internal key (default). Emulator choice:
// manual rewards start pending.
func (s *Sandbox) createReward(c *call) reply {
	b, e := decodeBody(c.body, rewardSchema, s.strict)
	if e != nil {
		return e.reply()
	}
	target, _ := b.object("target")
	tt, _ := target["type"].(string)
	tk, _ := target["key"].(string)
	switch {
	case target["type"] == nil:
		return fail(400, "'target.type' is a required property")
	case target["key"] == nil:
		return fail(400, "'target.key' is a required property")
	case tt != "customer" && tt != "transaction" && tt != "partnership":
		return fail(400, "'target.type' must be one of: customer, transaction, partnership")
	case tk == "":
		return fail(400, "'target.key' is not of type 'string'")
	}
	for k := range target {
		if k != "type" && k != "key" {
			return fail(400, fmt.Sprintf("Additional properties are not allowed ('%s' was unexpected)", k))
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	st := s.st
	r := reward{amount: b.int("amount"), description: b.str("description"), status: rsPending,
		txn: -1, cust: -1, part: -1, actix: -1, created: c.now, updated: c.now}
	switch tt {
	case "customer":
		ci, ok := st.customerByKey(tk, s.strict)
		if !ok {
			return fail(400, fmt.Sprintf("'target.key' does not match any customer ('%s')", tk))
		}
		r.cust, r.part = ci, st.customers[ci].part
	case "transaction":
		ti, ok := st.txnIdx[tk]
		if !ok || st.txns[ti].archived {
			return fail(400, fmt.Sprintf("'target.key' does not match any transaction ('%s')", tk))
		}
		r.txn, r.cust = ti, st.txns[ti].cust
		r.part = st.customers[r.cust].part
	case "partnership":
		pi, ok := st.findPartnership(tk, false)
		if !ok {
			return fail(400, fmt.Sprintf("'target.key' does not match any partnership ('%s')", tk))
		}
		r.part = pi
	}
	r.key = newKey(st.rng, pfxReward, st.rewardIdx)
	i := st.addReward(r)
	st.version++
	c.applied = true
	return success(view(s, s.rewardWire(i), asStrictReward), "Reward Created")
}

// Rewards returns a copy of every reward, archived ones included, in creation order.
func (s *Sandbox) Rewards() []Reward {
	s.mu.RLock()
	defer s.mu.RUnlock()
	out := make([]Reward, len(s.st.rewards))
	for i := range s.st.rewards {
		out[i] = s.rewardWire(int32(i))
	}
	return out
}
