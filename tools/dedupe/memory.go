package dedupe

import (
	"container/list"
	"context"
	"sync"
	"time"
)

// DefaultMaxEntries bounds a Memory store; the oldest entries go first.
const DefaultMaxEntries = 10_000

// Memory keeps the guard's memory in this process: key -> entry, plus the
// entries in the order they were written, for expiry and the size cap. It
// protects one process only; replicas need a shared store (Redis).
type Memory struct {
	// Max bounds the entries kept; Now is the clock. NewMemory sets both;
	// tests change them before first use.
	Max int
	Now func() time.Time

	mu      sync.Mutex
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
	return &Memory{Max: DefaultMaxEntries, Now: time.Now, entries: map[Key]*list.Element{}, order: list.New()}
}

// Len is the number of entries held (expired ones may still count until the next write).
func (m *Memory) Len() int {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.order.Len()
}

// expire drops entries past their window and, past the cap, the oldest.
// Callers hold m.mu. Windows are the same for every entry of a server, so
// the list's order is also the order of expiry.
func (m *Memory) expire(now time.Time) {
	for el := m.order.Front(); el != nil; el = m.order.Front() {
		ent := el.Value.(*memEntry)
		if now.Before(ent.until) && m.order.Len() < m.Max {
			return
		}
		m.order.Remove(el)
		delete(m.entries, ent.key)
	}
}

func (m *Memory) Reserve(_ context.Context, key Key, e Entry, window time.Duration, replace bool) (*Entry, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	now := m.Now()
	m.expire(now)
	if el, ok := m.entries[key]; ok {
		if !replace {
			held := el.Value.(*memEntry).e
			return &held, nil
		}
		m.order.Remove(el)
		delete(m.entries, key)
	}
	m.entries[key] = m.order.PushBack(&memEntry{key: key, until: now.Add(window), e: e})
	return nil, nil
}

// held returns key's element when e still owns it. Callers hold m.mu.
func (m *Memory) held(key Key, e Entry) (*list.Element, bool) {
	el, ok := m.entries[key]
	if !ok || el.Value.(*memEntry).e.ID != e.ID {
		return nil, false // expired, evicted or replaced by an allow_duplicate call
	}
	return el, true
}

func (m *Memory) Keep(_ context.Context, key Key, e Entry) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if el, ok := m.held(key, e); ok {
		el.Value.(*memEntry).e = e
	}
	return nil
}

func (m *Memory) Release(_ context.Context, key Key, e Entry) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if el, ok := m.held(key, e); ok {
		m.order.Remove(el)
		delete(m.entries, key)
	}
	return nil
}

func (m *Memory) Ping(context.Context) error { return nil }
func (m *Memory) Kind() string               { return "memory" }
func (m *Memory) Close() error               { return nil }
