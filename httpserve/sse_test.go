package httpserve

import (
	"sync"
	"testing"

	gosdk "github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/partnerstack-mcp/partnerstack-mcp/internal/mcptest"
)

// An SSE client that reads its stream is never held up by the bound: each
// answer it reads frees its call's place.
func TestSSEAnswersFreeTheirPlaces(t *testing.T) {
	f := newFixture(t)
	base := serveGuarded(t, f, TransportSSE, Options{MaxSessionCalls: 2}, nil)
	cs := mcptest.SDKSession(t, &gosdk.SSEClientTransport{Endpoint: base + "/sse"}, "", nil)
	var wg sync.WaitGroup
	for range 2 {
		wg.Go(func() {
			for range 15 {
				if _, isErr, text := mcptest.SDKCall(t, cs, "list_groups", map[string]any{}); isErr {
					t.Errorf("list_groups: %s", text)
					return
				}
			}
		})
	}
	wg.Wait()
}
