package tools

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/mark3labs/mcp-go/mcp"

	"github.com/partnerstack-mcp/partnerstack-mcp/client"
	"github.com/partnerstack-mcp/partnerstack-mcp/client/sandbox"
)

// Issue 17, item 11: the result budget holds for every form of a list
// result. It was counted on the JSON items only, and the text table (the
// union of every item's flattened fields as columns) of items whose metadata
// keys all differ came to several times the budget.
func TestResultBudgetHoldsForTextAndStructuredContent(t *testing.T) {
	sb := sandbox.New(sandbox.Options{})
	c := newSandboxClient(t, sb, nil)
	ctx := context.Background()
	page, err := c.Customers.List(ctx, &client.CustomerListOptions{ListOptions: client.ListOptions{Limit: 1}})
	if err != nil || len(page.Items) == 0 || page.Items[0].CustomerKey == nil {
		t.Fatalf("no customer: %v", err)
	}
	customer := *page.Items[0].CustomerKey
	for i := 0; i < 60; i++ {
		meta := map[string]any{}
		for k := 0; k < 25; k++ { // the API's cap; names of up to 30 characters
			meta[fmt.Sprintf("item%02d_field%02d_%s", i, k, strings.Repeat("x", 14))] = "1"
		}
		if _, err := c.Transactions.Create(ctx, &client.TransactionCreate{CustomerExternalKey: customer, Amount: 100,
			Currency: "USD", Metadata: meta}); err != nil {
			t.Fatal(err)
		}
	}
	for _, budget := range []int{DefaultResultBudget, 6000} {
		t.Run(fmt.Sprint(budget), func(t *testing.T) {
			var list Tool
			for _, tl := range transactionTools(Deps{Client: c, ResultBudget: budget}) {
				if tl.Def.Name == "list_transactions" {
					list = tl
				}
			}
			res, err := list.Handler(ctx, mcpReq("list_transactions", map[string]any{"limit": 100, "fields": []any{"metadata"}}))
			if err != nil || res.IsError {
				t.Fatalf("%v %v", err, res.Content)
			}
			text := res.Content[0].(mcp.TextContent).Text
			structured, _ := json.Marshal(res.StructuredContent)
			var out struct {
				Count      int    `json:"count"`
				HasMore    bool   `json:"has_more"`
				NextCursor string `json:"next_cursor"`
			}
			if err := json.Unmarshal(structured, &out); err != nil {
				t.Fatal(err)
			}
			if len(text) > budget || len(structured) > budget {
				t.Fatalf("%d items: text %d bytes, structuredContent %d bytes; budget %d", out.Count, len(text), len(structured), budget)
			}
			t.Logf("%d items: text %d bytes, structuredContent %d bytes", out.Count, len(text), len(structured))
			if out.Count < 2 || !out.HasMore || out.NextCursor == "" {
				t.Fatalf("the cut is not honest or too early: %+v", out)
			}
			var tbl listTable
			if err := json.Unmarshal(structured, &tbl); err != nil {
				t.Fatal(err)
			}
			checkTextMatchesTable(t, "list_transactions", text, tbl)
		})
	}
}

// The meter's figures are the table's real sizes, not an estimate: the text
// without its count line, and the JSON's columns and rows.
func TestResultMeterSizesTheTableExactly(t *testing.T) {
	type item struct {
		Key       string            `json:"key"`
		Name      string            `json:"name,omitempty"`
		Tags      []string          `json:"tags,omitempty"`
		Meta      map[string]string `json:"meta,omitempty"`
		CreatedAt string            `json:"created_at"`
	}
	items := []item{
		{Key: "a", Name: `pipe | and "quote" \ back`, Tags: []string{"x,y", "z"}, CreatedAt: "2026-04-30T10:00:00Z"},
		{Key: "b", Meta: map[string]string{"k1": "v\nline", "k2": "<&>"}, CreatedAt: "2026-04-29T10:00:00Z"},
		{Key: "c", Name: "Zoë 日本", Meta: map[string]string{"k3": ""}, CreatedAt: "not a time"},
	}
	m := newResultMeter(1 << 20)
	for _, it := range items {
		raw, _ := json.Marshal(it)
		if !m.add(raw, false) {
			t.Fatal("refused under a large budget")
		}
	}
	res := ListResult[item]{Items: items, Count: len(items)}
	js, _ := json.Marshal(res)
	structured, text, err := publish(res, cleanJSON(js))
	if err != nil {
		t.Fatal(err)
	}
	head := len("count=3; has_more=false\n")
	envelope := len(`{"count":3,"has_more":false,}`)
	if m.textBytes != len(text)-head+1 || m.tableBytes != len(structured)-envelope {
		t.Fatalf("meter: text %d, table %d; actual: text %d, JSON %d\n%s\n%s", m.textBytes, m.tableBytes,
			len(text)-head+1, len(structured)-envelope, text, structured)
	}
}
