package tools

import (
	"fmt"
	"sync"
)

// The rule in one place: every list filter, lookup, response field and
// request body the tools rely on, classed by the evidence marks of the API
// notes (/work/shared/partnerstack-api.md, section 10): H or M is documented,
// L or nothing is not. The list mechanism (list.go) and the lookups
// (lookup.go) consult this table: an undocumented filter may still be sent,
// as it is cheap when honoured, but its result is always checked here. The
// README's table "What the server relies on" is generated from it
// (Evidence), so the two cannot drift.

// Rule kinds.
const (
	kindFilter = "list filter"
	kindLookup = "lookup"
	kindField  = "response field"
	kindBody   = "request"
	kindLimit  = "limit"
)

// rule is one behaviour the tools depend on.
type rule struct {
	resource   string // transactions, customers, ...; "every list" for shared ones
	kind       string
	name       string // the query parameter, field, lookup or body part
	documented bool
	source     string // evidence mark and where it comes from
	handling   string // what the server does so the answer is right either way
}

const (
	viaRefilter = "sent, and every returned item re-checked here; pages walked until `limit` matches"
	viaTrust    = "sent and trusted (items re-checked when the field is in the response)"
)

var rules = []rule{
	{"every list", kindFilter, "limit, starting_after, ending_before", true, "H: partner-api docs, Fern", "trusted"},
	{"every list", kindFilter, "min_created, max_created", true, "H: Fern, partner-api docs", viaTrust},

	{"actions", kindFilter, "partnership_key", true, "H: Fern", viaTrust},
	{"actions", kindFilter, "action_type", true, "H: Fern", viaTrust},
	{"applications", kindFilter, "status", false, "none (status derived from approved)", viaRefilter},
	{"applications", kindFilter, "group_key", false, "none", viaRefilter},
	{"customers", kindFilter, "partner_key", false, "L: catalog only", viaRefilter},
	{"customers", kindFilter, "email", false, "none", viaRefilter},
	{"deals", kindFilter, "partner_key", true, "H: Fern", viaTrust},
	{"deals", kindFilter, "group_key", false, "none (Fern documents `group`, a name)", viaRefilter},
	{"deals", kindFilter, "stage", false, "none", viaRefilter},
	{"deals", kindFilter, "include_archived", false, "L: Partner API only",
		"list_deals never asks for archived deals and drops any the API returns; pipeline_summary asks and counts them from their own flag"},
	{"leads", kindFilter, "partner_key", false, "none", viaRefilter},
	{"leads", kindFilter, "status", false, "none", viaRefilter},
	{"leads", kindFilter, "include_archived", false, "L: Partner API only", "never sent; archived leads the API returns are dropped here"},
	{"partnerships", kindFilter, "group_key", false, "M: hand-typed SDK, generic list", viaRefilter},
	{"partnerships", kindFilter, "email", false, "none", viaRefilter},
	{"partnerships", kindFilter, "include_archived", false, "L: Partner API only",
		"sent; without it archived partners are removed here; with it, partners the API still hides cannot be shown"},
	{"rewards", kindFilter, "partner_key", false, "L: partner-side pages show other names", viaRefilter + " (by partnership key)"},
	{"rewards", kindFilter, "reward_status", false, "L", viaRefilter},
	{"transactions", kindFilter, "customer_external_key", false, "none", viaRefilter},
	{"transactions", kindFilter, "partner_key", false, "none",
		"sent; an item counts when its customer belongs to the partner (the partner's customers are read first)"},
	{"transactions", kindFilter, "product_key", false, "none", viaRefilter},
	{"transactions", kindFilter, "currency", false, "none", viaRefilter},
	{"product_book", kindFilter, "keywords", true, "H: docs index (searches name and description)",
		"sent; each item re-checked: every word in its name or description"},

	{"customers", kindLookup, "GET /v2/customers/{customer_key} (external key)", true, "H: reference path parameter", "used for every customer path"},
	{"customers", kindLookup, "by email", false, "L: v1 only",
		"`?email=` sent, each item's email compared; pages walked; \"not found\" and \"ambiguous\" only after the walk"},
	{"customers", kindLookup, "by internal key (cus_...)", false, "not documented in the path",
		"found by walking the list and comparing `key`; the path gets its external customer_key, never the cus_ key"},
	{"partnerships", kindLookup, "GET /v2/partnerships/{partner_key}", true, "H: live use", "used; the answer's partner_key or key is compared"},
	{"partnerships", kindLookup, "GET /v2/partnerships/{key}", true, "M", "used; the answer's key is compared"},
	{"partnerships", kindLookup, "by email", false, "L", "`?email=` sent, each item's email compared; pages walked"},
	{"partnerships", kindLookup, "PATCH/DELETE with a partner_key", false, "path parameter is {partnership_key}",
		"partner_key resolved to the partnership key by GET first"},

	{"transactions", kindField, "customer.key, customer.external_key, customer_key", true, "M: Airbyte, SDK, Fivetran", "the link to the customer"},
	{"transactions", kindField, "partnership_key", false, "none (Partner API only)",
		"used only when present; it must agree with the customer's partner, which wins and is counted as a conflict"},
	{"customers", kindField, "partnership_key, partner_key", true, "M-H: Airbyte, SDK, live", "the link to the partner"},
	{"rewards", kindField, "partnership.key", true, "M: SDK, Airbyte", "the link to the partner"},
	{"rewards", kindField, "partnership.partner_key", false, "none", "used when present, else the partnership key is compared"},
	{"every object", kindField, "archived / is_archived", false, "L: vendor schemas show neither; Partner API says is_archived", "both read"},
	{"partnerships", kindField, "test", false, "none (customers have it)", "shown when sent; the documented built-in test partner gstest is always marked"},
	{"partnerships", kindField, "stats values", false, "keys M, value types unverified", "numbers, floats and numeric strings read; others dropped, never the page"},
	{"groups", kindField, "features values", false, "keys H, value types unverified", "booleans, boolean strings and 0/1 read"},
	{"partnerships", kindField, "tier {key, name}", true, "M: hand-typed SDK", "shown by update_partnership when tier_key is set; a different tier in the answer is said"},
	{"tiers", kindField, "key, name", false, "L: endpoint documented, item not; a partnership's tier shows {key, name}", "only key, name and created_at read"},
	{"reports", kindField, "configuration key, name, description", false, "L: endpoints in the docs index, items not", "only these read"},
	{"reports", kindField, "configurations list shape", false, "M path; shape not documented", "data read as {items, has_more} or a bare array"},
	{"reports", kindField, "export file_url, file_name", true, "H: export guide", "ready means a file_url; no status field is read"},
	{"reports", kindField, "export created_at", false, "L: every object's base", "sets how long to wait; without it, a fixed 60 s"},

	{"customers", kindBody, "POST customer_key", true, "H: reference (required, string or null)", "always sent; the email when the caller gives none (said in the result)"},
	{"rewards", kindBody, "target customer / transaction", true, "M: hand-typed SDK", "supported"},
	{"rewards", kindBody, "target partnership", false, "L", "supported (key = partner_key), marked inferred"},
	{"partnerships", kindBody, "PATCH fields, group_key, manager_email, tier_key", true, "M: hand-typed SDK", "the only fields sent"},
	{"partnerships", kindBody, "PATCH .../tags", true, "H: endpoint exists; body L",
		"tags go there as {\"tags\": [...]}, the whole new list (inferred body); tag_partnership merges into the tags it read and compares the tags read back"},
	{"partnerships", kindField, "tags", false, "none (the tags_updated webhook implies them)",
		"read for tag_partnership's merge; when absent it sends nothing rather than replace tags it cannot see"},
	{"partnerships", kindBody, "PATCH /v2/partnerships (bulk move)", true, "H: endpoint exists; body L",
		"sent as {partnership_keys, group_key} (inferred), at most 100 keys; every partnership read back and its group compared; any not moved is named in an error"},
	{"partnerships", kindLookup, "GET /v2/links/{partnership_identifier}", true, "H: endpoint exists (bare /v2/links is 404); shape L",
		"data read as an array or as items; the URL from url, link, referral_link or href; an item without one is shown with all its fields"},
	{"deals", kindBody, "POST /v2/deals/{deal_key}/convert {email, customer_key?}", true, "H: Fern",
		"sent; a deal whose customer_key is set is refused first; an answer without a customer is read back through the deal's customer_key"},
	{"leads", kindBody, "POST /v2/leads/{lead_key}/convert", true, "M: typed SDK (body as for deals)", "as for deals"},
	{"deals", kindLookup, "GET /v2/sales-cycles/deal/stages?group_key=", true, "M: docs index, Fivetran columns; object_type value and shape L",
		"data read as an array or as items; create_deal matches a stage by api_name or name and refuses others; when the stages cannot be read it goes on untouched"},
	{"transactions", kindBody, "POST subscription_key", true, "H: reference (name M: product attribution article)", "sent when given; links to a product's external_subscription_key"},
	{"product_book", kindBody, "POST name, description, external_key", true, "H: product attribution article", "the only fields sent"},
	{"reports", kindBody, "POST /v2/vendor_report_export/{key} member_email", true, "H: export guide", "the only field sent (no webhook_target_url)"},
	{"reports", kindLimit, "one export per report, 20 per member_email, every 2 h", true, "H: docs index (429 beyond)",
		"exports this server started are counted (across replicas with the Redis store) and refused before the API; a 429 for others is explained"},
	{"webhooks", kindBody, "event names", true, "H: webhook guide, current and v1", "dotted and underscore names accepted; others rejected with the list"},
}

// ruleIndex finds filter rules by resource and parameter.
var ruleIndex = func() map[[3]string]*rule {
	m := make(map[[3]string]*rule, len(rules))
	for i := range rules {
		r := &rules[i]
		m[[3]string{r.resource, r.kind, r.name}] = r
	}
	return m
}()

// consulted records which rules the tools looked up, so a test can tell a
// stale row (one no code consults) from a live one.
var consulted sync.Map

// lookupRule returns the rule of resource/kind/name. It panics on a missing
// rule: tools look their rules up when they are built, so a filter without a
// class fails every test and the server's start.
func lookupRule(resource, kind, name string) *rule {
	r, ok := ruleIndex[[3]string{resource, kind, name}]
	if !ok {
		panic(fmt.Sprintf("tools: no evidence rule for %s %s %q (add it to rules in evidence.go)", resource, kind, name))
	}
	consulted.Store(r, true)
	return r
}

// EvidenceRow is one rule as the README shows it.
type EvidenceRow struct {
	Resource, Kind, Name string
	Documented           bool
	Source, Handling     string
}

// Evidence lists every rule, in table order.
func Evidence() []EvidenceRow {
	out := make([]EvidenceRow, len(rules))
	for i, r := range rules {
		out[i] = EvidenceRow{r.resource, r.kind, r.name, r.documented, r.source, r.handling}
	}
	return out
}
