package tools

import (
	"context"
	"net/http"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/partnerstack-mcp/partnerstack-mcp/client/sandbox"
)

// BenchmarkSummarizeRevenue100k aggregates 100k transactions from an
// in-process sandbox. It reports items/s and two heap figures:
//   - peak-heap-MiB: HeapInuse sampled every millisecond during the calls
//     (includes garbage the GC has not collected yet, so it follows GOGC);
//   - live-over-base-MiB: the largest live heap (after a forced GC, taken
//     every 20th upstream request, i.e. mid-walk) minus the live heap before
//     the calls, which holds the sandbox. This is what the aggregation
//     retains and must not grow with the number of rows.
func BenchmarkSummarizeRevenue100k(b *testing.B) {
	benchRevenue(b, 100_000, "currency", "partner", "day", "currency,windows=4")
}

// BenchmarkSummarizeRevenue10k is the same at a tenth of the rows, to show
// that live-over-base does not scale with them.
func BenchmarkSummarizeRevenue10k(b *testing.B) {
	benchRevenue(b, 10_000, "currency", "currency,windows=4")
}

func benchRevenue(b *testing.B, n int, dims ...string) {
	sb := sandbox.New(sandbox.Options{Seed: 1, Transactions: n})
	live := &liveHeap{next: sb.Client().Transport, every: 20}
	d := Deps{Client: newSandboxClient(b, sb, live), InsightPageCap: 1000}
	for _, groupBy := range dims {
		b.Run("group_by="+groupBy, func(b *testing.B) {
			args := map[string]any{"group_by": groupBy}
			if dim, ok := strings.CutSuffix(groupBy, ",windows=4"); ok {
				// A bounded range covering all seeded data is read in 4
				// parallel windows; the others are unbounded, so sequential.
				args = map[string]any{"group_by": dim, "from": "2026-01-01", "to": "2026-11-01"}
			}
			base := live.reset()
			peak := sampleHeap()
			b.ResetTimer()
			for b.Loop() {
				got := runInsight[revenueResult](b, context.Background(), d, "summarize_revenue", args)
				if !got.Coverage.Complete || got.Total.Count == 0 {
					b.Fatalf("coverage %+v", got.Coverage)
				}
			}
			b.StopTimer()
			top := peak()
			b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "items/s")
			b.ReportMetric(float64(top)/(1<<20), "peak-heap-MiB")
			b.ReportMetric((float64(live.max())-float64(base))/(1<<20), "live-over-base-MiB")
		})
	}
}

// liveHeap measures the live heap mid-walk: every nth request it forces a
// GC and records HeapAlloc.
type liveHeap struct {
	next  http.RoundTripper
	every int64
	n     atomic.Int64
	mu    sync.Mutex
	top   uint64
}

func (l *liveHeap) RoundTrip(r *http.Request) (*http.Response, error) {
	if l.n.Add(1)%l.every == 0 {
		l.mu.Lock() // one sample at a time: a GC racing another's read inflates it
		runtime.GC()
		var m runtime.MemStats
		runtime.ReadMemStats(&m)
		l.top = max(l.top, m.HeapAlloc)
		l.mu.Unlock()
	}
	return l.next.RoundTrip(r)
}

// reset clears the maximum and returns the live heap now.
func (l *liveHeap) reset() uint64 {
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	l.mu.Lock()
	defer l.mu.Unlock()
	l.top = 0
	return m.HeapAlloc
}

func (l *liveHeap) max() uint64 {
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
