package tools

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
)

// Issue 17, item 12: the epoch (1970-01-01T00:00:00Z, 0 ms) is a real date
// bound. It was read as "no bound": created_before=1970-01-01T00:00:00Z
// listed items and summarize_revenue to=1970-01-01T00:00:00Z summed
// everything.
func TestEpochZeroIsARealDateBound(t *testing.T) {
	f := newGuardFixture(t, Deps{})
	const epoch = "1970-01-01T00:00:00Z"
	for _, tool := range []string{"list_transactions", "list_partnerships", "list_customers", "list_rewards"} {
		isErr, text := f.call(t, tool, map[string]any{"created_before": epoch, "limit": 5})
		if isErr || !strings.HasPrefix(text, "count=0; has_more=false") {
			t.Errorf("%s created_before the epoch: %s", tool, clip(text))
		}
		isErr, text = f.call(t, tool, map[string]any{"created_after": epoch, "limit": 5})
		if isErr || !strings.HasPrefix(text, "count=5; has_more=true") {
			t.Errorf("%s created_after the epoch: %s", tool, clip(text))
		}
	}
	for _, args := range []map[string]any{{"to": epoch}, {"from": epoch, "to": epoch}} {
		res, err := f.tools["summarize_revenue"].Handler(context.Background(), mcpReq("summarize_revenue", args))
		if err != nil || res.IsError {
			t.Fatalf("%v: %v %v", args, err, res)
		}
		raw, _ := json.Marshal(res.StructuredContent)
		var out struct {
			Total struct {
				Count int `json:"count"`
			} `json:"total"`
			Coverage Coverage `json:"coverage"`
		}
		if err := json.Unmarshal(raw, &out); err != nil {
			t.Fatal(err)
		}
		if out.Total.Count != 0 || out.Coverage.To != "1970-01-01T00:00:00Z" {
			t.Errorf("summarize_revenue %v: %s", args, raw)
		}
	}
	// A write backdated to the epoch carries it, rather than dropping it.
	_, cust := f.partnerAndCustomer(t)
	isErr, text := f.call(t, "record_transaction", map[string]any{"customer_key": cust, "amount": 100, "currency": "USD",
		"created_at": epoch, "dry_run": true})
	if isErr || !strings.Contains(text, `"created_at":0`) {
		t.Errorf("a transaction backdated to the epoch: %s", text)
	}
}
