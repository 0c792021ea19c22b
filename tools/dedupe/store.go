// Package dedupe is the memory of the duplicate-write guard (tools/dedupe.go):
// where a money write is reserved before it is sent and remembered after.
// Store is the interface; Memory keeps it in one process, Redis shares it
// between replicas through Redis or Valkey. Open picks one from the
// --dedupe-store setting.
package dedupe

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"time"
)

// Outcomes of a remembered write.
const (
	OutcomeInProgress = "in progress" // reserved, not settled yet
	OutcomeCreated    = "created"     // the API answered with the object
	OutcomeUnknown    = "unknown"     // sent, no reliable answer
)

// Key names one write: the caller's scope (an opaque hash, never a key in
// clear) and the hash of the write's fingerprint, which already covers the
// scope. Scope is kept apart so a store can bound its memory per caller.
type Key struct {
	Scope string
	Sum   [32]byte
}

// storeKey is the name a shared store files the write under: a hash of the
// scope and the fingerprint, so nothing readable about the caller or the
// write appears in the store's key space.
func (k Key) storeKey(prefix string) string {
	h := sha256.New()
	h.Write([]byte(k.Scope))
	h.Write([]byte{0})
	h.Write(k.Sum[:])
	return prefix + hex.EncodeToString(h.Sum(nil))
}

// Entry is what the guard remembers of one write, enough to tell a refused
// caller what was sent when and what came of it.
type Entry struct {
	// ID tells this reservation from a later one under the same key (after
	// expiry or an allow_duplicate call): only its owner may settle it.
	ID      string    `json:"id"`
	At      time.Time `json:"at"`
	Args    string    `json:"args"`              // canonical arguments, clipped
	Natural string    `json:"natural,omitempty"` // the caller's own id that names the write, if any
	Outcome string    `json:"outcome"`
	Created string    `json:"created,omitempty"` // key of the object the write created
}

// Store is the guard's memory. Implementations are safe for concurrent use.
type Store interface {
	// Reserve claims key for window with e, atomically. When key is held
	// already it changes nothing and returns the holder's entry, unless
	// replace is set (allow_duplicate), which claims it anyway. A store
	// bounded per scope may refuse a scope new to it with ErrFull.
	Reserve(ctx context.Context, key Key, e Entry, window time.Duration, replace bool) (held *Entry, err error)
	// Keep settles the claim e (its Outcome and Created): it stays until
	// its window ends. A claim no longer held by e is left alone.
	Keep(ctx context.Context, key Key, e Entry) error
	// Release forgets the claim e: the write provably did not happen. A
	// claim no longer held by e is left alone.
	Release(ctx context.Context, key Key, e Entry) error
	// Ping reports whether the store answers (readiness).
	Ping(ctx context.Context) error
	// Kind is "memory" or "redis", for logs.
	Kind() string
	Close() error
}

// ErrUnavailable wraps every failure to reach a shared store, so the guard
// can refuse the write (fail closed) without repeating what went wrong.
var ErrUnavailable = errors.New("dedupe store unavailable")
