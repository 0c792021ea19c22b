package sandbox

import (
	"slices"
	"strconv"
	"strings"
	"sync"
)

// LoggedRequest is one request as the sandbox saw it. It never holds the
// secret key or the Authorization header.
type LoggedRequest struct {
	Seq       int
	Method    string
	Path      string
	RawQuery  string
	Body      []byte
	Status    int       // status the handler produced (0 when refused; 499 when the caller gave up during latency)
	PublicKey string    // who called (public key only)
	Fault     FaultKind // fault that fired, "" if none
	Applied   bool      // true when this request changed state (a write that took effect)
}

// maxLogEntries bounds memory in long benchmark runs.
// Emulator choice: only the most recent entries are kept.
const maxLogEntries = 100_000

type requestLog struct {
	mu      sync.Mutex
	seq     int
	entries []LoggedRequest
}

func (l *requestLog) nextSeq() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.seq++
	return l.seq
}

func (l *requestLog) add(e LoggedRequest) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if len(l.entries) >= maxLogEntries {
		l.entries = slices.Delete(l.entries, 0, len(l.entries)/10)
	}
	l.entries = append(l.entries, e)
}

// Requests returns a copy of the request log, ordered by Seq.
func (s *Sandbox) Requests() []LoggedRequest {
	s.log.mu.Lock()
	out := make([]LoggedRequest, len(s.log.entries))
	copy(out, s.log.entries)
	s.log.mu.Unlock()
	for i := range out {
		out[i].Body = slices.Clone(out[i].Body)
	}
	slices.SortFunc(out, func(a, b LoggedRequest) int { return a.Seq - b.Seq })
	return out
}

// ResetLog empties the request log. Sequence numbers keep counting.
func (s *Sandbox) ResetLog() {
	s.log.mu.Lock()
	defer s.log.mu.Unlock()
	s.log.entries = nil
}

// AppliedWrites counts logged requests that changed state, whose method
// matches (case-insensitive; "" or "*" = any) and whose path starts with
// pathPrefix after removing an "/api" mount prefix from both.
func (s *Sandbox) AppliedWrites(method, pathPrefix string) int {
	prefix := apiPath(pathPrefix)
	s.log.mu.Lock()
	defer s.log.mu.Unlock()
	n := 0
	for _, e := range s.log.entries {
		if !e.Applied || !strings.HasPrefix(apiPath(e.Path), prefix) {
			continue
		}
		if method == "" || method == "*" || strings.EqualFold(method, e.Method) {
			n++
		}
	}
	return n
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
