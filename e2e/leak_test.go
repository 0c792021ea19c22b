package e2e_test

import (
	"context"
	"testing"
	"time"

	"go.uber.org/goleak"

	"github.com/mark3labs/mcp-go/mcp"

	partnerstackmcp "github.com/partnerstack-mcp/partnerstack-mcp"
	"github.com/partnerstack-mcp/partnerstack-mcp/client/sandbox"
)

// No goroutine outlives its work: a full tool-suite run, then calls
// cancelled mid-request and calls cut by the call deadline, leave nothing
// behind once the client is closed.
func TestNoGoroutineLeaks(t *testing.T) {
	defer goleak.VerifyNone(t, goleak.IgnoreCurrent())

	t.Run("the whole tool suite", func(t *testing.T) {
		f := newFixture(t, partnerstackmcp.Config{})
		exerciseAllTools(t, f, f.inProcess(t, ""))
		for _, tool := range []string{"summarize_revenue", "partner_leaderboard", "pipeline_summary", "reward_summary"} {
			ok(t, call(t, f.inProcess(t, ""), tool, map[string]any{}), tool)
		}
	})
	t.Run("cancelled and timed-out calls", func(t *testing.T) {
		f := faultFixture(t, 0, partnerstackmcp.Config{CallTimeout: 100 * time.Millisecond})
		c := f.inProcess(t, "")
		f.sb.AddFault(sandbox.Fault{Route: "GET /v2/", Kind: sandbox.FaultLatency, Latency: 3 * time.Second})
		for _, tool := range []string{"list_transactions", "summarize_revenue", "partner_leaderboard"} {
			call(t, c, tool, map[string]any{}) // ends at the call deadline
			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Millisecond)
			req := mcp.CallToolRequest{}
			req.Params.Name = tool
			req.Params.Arguments = map[string]any{}
			_, _ = c.CallTool(ctx, req)
			cancel()
		}
		// The sandbox ends each abandoned request when it sees its context end.
		deadline := time.Now().Add(2 * time.Second)
		for time.Now().Before(deadline) {
			done := true
			for _, r := range f.sb.Requests() {
				done = done && r.Status != 0
			}
			if done {
				break
			}
			time.Sleep(10 * time.Millisecond)
		}
	})
}
