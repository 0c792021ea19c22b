package httpserve

import (
	"log/slog"
	"net/http"
	"time"

	"github.com/partnerstack-mcp/partnerstack-mcp/credentials"
)

// newGuard puts the checks in front of both transports, one middleware per
// concern (host.go, origin.go, token.go, bodylimit.go). Their order is
// deliberate: the cheap browser checks (Host, Origin) first, so a hostile
// page learns nothing else; then the token, so an unauthenticated caller
// never makes the server read a body; then the body limit; last, the
// per-request PartnerStack keys go into the context. The health endpoints
// (health.go) answer right after the Host check: probes carry no Origin
// and no token.
func newGuard(next http.Handler, o Options, ready *readiness, logger *slog.Logger) (http.Handler, error) {
	origins, err := allowedOrigins(o.AllowedOrigins)
	if err != nil {
		return nil, err
	}
	refuse := refuser(logger)
	h := next
	if o.PerRequestCredentials {
		h = withCallerKeys(h)
	}
	h = limitBody(h, o.maxBody(), o.bodyTimeout(), refuse)
	if o.Token != "" {
		h = requireToken(h, o.Token, refuse)
	}
	h = checkOrigin(h, origins, refuse)
	h = serveHealth(h, ready)
	h = checkHost(h, refuse)
	return h, nil
}

// refusalGrace is how long a refused request's connection may still be read
// from (see refuser).
const refusalGrace = time.Second

// refuseFunc answers a refused request with status and reason, logs it, and
// closes the connection after the answer.
type refuseFunc func(w http.ResponseWriter, r *http.Request, status int, reason string)

func refuser(logger *slog.Logger) refuseFunc {
	return func(w http.ResponseWriter, r *http.Request, status int, reason string) {
		// Only facts the caller sent in the clear and that are no secret: never
		// the Authorization value or PartnerStack keys.
		logger.Warn("http request refused", "status", status, "reason", reason,
			"method", r.Method, "path", r.URL.Path, "remote", r.RemoteAddr)
		// The body may be partly unread, and net/http reads on to its end (to
		// reuse the connection) with no deadline at all, so a client that
		// stops sending would hold the connection for good. So the connection
		// closes after this answer, and a read deadline stays set: a client
		// still sending gets refusalGrace to finish and read the answer, a
		// silent one is cut off then.
		w.Header().Set("Connection", "close")
		_ = http.NewResponseController(w).SetReadDeadline(time.Now().Add(refusalGrace))
		http.Error(w, reason, status)
	}
}

// withCallerKeys puts the request's PartnerStack keys (headers) into its
// context, for the API client and the tool middleware (credentials).
func withCallerKeys(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		next.ServeHTTP(w, r.WithContext(credentials.WithHeaders(r.Context(), r.Header)))
	})
}
