package httpserve

import (
	"context"
	"net/http"
	"sync"
	"sync/atomic"
	"time"
)

// The health endpoints, on the MCP listener. They sit before the Origin and
// token checks (a load balancer or kubelet has neither) and answer only a
// status line: nothing about the server, its store or PartnerStack.
const (
	HealthPath = "/healthz" // 200 while the process serves HTTP at all
	ReadyPath  = "/readyz"  // 200 when it should get traffic, else 503
)

// Readiness states.
const (
	stateStarting int32 = iota
	stateReady
	stateStopping
)

// readyCheckTTL is how long one answer of Options.Ready is reused: the
// endpoints are unauthenticated, so a flood of probes must not become a
// flood of store round trips.
const readyCheckTTL = time.Second

// readyCheckTimeout bounds one call of Options.Ready.
const readyCheckTimeout = time.Second

// readiness answers /readyz: starting or stopping, or a dependency that does
// not answer (Options.Ready, e.g. the shared dedupe store), is 503.
type readiness struct {
	state atomic.Int32
	check func(context.Context) error
	logf  func(err error)

	mu     sync.Mutex
	at     time.Time
	last   error
	logged bool
}

func (r *readiness) ready(ctx context.Context) bool {
	if r.state.Load() != stateReady {
		return false
	}
	if r.check == nil {
		return true
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if time.Since(r.at) >= readyCheckTTL {
		cctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), readyCheckTimeout)
		r.last, r.at = r.check(cctx), time.Now()
		cancel()
		// Log once per change, not once per probe.
		if (r.last != nil) != r.logged {
			r.logged = r.last != nil
			r.logf(r.last)
		}
	}
	return r.last == nil
}

// serveHealth answers the two endpoints; next gets everything else.
func serveHealth(next http.Handler, r *readiness) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		if req.URL.Path != HealthPath && req.URL.Path != ReadyPath {
			next.ServeHTTP(w, req)
			return
		}
		if req.Method != http.MethodGet && req.Method != http.MethodHead {
			w.Header().Set("Allow", "GET, HEAD")
			http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
			return
		}
		w.Header().Set("Cache-Control", "no-store")
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		status := http.StatusOK
		if req.URL.Path == ReadyPath && !r.ready(req.Context()) {
			status = http.StatusServiceUnavailable
		}
		w.WriteHeader(status)
		if req.Method == http.MethodGet {
			w.Write([]byte(map[int]string{http.StatusOK: "ok\n", http.StatusServiceUnavailable: "not ready\n"}[status]))
		}
	})
}
