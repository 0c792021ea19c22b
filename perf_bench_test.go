package partnerstackmcp

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	mcpclient "github.com/mark3labs/mcp-go/client"
	"github.com/mark3labs/mcp-go/mcp"

	"github.com/partnerstack-mcp/partnerstack-mcp/client"
	"github.com/partnerstack-mcp/partnerstack-mcp/client/sandbox"
)

// directLatency holds the direct path's quantiles for the MCP run to compare with.
var directLatency struct{ p50, p99 time.Duration }

// BenchmarkCallOverhead measures what the MCP server adds to a read. The
// sandbox is served on a loopback socket; 1 or 64 workers either GET a deal from
// it directly (path=direct) or call get_deal through the MCP server over
// streamable HTTP, itself on a loopback socket, reading the same sandbox
// (path=mcp-http). Each reports p50-ms and p99-ms of one request; the MCP run
// also reports overhead-p50-ms and overhead-p99-ms: its quantile minus the
// direct run's. Run both together:
//
//	go test . -run '^$' -bench CallOverhead -benchtime 20000x
//
// The MCP client runs in the same process, so on a small machine its work
// competes with the server's; with 64 workers on few cores the quantiles are
// mostly queueing (64 x CPU per call / cores).
func BenchmarkCallOverhead(b *testing.B) {
	for _, w := range []int{1, 64} {
		b.Run(fmt.Sprintf("workers=%d", w), func(b *testing.B) { benchOverhead(b, w) })
	}
}

func benchOverhead(b *testing.B, benchWorkers int) {
	sb := sandbox.New(sandbox.Options{Seed: 1})
	api := httptest.NewServer(sb)
	defer api.Close()
	key := sb.Deals()[0].Key

	b.Run("path=direct", func(b *testing.B) {
		hc := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: benchWorkers}}
		url := api.URL + "/api/v2/deals/" + key
		lat := concurrently(b, benchWorkers, func() error {
			req, _ := http.NewRequest(http.MethodGet, url, nil)
			req.SetBasicAuth(sandbox.DefaultPublicKey, sandbox.DefaultSecretKey)
			resp, err := hc.Do(req)
			if err != nil {
				return err
			}
			defer resp.Body.Close()
			if _, err := io.Copy(io.Discard, resp.Body); err != nil {
				return err
			}
			if resp.StatusCode != http.StatusOK {
				return fmt.Errorf("status %d", resp.StatusCode)
			}
			return nil
		})
		directLatency.p50, directLatency.p99 = lat.report(b)
	})

	b.Run("path=mcp-http", func(b *testing.B) {
		c, err := client.New(client.Config{PublicKey: sandbox.DefaultPublicKey, SecretKey: sandbox.DefaultSecretKey,
			BaseURL: api.URL + "/api", HTTPClient: &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: benchWorkers}}})
		if err != nil {
			b.Fatal(err)
		}
		s, err := New(c, Config{})
		if err != nil {
			b.Fatal(err)
		}
		h, err := HTTPHandler(s, TransportHTTP, "")
		if err != nil {
			b.Fatal(err)
		}
		ts := httptest.NewServer(h)
		defer ts.Close()
		clients := make(chan *mcpclient.Client, benchWorkers)
		for range benchWorkers {
			mc, err := mcpclient.NewStreamableHttpClient(ts.URL + "/mcp")
			if err != nil {
				b.Fatal(err)
			}
			ctx := context.Background()
			if err := mc.Start(ctx); err != nil {
				b.Fatal(err)
			}
			init := mcp.InitializeRequest{}
			init.Params.ProtocolVersion = mcp.LATEST_PROTOCOL_VERSION
			init.Params.ClientInfo = mcp.Implementation{Name: "bench", Version: "0"}
			if _, err := mc.Initialize(ctx, init); err != nil {
				b.Fatal(err)
			}
			defer mc.Close()
			clients <- mc
		}
		lat := concurrently(b, benchWorkers, func() error {
			mc := <-clients
			defer func() { clients <- mc }()
			req := mcp.CallToolRequest{}
			req.Params.Name = "get_deal"
			req.Params.Arguments = map[string]any{"key": key}
			res, err := mc.CallTool(context.Background(), req)
			if err != nil {
				return err
			}
			if res.IsError {
				return fmt.Errorf("tool error: %v", res.Content)
			}
			return nil
		})
		p50, p99 := lat.report(b)
		if directLatency.p50 > 0 {
			b.ReportMetric(ms(p50-directLatency.p50), "overhead-p50-ms")
			b.ReportMetric(ms(p99-directLatency.p99), "overhead-p99-ms")
		}
	})
}

type latencies []time.Duration

// concurrently runs b.N calls of fn on benchWorkers goroutines and returns
// every call's latency.
func concurrently(b *testing.B, benchWorkers int, fn func() error) latencies {
	lat := make(latencies, b.N)
	var next atomic.Int64
	var wg sync.WaitGroup
	var failed atomic.Value
	b.ResetTimer()
	for range benchWorkers {
		wg.Go(func() {
			for {
				i := next.Add(1) - 1
				if i >= int64(b.N) {
					return
				}
				start := time.Now()
				if err := fn(); err != nil {
					failed.Store(err)
					return
				}
				lat[i] = time.Since(start)
			}
		})
	}
	wg.Wait()
	b.StopTimer()
	if err, _ := failed.Load().(error); err != nil {
		b.Fatal(err)
	}
	return lat
}

func (l latencies) report(b *testing.B) (p50, p99 time.Duration) {
	slices.Sort(l)
	p50, p99 = l[len(l)*50/100], l[min(len(l)-1, len(l)*99/100)]
	b.ReportMetric(ms(p50), "p50-ms")
	b.ReportMetric(ms(p99), "p99-ms")
	return p50, p99
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

// BenchmarkStartup builds the static release binary (CGO_ENABLED=0,
// -trimpath, -ldflags "-s -w"), reports its size in binary-MB, then starts
// it with --sandbox over stdio b.N times and reports the median time from
// process start to the initialize response, in start-to-init-ms:
//
//	go test . -run '^$' -bench Startup -benchtime 20x
func BenchmarkStartup(b *testing.B) {
	bin := filepath.Join(b.TempDir(), "partnerstack-mcp")
	build := exec.Command("go", "build", "-trimpath", "-ldflags", "-s -w", "-o", bin, "./cmd/partnerstack-mcp")
	build.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := build.CombinedOutput(); err != nil {
		b.Fatalf("build: %v\n%s", err, out)
	}
	st, err := os.Stat(bin)
	if err != nil {
		b.Fatal(err)
	}
	init := `{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-11-25","capabilities":{},"clientInfo":{"name":"bench","version":"0"}}}` + "\n"
	var times []time.Duration
	b.ResetTimer()
	for b.Loop() {
		cmd := exec.Command(bin, "--sandbox", "--log-level", "error")
		cmd.Stdin = strings.NewReader(init)
		out, err := cmd.StdoutPipe()
		if err != nil {
			b.Fatal(err)
		}
		start := time.Now()
		if err := cmd.Start(); err != nil {
			b.Fatal(err)
		}
		line, err := bufio.NewReader(out).ReadString('\n')
		took := time.Since(start)
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
		if err != nil || !strings.Contains(line, `"id":1`) || !strings.Contains(line, "serverInfo") {
			b.Fatalf("no initialize response: %v %q", err, line)
		}
		times = append(times, took)
	}
	b.StopTimer()
	slices.Sort(times)
	b.ReportMetric(ms(times[len(times)/2]), "start-to-init-ms")
	b.ReportMetric(float64(st.Size())/1e6, "binary-MB")
}
