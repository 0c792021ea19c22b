package dedupe_test

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/partnerstack-mcp/partnerstack-mcp/internal/redistest"
	"github.com/partnerstack-mcp/partnerstack-mcp/tools/dedupe"
)

// stores are the implementations every contract test runs against; Redis
// is a real redis-server.
func stores(t *testing.T) map[string]func(t *testing.T) dedupe.Store {
	return map[string]func(t *testing.T) dedupe.Store{
		"memory": func(*testing.T) dedupe.Store { return dedupe.NewMemory() },
		"redis": func(t *testing.T) dedupe.Store {
			srv := redistest.Start(t)
			s, err := dedupe.Open(srv.URL())
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { s.Close() })
			return s
		},
	}
}

var idSeq atomic.Int64

func entry(args string) dedupe.Entry {
	return dedupe.Entry{ID: fmt.Sprintf("id%030d", idSeq.Add(1)), At: time.Now().UTC().Truncate(time.Millisecond),
		Args: args, Outcome: dedupe.OutcomeInProgress}
}

func key(scope string, b byte) dedupe.Key { return dedupe.Key{Scope: scope, Sum: [32]byte{b}} }

func TestStoreContract(t *testing.T) {
	ctx := context.Background()
	for name, open := range stores(t) {
		t.Run(name, func(t *testing.T) {
			s := open(t)
			if err := s.Ping(ctx); err != nil {
				t.Fatalf("ping: %v", err)
			}

			t.Run("a second reservation of the same key is refused with the holder's entry", func(t *testing.T) {
				k, first := key("a", 1), entry(`{"amount":1}`)
				if held, err := s.Reserve(ctx, k, first, time.Minute, false); err != nil || held != nil {
					t.Fatalf("first: held %v, err %v", held, err)
				}
				held, err := s.Reserve(ctx, k, entry(`{"amount":1}`), time.Minute, false)
				if err != nil || held == nil || held.ID != first.ID || held.Outcome != dedupe.OutcomeInProgress || held.Args != first.Args || !held.At.Equal(first.At) {
					t.Fatalf("second: held %+v, err %v; want %+v", held, err, first)
				}
			})

			t.Run("keep records the outcome and the key stays held", func(t *testing.T) {
				k, e := key("a", 2), entry("{}")
				mustReserve(t, s, k, e)
				e.Outcome, e.Created = dedupe.OutcomeCreated, "tx_1"
				if err := s.Keep(ctx, k, e); err != nil {
					t.Fatal(err)
				}
				held, _ := s.Reserve(ctx, k, entry("{}"), time.Minute, false)
				if held == nil || held.Outcome != dedupe.OutcomeCreated || held.Created != "tx_1" {
					t.Fatalf("held %+v", held)
				}
			})

			t.Run("release forgets the write", func(t *testing.T) {
				k, e := key("a", 3), entry("{}")
				mustReserve(t, s, k, e)
				if err := s.Release(ctx, k, e); err != nil {
					t.Fatal(err)
				}
				mustReserve(t, s, k, entry("{}"))
			})

			t.Run("only the holder settles: a replaced claim is left alone", func(t *testing.T) {
				k, old, newer := key("a", 4), entry("{}"), entry("{}")
				mustReserve(t, s, k, old)
				if held, err := s.Reserve(ctx, k, newer, time.Minute, true); err != nil || held != nil {
					t.Fatalf("replace: %v %v", held, err)
				}
				if err := s.Release(ctx, k, old); err != nil {
					t.Fatal(err)
				}
				old.Outcome = dedupe.OutcomeCreated
				if err := s.Keep(ctx, k, old); err != nil {
					t.Fatal(err)
				}
				held, _ := s.Reserve(ctx, k, entry("{}"), time.Minute, false)
				if held == nil || held.ID != newer.ID || held.Outcome != dedupe.OutcomeInProgress {
					t.Fatalf("held %+v, want the newer claim untouched", held)
				}
			})

			t.Run("scopes never meet", func(t *testing.T) {
				mustReserve(t, s, key("tenant-a", 5), entry("{}"))
				mustReserve(t, s, key("tenant-b", 5), entry("{}"))
			})

			t.Run("a reservation ends with its window", func(t *testing.T) {
				k := key("a", 6)
				if m, ok := s.(*dedupe.Memory); ok {
					now := time.Now()
					m.Now = func() time.Time { return now }
					defer func() { m.Now = time.Now }()
					mustReserveFor(t, s, k, entry("{}"), time.Minute)
					now = now.Add(61 * time.Second)
				} else {
					mustReserveFor(t, s, k, entry("{}"), 150*time.Millisecond)
					time.Sleep(300 * time.Millisecond)
				}
				mustReserve(t, s, k, entry("{}"))
			})

			t.Run("of many identical concurrent reservations exactly one wins", func(t *testing.T) {
				k := key("a", 7)
				var wins atomic.Int32
				var wg sync.WaitGroup
				for i := 0; i < 32; i++ {
					wg.Add(1)
					go func() {
						defer wg.Done()
						held, err := s.Reserve(ctx, k, entry("{}"), time.Minute, false)
						if err != nil {
							t.Error(err)
						}
						if held == nil {
							wins.Add(1)
						}
					}()
				}
				wg.Wait()
				if n := wins.Load(); n != 1 {
					t.Fatalf("%d reservations won, want 1", n)
				}
			})
		})
	}
}

func mustReserve(t *testing.T, s dedupe.Store, k dedupe.Key, e dedupe.Entry) {
	t.Helper()
	mustReserveFor(t, s, k, e, time.Minute)
}

func mustReserveFor(t *testing.T, s dedupe.Store, k dedupe.Key, e dedupe.Entry, window time.Duration) {
	t.Helper()
	if held, err := s.Reserve(context.Background(), k, e, window, false); err != nil || held != nil {
		t.Fatalf("reserve: held %+v, err %v", held, err)
	}
}

func TestMemoryIsBounded(t *testing.T) {
	m := dedupe.NewMemory()
	m.Max = 50
	ctx := context.Background()
	var wg sync.WaitGroup
	for w := 0; w < 8; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			for i := 0; i < 500; i++ {
				k := dedupe.Key{Sum: [32]byte{byte(w), byte(i), byte(i >> 8)}}
				e := entry("{}")
				if held, _ := m.Reserve(ctx, k, e, time.Hour, false); held == nil {
					if i%2 == 0 {
						e.Outcome = dedupe.OutcomeCreated
						_ = m.Keep(ctx, k, e)
					} else {
						_ = m.Release(ctx, k, e)
					}
				}
			}
		}(w)
	}
	wg.Wait()
	if n := m.Len(); n > 50 || n == 0 {
		t.Fatalf("%d entries; cap 50", n)
	}
}

func TestMain(m *testing.M) {
	dedupe.RouteRedisLogs(slog.New(slog.DiscardHandler)) // the failed dials the tests provoke
	os.Exit(m.Run())
}

// Issue 17, item 8: the cap is per caller scope (tenant). One tenant writing
// past the cap evicts only its own oldest entries, never another's.
func TestOneTenantCannotEvictAnothersEntries(t *testing.T) {
	m := dedupe.NewMemory()
	m.Max = 50
	ctx := context.Background()
	victim, ve := key("tenant-a", 1), entry(`{"amount":9900}`)
	mustReserveFor(t, m, victim, ve, time.Hour)
	ve.Outcome = dedupe.OutcomeCreated
	if err := m.Keep(ctx, victim, ve); err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 5000; i++ {
		k := dedupe.Key{Scope: "tenant-b", Sum: [32]byte{byte(i), byte(i >> 8), 7}}
		mustReserveFor(t, m, k, entry("{}"), time.Hour)
	}
	held, err := m.Reserve(ctx, victim, entry(`{"amount":9900}`), time.Hour, false)
	if err != nil || held == nil || held.ID != ve.ID {
		t.Fatalf("tenant-a's write was evicted by tenant-b's: held %+v, err %v", held, err)
	}
	if n := m.Len(); n != 51 {
		t.Fatalf("%d entries, want tenant-b's 50 and tenant-a's 1", n)
	}
}

// The number of scopes is bounded too: a new caller beyond MaxScopes is
// refused (ErrFull) rather than evicting anyone; scopes whose writes all
// expired or were released make room.
func TestMemoryBoundsTheNumberOfScopes(t *testing.T) {
	m := dedupe.NewMemory()
	m.MaxScopes = 3
	now := time.Now()
	m.Now = func() time.Time { return now }
	ctx := context.Background()
	held := map[string]dedupe.Entry{}
	for _, s := range []string{"a", "b", "c"} {
		held[s] = entry("{}")
		mustReserveFor(t, m, key(s, 1), held[s], time.Minute)
	}
	if _, err := m.Reserve(ctx, key("d", 1), entry("{}"), time.Minute, false); !errors.Is(err, dedupe.ErrFull) {
		t.Fatalf("a fourth scope: %v, want ErrFull", err)
	}
	// A known scope still writes at the cap.
	mustReserveFor(t, m, key("a", 2), entry("{}"), time.Minute)
	// A scope whose only write provably did not happen leaves.
	if err := m.Release(ctx, key("b", 1), held["b"]); err != nil {
		t.Fatal(err)
	}
	mustReserveFor(t, m, key("d", 1), entry("{}"), time.Minute)
	if _, err := m.Reserve(ctx, key("e", 1), entry("{}"), time.Minute, false); !errors.Is(err, dedupe.ErrFull) {
		t.Fatalf("a fifth scope: %v, want ErrFull", err)
	}
	// Once a scope's writes have expired, it makes room.
	now = now.Add(2 * time.Minute)
	mustReserveFor(t, m, key("e", 1), entry("{}"), time.Minute)
}
