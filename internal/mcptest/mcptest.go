// Package mcptest drives an MCP server in tests as a real client does: the
// official go-sdk client over any transport, and a loopback HTTP server to
// host a handler on. It is shared by the tests of httpserve, e2e and
// e2e/perf, and imports neither of them.
package mcptest

import (
	"context"
	"encoding/json"
	"net"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	gosdk "github.com/modelcontextprotocol/go-sdk/mcp"
)

// ServeLoopback serves the handler that build returns for the base URL
// (http://127.0.0.1:PORT) on a fresh loopback port until the test ends, and
// returns that base URL.
func ServeLoopback(t testing.TB, build func(baseURL string) (http.Handler, error)) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	base := "http://" + ln.Addr().String()
	h, err := build(base)
	if err != nil {
		ln.Close()
		t.Fatal(err)
	}
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 5 * time.Second}
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Close() }) // Close, not Shutdown: SSE streams never go idle
	return base
}

// SDKSession connects the official go-sdk client over a transport,
// optionally pinned to a protocol version, counting progress notifications
// into progress when it is not nil. The session closes when the test ends.
func SDKSession(t testing.TB, tr gosdk.Transport, version string, progress *atomic.Int32) *gosdk.ClientSession {
	t.Helper()
	opts := &gosdk.ClientOptions{}
	if progress != nil {
		opts.ProgressNotificationHandler = func(context.Context, *gosdk.ProgressNotificationClientRequest) { progress.Add(1) }
	}
	c := gosdk.NewClient(&gosdk.Implementation{Name: "go-sdk-e2e", Version: "0"}, opts)
	// The connect context bounds the session's streams too, so it must outlive the test's calls.
	cs, err := c.Connect(context.Background(), tr, &gosdk.ClientSessionOptions{ProtocolVersion: version})
	if err != nil {
		t.Fatalf("connect: %v", err)
	}
	t.Cleanup(func() { cs.Close() })
	return cs
}

// SDKCall calls a tool and returns its structured content, whether it is a
// tool error, and its text content. A protocol error fails the test.
func SDKCall(t testing.TB, cs *gosdk.ClientSession, name string, args map[string]any) (map[string]any, bool, string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	res, err := cs.CallTool(ctx, &gosdk.CallToolParams{Name: name, Arguments: args})
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	var text []string
	for _, c := range res.Content {
		if tc, ok := c.(*gosdk.TextContent); ok {
			text = append(text, tc.Text)
		}
	}
	var structured map[string]any
	if res.StructuredContent != nil {
		raw, _ := json.Marshal(res.StructuredContent)
		_ = json.Unmarshal(raw, &structured)
	}
	return structured, res.IsError, strings.Join(text, "\n")
}

// HeaderTransport adds fixed headers to every request.
type HeaderTransport map[string]string

func (h HeaderTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	r = r.Clone(r.Context())
	for k, v := range h {
		r.Header.Set(k, v)
	}
	return http.DefaultTransport.RoundTrip(r)
}

// Items turns a list result's structuredContent (columns and rows, see
// tools/table.go) back into one object per row, dotted columns nested again
// and null cells left out, as a client that wants objects would. It returns
// nil when structured holds no table.
func Items(structured map[string]any) []map[string]any {
	columns, _ := structured["columns"].([]any)
	rows, ok := structured["rows"].([]any)
	if !ok {
		return nil
	}
	items := make([]map[string]any, 0, len(rows))
	for _, r := range rows {
		cells, _ := r.([]any)
		item := map[string]any{}
		for j, c := range columns {
			if j >= len(cells) || cells[j] == nil {
				continue
			}
			name, _ := c.(string)
			path := strings.Split(name, ".")
			obj := item
			for _, p := range path[:len(path)-1] {
				next, ok := obj[p].(map[string]any)
				if !ok {
					next = map[string]any{}
					obj[p] = next
				}
				obj = next
			}
			obj[path[len(path)-1]] = cells[j]
		}
		items = append(items, item)
	}
	return items
}
