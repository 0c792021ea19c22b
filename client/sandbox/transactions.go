package sandbox

import (
	"fmt"
	"net/http"
	"strings"
	"unicode/utf8"
)

// currency is one supported ISO 4217 code with a fixed conversion rate.
// Emulator choice: amount_usd uses this fixed table (USD cents per 100 minor
// units, scaled by 100), not live FX rates; other codes are rejected.
type currency struct {
	code string
	rate int64 // amount_usd = amount * rate / 10000
}

var currencies = []currency{
	{"USD", 10000}, {"EUR", 10800}, {"GBP", 12700}, {"CAD", 7300}, {"AUD", 6600},
	{"NZD", 6000}, {"CHF", 11300}, {"SEK", 950}, {"NOK", 930}, {"DKK", 1450},
	{"JPY", 6700}, {"INR", 120}, {"BRL", 1800}, {"MXN", 540}, {"SGD", 7400},
	{"HKD", 1280}, {"ZAR", 540}, {"PLN", 2500},
}

func currencyIndex(code string) (uint8, bool) {
	for i, c := range currencies {
		if c.code == code {
			return uint8(i), true
		}
	}
	return 0, false
}

// toUSD converts minor units to USD cents, rounding half away from zero.
func toUSD(amount int64, cur uint8) int64 {
	n := amount * currencies[cur].rate
	if n >= 0 {
		return (n + 5000) / 10000
	}
	return (n - 5000) / 10000
}

func (s *Sandbox) transactionWire(i int32) Transaction {
	st := s.st
	t := &st.txns[i]
	c := st.customers[t.cust]
	return Transaction{
		Key: t.key, CreatedAt: t.created, UpdatedAt: t.updated, Amount: t.amount, AmountUSD: t.amountUSD,
		Currency: currencies[t.currency].code, Approved: t.approved, Archived: t.archived, Test: t.test,
		ProductKey: cloneStrp(t.product), CategoryKey: cloneStrp(t.category), CustomerKey: c.key,
		Customer:       TransactionCustomer{Key: c.key, Email: c.email, ExternalKey: cloneStrp(c.customerKey)},
		PartnershipKey: st.partnerships[c.part].key, Metadata: cloneMap(t.metadata),
	}
}

func (t *txn) pageMeta() itemMeta {
	return itemMeta{key: t.key, created: t.created, updated: t.updated, amount: t.amount, archived: t.archived}
}

// transactionList: Emulator choice: no source documents these filters, nor
// order_by amount (API notes, section 10).
var transactionList = listSpec[Transaction]{
	what:     "transaction",
	byAmount: true,
	records: func(st *store) (int, map[string]int32, func(int) itemMeta) {
		return len(st.txns), st.txnIdx, func(i int) itemMeta { return st.txns[i].pageMeta() }
	},
	wire:   func(s *Sandbox) func(int32) Transaction { return s.transactionWire },
	strict: asStrictTransaction,
	filters: []listFilter{
		{param: "customer_key", keep: func(st *store, i int, v string) bool {
			return st.customers[st.txns[i].cust].key == v
		}},
		{param: "customer_external_key", keep: func(st *store, i int, v string) bool {
			cu := st.customers[st.txns[i].cust]
			return cu.customerKey != nil && *cu.customerKey == v
		}},
		{param: "partner_key", keep: func(st *store, i int, v string) bool {
			return st.partnerships[st.customers[st.txns[i].cust].part].partnerKey == v
		}},
		{param: "product_key", keep: func(st *store, i int, v string) bool {
			t := &st.txns[i]
			return t.product != nil && *t.product == v
		}},
		{param: "currency", prepare: func(v string) (string, *apiError) { return strings.ToUpper(v), nil },
			keep: func(st *store, i int, v string) bool { return currencies[st.txns[i].currency].code == v }},
	},
}

// getTransaction is Inferred: the endpoint is undocumented but used by some
// clients; deleted transactions are not found.
func (s *Sandbox) getTransaction(c *call) reply {
	if s.strict { // not documented, so not served
		return fail(http.StatusNotFound, "Not Found")
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	i, ok := s.st.txnIdx[c.id]
	if !ok || s.st.txns[i].archived {
		return notFound("Transaction")
	}
	return success(view(s, s.transactionWire(i), asStrictTransaction), "Transaction returned successfully")
}

const maxTxnAmount = 50_000_000_000

var transactionCreateSchema = schema{
	{name: "customer_key", typ: tString, minLen: 1, maxLen: 255},
	{name: "customer_external_key", typ: tString, minLen: 1, maxLen: 255},
	{name: "customer_email", typ: tString, minLen: 1, maxLen: 255},
	{name: "amount", typ: tInt, required: true, min: -maxTxnAmount, max: maxTxnAmount},
	{name: "currency", typ: tString, required: true, exactLen: 3},
	{name: "key", typ: tString, minLen: 4, maxLen: 255},
	{name: "product_key", typ: tString, nullable: true, maxLen: 255},
	{name: "category_key", typ: tString, nullable: true, maxLen: 255},
	{name: "metadata", typ: tObject, nullable: true},
	{name: "created_at", typ: tInt},
	// Emulator choice: accepted and ignored; test is derived from the customer.
	{name: "test", typ: tBool, nullable: true},
	// Emulator choice: accepted and ignored (product attribution is not modelled).
	{name: "subscription_key", typ: tString, nullable: true, maxLen: 255},
}

// rewardRate is the commission on a non-test, positive transaction.
// Emulator choice: a flat 20% of amount_usd, created pending.
const rewardRatePercent = 20

func (s *Sandbox) createTransaction(c *call) reply {
	b, e := decodeBody(c.body, transactionCreateSchema, s.strict)
	if e != nil {
		return e.reply()
	}
	refs := 0
	for _, k := range []string{"customer_key", "customer_external_key", "customer_email"} {
		if b.given(k) {
			refs++
		}
	}
	if refs != 1 {
		return fail(400, "exactly one of 'customer_key', 'customer_external_key' or 'customer_email' is required")
	}
	cur, known := currencyIndex(strings.ToUpper(b.str("currency")))
	if !known {
		return fail(400, fmt.Sprintf("'currency' is not a supported ISO 4217 code ('%s')", b.str("currency")))
	}
	meta, keys := b.object("metadata")
	if len(meta) > 25 {
		return fail(400, "'metadata' has too many properties (maximum 25)")
	}
	for _, k := range keys {
		if utf8.RuneCountInString(k) > 30 {
			return fail(400, fmt.Sprintf("'metadata' property name '%s' is too long (maximum 30 characters)", k))
		}
		if v, isStr := meta[k].(string); isStr && utf8.RuneCountInString(v) > 100 {
			return fail(400, fmt.Sprintf("'metadata.%s' is too long (maximum 100 characters)", k))
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	st := s.st
	var ci int32
	var found bool
	var field, ref string
	switch {
	case b.given("customer_key"):
		field, ref = "customer_key", b.str("customer_key")
		ci, found = st.custIdx[ref]
		found = found && !st.customers[ci].archived
	case b.given("customer_external_key"):
		field, ref = "customer_external_key", b.str("customer_external_key")
		ci, found = st.custByExt[ref]
	default:
		field, ref = "customer_email", b.str("customer_email")
		ci, found = st.findCustomerByEmail(ref)
	}
	if !found {
		return fail(400, fmt.Sprintf("'%s' does not match any customer ('%s')", field, ref))
	}
	cu := st.customers[ci]
	switch {
	case c.test && !cu.test:
		return fail(400, "test transactions cannot be added to customers created with production keys")
	case !c.test && cu.test:
		return fail(400, "transactions for test customers require the test keys")
	}
	key := ""
	if b.given("key") {
		key = b.str("key")
		if _, taken := st.txnIdx[key]; taken {
			// Emulator choice: a reused transaction key is a 400, not a silent dedupe.
			return fail(400, fmt.Sprintf("a transaction with key '%s' already exists", key))
		}
	} else {
		key = newKey(st.rng, pfxTxn, st.txnIdx)
	}
	created := c.now
	if b.given("created_at") {
		created = b.int("created_at")
	}
	amount := b.int("amount")
	t := txn{key: key, created: created, updated: c.now, amount: amount, amountUSD: toUSD(amount, cur),
		cust: ci, currency: cur, approved: true, test: cu.test,
		product: b.strp("product_key"), category: b.strp("category_key"), metadata: meta}
	ti := st.addTxn(t)
	if !t.test && t.amountUSD > 0 {
		// Emulator choice: refunds (amount <= 0) create no negative reward.
		st.addReward(reward{key: newKey(st.rng, pfxReward, st.rewardIdx), created: c.now, updated: c.now,
			amount: t.amountUSD * rewardRatePercent / 100, description: fmt.Sprintf("%d%% commission on transaction %s", rewardRatePercent, key),
			status: rsPending, txn: ti, cust: ci, part: cu.part, actix: -1})
	}
	st.version++
	c.applied = true
	return success(view(s, s.transactionWire(ti), asStrictTransaction), "Transaction Created")
}

// deleteTransaction archives the transaction and the rewards it produced
// (Emulator choice). Deleted transactions leave lists unless include_archived.
func (s *Sandbox) deleteTransaction(c *call) reply {
	s.mu.Lock()
	defer s.mu.Unlock()
	st := s.st
	i, ok := st.txnIdx[c.id]
	if !ok || st.txns[i].archived {
		return notFound("Transaction")
	}
	st.txns[i].archived, st.txns[i].updated = true, c.now
	for j := range st.rewards {
		if r := &st.rewards[j]; r.txn == i && !r.archived {
			r.archived, r.updated = true, c.now
		}
	}
	st.version++
	c.applied = true
	return okNoData("Transaction Deleted")
}

// Transactions returns a copy of every transaction, deleted ones included,
// in creation order.
func (s *Sandbox) Transactions() []Transaction {
	s.mu.RLock()
	defer s.mu.RUnlock()
	out := make([]Transaction, len(s.st.txns))
	for i := range s.st.txns {
		out[i] = s.transactionWire(int32(i))
	}
	return out
}
