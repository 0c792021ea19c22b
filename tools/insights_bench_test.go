package tools

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"net/http"
	"os"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/partnerstack-mcp/partnerstack-mcp/client"
	"github.com/partnerstack-mcp/partnerstack-mcp/client/sandbox"
)

// The insight walk against an in-process sandbox with injected per-page
// latency (the sandbox's latency fault, on every GET).
//
//	go test ./tools -run '^$' -bench InsightWalk -benchtime 1x -timeout 60m
//	PARTNERSTACK_BENCH_SIZES=100k,1M ... (default 100k; 1M takes ~15 min)
//	go test ./tools -run '^$' -bench InsightTargets -benchtime 1x -timeout 30m
//	  (one size: -bench 'InsightTargets/^txns=100000/')
//
// Metrics per run:
//   - wall-s: the whole walk, resumed call after call until complete; in
//     the matrix no call starts that could end past benchWallCap (so the
//     slowest runs are one 50 s call, and say complete=0);
//   - pages, calls, complete (1/0), items/s (items read / wall);
//   - floor-ratio: wall / (pages x latency / concurrency), the physical
//     floor of the pages actually read (1.0 = only latency, no overhead);
//   - page-overhead: pages / ceil(items / 250): requests beyond the minimum
//     (probes, partial pages where sub-ranges meet);
//   - peak-heap-MiB: HeapInuse sampled every millisecond (includes garbage);
//     live-over-base-MiB: the largest live heap (heap profile) after a forced GC (every
//     100th request, mid-walk) minus the live heap before the walk (which
//     holds the sandbox): what the walk retains.
const benchWallCap = 60 * time.Second

func BenchmarkInsightWalk(b *testing.B) {
	sizes := map[string]int{"100k": 100_000, "1M": 1_000_000}
	want := []string{"100k"}
	if v := os.Getenv("PARTNERSTACK_BENCH_SIZES"); v != "" {
		want = strings.Split(v, ",")
	}
	for _, name := range want {
		n, ok := sizes[strings.TrimSpace(name)]
		if !ok {
			b.Fatalf("PARTNERSTACK_BENCH_SIZES: unknown size %q (100k or 1M)", name)
		}
		sb := sandbox.New(sandbox.Options{Seed: 1, Transactions: n})
		want, _ := bruteRevenue(sb, revQuery{})
		for _, latency := range []time.Duration{0, 50 * time.Millisecond, 200 * time.Millisecond} {
			for _, conc := range []int{1, 4, 8} {
				b.Run(fmt.Sprintf("txns=%s/latency=%s/concurrency=%d", name, latency, conc), func(b *testing.B) {
					benchWalk(b, sb, want, latency, conc, benchWallCap)
				})
			}
		}
	}
}

// BenchmarkInsightTargets runs the targets with default settings
// (concurrency 6, 50 s budget, 60 s call timeout) at 200 ms per page:
// 100k transactions in one call; 1M resumed until complete, checked
// against the brute-force totals and for pages read twice.
func BenchmarkInsightTargets(b *testing.B) {
	for _, n := range []int{100_000, 1_000_000} {
		b.Run(fmt.Sprintf("txns=%d/latency=200ms/defaults", n), func(b *testing.B) {
			start := time.Now()
			sb := sandbox.New(sandbox.Options{Seed: 1, Transactions: n})
			want, _ := bruteRevenue(sb, revQuery{})
			b.Logf("seeded %d transactions in %.1f s", n, time.Since(start).Seconds())
			benchWalk(b, sb, want, 200*time.Millisecond, 0, 0)
		})
	}
}

func benchWalk(b *testing.B, sb *sandbox.Sandbox, want bruteRow, latency time.Duration, conc int, wallCap time.Duration) {
	sb.ClearFaults()
	if latency > 0 {
		sb.AddFault(sandbox.Fault{Route: "GET /v2/", Kind: sandbox.FaultLatency, Latency: latency})
	}
	live := &liveHeap{next: sb.Client().Transport, every: 100}
	rec := newPageRecorder(live)
	d := Deps{Client: newSandboxClient(b, sb, rec), InsightConcurrency: conc}
	args := map[string]any{"from": "2020-01-01", "to": "2030-01-01", "group_by": "currency"}
	// The sandbox sorts a list once, on its first page: not the walk's memory.
	if _, err := d.Client.Transactions.List(context.Background(), &client.TransactionListOptions{ListOptions: client.ListOptions{Limit: 1}}); err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		base := live.reset()
		peak := sampleHeap()
		start := time.Now()
		var got revenueResult
		var calls, firstPartial int
		var firstWall time.Duration
		for {
			ctx, cancel := context.WithTimeout(context.Background(), DefaultCallTimeout)
			callStart := time.Now()
			got = runInsight[revenueResult](b, ctx, d, "summarize_revenue", args)
			cancel()
			calls++
			if took := time.Since(callStart); took >= DefaultCallTimeout {
				b.Fatalf("call %d took %v: past the call timeout", calls, took)
			}
			if calls == 1 && !got.Coverage.Complete {
				firstPartial, firstWall = got.Total.Count, time.Since(start)
			}
			if got.Coverage.Complete {
				break
			}
			if wallCap > 0 && time.Since(start)+DefaultInsightBudget > wallCap {
				break
			}
			args = maps.Clone(args)
			args["resume_token"] = got.Coverage.ResumeToken
		}
		wall := time.Since(start)
		top := peak()
		cv := got.Coverage
		exact := "not complete"
		if cv.Complete {
			exact = "totals equal the brute force, no page read twice"
			if !checkRevenueRowB(b, got.Total, want) {
				exact = "TOTALS DIFFER"
			}
			if r := rec.repeated("/api/v2/transactions"); len(r) > 0 {
				b.Errorf("%d transaction pages read twice, e.g. %s", len(r), r[0])
				exact = "PAGES READ TWICE"
			}
		}
		complete := 0.0
		if cv.Complete {
			complete = 1
		}
		floor := float64(cv.Pages) * latency.Seconds() / float64(d.insightConcurrency())
		minPages := (cv.ItemsSeen + client.MaxPageSize - 1) / client.MaxPageSize
		b.ReportMetric(wall.Seconds(), "wall-s")
		b.ReportMetric(float64(cv.Pages), "pages")
		b.ReportMetric(float64(calls), "calls")
		b.ReportMetric(complete, "complete")
		b.ReportMetric(float64(cv.ItemsSeen)/wall.Seconds(), "items/s")
		if floor > 0 {
			b.ReportMetric(wall.Seconds()/floor, "floor-ratio")
		}
		if minPages > 0 {
			b.ReportMetric(float64(cv.Pages)/float64(minPages), "page-overhead")
		}
		b.ReportMetric(float64(top)/(1<<20), "peak-heap-MiB")
		b.ReportMetric((float64(live.max())-float64(base))/(1<<20), "live-over-base-MiB")
		if firstWall > 0 {
			b.ReportMetric(firstWall.Seconds(), "first-answer-s")
			b.ReportMetric(float64(firstPartial), "first-answer-items")
		}
		b.Logf("%d items: %d calls, %d pages, %.1f s (first answer %.1f s, %d items): %s",
			want.count, calls, cv.Pages, wall.Seconds(), firstWall.Seconds(), firstPartial, exact)
	}
}

func checkRevenueRowB(b *testing.B, got revenueRow, want bruteRow) bool {
	b.Helper()
	if got.Count != want.count || got.USDCents != want.usd || !sameMoney(got.Cents, want.cents) {
		g, _ := json.Marshal(got)
		b.Errorf("totals differ from the brute force: got %s, want count=%d usd=%d cents=%v", g, want.count, want.usd, want.cents)
		return false
	}
	return true
}

// liveHeap measures the live heap mid-walk: every nth request it forces a
// GC and records the bytes in use by the heap profile's account. Not
// HeapAlloc: objects other workers allocate while the forced GC marks are
// counted live by HeapAlloc, and on a 300 MiB heap (the 1M-item sandbox)
// that floating garbage read as over 250 MiB "live" at concurrency 8; the
// profile counts what the cycle found reachable (sampled every 512 KiB
// allocated, so figures are good to about a MiB).
type liveHeap struct {
	next  http.RoundTripper
	every int64
	n     atomic.Int64
	mu    sync.Mutex
	top   int64
}

func (l *liveHeap) RoundTrip(r *http.Request) (*http.Response, error) {
	if l.n.Add(1)%l.every == 0 {
		l.mu.Lock() // one sample at a time
		l.top = max(l.top, inUse())
		l.mu.Unlock()
	}
	return l.next.RoundTrip(r)
}

// inUse forces a GC, then sums the heap profile's bytes in use.
func inUse() int64 {
	runtime.GC()
	recs := make([]runtime.MemProfileRecord, 4096)
	for {
		n, ok := runtime.MemProfile(recs, true)
		if ok {
			var sum int64
			for _, r := range recs[:n] {
				sum += r.InUseBytes()
			}
			return sum
		}
		recs = make([]runtime.MemProfileRecord, n+n/2)
	}
}

// reset clears the maximum and returns the live heap now.
func (l *liveHeap) reset() int64 {
	v := inUse()
	l.mu.Lock()
	defer l.mu.Unlock()
	l.top = v
	return v
}

func (l *liveHeap) max() int64 {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.top
}

// sampleHeap polls HeapInuse until the returned function is called, which
// stops the sampler and gives the highest value seen.
func sampleHeap() func() uint64 {
	var peak atomic.Uint64
	stop := make(chan struct{})
	done := make(chan struct{})
	go func() {
		defer close(done)
		t := time.NewTicker(time.Millisecond)
		defer t.Stop()
		var m runtime.MemStats
		for {
			runtime.ReadMemStats(&m)
			if m.HeapInuse > peak.Load() {
				peak.Store(m.HeapInuse)
			}
			select {
			case <-stop:
				return
			case <-t.C:
			}
		}
	}()
	return func() uint64 { close(stop); <-done; return peak.Load() }
}
