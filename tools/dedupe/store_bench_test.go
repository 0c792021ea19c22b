package dedupe_test

import (
	"context"
	"testing"
	"time"

	"github.com/partnerstack-mcp/partnerstack-mcp/internal/redistest"
	"github.com/partnerstack-mcp/partnerstack-mcp/tools/dedupe"
)

// BenchmarkReserveKeep is the guard's store work for one money write: a
// reservation, then the outcome kept. For Redis on loopback that is two
// round trips (SET NX PX GET, then the settle script).
//
//	go test -run '^$' -bench BenchmarkReserveKeep -count 5 ./tools/dedupe
func BenchmarkReserveKeep(b *testing.B) {
	ctx := context.Background()
	for _, kind := range []string{"memory", "redis"} {
		b.Run("store="+kind, func(b *testing.B) {
			var s dedupe.Store = dedupe.NewMemory()
			if kind == "redis" {
				var err error
				if s, err = dedupe.Open(redistest.Start(b).URL()); err != nil {
					b.Fatal(err)
				}
				defer s.Close()
			}
			i := 0
			for b.Loop() {
				i++
				k := dedupe.Key{Scope: "bench", Sum: [32]byte{byte(i), byte(i >> 8), byte(i >> 16), byte(i >> 24)}}
				e := entry(`{"amount":1}`)
				if held, err := s.Reserve(ctx, k, e, time.Minute, false); err != nil || held != nil {
					b.Fatal(held, err)
				}
				e.Outcome = dedupe.OutcomeCreated
				if err := s.Keep(ctx, k, e); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
