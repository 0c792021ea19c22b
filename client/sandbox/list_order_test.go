package sandbox

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"sort"
	"testing"
)

// pageByScan is the plain form of store.page: one scan over every record
// keeping the best limit+1 candidates. store.page must select exactly what
// it selects.
func pageByScan(lq *listQuery, n int, meta func(i int) itemMeta, match func(i int) bool, idx map[string]int32) ([]int, bool) {
	var cursor sortKey
	mode := 0
	if c := lq.after; c != "" {
		cursor, mode = lq.sortKey(meta(int(idx[c]))), 1
	}
	if c := lq.before; c != "" {
		cursor, mode = lq.sortKey(meta(int(idx[c]))), -1
	}
	type cand struct {
		sk sortKey
		i  int
	}
	var all []cand
	for i := 0; i < n; i++ {
		m := meta(i)
		sk := lq.sortKey(m)
		if !lq.keep(m) || mode == 1 && !lq.precedes(cursor, sk) || mode == -1 && !lq.precedes(sk, cursor) ||
			match != nil && !match(i) {
			continue
		}
		all = append(all, cand{sk, i})
	}
	sort.Slice(all, func(a, b int) bool {
		if mode == -1 { // nearest to the cursor first
			return lq.precedes(all[b].sk, all[a].sk)
		}
		return lq.precedes(all[a].sk, all[b].sk)
	})
	more := len(all) > lq.limit
	all = all[:min(len(all), lq.limit)]
	out := make([]int, len(all))
	for j, c := range all {
		out[j] = c.i
	}
	if mode == -1 {
		slices.Reverse(out)
	}
	return out, more
}

func TestPagesReadFromTheCachedOrderMatchAFullScan(t *testing.T) {
	s := New(Options{Seed: 7, Transactions: 1500})
	st := seeded(s)
	rng := rand.New(rand.NewPCG(1, 2))
	meta := func(i int) itemMeta { return st.txns[i].pageMeta() }
	keys := func() string { return st.txns[rng.IntN(len(st.txns))].key }
	for round := range 6 {
		if round > 0 { // a write: archive some, touch some, then the cache must follow
			for range 50 {
				tx := &st.txns[rng.IntN(len(st.txns))]
				tx.archived = rng.IntN(2) == 0
				tx.updated += int64(rng.IntN(1_000_000))
			}
			st.version++
		}
		for q := range 300 {
			lq := &listQuery{limit: []int{1, 7, 250}[q%3], field: []string{"created_at", "updated_at", "amount"}[q%5%3],
				desc: q%2 == 0, withArchived: q%7 == 0, minCreated: -1 << 62, maxCreated: 1 << 62, minUpdated: -1 << 62, maxUpdated: 1 << 62}
			switch q % 4 {
			case 1:
				lq.after = keys()
			case 2:
				lq.before = keys()
			}
			var match func(int) bool
			if q%5 == 0 {
				match = func(i int) bool { return i%3 == 0 }
			}
			name := fmt.Sprintf("round %d query %d %+v", round, q, *lq)
			got, gotMore, e := st.page(lq, len(st.txns), meta, match, st.txnIdx, "transaction")
			if e != nil {
				t.Fatalf("%s: %v", name, e)
			}
			want, wantMore := pageByScan(lq, len(st.txns), meta, match, st.txnIdx)
			if !slices.Equal(got, want) || gotMore != wantMore {
				t.Fatalf("%s:\n got %v %v\nwant %v %v", name, got, gotMore, want, wantMore)
			}
		}
	}
}
