package dedupe

import (
	"container/list"
	"context"
	"errors"
	"sync"
	"time"
)

// Bounds of a Memory store. The entry cap is per caller scope, so a caller
// writing past it forgets only its own oldest writes, never another's; the
// number of scopes is bounded too.
const (
	DefaultMaxEntries = 10_000 // per scope; the scope's oldest entries go first
	DefaultMaxScopes  = 256    // scopes with entries; a new one beyond is refused (ErrFull)
)

// ErrFull refuses a reservation for a scope new to a Memory store that
// already holds MaxScopes scopes with live entries: evicting one of them
// would forget another caller's recent writes.
var ErrFull = errors.New("dedupe memory holds the most caller scopes it keeps")

// Memory keeps the guard's memory in this process: per scope, key -> entry
// plus the entries in the order they were written, for expiry and the size
// cap. It protects one process only; replicas need a shared store (Redis).
type Memory struct {
	// Max bounds the entries kept per scope, MaxScopes the scopes; Now is
	// the clock. NewMemory sets them; tests change them before first use.
	Max       int
	MaxScopes int
	Now       func() time.Time

	mu     sync.Mutex
	scopes map[string]*scopeMemory
}

// scopeMemory is one scope's entries.
type scopeMemory struct {
	entries map[Key]*list.Element
	order   *list.List // of *memEntry, oldest first
}

type memEntry struct {
	key   Key
	until time.Time
	e     Entry
}

// NewMemory returns an empty in-process store.
func NewMemory() *Memory {
	return &Memory{Max: DefaultMaxEntries, MaxScopes: DefaultMaxScopes, Now: time.Now, scopes: map[string]*scopeMemory{}}
}

// Len is the number of entries held, all scopes (expired ones may still
// count until their scope's next write).
func (m *Memory) Len() int {
	m.mu.Lock()
	defer m.mu.Unlock()
	n := 0
	for _, s := range m.scopes {
		n += s.order.Len()
	}
	return n
}

// expire drops a scope's entries past their window and, past the cap, the
// oldest. Windows are the same for every entry of a server, so the list's
// order is also the order of expiry.
func (s *scopeMemory) expire(now time.Time, max int) {
	for el := s.order.Front(); el != nil; el = s.order.Front() {
		ent := el.Value.(*memEntry)
		if now.Before(ent.until) && s.order.Len() < max {
			return
		}
		s.order.Remove(el)
		delete(s.entries, ent.key)
	}
}

// scope returns key's scope memory, making it when create is set; at the
// scope cap, after dropping scopes whose entries all expired, it answers
// ErrFull. Callers hold m.mu.
func (m *Memory) scope(name string, now time.Time, create bool) (*scopeMemory, error) {
	if s, ok := m.scopes[name]; ok || !create {
		return s, nil
	}
	if len(m.scopes) >= m.MaxScopes {
		for n, s := range m.scopes {
			if s.expire(now, m.Max); s.order.Len() == 0 {
				delete(m.scopes, n)
			}
		}
		if len(m.scopes) >= m.MaxScopes {
			return nil, ErrFull
		}
	}
	s := &scopeMemory{entries: map[Key]*list.Element{}, order: list.New()}
	m.scopes[name] = s
	return s, nil
}

func (m *Memory) Reserve(_ context.Context, key Key, e Entry, window time.Duration, replace bool) (*Entry, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	now := m.Now()
	s, err := m.scope(key.Scope, now, true)
	if err != nil {
		return nil, err
	}
	s.expire(now, m.Max)
	if el, ok := s.entries[key]; ok {
		if !replace {
			held := el.Value.(*memEntry).e
			return &held, nil
		}
		s.order.Remove(el)
		delete(s.entries, key)
	}
	s.entries[key] = s.order.PushBack(&memEntry{key: key, until: now.Add(window), e: e})
	return nil, nil
}

// held returns key's element when e still owns it. Callers hold m.mu.
func (m *Memory) held(key Key, e Entry) (*scopeMemory, *list.Element, bool) {
	s, _ := m.scope(key.Scope, time.Time{}, false)
	if s == nil {
		return nil, nil, false
	}
	el, ok := s.entries[key]
	if !ok || el.Value.(*memEntry).e.ID != e.ID {
		return nil, nil, false // expired, evicted or replaced by an allow_duplicate call
	}
	return s, el, true
}

func (m *Memory) Keep(_ context.Context, key Key, e Entry) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if _, el, ok := m.held(key, e); ok {
		el.Value.(*memEntry).e = e
	}
	return nil
}

func (m *Memory) Release(_ context.Context, key Key, e Entry) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if s, el, ok := m.held(key, e); ok {
		s.order.Remove(el)
		delete(s.entries, key)
		if s.order.Len() == 0 { // a scope whose writes all failed holds no room
			delete(m.scopes, key.Scope)
		}
	}
	return nil
}

func (m *Memory) Ping(context.Context) error { return nil }
func (m *Memory) Kind() string               { return "memory" }
func (m *Memory) Close() error               { return nil }
