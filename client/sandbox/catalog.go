package sandbox

import (
	"fmt"
	"strings"
)

// The program's catalogues: tiers (GET /v2/tiers[/{tier_key}], a
// partnership's tier_key) and the product book (GET and POST
// /v2/product_book), with the report configurations and exports
// (reports.go). Their records live in catalog, embedded in the store.

type catalog struct {
	tiers      []*tier
	products   []*product
	reports    []*reportConfig
	exports    []*reportExport
	tierIdx    map[string]int32
	productIdx map[string]int32
	productExt map[string]int32
	reportIdx  map[string]int32
	exportIdx  map[string]int32
}

// index adds key -> i to *m, making the map on first use.
func index(m *map[string]int32, key string, i int) {
	if *m == nil {
		*m = map[string]int32{}
	}
	(*m)[key] = int32(i)
}

type tier struct {
	key, name        string
	created, updated int64
}

// Tier is a partner tier. Inferred: the endpoint is documented, its item
// schema is not; key and name are what a partnership's nested tier shows
// (hand-typed SDK), served the same under both profiles.
type Tier struct {
	Key       string `json:"key"`
	Name      string `json:"name"`
	CreatedAt int64  `json:"created_at"`
	UpdatedAt int64  `json:"updated_at"`
}

// TierRef is the tier nested in a partnership.
type TierRef struct {
	Key  string `json:"key"`
	Name string `json:"name"`
}

const (
	pfxTier    = "tier"  // Emulator choice: no source shows a tier key
	pfxProduct = "pbook" // from PartnerStack's product book example
)

func (t *tier) wire() Tier {
	return Tier{Key: t.key, Name: t.name, CreatedAt: t.created, UpdatedAt: t.updated}
}

// tierRef is the nested tier of a partnership whose tier_key is key; nil
// when none is set.
func (st *store) tierRef(key string) *TierRef {
	i, ok := st.tierIdx[key]
	if key == "" || !ok {
		return nil
	}
	return &TierRef{Key: key, Name: st.tiers[i].name}
}

var tierList = listSpec[Tier]{
	what: "tier",
	records: func(st *store) (int, map[string]int32, func(int) itemMeta) {
		return len(st.tiers), st.tierIdx, func(i int) itemMeta {
			t := st.tiers[i]
			return itemMeta{key: t.key, created: t.created, updated: t.updated}
		}
	},
	wire: func(s *Sandbox) func(int32) Tier { return func(i int32) Tier { return s.st.tiers[i].wire() } },
}

func (s *Sandbox) getTier(c *call) reply {
	s.mu.RLock()
	defer s.mu.RUnlock()
	i, ok := s.st.tierIdx[c.id]
	if !ok {
		return notFound("Tier")
	}
	return success(s.st.tiers[i].wire(), "Tier returned successfully")
}

// tierFor checks a partnership update's tier_key: "" (null) clears the
// tier. Emulator choice: an unknown key is a 400, like an unknown group_key.
func (st *store) tierFor(b body) (string, *apiError) {
	if !b.given("tier_key") {
		return "", nil
	}
	k := b.str("tier_key")
	if _, ok := st.tierIdx[k]; !ok {
		return "", badRequest(fmt.Sprintf("'tier_key' does not match any tier ('%s')", k))
	}
	return k, nil
}

type product struct {
	key                      string
	created, updated         int64
	name                     string
	description, externalKey *string
}

// Product is a product book entry, shaped like PartnerStack's own example
// response (support article on product attribution), under both profiles.
type Product struct {
	Archived    bool    `json:"archived"`
	CompanyID   int64   `json:"company_id"`
	CreatedAt   int64   `json:"created_at"`
	Description *string `json:"description"`
	ExternalKey *string `json:"external_key"`
	ID          *int64  `json:"id"` // null in the example
	Key         string  `json:"key"`
	Name        string  `json:"name"`
	UpdatedAt   int64   `json:"updated_at"`
}

// sandboxCompanyID is the company_id of every product. Emulator choice: the
// example shows a number; the sandbox has one company.
const sandboxCompanyID = 95746372

func (p *product) wire() Product {
	return Product{CompanyID: sandboxCompanyID, CreatedAt: p.created, Description: cloneStrp(p.description),
		ExternalKey: cloneStrp(p.externalKey), Key: p.key, Name: p.name, UpdatedAt: p.updated}
}

// matchesKeywords: every word of v in the name or description, case
// aside. Inferred: the docs index says keywords searches name and
// description, not how.
func (p *product) matchesKeywords(v string) bool {
	text := strings.ToLower(p.name + " " + deref(p.description))
	for _, w := range strings.Fields(strings.ToLower(v)) {
		if !strings.Contains(text, w) {
			return false
		}
	}
	return true
}

var productList = listSpec[Product]{
	what: "product",
	records: func(st *store) (int, map[string]int32, func(int) itemMeta) {
		return len(st.products), st.productIdx, func(i int) itemMeta {
			p := st.products[i]
			return itemMeta{key: p.key, created: p.created, updated: p.updated}
		}
	},
	wire: func(s *Sandbox) func(int32) Product { return func(i int32) Product { return s.st.products[i].wire() } },
	filters: []listFilter{{param: "keywords", documented: true,
		keep: func(st *store, i int, v string) bool { return st.products[i].matchesKeywords(v) }}},
}

// productCreateSchema: name required; description and external_key
// optional (PartnerStack's product attribution article).
var productCreateSchema = schema{
	{name: "name", typ: tString, required: true, minLen: 1, maxLen: 255},
	{name: "description", typ: tString, nullable: true, maxLen: 1000},
	{name: "external_key", typ: tString, nullable: true, minLen: 1, maxLen: 255},
}

func (s *Sandbox) createProduct(c *call) reply {
	b, e := decodeBody(c.body, productCreateSchema, s.strict)
	if e != nil {
		return e.reply()
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	st := s.st
	ext := b.strp("external_key")
	if ext != nil {
		// Emulator choice: an external_key names one product, so a reuse is refused.
		if _, taken := st.productExt[*ext]; taken {
			return fail(400, fmt.Sprintf("a product with external_key '%s' already exists", *ext))
		}
	}
	p := &product{key: newKey(st.rng, pfxProduct, st.productIdx), created: c.now, updated: c.now,
		name: b.str("name"), description: b.strp("description"), externalKey: ext}
	st.addProduct(p)
	st.version++
	c.applied = true
	return success(p.wire(), "Product Book Created")
}

func (st *store) addProduct(p *product) {
	st.products = append(st.products, p)
	index(&st.productIdx, p.key, len(st.products)-1)
	if p.externalKey != nil {
		index(&st.productExt, *p.externalKey, len(st.products)-1)
	}
}

// Products returns a copy of the product book, in creation order.
func (s *Sandbox) Products() []Product {
	s.mu.RLock()
	defer s.mu.RUnlock()
	out := make([]Product, len(s.st.products))
	for i, p := range s.st.products {
		out[i] = p.wire()
	}
	return out
}

// Tiers returns a copy of every tier, in creation order.
func (s *Sandbox) Tiers() []Tier {
	s.mu.RLock()
	defer s.mu.RUnlock()
	out := make([]Tier, len(s.st.tiers))
	for i, t := range s.st.tiers {
		out[i] = t.wire()
	}
	return out
}

// catalogue seeds three tiers, a small product book and the saved reports.
func (sd *seeder) catalogue() {
	st := sd.st
	for i, name := range []string{"Bronze", "Silver", "Gold"} {
		t := seedEnd - int64(300-i)*dayMs
		st.tiers = append(st.tiers, &tier{key: sd.key(pfxTier, st.tierIdx), name: name, created: t, updated: t})
		index(&st.tierIdx, st.tiers[i].key, i)
	}
	for i, p := range []struct{ name, desc, ext string }{
		{"Starter", "Monthly starter plan", "prod_starter"},
		{"Pro", "Monthly pro plan", "prod_pro"},
		{"Pro annual", "Pro plan billed yearly", "prod_pro_annual"},
		{"Enterprise", "Custom enterprise contract", "prod_enterprise"},
		{"Analytics add-on", "Reporting add-on for any plan", "prod_analytics"},
	} {
		t := seedEnd - int64(250-10*i)*dayMs
		st.addProduct(&product{key: sd.key(pfxProduct, st.productIdx), created: t, updated: t,
			name: p.name, description: strp(p.desc), externalKey: strp(p.ext)})
	}
	sd.reportConfigs()
}
