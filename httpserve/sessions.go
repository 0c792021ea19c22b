package httpserve

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"sync"
	"time"
)

// sessionIDs is the streamable HTTP session manager of the default
// (stateful) mode. Like mcp-go's WithStateful it validates Mcp-Session-Id,
// so a terminated or unknown session gets 404 and the client starts a new
// one; unlike it, memory stays bounded on a long-running shared server: a
// terminated session is forgotten (an unknown id also gets 404), a session
// idle for ttl expires, and past max live sessions the least recently used
// one is dropped.
type sessionIDs struct {
	ttl time.Duration
	max int
	now func() time.Time

	mu       sync.Mutex
	lastSeen map[string]time.Time
}

// maxSessions bounds the live streamable HTTP sessions of one server;
// sessionIdleTTL ends a session (and its state) after this long without a
// request, and the client then starts a new one.
const (
	maxSessions    = 10000
	sessionIdleTTL = time.Hour
)

func newSessionIDs(ttl time.Duration, max int) *sessionIDs {
	return &sessionIDs{ttl: ttl, max: max, now: time.Now, lastSeen: map[string]time.Time{}}
}

var errUnknownSession = errors.New("unknown or expired session")

func (s *sessionIDs) Generate() string {
	var b [16]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read never fails on supported platforms
	id := "mcp-session-" + hex.EncodeToString(b[:])
	now := s.now()
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.lastSeen) >= s.max {
		s.evict(now)
	}
	s.lastSeen[id] = now
	return id
}

// evict drops expired sessions, and the least recently used one if none had
// expired. Called with mu held, only when the table is full.
func (s *sessionIDs) evict(now time.Time) {
	var oldest string
	var oldestAt time.Time
	for id, at := range s.lastSeen {
		if now.Sub(at) >= s.ttl {
			delete(s.lastSeen, id)
			continue
		}
		if oldest == "" || at.Before(oldestAt) {
			oldest, oldestAt = id, at
		}
	}
	if len(s.lastSeen) >= s.max {
		delete(s.lastSeen, oldest)
	}
}

func (s *sessionIDs) Validate(id string) (bool, error) {
	now := s.now()
	s.mu.Lock()
	defer s.mu.Unlock()
	at, ok := s.lastSeen[id]
	if !ok {
		return false, errUnknownSession
	}
	if now.Sub(at) >= s.ttl {
		delete(s.lastSeen, id)
		return false, errUnknownSession
	}
	s.lastSeen[id] = now
	return false, nil
}

func (s *sessionIDs) Terminate(id string) (bool, error) {
	s.mu.Lock()
	delete(s.lastSeen, id)
	s.mu.Unlock()
	return false, nil
}

func (s *sessionIDs) len() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.lastSeen)
}
