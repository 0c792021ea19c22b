package httpserve

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"net/http"
	"sync"
	"time"

	"github.com/mark3labs/mcp-go/server"
)

// sessionIDs is the streamable HTTP session manager of the default
// (stateful) mode. Like mcp-go's WithStateful it validates Mcp-Session-Id,
// so a terminated or unknown session gets 404 and the client starts a new
// one; unlike it, memory stays bounded on a long-running shared server: a
// terminated session is forgotten (an unknown id also gets 404), a session
// idle for ttl expires, and past max live sessions the least recently used
// one is dropped. A session dropped either way is released at once (release,
// which makes mcp-go forget it too): mcp-go would otherwise keep it, and all
// it holds, until its own idle sweep an hour later, so the cap would bound
// the ids but not the memory.
type sessionIDs struct {
	ttl     time.Duration
	max     int
	now     func() time.Time
	release func(id string) // called without mu held

	mu       sync.Mutex
	lastSeen map[string]time.Time
}

// sessionIdleTTL ends a session (and its state) after this long without a
// request, and the client then starts a new one.
const sessionIdleTTL = time.Hour

func newSessionIDs(ttl time.Duration, max int, release func(id string)) *sessionIDs {
	return &sessionIDs{ttl: ttl, max: max, now: time.Now, release: release, lastSeen: map[string]time.Time{}}
}

var errUnknownSession = errors.New("unknown or expired session")

func (s *sessionIDs) Generate() string {
	var b [16]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read never fails on supported platforms
	id := "mcp-session-" + hex.EncodeToString(b[:])
	now := s.now()
	var dropped []string
	s.mu.Lock()
	if len(s.lastSeen) >= s.max {
		dropped = s.evict(now)
	}
	s.lastSeen[id] = now
	s.mu.Unlock()
	s.releaseAll(dropped)
	return id
}

// evict drops expired sessions, and the least recently used one if none had
// expired, and returns their ids. Called with mu held, only when the table is
// full.
func (s *sessionIDs) evict(now time.Time) []string {
	var dropped []string
	var oldest string
	var oldestAt time.Time
	for id, at := range s.lastSeen {
		if now.Sub(at) >= s.ttl {
			delete(s.lastSeen, id)
			dropped = append(dropped, id)
			continue
		}
		if oldest == "" || at.Before(oldestAt) {
			oldest, oldestAt = id, at
		}
	}
	if len(s.lastSeen) >= s.max {
		delete(s.lastSeen, oldest)
		dropped = append(dropped, oldest)
	}
	return dropped
}

func (s *sessionIDs) releaseAll(ids []string) {
	if s.release == nil {
		return
	}
	for _, id := range ids {
		s.release(id)
	}
}

func (s *sessionIDs) Validate(id string) (bool, error) {
	now := s.now()
	s.mu.Lock()
	at, ok := s.lastSeen[id]
	expired := ok && now.Sub(at) >= s.ttl
	if expired {
		delete(s.lastSeen, id)
	} else if ok {
		s.lastSeen[id] = now
	}
	s.mu.Unlock()
	if expired {
		s.releaseAll([]string{id})
	}
	if !ok || expired {
		return false, errUnknownSession
	}
	return false, nil
}

// Terminate forgets id. mcp-go calls it for a DELETE (and then releases the
// session itself), and release's own DELETE comes back through here too.
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

// deleteSession makes mcp-go forget a session we dropped, and everything it
// holds, by serving it a DELETE for it: mcp-go has no other public way.
func deleteSession(h http.Handler, id string) {
	r, err := http.NewRequest(http.MethodDelete, "/mcp", nil)
	if err != nil {
		return
	}
	r.Header.Set(server.HeaderKeySessionID, id)
	h.ServeHTTP(discard{header: http.Header{}}, r)
}

// discard is a ResponseWriter for answers nobody reads.
type discard struct{ header http.Header }

func (d discard) Header() http.Header       { return d.header }
func (discard) Write(p []byte) (int, error) { return len(p), nil }
func (discard) WriteHeader(int)             {}
