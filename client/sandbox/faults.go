package sandbox

import (
	"fmt"
	"strconv"
	"strings"
	"sync"
	"time"
)

// FaultKind names an injected failure.
type FaultKind string

// Fault kinds. Only latency, reset_after_write and truncated_body let the
// request be processed; the others answer (or fail) before anything is
// applied.
const (
	FaultRateLimit       FaultKind = "rate_limit"        // 429 {"message":"Too Many Requests"} (+ Retry-After)
	FaultServerError     FaultKind = "server_error"      // Status (default 503) with the error envelope
	FaultLatency         FaultKind = "latency"           // delay before handling; honours the request context
	FaultResetAfterWrite FaultKind = "reset_after_write" // request applied, then the connection drops
	FaultMalformedBody   FaultKind = "malformed_body"    // 200 with an HTML body; nothing applied
	FaultTruncatedBody   FaultKind = "truncated_body"    // request applied, JSON body cut in half
	FaultRefuse          FaultKind = "refuse"            // connection refused; nothing applied
)

var faultKinds = []FaultKind{FaultRateLimit, FaultServerError, FaultLatency, FaultResetAfterWrite,
	FaultMalformedBody, FaultTruncatedBody, FaultRefuse}

// Fault is one injected failure rule.
type Fault struct {
	// Route is "" for every request, else "METHOD /path-prefix", e.g.
	// "POST /v2/transactions" or "GET /v2/"; method "*" matches any, and a bare
	// "/path-prefix" means any method. An "/api" mount prefix on either side is
	// ignored, so "POST /v2/customers" matches a request to /api/v2/customers.
	Route      string
	Kind       FaultKind
	Status     int           // server_error: 500/502/503/504 (default 503)
	RetryAfter time.Duration // rate_limit: Retry-After in whole seconds (omitted when 0)
	Every      int           // fire on every Nth matching request (0 or 1 = every one)
	Times      int           // fire at most this many times (0 = unlimited)
	Latency    time.Duration // latency: delay before handling
}

// AddFault adds a fault rule. Rules are tried in the order added and the
// first that fires wins.
func (s *Sandbox) AddFault(f Fault) {
	if f.Kind == FaultServerError && (f.Status < 500 || f.Status > 599) {
		f.Status = 503
	}
	method, prefix := splitRoute(f.Route)
	s.faults.mu.Lock()
	defer s.faults.mu.Unlock()
	s.faults.rules = append(s.faults.rules, &faultRule{Fault: f, method: method, prefix: prefix})
}

// ClearFaults removes every fault rule.
func (s *Sandbox) ClearFaults() {
	s.faults.mu.Lock()
	defer s.faults.mu.Unlock()
	s.faults.rules = nil
}

type faultRule struct {
	Fault
	method, prefix string
	matched, fired int
}

type faultSet struct {
	mu    sync.Mutex
	rules []*faultRule
}

func splitRoute(route string) (method, prefix string) {
	route = strings.TrimSpace(route)
	if route == "" {
		return "*", "/"
	}
	method, prefix = "*", route
	if m, p, ok := strings.Cut(route, " "); ok {
		method, prefix = strings.ToUpper(strings.TrimSpace(m)), strings.TrimSpace(p)
	}
	return method, apiPath(prefix)
}

// pick counts the request against every matching rule and returns the first
// rule that fires.
func (fs *faultSet) pick(method, path string) (Fault, bool) {
	fs.mu.Lock()
	defer fs.mu.Unlock()
	for _, r := range fs.rules {
		if r.method != "*" && r.method != method || !strings.HasPrefix(path, r.prefix) {
			continue
		}
		if r.Times > 0 && r.fired >= r.Times {
			continue
		}
		r.matched++
		if r.Every > 1 && r.matched%r.Every != 0 {
			continue
		}
		r.fired++
		return r.Fault, true
	}
	return Fault{}, false
}

// ParseFault parses the compact text form used by the --fault flags:
//
//	kind[:key=value]...
//
// kind is one of rate_limit, server_error, latency, reset_after_write,
// malformed_body, truncated_body, refuse. Keys: route ("METHOD /path-prefix",
// e.g. "POST /v2/transactions"), status (server_error: 500, 502, 503 or 504),
// retry_after (rate_limit: a duration like 2s, or whole seconds), every (fire
// on every Nth matching request), times (fire at most N times) and latency
// (latency: a duration like 200ms). Examples:
//
//	rate_limit:every=5:retry_after=2s
//	server_error:status=503:times=3:route=GET /v2/
//	latency:latency=200ms
//	reset_after_write:route=POST /v2/transactions
func ParseFault(spec string) (Fault, error) {
	parts := strings.Split(strings.TrimSpace(spec), ":")
	f := Fault{Kind: FaultKind(strings.TrimSpace(parts[0]))}
	known := false
	for _, k := range faultKinds {
		known = known || k == f.Kind
	}
	if !known {
		return Fault{}, fmt.Errorf("fault %q: unknown kind %q (want one of %s)", spec, f.Kind, kindList())
	}
	for _, p := range parts[1:] {
		key, val, ok := strings.Cut(p, "=")
		key, val = strings.TrimSpace(key), strings.TrimSpace(val)
		if !ok || val == "" {
			return Fault{}, fmt.Errorf("fault %q: %q is not key=value", spec, p)
		}
		var err error
		switch key {
		case "route":
			if m, _, hasMethod := strings.Cut(val, " "); hasMethod && m != "*" && strings.ToUpper(m) != m {
				err = fmt.Errorf("method %q must be upper-case or *", m)
			} else if !strings.HasPrefix(val, "/") && !hasMethod {
				err = fmt.Errorf("route %q must be \"METHOD /path-prefix\" or \"/path-prefix\"", val)
			}
			f.Route = val
		case "status":
			f.Status, err = strconv.Atoi(val)
			if err == nil && f.Status != 500 && f.Status != 502 && f.Status != 503 && f.Status != 504 {
				err = fmt.Errorf("status must be 500, 502, 503 or 504")
			}
		case "retry_after":
			f.RetryAfter, err = parseDuration(val)
		case "latency":
			f.Latency, err = parseDuration(val)
		case "every":
			f.Every, err = parseCount(val)
		case "times":
			f.Times, err = parseCount(val)
		default:
			err = fmt.Errorf("unknown key %q (want route, status, retry_after, latency, every or times)", key)
		}
		if err != nil {
			return Fault{}, fmt.Errorf("fault %q: %s: %w", spec, key, err)
		}
	}
	if f.Kind == FaultServerError && f.Status == 0 {
		f.Status = 503
	}
	return f, nil
}

func kindList() string {
	s := make([]string, len(faultKinds))
	for i, k := range faultKinds {
		s[i] = string(k)
	}
	return strings.Join(s, ", ")
}

// parseDuration accepts a Go duration or a bare number of seconds.
func parseDuration(v string) (time.Duration, error) {
	if n, err := strconv.Atoi(v); err == nil {
		if n < 0 {
			return 0, fmt.Errorf("must not be negative")
		}
		return time.Duration(n) * time.Second, nil
	}
	d, err := time.ParseDuration(v)
	if err == nil && d < 0 {
		return 0, fmt.Errorf("must not be negative")
	}
	return d, err
}

func parseCount(v string) (int, error) {
	n, err := strconv.Atoi(v)
	if err == nil && n < 0 {
		return 0, fmt.Errorf("must not be negative")
	}
	return n, err
}
