package sandbox

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"time"
)

// Demo data: a believable B2B SaaS partner program ("Northbeam Analytics"),
// generated deterministically from the seed. All timestamps fall within
// 2026-01-01..2026-11-01 UTC and never depend on the wall clock.

var (
	seedStart = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC).UnixMilli()
	seedEnd   = time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC).UnixMilli()
)

const (
	hourMs = int64(time.Hour / time.Millisecond)
	dayMs  = 24 * hourMs
)

var (
	firstNames = []string{"Ava", "Liam", "Maya", "Noah", "Zoe", "Ethan", "Chloe", "Lucas", "Aria", "Mason",
		"Isla", "Leo", "Nora", "Owen", "Ruby", "Felix", "Hana", "Diego", "Priya", "Jonas",
		"Elena", "Marco", "Sofia", "Kenji", "Amara", "Tobias", "Lena", "Rafael", "Ines", "Omar"}
	lastNames = []string{"Patel", "Nguyen", "Garcia", "Kim", "Schmidt", "Rossi", "Okafor", "Silva", "Larsen", "Dubois",
		"Cohen", "Tanaka", "Murphy", "Novak", "Haddad", "Kowalski", "Fischer", "Moreau", "Singh", "Reyes",
		"Berg", "Costa", "Walsh", "Ahmed", "Lindqvist", "Brennan", "Ito", "Varga", "Mendes", "Clarke"}
	companyA = []string{"Bright", "Blue", "Quantum", "Northwind", "Silver", "Rapid", "Clever", "Summit", "Pixel",
		"Harbor", "Atlas", "Nimbus", "Cedar", "Orbit", "Lumen", "Copper", "Maple", "Vertex", "Granite", "Coral"}
	companyB = []string{"Labs", "Works", "Systems", "Studio", "Analytics", "Cloud", "Logistics", "Health",
		"Foods", "Media", "Robotics", "Finance", "Digital", "Ventures"}
	tlds         = []string{"com", "io", "co", "dev", "app"}
	partnerTags  = []string{"newsletter", "youtube", "podcast", "agency", "top-performer", "emea", "north-america", "apac", "b2b", "saas"}
	countries    = []string{"US", "CA", "GB", "DE", "FR", "AU", "NL", "ES", "SE", "BR"}
	managers     = [][2]string{{"Grace Holloway", "grace@northbeam.example"}, {"Sam Ortiz", "sam@northbeam.example"}}
	actionTypes  = []string{"demo_booked", "trial_started", "webinar_attended", "integration_connected"}
	lostReasons  = []string{"Went with a competitor", "No budget this year", "Project cancelled", "Unresponsive"}
	planKeys     = []string{"northbeam-starter", "northbeam-growth", "northbeam-pro", "northbeam-enterprise"}
	planPrices   = []int64{2900, 7900, 19900, 99900}
	addonProduct = "northbeam-seats"
	catSub       = "subscription"
	catAddon     = "addon"
	catRefund    = "refund"
	metaStripe   = map[string]any{"billing_provider": "stripe"}
	metaChargebe = map[string]any{"billing_provider": "chargebee"}
)

// seeder carries the RNG and the store being filled.
type seeder struct {
	rng   *rand.Rand
	st    *store
	plans []customerPlan // indexed like st.customers
}

func (sd *seeder) pick(n int) int { return sd.rng.IntN(n) }

// between draws a time uniformly in [lo, hi).
func (sd *seeder) between(lo, hi int64) int64 {
	if hi <= lo {
		return lo
	}
	return lo + sd.rng.Int64N(hi-lo)
}

func (sd *seeder) key(prefix string, idx map[string]int32) string { return newKey(sd.rng, prefix, idx) }

func seed(opts Options) *store {
	st := newStore(opts.Seed)
	sd := &seeder{rng: rand.New(rand.NewPCG(uint64(opts.Seed), 0x64656d6f)), st: st}
	st.company = CompanyRef{Key: sd.key(pfxCompany, nil), Name: "Northbeam Analytics"}
	sd.groups(opts.Empty)
	sd.gstest()
	if opts.Empty {
		return st
	}
	sd.partnerships(40)
	sd.customers(150)
	sd.transactions(opts.Transactions)
	sd.actions(80)
	sd.bonuses(6)
	sd.deals(60)
	sd.leads(50)
	sd.webhooks()
	return st
}

func (sd *seeder) groups(empty bool) {
	defs := []struct {
		name string
		f    GroupFeatures
	}{
		{"Affiliates", GroupFeatures{ApplicationEnabled: true}},
		{"Referral Partners", GroupFeatures{ApplicationEnabled: true, LeadsEnabled: true}},
		{"Resellers", GroupFeatures{DealsEnabled: true, DealsSalesforce: true, LeadsEnabled: true}},
		{"Agencies", GroupFeatures{DealsEnabled: true, LeadsEnabled: true, DisableLinkCreate: true}},
	}
	if empty {
		defs = defs[:1]
	}
	for i, d := range defs {
		t := seedStart + int64(i)*hourMs
		sd.st.addGroup(&group{key: sd.key(pfxGroup, sd.st.groupIdx), name: d.name, slug: slugify(d.name),
			isDflt: i == 0, features: d.f, created: t, updated: t})
	}
}

func slugify(s string) string { return strings.ReplaceAll(strings.ToLower(s), " ", "-") }

// gstest is the built-in test partner every account has.
func (sd *seeder) gstest() {
	st := sd.st
	t := seedStart
	st.addPartnership(&partnership{
		key: sd.key(pfxPart, st.partIdx), created: t, updated: t,
		email: "gstest@partnerstack.com", firstName: strp("Test"), lastName: strp("Partner"), // Emulator choice: gstest's name and email
		partnerKey: "gstest", joinedAt: t, test: true, group: 0,
		team: Team{Key: sd.key(pfxTeam, nil), Name: "PartnerStack Test", CreatedAt: t, UpdatedAt: t},
		tags: []string{},
	})
}

func (sd *seeder) company() (name, domain string) {
	a, b := companyA[sd.pick(len(companyA))], companyB[sd.pick(len(companyB))]
	return a + " " + b, strings.ToLower(a+b) + "." + tlds[sd.pick(len(tlds))]
}

func (sd *seeder) partnerships(n int) {
	st := sd.st
	groupWeights := []int{0, 0, 0, 0, 1, 1, 1, 2, 2, 3} // Affiliates 40%, Referral 30%, Resellers 20%, Agencies 10%
	perm := sd.rng.Perm(len(firstNames) * len(lastNames))
	for i := 0; i < n; i++ {
		first, last := firstNames[perm[i]%len(firstNames)], lastNames[perm[i]/len(firstNames)]
		team, domain := sd.company()
		created := sd.between(seedStart+dayMs, seedStart+120*dayMs)
		p := &partnership{
			key: sd.key(pfxPart, st.partIdx), created: created, updated: created,
			email: strings.ToLower(first+"."+last) + "@" + domain, firstName: strp(first), lastName: strp(last),
			partnerKey: st.uniquePartnerKey(strp(first), strp(last), ""),
			group:      int32(groupWeights[sd.pick(len(groupWeights))] % len(st.groups)),
			team:       Team{Key: sd.key(pfxTeam, nil), Name: team, CreatedAt: created, UpdatedAt: created},
			tags:       []string{},
		}
		if sd.pick(10) > 0 { // 10% never claimed their account
			p.joinedAt = created + sd.between(hourMs, 72*hourMs)
		}
		for _, t := range sd.rng.Perm(len(partnerTags))[:sd.pick(4)] {
			p.tags = append(p.tags, partnerTags[t])
		}
		if sd.pick(2) == 0 {
			m := managers[sd.pick(len(managers))]
			p.managerName, p.managerEmail = strp(m[0]), strp(m[1])
		}
		p.fields = []Field{
			{APIName: "country", Name: "Country", Value: countries[sd.pick(len(countries))]},
			{APIName: "website", Name: "Website", Value: "https://" + domain},
		}
		if sd.pick(4) == 0 {
			p.updated = sd.between(created, seedEnd)
		}
		st.addPartnership(p)
	}
	// Two partners left the program.
	for _, i := range []int{len(st.partnerships) - 3, len(st.partnerships) - 7} {
		p := st.partnerships[i]
		p.archived, p.updated = true, sd.between(p.created, seedEnd)
	}
}

// customerPlan is per-customer seeding state not kept in the store.
type customerPlan struct {
	plan     int
	currency uint8
	paying   bool
}

func (sd *seeder) customers(n int) {
	st := sd.st
	currencyWeights := []string{"USD", "USD", "USD", "USD", "USD", "USD", "EUR", "EUR", "GBP", "CAD", "AUD"}
	var active []int32
	for i, p := range st.partnerships {
		if !p.archived && !p.test {
			active = append(active, int32(i))
		}
	}
	seen := map[string]bool{}
	plans := make([]customerPlan, 0, n+3)
	// Three test customers under gstest.
	for i := 1; i <= 3; i++ {
		t := seedStart + int64(i)*dayMs
		st.addCustomer(&customer{key: sd.key(pfxCust, st.custIdx), created: t, updated: t,
			customerKey: strp(fmt.Sprintf("test-customer-%d", i)), email: fmt.Sprintf("test+%d@northbeam.example", i),
			name: strp(fmt.Sprintf("Test Customer %d", i)), part: 0, test: true})
		plans = append(plans, customerPlan{plan: 0, paying: true})
	}
	for i := 0; i < n; i++ {
		name, domain := sd.company()
		dot := strings.LastIndex(domain, ".")
		for k, orig := 2, domain; seen[domain]; k++ {
			domain = fmt.Sprintf("%s%d%s", orig[:dot], k, orig[dot:])
		}
		seen[domain] = true
		pi := active[sd.pick(len(active))]
		p := st.partnerships[pi]
		created := sd.between(p.created+dayMs, seedEnd-30*dayMs)
		c := &customer{key: sd.key(pfxCust, st.custIdx), created: created, updated: created,
			customerKey: strp(domain), email: "billing@" + domain, name: strp(name), part: pi}
		if sd.pick(10) < 7 {
			c.providerKey = strp("cb_" + sd.key("", nil)[1:])
		}
		plan := sd.pick(len(planKeys))
		c.fields = []Field{
			{APIName: "company_name", Name: "Company Name", Value: name},
			{APIName: "website", Name: "Website", Value: "https://" + domain},
			{APIName: "plan", Name: "Plan", Value: planKeys[plan]},
		}
		cur, _ := currencyIndex(currencyWeights[sd.pick(len(currencyWeights))])
		plans = append(plans, customerPlan{plan: plan, currency: cur, paying: sd.pick(5) > 0})
		st.addCustomer(c)
	}
	// A few customers were deleted.
	for _, i := range []int{10, 50, 100} {
		if i < len(st.customers) {
			c := st.customers[i]
			c.archived, c.updated = true, sd.between(c.created, seedEnd)
			delete(st.custByExt, *c.customerKey)
		}
	}
	sd.plans = plans
}

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
