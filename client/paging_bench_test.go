package client_test

import (
	"context"
	"runtime"
	"sync/atomic"
	"testing"
	"time"

	"github.com/partnerstack-mcp/partnerstack-mcp/client"
	"github.com/partnerstack-mcp/partnerstack-mcp/client/sandbox"
)

// BenchmarkPaginate walks every transaction of an in-process sandbox with the
// client's iterator (250 per page). It reports items/s and peak-heap-MiB:
// HeapInuse sampled every millisecond during the walk, minus HeapInuse
// before it (which holds the sandbox's own data). The peak must not grow
// with the number of items: the iterator holds one page at a time. Much of
// the sampled peak is garbage (each page's body as read by resty, the
// sandbox's rendering of it), so live-over-base-MiB also reports the live
// heap after a forced GC every 20 pages, minus the live heap before the walk:
// what the client retains.
//
//	go test ./client -run '^$' -bench Paginate -benchtime 3x
func BenchmarkPaginate(b *testing.B) {
	for _, n := range []int{10_000, 100_000} {
		b.Run(map[int]string{10_000: "items=10k", 100_000: "items=100k"}[n], func(b *testing.B) {
			sb := sandbox.New(sandbox.Options{Seed: 1, Transactions: n})
			c, err := client.New(client.Config{PublicKey: sandbox.DefaultPublicKey, SecretKey: sandbox.DefaultSecretKey,
				BaseURL: "http://sandbox.invalid/api", HTTPClient: sb.Client()})
			if err != nil {
				b.Fatal(err)
			}
			walk := func(every int, at func()) int {
				seen := 0
				for _, err := range c.Transactions.All(nil).Seq(context.Background()) {
					if err != nil {
						b.Fatal(err)
					}
					if seen++; every > 0 && seen%every == 0 {
						at()
					}
				}
				if seen < n {
					b.Fatalf("walked %d of %d", seen, n)
				}
				return seen
			}
			runtime.GC()
			var m runtime.MemStats
			runtime.ReadMemStats(&m)
			base, baseLive := m.HeapInuse, m.HeapAlloc
			var live uint64
			walk(20*client.MaxPageSize, func() { // untimed: a GC every 20 pages
				runtime.GC()
				runtime.ReadMemStats(&m)
				live = max(live, m.HeapAlloc)
			})
			runtime.GC()
			stop := sampleHeapInuse()
			b.ReportAllocs()
			b.ResetTimer()
			total := 0
			for b.Loop() {
				total += walk(0, nil)
			}
			b.StopTimer()
			peak := stop()
			b.ReportMetric(float64(total)/b.Elapsed().Seconds(), "items/s")
			b.ReportMetric(float64(peak-min(peak, base))/(1<<20), "peak-heap-MiB")
			b.ReportMetric(float64(live-min(live, baseLive))/(1<<20), "live-over-base-MiB")
		})
	}
}

// sampleHeapInuse polls HeapInuse until the returned function is called,
// which gives the highest value seen.
func sampleHeapInuse() func() uint64 {
	var peak atomic.Uint64
	done := make(chan struct{})
	stopped := make(chan struct{})
	go func() {
		defer close(stopped)
		t := time.NewTicker(time.Millisecond)
		defer t.Stop()
		var m runtime.MemStats
		for {
			runtime.ReadMemStats(&m)
			peak.Store(max(peak.Load(), m.HeapInuse))
			select {
			case <-done:
				return
			case <-t.C:
			}
		}
	}()
	return func() uint64 { close(done); <-stopped; return peak.Load() }
}
