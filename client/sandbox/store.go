package sandbox

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"sync"
)

// The store keeps compact records and renders wire structs per request, so
// 100k seeded transactions stay small. Records refer to each other by slice
// index (int32, -1 = none); nothing is ever removed, only archived.

type group struct {
	key, name, slug  string
	archived, isDflt bool
	features         GroupFeatures
	created, updated int64
	stages           []dealStage // its deal cycle (salescycles.go); never empty
}

type partnership struct {
	key                       string
	created, updated          int64
	email                     string
	firstName, lastName       *string
	partnerKey                string
	joinedAt                  int64 // 0 = not joined (null)
	archived, test            bool
	group                     int32
	tier                      string // tier key; "" = none
	team                      Team
	managerEmail, managerName *string
	tags                      []string
	fields                    []Field
}

type customer struct {
	key              string
	created, updated int64
	customerKey      *string
	email            string
	name             *string
	part             int32
	providerKey      *string
	test, archived   bool
	fields           []Field
}

type txn struct {
	key               string
	created, updated  int64
	amount, amountUSD int64
	cust              int32
	currency          uint8 // index into currencies
	approved          bool
	archived          bool
	test              bool
	product, category *string
	metadata          map[string]any // shared by seeded records; never mutated
}

type rewardStatus uint8

const (
	rsHold rewardStatus = iota
	rsPending
	rsApproved
	rsDeclined
	rsPaid
)

var rewardStatuses = []string{"hold", "pending", "approved", "declined", "paid"}

type reward struct {
	key                    string
	created, updated       int64
	amount                 int64
	description            string
	status                 rewardStatus
	archived               bool
	txn, cust, part, actix int32
}

type deal struct {
	key              string
	created, updated int64
	accountName      *string
	amount           *int64
	closeDate        *string
	contactFirst     *string
	contactLast      *string
	customerKey      *string
	externalKey      *string
	lostReason       *string
	part, group      int32
	source, stage    string
	archived         bool
}

type lead struct {
	key              string
	created, updated int64
	externalKey      string
	part             int32
	groupKey         *string
	status           string
	amount           *int64
	approved         *bool
	meta             map[string]any
	customerKey      *string
	archived         bool
}

type action struct {
	key                   string
	created, updated      int64
	externalKey           *string
	targetType, targetKey string
	typ                   string
	value                 int64
	part, cust            int32
	archived              bool
}

type webhook struct {
	key              string
	target           string
	events           []string
	archived         bool
	created, updated int64
}

type store struct {
	rng     *rand.Rand // keys of new writes
	version uint64     // bumped on every write; invalidates the stats cache
	company CompanyRef

	groups       []*group
	partnerships []*partnership
	customers    []*customer
	txns         []txn
	rewards      []reward
	deals        []*deal
	leads        []*lead
	actions      []*action
	webhooks     []*webhook
	applications []*application
	catalog      // tiers, product book, reports (catalog.go)

	groupIdx, partIdx, custIdx, txnIdx, rewardIdx map[string]int32
	dealIdx, leadIdx, actionIdx, webhookIdx       map[string]int32
	applicationIdx                                map[string]int32
	partByPK                                      map[string]int32
	custByExt                                     map[string]int32 // non-archived customers only
	dealByExt, leadByExt                          map[string]int32

	// orders caches list orders (list.go). Lists run under the sandbox's
	// read lock, concurrently, so the cache has a lock of its own.
	ordersMu sync.Mutex
	orders   map[orderKey]sortedOrder
}

func newStore(seed int64) *store {
	return &store{
		rng:            rand.New(rand.NewPCG(uint64(seed), 0x6b657973)),
		groupIdx:       map[string]int32{},
		partIdx:        map[string]int32{},
		custIdx:        map[string]int32{},
		txnIdx:         map[string]int32{},
		rewardIdx:      map[string]int32{},
		dealIdx:        map[string]int32{},
		leadIdx:        map[string]int32{},
		actionIdx:      map[string]int32{},
		webhookIdx:     map[string]int32{},
		applicationIdx: map[string]int32{},
		partByPK:       map[string]int32{},
		custByExt:      map[string]int32{},
		dealByExt:      map[string]int32{},
		leadByExt:      map[string]int32{},
	}
}

// ---- lookups (caller holds s.mu) ----

// findPartnership resolves a partnership by key, partner_key or (when
// byEmail) email, case-insensitively for email.
func (st *store) findPartnership(id string, byEmail bool) (int32, bool) {
	if i, ok := st.partIdx[id]; ok {
		return i, true
	}
	if i, ok := st.partByPK[id]; ok {
		return i, true
	}
	if byEmail && strings.Contains(id, "@") {
		found := int32(-1)
		for i, p := range st.partnerships {
			if strings.EqualFold(p.email, id) {
				if !p.archived {
					return int32(i), true
				}
				if found < 0 {
					found = int32(i)
				}
			}
		}
		return found, found >= 0
	}
	return -1, false
}

// findCustomer resolves a non-archived customer by external customer_key
// first, then by internal key.
func (st *store) findCustomer(id string) (int32, bool) {
	if i, ok := st.custByExt[id]; ok {
		return i, true
	}
	if i, ok := st.custIdx[id]; ok && !st.customers[i].archived {
		return i, true
	}
	return -1, false
}

// customerByKey resolves a customer named by a caller: the path of
// /v2/customers/{customer_key}, an action's or a reward's target key. The
// documented identifier is the external customer_key; the default profile
// also takes the internal cus_ key, strict does not.
func (st *store) customerByKey(id string, strict bool) (int32, bool) {
	if strict {
		i, ok := st.custByExt[id]
		return i, ok
	}
	return st.findCustomer(id)
}

// partnershipByID resolves the {unique_identifier} of GET
// /v2/partnerships: the partner_key (seen live) or the key; the default
// profile also takes an email, strict does not.
func (st *store) partnershipByID(id string, strict bool) (int32, bool) {
	return st.findPartnership(id, !strict)
}

// partnershipByKey resolves the {partnership_key} of PATCH and DELETE
// /v2/partnerships: strict takes only the key the path names, the default
// profile also the partner_key.
func (st *store) partnershipByKey(id string, strict bool) (int32, bool) {
	if strict {
		i, ok := st.partIdx[id]
		return i, ok
	}
	return st.findPartnership(id, false)
}

func (st *store) findCustomerByEmail(email string) (int32, bool) {
	for i, c := range st.customers {
		if !c.archived && strings.EqualFold(c.email, email) {
			return int32(i), true
		}
	}
	return -1, false
}

func (st *store) findDeal(id string) (int32, bool) {
	if i, ok := st.dealIdx[id]; ok {
		return i, true
	}
	i, ok := st.dealByExt[id]
	return i, ok
}

func (st *store) findLead(id string) (int32, bool) {
	if i, ok := st.leadIdx[id]; ok {
		return i, true
	}
	i, ok := st.leadByExt[id]
	return i, ok
}

// groupFor resolves body.group_key, or the default group when absent.
func (st *store) groupFor(b body) (int32, *apiError) {
	if !b.given("group_key") {
		for i, g := range st.groups {
			if g.isDflt {
				return int32(i), nil
			}
		}
		return 0, nil
	}
	gk := b.str("group_key")
	gi, ok := st.groupIdx[gk]
	if !ok || st.groups[gi].archived {
		return 0, badRequest(fmt.Sprintf("'group_key' does not match any group ('%s')", gk))
	}
	return gi, nil
}

// ---- adders keep the indexes in step ----

func (st *store) addGroup(g *group) int32 {
	i := int32(len(st.groups))
	st.groups = append(st.groups, g)
	st.groupIdx[g.key] = i
	return i
}

func (st *store) addPartnership(p *partnership) int32 {
	i := int32(len(st.partnerships))
	st.partnerships = append(st.partnerships, p)
	st.partIdx[p.key] = i
	st.partByPK[p.partnerKey] = i
	return i
}

func (st *store) addCustomer(c *customer) int32 {
	i := int32(len(st.customers))
	st.customers = append(st.customers, c)
	st.custIdx[c.key] = i
	if c.customerKey != nil && !c.archived {
		st.custByExt[*c.customerKey] = i
	}
	return i
}

func (st *store) addTxn(t txn) int32 {
	i := int32(len(st.txns))
	st.txns = append(st.txns, t)
	st.txnIdx[t.key] = i
	return i
}

func (st *store) addReward(r reward) int32 {
	i := int32(len(st.rewards))
	st.rewards = append(st.rewards, r)
	st.rewardIdx[r.key] = i
	return i
}

func (st *store) addDeal(d *deal) int32 {
	i := int32(len(st.deals))
	st.deals = append(st.deals, d)
	st.dealIdx[d.key] = i
	if d.externalKey != nil {
		st.dealByExt[*d.externalKey] = i
	}
	return i
}

func (st *store) addLead(l *lead) int32 {
	i := int32(len(st.leads))
	st.leads = append(st.leads, l)
	st.leadIdx[l.key] = i
	st.leadByExt[l.externalKey] = i
	return i
}

func (st *store) addAction(a *action) int32 {
	i := int32(len(st.actions))
	st.actions = append(st.actions, a)
	st.actionIdx[a.key] = i
	return i
}

func (st *store) addWebhook(w *webhook) int32 {
	i := int32(len(st.webhooks))
	st.webhooks = append(st.webhooks, w)
	st.webhookIdx[w.key] = i
	return i
}
