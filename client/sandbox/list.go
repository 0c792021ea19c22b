package sandbox

import (
	"math"
	"net/url"
	"sort"
	"strconv"
	"strings"
)

// Lists: cursor paging, ordering and the common filters. A page is selected
// by one scan over the records keeping the best limit+1 candidates, so paging
// through 100k transactions costs O(n log limit) per page and no full sort.

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

func parseListQuery(q url.Values, amountOrder bool) (*listQuery, *apiError) {
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
	if v := param(q, "order_by"); v != "" {
		allowed := []string{"created_at", "-created_at", "updated_at", "-updated_at"}
		if amountOrder {
			allowed = append(allowed, "amount", "-amount")
		}
		okv := false
		for _, a := range allowed {
			okv = okv || a == v
		}
		if !okv {
			return nil, badRequest("'order_by' must be one of: " + strings.Join(allowed, ", "))
		}
		lq.desc = strings.HasPrefix(v, "-")
		lq.field = strings.TrimPrefix(v, "-")
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
	if v := param(q, "include_archived"); v != "" {
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
func page(lq *listQuery, n int, meta func(i int) itemMeta, match func(i int) bool, idx map[string]int32, what string) ([]int, bool, *apiError) {
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
	k := lq.limit + 1
	type cand struct {
		sk sortKey
		i  int
	}
	best := make([]cand, 0, k)
	// better orders candidates by preference: nearest to the start of the
	// list, or for ending_before nearest to the cursor.
	better := func(a, b sortKey) bool {
		if mode == -1 {
			return lq.precedes(b, a)
		}
		return lq.precedes(a, b)
	}
	total := 0
	for i := 0; i < n; i++ {
		m := meta(i)
		if !lq.keep(m) {
			continue
		}
		sk := lq.sortKey(m)
		if mode == 1 && !lq.precedes(cursor, sk) || mode == -1 && !lq.precedes(sk, cursor) {
			continue
		}
		if match != nil && !match(i) {
			continue
		}
		total++
		if len(best) == k && !better(sk, best[k-1].sk) {
			continue
		}
		pos := sort.Search(len(best), func(j int) bool { return better(sk, best[j].sk) })
		if len(best) < k {
			best = append(best, cand{})
		}
		copy(best[pos+1:], best[pos:len(best)-1])
		best[pos] = cand{sk, i}
	}
	hasMore := total > lq.limit
	if hasMore {
		best = best[:lq.limit]
	}
	out := make([]int, len(best))
	for j, c := range best {
		if mode == -1 {
			out[len(best)-1-j] = c.i // back into list order
		} else {
			out[j] = c.i
		}
	}
	return out, hasMore, nil
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
