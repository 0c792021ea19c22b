package tools

import (
	"context"
	"time"

	"github.com/mark3labs/mcp-go/mcp"
	"github.com/mark3labs/mcp-go/server"
)

// Call carries per-call facilities a handler may use: progress reporting.
type Call struct {
	srv   *server.MCPServer
	token mcp.ProgressToken
	sent  bool
}

func newCall(ctx context.Context, req mcp.CallToolRequest) *Call {
	c := &Call{srv: server.ServerFromContext(ctx)}
	if req.Params.Meta != nil { // Meta is nil when the client sent no _meta
		c.token = req.Params.Meta.ProgressToken
	}
	return c
}

// Progress sends notifications/progress when the client asked for it with a
// progressToken; otherwise it does nothing.
func (c *Call) Progress(ctx context.Context, progress, total float64, message string) {
	if c == nil || c.srv == nil || c.token == nil {
		return
	}
	params := map[string]any{"progressToken": c.token, "progress": progress, "message": message}
	if total > 0 {
		params["total"] = total
	}
	if c.srv.SendNotificationToClient(ctx, "notifications/progress", params) == nil {
		c.sent = true
	}
}

// settle gives the transport time to flush the last notification before the
// result: mcp-go can otherwise write the result first and clients drop the
// late notification (see the mcp-go notes, gotcha 3). Only paid by calls that
// sent progress.
func (c *Call) settle(ctx context.Context) {
	if c == nil || !c.sent {
		return
	}
	select {
	case <-time.After(20 * time.Millisecond):
	case <-ctx.Done():
	}
}
