package sandbox

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"
)

// expectedOrder sorts items the way the API lists them: by v (desc unless
// asc), ties by key in the same direction.
func expectedOrder[T any](items []T, keep func(T) bool, v func(T) int64, key func(T) string, desc bool) []string {
	var kept []T
	for _, it := range items {
		if keep(it) {
			kept = append(kept, it)
		}
	}
	slices.SortFunc(kept, func(a, b T) int {
		c := cmp.Compare(v(a), v(b))
		if c == 0 {
			c = strings.Compare(key(a), key(b))
		}
		if desc {
			return -c
		}
		return c
	})
	out := make([]string, len(kept))
	for i, it := range kept {
		out[i] = key(it)
	}
	return out
}

func txKey(t Transaction) string    { return t.Key }
func txLive(t Transaction) bool     { return !t.Archived }
func txCreated(t Transaction) int64 { return t.CreatedAt }

func TestLimitValidation(t *testing.T) {
	s := newTestSandbox(t)
	tests := []struct {
		query string
		want  int
		n     int
	}{
		{"", 200, 10},
		{"limit=1", 200, 1},
		{"limit=250", 200, 250},
		{"limit=0", 400, 0},
		{"limit=251", 400, 0},
		{"limit=-3", 400, 0},
		{"limit=ten", 400, 0},
		{"limit=2.5", 400, 0},
	}
	for _, tt := range tests {
		t.Run("limit query "+tt.query, func(t *testing.T) {
			r := get(t, s, "/v2/transactions?"+tt.query)
			mustStatus(t, r, tt.want)
			if tt.want == 400 && !strings.Contains(r.message(), "'limit'") {
				t.Fatalf("message %q does not name limit", r.message())
			}
			if tt.want == 200 && len(r.items()) != tt.n {
				t.Fatalf("%d items, want %d", len(r.items()), tt.n)
			}
		})
	}
}

func TestListParamErrors(t *testing.T) {
	s := newTestSandbox(t)
	tx := s.Transactions()[0].Key
	tests := []struct{ name, query, wantMsg string }{
		{"both cursors", "starting_after=" + tx + "&ending_before=" + tx, "cannot be used together"},
		{"unknown starting_after", "starting_after=tran_nope", "'starting_after' does not match"},
		{"unknown ending_before", "ending_before=tran_nope", "'ending_before' does not match"},
		{"bad order_by", "order_by=name", "'order_by' must be one of"},
		{"non-integer min_created", "min_created=yesterday", "'min_created' must be an integer"},
		{"non-integer max_updated", "max_updated=1.5", "'max_updated' must be an integer"},
		{"bad include_archived", "include_archived=maybe", "'include_archived'"},
	}
	for _, tt := range tests {
		t.Run(tt.name+" is a 400", func(t *testing.T) {
			r := get(t, s, "/v2/transactions?"+tt.query)
			mustStatus(t, r, 400)
			if !strings.Contains(r.message(), tt.wantMsg) {
				t.Fatalf("message %q, want it to contain %q", r.message(), tt.wantMsg)
			}
		})
	}
	t.Run("amount ordering is only for rewards and transactions", func(t *testing.T) {
		mustStatus(t, get(t, s, "/v2/customers?order_by=amount"), 400)
		mustStatus(t, get(t, s, "/v2/rewards?order_by=-amount"), 200)
	})
	t.Run("unknown query parameters are ignored", func(t *testing.T) {
		mustStatus(t, get(t, s, "/v2/customers?foo=bar"), 200)
	})
}

func TestPagingForwardMatchesBruteForce(t *testing.T) {
	s := newTestSandbox(t)
	for _, order := range []string{"", "created_at", "-created_at", "updated_at", "-updated_at", "amount", "-amount"} {
		t.Run("order_by="+order, func(t *testing.T) {
			path := "/v2/transactions"
			if order != "" {
				path += "?order_by=" + order
			}
			got := pageAll(t, s, path, 37)
			field, desc := strings.TrimPrefix(order, "-"), order == "" || strings.HasPrefix(order, "-")
			v := map[string]func(Transaction) int64{
				"": txCreated, "created_at": txCreated,
				"updated_at": func(t Transaction) int64 { return t.UpdatedAt },
				"amount":     func(t Transaction) int64 { return t.Amount },
			}[field]
			want := expectedOrder(s.Transactions(), txLive, v, txKey, desc)
			if !slices.Equal(got, want) {
				t.Fatalf("paged %d keys, brute force %d; first differences at %d", len(got), len(want), firstDiff(got, want))
			}
			noDuplicates(t, got)
		})
	}
}

func firstDiff(a, b []string) int {
	for i := range min(len(a), len(b)) {
		if a[i] != b[i] {
			return i
		}
	}
	return min(len(a), len(b))
}

func TestPagingBackward(t *testing.T) {
	s := newTestSandbox(t)
	all := expectedOrder(s.Transactions(), txLive, txCreated, txKey, true)
	t.Run("ending_before returns the items just before the cursor, in list order", func(t *testing.T) {
		for _, pos := range []int{1, 5, 10, 11, 100, len(all) - 1} {
			r := get(t, s, fmt.Sprintf("/v2/transactions?limit=10&ending_before=%s", all[pos]))
			mustStatus(t, r, 200)
			lo := max(0, pos-10)
			if want := all[lo:pos]; !slices.Equal(r.keys(), want) {
				t.Fatalf("pos %d: got %v, want %v", pos, r.keys(), want)
			}
			if r.hasMore() != (lo > 0) {
				t.Fatalf("pos %d: has_more %v", pos, r.hasMore())
			}
		}
	})
	t.Run("walking back from the last item visits every item once", func(t *testing.T) {
		var got []string
		cursor := all[len(all)-1]
		for {
			r := get(t, s, "/v2/transactions?limit=23&ending_before="+cursor)
			ks := r.keys()
			got = append(ks, got...)
			if !r.hasMore() {
				break
			}
			cursor = ks[0]
		}
		if want := all[:len(all)-1]; !slices.Equal(got, want) {
			t.Fatalf("backward walk got %d keys, want %d (first diff %d)", len(got), len(want), firstDiff(got, want))
		}
	})
	t.Run("ending_before the first item is an empty page", func(t *testing.T) {
		r := get(t, s, "/v2/transactions?ending_before="+all[0])
		if len(r.items()) != 0 || r.hasMore() {
			t.Fatalf("got %s", r.raw)
		}
	})
	t.Run("starting_after the last item is an empty page", func(t *testing.T) {
		r := get(t, s, "/v2/transactions?starting_after="+all[len(all)-1])
		if len(r.items()) != 0 || r.hasMore() {
			t.Fatalf("got %s", r.raw)
		}
		if string(r.raw) != `{"data":{"items":[],"has_more":false},"message":"Page returned successfully","status":200}` {
			t.Fatalf("empty page is %s", r.raw)
		}
	})
}

func TestPagingIsTotalUnderTies(t *testing.T) {
	s := New(Options{Empty: true, Now: func() time.Time { return fixedNow }}) // every create shares one timestamp
	for i := 0; i < 25; i++ {
		mustStatus(t, send(t, s, &prodKeys, "POST", "/v2/webhooks", map[string]any{"target": "https://x.example/h", "events": []string{"deal.created"}}), 200)
	}
	got := pageAll(t, s, "/v2/webhooks", 4)
	if len(got) != 25 {
		t.Fatalf("paged %d of 25", len(got))
	}
	noDuplicates(t, got)
	if !slices.IsSortedFunc(got, func(a, b string) int { return strings.Compare(b, a) }) {
		t.Fatal("ties are not broken by key descending")
	}
}

func TestTimeFiltersAreInclusive(t *testing.T) {
	s := newTestSandbox(t)
	txs := s.Transactions()
	pivot := txs[len(txs)/2]
	for _, tt := range []struct {
		name  string
		query string
		keep  func(Transaction) bool
	}{
		{"min_created", fmt.Sprintf("min_created=%d", pivot.CreatedAt), func(t Transaction) bool { return t.CreatedAt >= pivot.CreatedAt }},
		{"max_created", fmt.Sprintf("max_created=%d", pivot.CreatedAt), func(t Transaction) bool { return t.CreatedAt <= pivot.CreatedAt }},
		{"min and max_created on one instant", fmt.Sprintf("min_created=%d&max_created=%d", pivot.CreatedAt, pivot.CreatedAt), func(t Transaction) bool { return t.CreatedAt == pivot.CreatedAt }},
		{"min_updated", fmt.Sprintf("min_updated=%d", pivot.UpdatedAt), func(t Transaction) bool { return t.UpdatedAt >= pivot.UpdatedAt }},
		{"max_updated", fmt.Sprintf("max_updated=%d", pivot.UpdatedAt), func(t Transaction) bool { return t.UpdatedAt <= pivot.UpdatedAt }},
	} {
		t.Run(tt.name+" includes its edge", func(t *testing.T) {
			got := pageAll(t, s, "/v2/transactions?"+tt.query, 250)
			want := expectedOrder(txs, func(x Transaction) bool { return txLive(x) && tt.keep(x) }, txCreated, txKey, true)
			if !slices.Equal(got, want) || !slices.Contains(got, pivot.Key) {
				t.Fatalf("got %d keys, want %d (pivot included: %v)", len(got), len(want), slices.Contains(got, pivot.Key))
			}
		})
	}
}

func TestArchivedItemsAreHiddenByDefault(t *testing.T) {
	s := newTestSandbox(t)
	all := s.Deals()
	archived := 0
	for _, d := range all {
		if d.Archived {
			archived++
		}
	}
	if archived == 0 {
		t.Fatal("demo data has no archived deal")
	}
	if got := len(pageAll(t, s, "/v2/deals", 50)); got != len(all)-archived {
		t.Fatalf("default list has %d deals, want %d", got, len(all)-archived)
	}
	if got := len(pageAll(t, s, "/v2/deals?include_archived=true", 50)); got != len(all) {
		t.Fatalf("include_archived list has %d deals, want %d", got, len(all))
	}
}
