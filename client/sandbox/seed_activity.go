package sandbox

import (
	"fmt"
	"strings"
	"time"
)

// Demo activity: money (transactions, rewards, actions, bonuses), the sales
// pipeline (deals, leads) and webhook subscriptions.

func (sd *seeder) transactions(n int) {
	st := sd.st
	var payers []int32
	for i, c := range st.customers {
		if sd.plans[i].paying && !c.archived {
			payers = append(payers, int32(i))
		}
	}
	// Keys are carved out of one string: two allocations for all keys.
	kb := make([]byte, 0, n*(len(pfxTxn)+15))
	for i := 0; i < n; i++ {
		kb = appendKey(kb, sd.rng, pfxTxn)
	}
	keys := string(kb)
	kl := len(pfxTxn) + 15
	st.txns = make([]txn, 0, n+64)
	st.txnIdx = make(map[string]int32, n+64)
	recent := seedEnd - 14*dayMs
	for i := 0; i < n; i++ {
		ci := payers[sd.pick(len(payers))]
		c, plan := st.customers[ci], sd.plans[ci]
		created := sd.between(c.created, seedEnd)
		t := txn{key: keys[i*kl : (i+1)*kl], created: created, updated: created, cust: ci,
			currency: plan.currency, approved: true, test: c.test,
			product: &planKeys[plan.plan], category: &catSub}
		switch r := sd.pick(100); {
		case r < 3: // refund
			t.amount, t.category = -planPrices[plan.plan], &catRefund
		case r < 13: // extra seats
			t.amount, t.product, t.category = 1500*int64(1+sd.pick(5)), &addonProduct, &catAddon
		default:
			t.amount = planPrices[plan.plan]
		}
		switch sd.pick(7) {
		case 0:
			t.metadata = metaStripe
		case 1:
			t.metadata = metaChargebe
		}
		if created > recent && sd.pick(3) == 0 {
			t.approved = false
		}
		if sd.pick(8) == 0 {
			t.updated = min(created+sd.between(hourMs, 10*dayMs), seedEnd)
		}
		t.amountUSD = toUSD(t.amount, t.currency)
		st.addTxn(t)
	}
	sd.transactionRewards()
}

// transactionRewards pays 20% on every positive non-test transaction, with a
// status that follows the transaction's age.
func (sd *seeder) transactionRewards() {
	st := sd.st
	n := 0
	for i := range st.txns {
		if t := &st.txns[i]; !t.test && t.amountUSD > 0 {
			n++
		}
	}
	kb := make([]byte, 0, n*(len(pfxReward)+15))
	for i := 0; i < n; i++ {
		kb = appendKey(kb, sd.rng, pfxReward)
	}
	keys, kl := string(kb), len(pfxReward)+15
	st.rewards = make([]reward, 0, n+256)
	st.rewardIdx = make(map[string]int32, n+256)
	paidBefore := time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC).UnixMilli()
	approvedBefore := time.Date(2026, 9, 1, 0, 0, 0, 0, time.UTC).UnixMilli()
	desc := fmt.Sprintf("%d%% commission on subscription revenue", rewardRatePercent)
	k := 0
	for i := range st.txns {
		t := &st.txns[i]
		if t.test || t.amountUSD <= 0 {
			continue
		}
		r := reward{key: keys[k*kl : (k+1)*kl], created: min(t.created+60_000, seedEnd), amount: t.amountUSD * rewardRatePercent / 100,
			description: desc, txn: int32(i), cust: t.cust, part: st.customers[t.cust].part, actix: -1}
		k++
		roll := sd.pick(20)
		switch {
		case t.created < paidBefore:
			r.status = rsPaid
			if roll == 0 {
				r.status = rsDeclined
			}
		case t.created < approvedBefore:
			r.status = rsApproved
			if roll < 2 {
				r.status = rsHold
			}
		default:
			r.status = rsPending
			if roll < 3 {
				r.status = rsHold
			}
		}
		r.updated = r.created
		if r.status != rsPending {
			r.updated = min(r.created+sd.between(dayMs, 30*dayMs), seedEnd)
		}
		st.addReward(r)
	}
}

func (sd *seeder) actions(n int) {
	st := sd.st
	for i := 0; i < n; i++ {
		a := &action{key: sd.key(pfxAction, st.actionIdx), typ: actionTypes[sd.pick(len(actionTypes))],
			value: 1, cust: -1}
		if sd.pick(10) < 7 {
			ci := int32(3 + sd.pick(len(st.customers)-3)) // skip the test customers
			c := st.customers[ci]
			a.targetType, a.targetKey, a.cust, a.part = "customer", *c.customerKey, ci, c.part
			a.created = sd.between(c.created, seedEnd)
		} else {
			pi := int32(1 + sd.pick(len(st.partnerships)-1))
			p := st.partnerships[pi]
			a.targetType, a.targetKey, a.part = "partnership", p.partnerKey, pi
			a.created = sd.between(p.created, seedEnd)
		}
		if a.typ == "integration_connected" {
			a.value = int64(1 + sd.pick(3))
		}
		if sd.pick(5) == 0 {
			a.externalKey = strp(fmt.Sprintf("evt_%05d", 10000+i))
		}
		a.updated = a.created
		a.archived = i%25 == 24
		ai := st.addAction(a)
		if a.typ == "demo_booked" {
			status := rsApproved
			if a.created > seedEnd-45*dayMs {
				status = rsPending
			}
			t := min(a.created+60_000, seedEnd)
			st.addReward(reward{key: sd.key(pfxReward, st.rewardIdx), created: t, updated: t,
				amount: 5000, description: "Demo booked bonus", status: status, archived: a.archived,
				txn: -1, cust: a.cust, part: a.part, actix: ai})
		}
	}
}

// bonuses are manual partnership-level rewards.
func (sd *seeder) bonuses(n int) {
	st := sd.st
	for i := 0; i < n; i++ {
		pi := int32(1 + sd.pick(len(st.partnerships)-1))
		t := sd.between(st.partnerships[pi].created, seedEnd)
		status := []rewardStatus{rsPaid, rsApproved, rsDeclined, rsHold, rsPending, rsPaid}[i%6]
		st.addReward(reward{key: sd.key(pfxReward, st.rewardIdx), created: t, updated: t,
			amount: 25000, description: "Quarterly performance bonus", status: status,
			txn: -1, cust: -1, part: pi, actix: -1})
	}
}

func (sd *seeder) deals(n int) {
	st := sd.st
	for i := 0; i < n; i++ {
		name, _ := sd.company()
		first, last := firstNames[sd.pick(len(firstNames))], lastNames[sd.pick(len(lastNames))]
		d := &deal{key: sd.key(pfxDeal, st.dealIdx), accountName: strp(name), contactFirst: strp(first), contactLast: strp(last),
			externalKey: strp(fmt.Sprintf("crm-opp-%05d", 20000+i*7)), stage: dealStages[sd.pick(len(dealStages))],
			source: "partner", part: -1, group: -1}
		if sd.pick(5) == 0 {
			d.source = "vendor"
			d.group = int32(sd.pick(len(st.groups)))
			d.created = sd.between(seedStart+dayMs, seedEnd-10*dayMs)
		} else {
			pi := int32(1 + sd.pick(len(st.partnerships)-1))
			d.part, d.group = pi, st.partnerships[pi].group
			d.created = sd.between(st.partnerships[pi].created, seedEnd-10*dayMs)
		}
		amount := int64(500_000 + sd.pick(46)*100_000)
		d.amount = &amount
		cd := time.UnixMilli(d.created + sd.between(14*dayMs, 120*dayMs)).UTC().Format("2006-01-02")
		d.closeDate = &cd
		switch d.stage {
		case "closed lost":
			d.lostReason = strp(lostReasons[sd.pick(len(lostReasons))])
		case "closed won":
			if d.part >= 0 {
				for _, c := range st.customers {
					if c.part == d.part && !c.archived && !c.test {
						d.customerKey = strp(*c.customerKey)
						break
					}
				}
			}
		}
		d.updated = sd.between(d.created, seedEnd)
		d.archived = i%20 == 19
		st.addDeal(d)
	}
}

func (sd *seeder) leads(n int) {
	st := sd.st
	for i := 0; i < n; i++ {
		pi := int32(1 + sd.pick(len(st.partnerships)-1))
		p := st.partnerships[pi]
		first, last := firstNames[sd.pick(len(firstNames))], lastNames[sd.pick(len(lastNames))]
		name, domain := sd.company()
		l := &lead{key: sd.key(pfxLead, st.leadIdx),
			externalKey: fmt.Sprintf("%s.%s.%d@%s", strings.ToLower(first), strings.ToLower(last), i, domain),
			part:        pi, groupKey: strp(st.groups[p.group].key), status: leadStatuses[sd.pick(len(leadStatuses))],
			meta: map[string]any{"first_name": first, "last_name": last, "company_name": name}}
		l.created = sd.between(p.created, seedEnd)
		l.updated = sd.between(l.created, seedEnd)
		if sd.pick(2) == 0 {
			amount := int64(100_000 + sd.pick(20)*50_000)
			l.amount = &amount
		}
		if l.status == "closed won" {
			l.approved = new(bool)
			*l.approved = true
		}
		l.archived = i%25 == 24
		st.addLead(l)
	}
}

func (sd *seeder) webhooks() {
	st := sd.st
	defs := []struct {
		target string
		events []string
	}{
		{"https://hooks.northbeam.example/partnerstack/partners", []string{"partnership.created", "partnership.updated"}},
		{"https://hooks.northbeam.example/partnerstack/customers", []string{"customer.created", "customer.updated", "customer.deleted"}},
		{"https://crm.northbeam.example/webhooks/partnerstack", []string{"deal.created", "deal.updated", "lead.created", "lead.updated"}},
	}
	for i, d := range defs {
		t := seedStart + int64(i+2)*dayMs
		st.addWebhook(&webhook{key: sd.key(pfxWebhook, st.webhookIdx), target: d.target, events: d.events, created: t, updated: t})
	}
}
