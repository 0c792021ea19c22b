package sandbox

import (
	"math"
	"net/url"
	"slices"
	"sort"
	"strconv"
	"strings"
)

// Lists: one handler for every collection GET. It reads the query every list
// shares (paging, ordering, time and archive filters), then the resource's
// own filters from its listSpec, then one page. Each resource's records are
// sorted once per order field (and again after a write); a page is then read
// from that order starting at the cursor.

// listSpec describes one resource's list endpoint.
type listSpec[W any] struct {
	what     string // names the resource in errors and the order cache
	byAmount bool   // order_by also accepts amount and -amount (undocumented)
	// noOrderBy: no source documents order_by on this list (Fern's deal
	// list has none), so the strict profile ignores it.
	noOrderBy bool
	// strictArchived: the strict profile lists archived records too (it
	// ignores include_archived), flagged in the item, so the client must
	// drop them itself. Resources without it hide archived records in both
	// profiles (their items carry no documented archived flag to tell).
	strictArchived bool
	filters        []listFilter
	// records gives the record count, the key index cursors resolve in, and
	// each record's paging facts.
	records func(st *store) (n int, idx map[string]int32, meta func(i int) itemMeta)
	// wire is called once per request, under the read lock, and renders
	// record i (it may prepare data shared by every item, like stats).
	wire func(s *Sandbox) func(i int32) W
	// strict, when set, is the item as the strict profile serves it
	// (strict.go): without the fields no vendor schema shows.
	strict func(W) any
}

// listFilter is one resource-specific query parameter. An absent or blank
// parameter restricts nothing.
type listFilter struct {
	param string
	// documented marks filters a primary source documents (API notes,
	// section 10); the others are conveniences of this emulator, and the
	// strict profile ignores them (the filter loop in list).
	documented bool
	// prepare, when set, checks and normalises the value before the lock is
	// taken; an error is the 400 answer, and "" restricts nothing.
	prepare func(v string) (string, *apiError)
	// keep reports whether record i matches value v.
	keep func(st *store, i int, v string) bool
}

// list is the collection GET handler of the resource spec describes.
func list[W any](spec *listSpec[W]) handlerFunc {
	type active struct {
		keep func(st *store, i int, v string) bool
		v    string
	}
	return func(s *Sandbox, c *call) reply {
		lq, e := parseListQuery(c.query, listRules{amount: spec.byAmount, strict: s.strict,
			noOrderBy: spec.noOrderBy, strictArchived: spec.strictArchived})
		if e != nil {
			return e.reply()
		}
		var filters []active
		for _, f := range spec.filters {
			if s.strict && !f.documented {
				continue // ignored, as an API that does not know the parameter would
			}
			v := param(c.query, f.param)
			if v != "" && f.prepare != nil {
				if v, e = f.prepare(v); e != nil {
					return e.reply()
				}
			}
			if v != "" {
				filters = append(filters, active{f.keep, v})
			}
		}
		s.mu.RLock()
		defer s.mu.RUnlock()
		st := s.st
		var match func(i int) bool // nil: no filter, the page walk skips the call
		if len(filters) > 0 {
			match = func(i int) bool {
				for _, f := range filters {
					if !f.keep(st, i, f.v) {
						return false
					}
				}
				return true
			}
		}
		n, idx, meta := spec.records(st)
		page, more, e := st.page(lq, n, meta, match, idx, spec.what)
		if e != nil {
			return e.reply()
		}
		wire := spec.wire(s)
		if s.strict && spec.strict != nil {
			items := make([]any, len(page))
			for j, i := range page {
				items[j] = spec.strict(wire(int32(i)))
			}
			return listReply(items, more)
		}
		items := make([]W, len(page))
		for j, i := range page {
			items[j] = wire(int32(i))
		}
		return listReply(items, more)
	}
}

const (
	defaultLimit = 10
	maxLimit     = 250
)

type listQuery struct {
	limit         int
	after, before string
	field         string // created_at | updated_at | amount
	desc          bool
	minCreated    int64
	maxCreated    int64
	minUpdated    int64
	maxUpdated    int64
	withArchived  bool
	q             url.Values
}

// param returns a query parameter; an empty value counts as absent
// (Emulator choice: "limit=" is treated like no limit at all).
func param(q url.Values, name string) string { return strings.TrimSpace(q.Get(name)) }

// listRules are what a list's query parsing depends on.
type listRules struct {
	amount                            bool // order_by amount (default profile only)
	strict, noOrderBy, strictArchived bool // see listSpec and Profile
}

func parseListQuery(q url.Values, rules listRules) (*listQuery, *apiError) {
	lq := &listQuery{limit: defaultLimit, field: "created_at", desc: true,
		minCreated: math.MinInt64, maxCreated: math.MaxInt64,
		minUpdated: math.MinInt64, maxUpdated: math.MaxInt64, q: q}
	if v := param(q, "limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > maxLimit {
			return nil, badRequest("'limit' must be an integer between 1 and 250")
		}
		lq.limit = n
	}
	lq.after, lq.before = param(q, "starting_after"), param(q, "ending_before")
	if lq.after != "" && lq.before != "" {
		return nil, badRequest("'starting_after' and 'ending_before' cannot be used together")
	}
	if v := param(q, "order_by"); v != "" && !(rules.strict && rules.noOrderBy) {
		allowed := []string{"created_at", "-created_at", "updated_at", "-updated_at"}
		if rules.amount && !rules.strict {
			allowed = append(allowed, "amount", "-amount")
		}
		switch {
		case slices.Contains(allowed, v):
			lq.desc = strings.HasPrefix(v, "-")
			lq.field = strings.TrimPrefix(v, "-")
		case !rules.strict:
			return nil, badRequest("'order_by' must be one of: " + strings.Join(allowed, ", "))
		}
		// strict: an undocumented order (amount) is ignored, newest first stays.
	}
	for _, tf := range []struct {
		name string
		dst  *int64
	}{{"min_created", &lq.minCreated}, {"max_created", &lq.maxCreated}, {"min_updated", &lq.minUpdated}, {"max_updated", &lq.maxUpdated}} {
		if v := param(q, tf.name); v != "" {
			n, err := strconv.ParseInt(v, 10, 64)
			if err != nil {
				return nil, badRequest("'" + tf.name + "' must be an integer (epoch milliseconds)")
			}
			*tf.dst = n
		}
	}
	// Emulator choice: archived items are hidden unless include_archived=true.
	// The strict profile ignores the (undocumented) parameter; see listSpec.
	if rules.strict {
		lq.withArchived = rules.strictArchived
	} else if v := param(q, "include_archived"); v != "" {
		b, err := strconv.ParseBool(v)
		if err != nil {
			return nil, badRequest("'include_archived' must be true or false")
		}
		lq.withArchived = b
	}
	return lq, nil
}

// itemMeta is what paging needs to know about one record.
type itemMeta struct {
	key              string
	created, updated int64
	amount           int64
	archived         bool
}

type sortKey struct {
	v   int64
	key string
}

func (lq *listQuery) sortKey(m itemMeta) sortKey {
	switch lq.field {
	case "updated_at":
		return sortKey{m.updated, m.key}
	case "amount":
		return sortKey{m.amount, m.key}
	}
	return sortKey{m.created, m.key}
}

// precedes reports whether a comes before b in list order. Ties on the
// order field are broken by key, in the same direction, so the order is
// total and cursors never skip or repeat.
func (lq *listQuery) precedes(a, b sortKey) bool {
	if a.v != b.v {
		return (a.v > b.v) == lq.desc
	}
	if lq.desc {
		return a.key > b.key
	}
	return a.key < b.key
}

func (lq *listQuery) keep(m itemMeta) bool {
	return (lq.withArchived || !m.archived) &&
		m.created >= lq.minCreated && m.created <= lq.maxCreated &&
		m.updated >= lq.minUpdated && m.updated <= lq.maxUpdated
}

// page selects one page of indexes in list order. n is the record count,
// meta describes record i, match applies resource filters (nil = all), idx
// resolves cursor keys and what names the resource in errors.
//
// It walks the records in list order (st.order, cached) from the cursor and
// stops at limit+1 kept records, so a page costs O(log n + what it skips)
// and walking a large list is not quadratic.
func (st *store) page(lq *listQuery, n int, meta func(i int) itemMeta, match func(i int) bool, idx map[string]int32, what string) ([]int, bool, *apiError) {
	var cursor sortKey
	mode := 0 // 0 none, 1 after, -1 before
	if c := lq.after; c != "" {
		i, ok := idx[c]
		if !ok {
			// Emulator choice: an unknown cursor is a 400 rather than an empty page.
			return nil, false, badRequest("'starting_after' does not match any " + what + " key")
		}
		cursor, mode = lq.sortKey(meta(int(i))), 1
	}
	if c := lq.before; c != "" {
		i, ok := idx[c]
		if !ok {
			return nil, false, badRequest("'ending_before' does not match any " + what + " key")
		}
		cursor, mode = lq.sortKey(meta(int(i))), -1
	}
	ord := st.order(what, lq.field, n, meta) // ascending; list order reverses it when desc
	at := func(j int) int {
		if lq.desc {
			return int(ord[n-1-j])
		}
		return int(ord[j])
	}
	// List positions [from, to) hold the candidates: everything, what
	// follows the cursor, or what precedes it.
	from, to, step := 0, n, 1
	switch mode {
	case 1:
		from = sort.Search(n, func(j int) bool { return lq.precedes(cursor, lq.sortKey(meta(at(j)))) })
	case -1:
		// Nearest to the cursor first, reversed into list order below.
		to = sort.Search(n, func(j int) bool { return !lq.precedes(lq.sortKey(meta(at(j))), cursor) })
		from, to, step = to-1, -1, -1
	}
	// In created_at order the time filter is a contiguous run of positions:
	// jump to its start and stop past its end, so a page of a narrow time
	// window costs O(log n + page), not a scan of the whole list.
	byCreated := lq.field == "created_at"
	if byCreated && step == 1 {
		from = max(from, sort.Search(n, func(j int) bool {
			c := meta(at(j)).created
			if lq.desc {
				return c <= lq.maxCreated
			}
			return c >= lq.minCreated
		}))
	}
	out := make([]int, 0, min(lq.limit+1, n))
	for j := from; j != to && len(out) <= lq.limit; j += step {
		i := at(j)
		m := meta(i)
		if byCreated && step == 1 && (lq.desc && m.created < lq.minCreated || !lq.desc && m.created > lq.maxCreated) {
			break
		}
		if !lq.keep(m) || match != nil && !match(i) {
			continue
		}
		out = append(out, i)
	}
	hasMore := len(out) > lq.limit
	if hasMore {
		out = out[:lq.limit]
	}
	if mode == -1 {
		slices.Reverse(out) // back into list order
	}
	return out, hasMore, nil
}

// order returns the indexes of a resource's n records sorted ascending by
// (field, key), the order lq.precedes defines (descending lists walk it
// backwards). It is built once per resource and field and kept until the
// store changes: every write bumps st.version, and a new record changes n.
func (st *store) order(what, field string, n int, meta func(i int) itemMeta) []int32 {
	k := orderKey{what, field}
	st.ordersMu.Lock()
	defer st.ordersMu.Unlock()
	if o, ok := st.orders[k]; ok && o.version == st.version && len(o.idx) == n {
		return o.idx
	}
	asc := &listQuery{field: field}
	keys := make([]sortKey, n)
	idx := make([]int32, n)
	for i := range n {
		keys[i], idx[i] = asc.sortKey(meta(i)), int32(i)
	}
	sort.Slice(idx, func(a, b int) bool { return asc.precedes(keys[idx[a]], keys[idx[b]]) })
	if st.orders == nil {
		st.orders = map[orderKey]sortedOrder{}
	}
	st.orders[k] = sortedOrder{version: st.version, idx: idx}
	return idx
}

type orderKey struct{ what, field string }

type sortedOrder struct {
	version uint64
	idx     []int32
}

// stripName reduces a group name to letters and digits, lower-cased, for the
// deals "group" filter ("name with spaces and special characters removed").
// Inferred: case-insensitive comparison.
func stripName(s string) string {
	var b strings.Builder
	for _, r := range s {
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' {
			b.WriteRune(r)
		} else if r >= 'A' && r <= 'Z' {
			b.WriteRune(r + 'a' - 'A')
		}
	}
	return b.String()
}
