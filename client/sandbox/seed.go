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
	sd.applications(opts.Seed, 14)
	sd.catalogue()
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
			isDflt: i == 0, features: d.f, created: t, updated: t, stages: cycleFor(d.name)})
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
