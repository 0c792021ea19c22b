package perf_test

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"runtime"
	"slices"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	gosdk "github.com/modelcontextprotocol/go-sdk/mcp"
	partnerstackmcp "github.com/partnerstack-mcp/partnerstack-mcp"
	"github.com/partnerstack-mcp/partnerstack-mcp/client"
	"github.com/partnerstack-mcp/partnerstack-mcp/client/sandbox"
	"github.com/partnerstack-mcp/partnerstack-mcp/httpserve"
	"github.com/partnerstack-mcp/partnerstack-mcp/internal/mcptest"
	"github.com/partnerstack-mcp/partnerstack-mcp/tools"
)

// TestLoad drives the streamable HTTP transport on 127.0.0.1 with 64
// concurrent clients and 20,000 tool calls against the in-process sandbox,
// and checks for errors and heap growth. It is bounded (a fixed call count
// and a 5-minute deadline) and only runs when asked:
//
//	PARTNERSTACK_LOAD=1 go test -run TestLoad -v ./e2e/perf
//
// PARTNERSTACK_LOAD_CALLS and PARTNERSTACK_LOAD_CLIENTS change the shape.
func TestLoad(t *testing.T) {
	if os.Getenv("PARTNERSTACK_LOAD") == "" {
		t.Skip("set PARTNERSTACK_LOAD=1 to run the load test")
	}
	calls, clients := envInt(t, "PARTNERSTACK_LOAD_CALLS", 20000), envInt(t, "PARTNERSTACK_LOAD_CLIENTS", 64)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()

	sb := sandbox.New(sandbox.Options{})
	api, err := client.New(client.Config{PublicKey: sandbox.DefaultPublicKey, SecretKey: sandbox.DefaultSecretKey,
		BaseURL: "http://sandbox.invalid/api", HTTPClient: sb.Client()})
	if err != nil {
		t.Fatal(err)
	}
	s, err := partnerstackmcp.New(api, partnerstackmcp.Config{Toolsets: []tools.ToolsetID{tools.ToolsetAll}})
	if err != nil {
		t.Fatal(err)
	}
	base := mcptest.ServeLoopback(t, func(base string) (http.Handler, error) { // 127.0.0.1 only
		return httpserve.NewHandler(s, base, httpserve.Options{Transport: httpserve.TransportHTTP})
	})
	// One keep-alive connection per client: http.DefaultTransport keeps only
	// two idle, and the load would then measure TCP connection churn.
	hc := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: clients, IdleConnTimeout: time.Minute}}
	defer hc.CloseIdleConnections()
	sessions := make([]*gosdk.ClientSession, clients)
	for i := range sessions {
		// 2025-11-25 is what today's hosts speak: sessions are minted and validated.
		sessions[i] = mcptest.SDKSession(t, &gosdk.StreamableClientTransport{Endpoint: base + "/mcp", HTTPClient: hc}, "2025-11-25", nil)
	}
	first, _, text := mcptest.SDKCall(t, sessions[0], "list_partnerships", map[string]any{"limit": 50})
	var keys []string
	for _, it := range mcptest.Items(first) {
		keys = append(keys, it["key"].(string))
	}
	if len(keys) == 0 {
		t.Fatalf("no partners: %s", text)
	}

	latency := make([]time.Duration, calls)
	var next, failed atomic.Int64
	var firstErr atomic.Value
	// run makes calls [from, to) with every client, each taking the next number.
	run := func(to int) time.Duration {
		start := time.Now()
		var wg sync.WaitGroup
		for _, cs := range sessions {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for {
					i := int(next.Add(1) - 1)
					if i >= to || ctx.Err() != nil {
						next.Add(-1) // leave the number for the next phase
						return
					}
					var p gosdk.CallToolParams
					switch i % 3 {
					case 0:
						p = gosdk.CallToolParams{Name: "list_groups", Arguments: map[string]any{}}
					case 1:
						p = gosdk.CallToolParams{Name: "list_partnerships", Arguments: map[string]any{"limit": 5}}
					default:
						p = gosdk.CallToolParams{Name: "get_partnership", Arguments: map[string]any{"key": keys[i%len(keys)]}}
					}
					callCtx, done := context.WithTimeout(ctx, 20*time.Second)
					t0 := time.Now()
					res, err := cs.CallTool(callCtx, &p)
					latency[i] = time.Since(t0)
					done()
					if err == nil && res.IsError {
						err = fmt.Errorf("%s: tool error", p.Name)
					}
					if err != nil {
						failed.Add(1)
						firstErr.CompareAndSwap(nil, err)
					}
				}
			}()
		}
		wg.Wait()
		return time.Since(start)
	}
	heap := func() uint64 {
		sb.ResetLog() // the sandbox's request log is not the server's memory
		runtime.GC()
		runtime.GC()
		var m runtime.MemStats
		runtime.ReadMemStats(&m)
		return m.HeapInuse
	}

	quarter := calls / 4
	d1 := run(quarter)
	heap25 := heap()
	d2 := run(calls)
	heap100 := heap()
	if ctx.Err() != nil {
		t.Fatalf("the load test hit its deadline after %d calls", next.Load())
	}
	if n := failed.Load(); n > 0 {
		t.Fatalf("%d of %d calls failed; first: %v", n, calls, firstErr.Load())
	}

	sorted := slices.Clone(latency)
	slices.Sort(sorted)
	pct := func(p float64) time.Duration { return sorted[int(p*float64(len(sorted)-1))] }
	elapsed := d1 + d2
	t.Logf("load: %d clients, %d calls over streamable HTTP on 127.0.0.1 in %s: %.0f calls/s, p50 %s, p99 %s, max %s; HeapInuse after GC %.1f MiB at 25%%, %.1f MiB at 100%%",
		clients, calls, elapsed.Round(time.Millisecond), float64(calls)/elapsed.Seconds(),
		pct(0.50).Round(time.Microsecond), pct(0.99).Round(time.Microsecond), sorted[len(sorted)-1].Round(time.Microsecond),
		float64(heap25)/(1<<20), float64(heap100)/(1<<20))
	for k, name := range []string{"list_groups", "list_partnerships limit 5", "get_partnership"} {
		var lat []time.Duration
		for i := k; i < len(latency); i += 3 {
			lat = append(lat, latency[i])
		}
		slices.Sort(lat)
		t.Logf("  %s: p50 %s, p99 %s", name, lat[len(lat)/2].Round(time.Microsecond), lat[len(lat)*99/100].Round(time.Microsecond))
	}
	// Three times as many calls ran between the two readings: a per-call
	// leak of even ~300 bytes would show as several MiB.
	if slack := uint64(4 << 20); heap100 > heap25+slack {
		t.Fatalf("HeapInuse grew from %d to %d bytes between 25%% and 100%% of the calls", heap25, heap100)
	}
}

func envInt(t *testing.T, name string, def int) int {
	t.Helper()
	v := os.Getenv(name)
	if v == "" {
		return def
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 4 {
		t.Fatalf("%s=%q: want a number of at least 4", name, v)
	}
	return n
}
