package tools

import (
	"context"
	"testing"

	"github.com/mark3labs/mcp-go/mcp"

	"github.com/partnerstack-mcp/partnerstack-mcp/internal/redistest"
	"github.com/partnerstack-mcp/partnerstack-mcp/tools/dedupe"
)

// BenchmarkMoneyWriteGuard is one record_transaction through the real tool
// handler against the in-process sandbox, with the guard's memory in this
// process and in a real redis-server on loopback. The difference between
// the two is the shared store's cost per money write: one SET NX PX GET to
// reserve, one script call to keep.
//
//	go test -run '^$' -bench BenchmarkMoneyWriteGuard -benchtime 3000x -count 5 ./tools
func BenchmarkMoneyWriteGuard(b *testing.B) {
	for _, kind := range []string{"memory", "redis"} {
		b.Run("store="+kind, func(b *testing.B) {
			var store dedupe.Store = dedupe.NewMemory()
			if kind == "redis" {
				srv := redistest.Start(b)
				var err error
				if store, err = dedupe.Open(srv.URL()); err != nil {
					b.Fatal(err)
				}
				defer store.Close()
			}
			f := newGuardFixture(b, Deps{DedupeStore: store})
			_, cust := f.partnerAndCustomer(b)
			tool := f.tools["record_transaction"]
			amount := 0
			for b.Loop() {
				amount++ // a new write every time, so none is refused
				res, err := tool.Handler(context.Background(), mcpReq("record_transaction",
					map[string]any{"customer_key": cust, "amount": amount, "currency": "USD"}))
				if err != nil || res.IsError {
					b.Fatalf("%v %v", err, res.Content[0].(mcp.TextContent).Text)
				}
			}
		})
	}
}
