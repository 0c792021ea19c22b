package httpserve

import (
	"context"
	"sync/atomic"
	"time"

	"github.com/mark3labs/mcp-go/mcp"
	"github.com/mark3labs/mcp-go/server"
)

// inflight counts running tool calls so a shutdown can wait for them.
type inflight struct{ n atomic.Int64 }

func (c *inflight) track(next server.ToolHandlerFunc) server.ToolHandlerFunc {
	return func(ctx context.Context, req mcp.CallToolRequest) (*mcp.CallToolResult, error) {
		c.n.Add(1)
		defer c.n.Add(-1)
		return next(ctx, req)
	}
}

// wait returns once no call is running, or when ctx ends.
func (c *inflight) wait(ctx context.Context) {
	tick := time.NewTicker(10 * time.Millisecond)
	defer tick.Stop()
	for c.n.Load() > 0 {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
	}
	// An SSE answer is queued on its stream just after the call returns.
	select {
	case <-time.After(100 * time.Millisecond):
	case <-ctx.Done():
	}
}
