package e2e_test

import (
	"encoding/json"
	"strings"
	"testing"

	partnerstackmcp "github.com/partnerstack-mcp/partnerstack-mcp"
	"github.com/partnerstack-mcp/partnerstack-mcp/client"
	"github.com/partnerstack-mcp/partnerstack-mcp/client/sandbox"
	"github.com/partnerstack-mcp/partnerstack-mcp/internal/profiletest"
)

// Walking list_transactions with cursors yields every transaction once, in
// the API's order, however the pages and the tool's limit fall.
func TestListCursorsWalkEverythingOnce(t *testing.T) {
	profiletest.Run(t, testListCursorsWalkEverythingOnce)
}

func testListCursorsWalkEverythingOnce(t *testing.T, profile sandbox.Profile) {
	f := newFixture(t, partnerstackmcp.Config{}, sandbox.Options{Transactions: 620})
	c := f.inProcess(t, "")
	want := f.sb.Transactions()
	if len(want) < 620 {
		t.Fatalf("sandbox has %d transactions", len(want))
	}
	seen := map[string]bool{}
	var order []string
	args := map[string]any{"limit": 260}
	calls := 0
	for {
		calls++
		r := call(t, c, "list_transactions", args)
		if r.IsError {
			t.Fatal(r.Text)
		}
		for _, it := range r.items(t) {
			k := it["key"].(string)
			if seen[k] {
				t.Fatalf("%s returned twice", k)
			}
			seen[k] = true
			order = append(order, k)
		}
		if r.Structured["has_more"] != true {
			if _, ok := r.Structured["next_cursor"]; ok {
				t.Fatal("next_cursor without has_more")
			}
			break
		}
		args["cursor"] = r.Structured["next_cursor"]
		if calls > 20 {
			t.Fatal("no end in sight")
		}
	}
	if len(order) != len(want) {
		t.Fatalf("walked %d of %d transactions in %d calls", len(order), len(want), calls)
	}
}

func TestListLimitSpansAPIPagesAndSaysWhetherMoreExist(t *testing.T) {
	profiletest.Run(t, testListLimitSpansAPIPagesAndSaysWhetherMoreExist)
}

func testListLimitSpansAPIPagesAndSaysWhetherMoreExist(t *testing.T, profile sandbox.Profile) {
	f := newFixture(t, partnerstackmcp.Config{ResultBudget: 1 << 20}, sandbox.Options{Transactions: 400})
	c := f.inProcess(t, "")
	f.sb.ResetLog()
	r := call(t, c, "list_transactions", map[string]any{"limit": 300})
	if r.IsError || r.Structured["count"] != float64(300) || r.Structured["has_more"] != true || r.Structured["next_cursor"] == "" {
		t.Fatalf("limit 300 of 400: %v", r.Structured["count"])
	}
	if n := len(f.sb.Requests()); n != 2 {
		t.Fatalf("%d API pages fetched for 300 items, want 2 (250 + 50)", n)
	}
	last := r.items(t)[299]["key"]
	if r.Structured["next_cursor"] != last {
		t.Fatalf("next_cursor %v is not the last item %v", r.Structured["next_cursor"], last)
	}
	r = call(t, c, "list_transactions", map[string]any{"limit": 500})
	if r.Structured["count"] != float64(400) || r.Structured["has_more"] != false {
		t.Fatalf("limit 500 of 400: count %v has_more %v", r.Structured["count"], r.Structured["has_more"])
	}
}

func TestListStopsAtTheByteBudgetAndSaysHowToContinue(t *testing.T) {
	profiletest.Run(t, testListStopsAtTheByteBudgetAndSaysHowToContinue)
}

func testListStopsAtTheByteBudgetAndSaysHowToContinue(t *testing.T, profile sandbox.Profile) {
	f := newFixture(t, partnerstackmcp.Config{ResultBudget: 2048})
	c := f.inProcess(t, "")
	r := call(t, c, "list_transactions", map[string]any{"limit": 100})
	n := int(r.Structured["count"].(float64))
	if r.IsError || n == 0 || n >= 100 || r.Structured["has_more"] != true {
		t.Fatalf("budget cut: count %d has_more %v", n, r.Structured["has_more"])
	}
	if len(r.Text) > 2048+400 {
		t.Fatalf("result is %d bytes for a 2048-byte budget", len(r.Text))
	}
	if note, _ := r.Structured["note"].(string); !strings.Contains(note, "cursor") {
		t.Fatalf("no note on how to continue: %q", note)
	}
	next := call(t, c, "list_transactions", map[string]any{"limit": 1, "cursor": r.Structured["next_cursor"]})
	if next.items(t)[0]["key"] == r.items(t)[n-1]["key"] {
		t.Fatal("the cursor repeats the last item")
	}
}

// Slim items are much smaller than the API's objects and keep keys, names,
// status and money.
func TestListItemsAreTrimmed(t *testing.T) { profiletest.Run(t, testListItemsAreTrimmed) }

func testListItemsAreTrimmed(t *testing.T, profile sandbox.Profile) {
	f := newFixture(t, partnerstackmcp.Config{})
	c := f.inProcess(t, "")
	r := call(t, c, "list_transactions", map[string]any{"limit": 25})
	page, err := f.api.Transactions.List(t.Context(), &client.TransactionListOptions{ListOptions: client.ListOptions{Limit: 25}})
	if err != nil {
		t.Fatal(err)
	}
	rawJSON, _ := json.Marshal(page.Items)
	itemsJSON, _ := json.Marshal(r.Structured)
	if len(itemsJSON)*2 > len(rawJSON) {
		t.Fatalf("the list table is %d bytes vs raw %d bytes: less than 2x smaller", len(itemsJSON), len(rawJSON))
	}
	for _, it := range r.items(t) {
		for _, k := range []string{"key", "amount_cents", "currency", "created_at"} {
			if _, ok := it[k]; !ok {
				t.Fatalf("item lacks %s: %v", k, it)
			}
		}
		for k, v := range it {
			if v == nil || v == "" {
				t.Fatalf("item keeps empty %s", k)
			}
		}
	}
	t.Logf("list_transactions limit=25: %d bytes of structuredContent vs %d bytes raw", len(itemsJSON), len(rawJSON))
}

func TestFieldsArgumentAddsRequestedAPIFields(t *testing.T) {
	profiletest.Run(t, testFieldsArgumentAddsRequestedAPIFields)
}

func testFieldsArgumentAddsRequestedAPIFields(t *testing.T, profile sandbox.Profile) {
	f := newFixture(t, partnerstackmcp.Config{})
	c := f.inProcess(t, "")
	r := call(t, c, "list_transactions", map[string]any{"limit": 3, "fields": []any{"approved", "metadata"}})
	for _, it := range r.items(t) {
		extra, _ := it["extra"].(map[string]any)
		if _, ok := extra["approved"]; !ok {
			t.Fatalf("extra lacks approved: %v", it)
		}
	}
}
