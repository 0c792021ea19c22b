package partnerstackmcp

import (
	"bytes"
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// HTTPConfig hardens the SSE and streamable HTTP transports. The zero value
// is right for a local server on 127.0.0.1: no token, only same-host
// loopback origins, sessions, 1 MiB bodies.
type HTTPConfig struct {
	// Token, when set, is required as "Authorization: Bearer <token>" on every
	// request, loopback included. Serving on a non-loopback address needs it.
	Token string
	// AllowedOrigins lists browser origins (scheme://host[:port]) that may call
	// the server. A request without Origin (any non-browser client) passes; a
	// loopback origin on the server's own port always passes.
	AllowedOrigins []string
	// Stateless serves streamable HTTP without sessions, so any instance
	// behind a load balancer can answer any request.
	Stateless bool
	// MaxBodyBytes bounds one request body; 0 means DefaultMaxBodyBytes.
	MaxBodyBytes int64
	// PerRequestCredentials makes every tool call use the PartnerStack keys
	// sent in the request's X-PartnerStack-Public-Key and
	// X-PartnerStack-Secret-Key headers (see credentials.go).
	PerRequestCredentials bool
	// ShutdownTimeout bounds the graceful stop; 0 means DefaultShutdownTimeout.
	ShutdownTimeout time.Duration
}

// Defaults of HTTPConfig and of the http.Server.
const (
	DefaultMaxBodyBytes    = 1 << 20
	DefaultShutdownTimeout = 20 * time.Second

	// bodyReadTimeout bounds reading one request body. It is applied per
	// request instead of as http.Server.ReadTimeout because net/http cancels
	// a request's context when ReadTimeout passes during a long response,
	// which would cut SSE streams and long tool calls.
	bodyReadTimeout = 30 * time.Second
	// sessionIdleTTL ends a streamable HTTP session (and its state) after
	// this long without a request; the client then starts a new one.
	sessionIdleTTL = time.Hour
)

func (hc HTTPConfig) maxBody() int64 {
	if hc.MaxBodyBytes <= 0 {
		return DefaultMaxBodyBytes
	}
	return hc.MaxBodyBytes
}

func (hc HTTPConfig) shutdownTimeout() time.Duration {
	if hc.ShutdownTimeout <= 0 {
		return DefaultShutdownTimeout
	}
	return hc.ShutdownTimeout
}

// CheckListenAddr refuses a non-loopback listen address without a token: an
// open MCP server on a shared network would let anyone spend the account.
func (hc HTTPConfig) CheckListenAddr(addr string) error {
	if hc.Token != "" {
		return nil
	}
	loop, err := loopbackAddr(addr)
	if err != nil {
		return err
	}
	if !loop {
		return fmt.Errorf("--addr %s is not a loopback address: set --http-token (or PARTNERSTACK_HTTP_TOKEN) so only callers with the token get in, or listen on 127.0.0.1", addr)
	}
	return nil
}

// loopbackAddr reports whether every address host:port may listen on is a
// loopback one. An empty host means all interfaces.
func loopbackAddr(addr string) (bool, error) {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return false, fmt.Errorf("--addr %q: %v", addr, err)
	}
	if host == "" {
		return false, nil
	}
	if strings.EqualFold(host, "localhost") {
		return true, nil
	}
	if ip := net.ParseIP(host); ip != nil {
		return ip.IsLoopback(), nil
	}
	ips, err := net.DefaultResolver.LookupIPAddr(context.Background(), host)
	if err != nil {
		return false, fmt.Errorf("--addr %q: %v", addr, err)
	}
	for _, ip := range ips {
		if !ip.IP.IsLoopback() {
			return false, nil
		}
	}
	return len(ips) > 0, nil
}

// isLoopbackHost reports whether a Host header or host name names this
// machine's loopback interface: localhost, 127.0.0.0/8 or ::1, with or
// without a port.
func isLoopbackHost(hostport string) bool {
	host := hostport
	if h, _, err := net.SplitHostPort(hostport); err == nil {
		host = h
	}
	host = strings.TrimSuffix(strings.TrimPrefix(host, "["), "]")
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// normalizeOrigin turns "HTTPS://App.example.com:443" into
// "https://app.example.com"; it fails on anything that is not a bare origin.
func normalizeOrigin(raw string) (string, error) {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" ||
		(u.Path != "" && u.Path != "/") || u.RawQuery != "" || u.Fragment != "" || u.User != nil {
		return "", fmt.Errorf("%q is not an origin such as https://app.example.com", raw)
	}
	scheme, host, port := strings.ToLower(u.Scheme), strings.ToLower(u.Hostname()), u.Port()
	if (scheme == "http" && port == "80") || (scheme == "https" && port == "443") {
		port = ""
	}
	if strings.Contains(host, ":") {
		host = "[" + host + "]"
	}
	if port != "" {
		host += ":" + port
	}
	return scheme + "://" + host, nil
}

// guard is the one HTTP middleware in front of both transports. Its order is
// deliberate: the cheap browser checks (Host, Origin) first, so a hostile
// page learns nothing else; then the token, so an unauthenticated caller
// never makes the server read a body; then the body limit; last, the
// per-request PartnerStack keys go into the context.
type guard struct {
	next      http.Handler
	tokenHash [sha256.Size]byte
	hasToken  bool
	origins   map[string]bool
	maxBody   int64
	perReq    bool
	logger    *slog.Logger
}

func newGuard(next http.Handler, hc HTTPConfig, logger *slog.Logger) (*guard, error) {
	g := &guard{next: next, origins: map[string]bool{}, maxBody: hc.maxBody(), perReq: hc.PerRequestCredentials, logger: logger}
	if hc.Token != "" {
		g.tokenHash, g.hasToken = sha256.Sum256([]byte(hc.Token)), true
	}
	for _, o := range hc.AllowedOrigins {
		n, err := normalizeOrigin(o)
		if err != nil {
			return nil, fmt.Errorf("--allowed-origins: %v", err)
		}
		g.origins[n] = true
	}
	return g, nil
}

func (g *guard) refuse(w http.ResponseWriter, r *http.Request, status int, reason string) {
	// Only facts the caller sent in the clear and that are no secret: never
	// the Authorization value or PartnerStack keys.
	g.logger.Warn("http request refused", "status", status, "reason", reason,
		"method", r.Method, "path", r.URL.Path, "remote", r.RemoteAddr)
	http.Error(w, reason, status)
}

func (g *guard) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	local, _ := r.Context().Value(http.LocalAddrContextKey).(net.Addr)
	if local != nil && isLoopbackHost(local.String()) && !isLoopbackHost(r.Host) {
		// DNS rebinding: a page on evil.example resolved to 127.0.0.1.
		g.refuse(w, r, http.StatusForbidden, "Forbidden: Host header is not a loopback name")
		return
	}
	if origin := r.Header.Get("Origin"); origin != "" && !g.originAllowed(origin, local) {
		g.refuse(w, r, http.StatusForbidden, "Forbidden: origin not allowed (see --allowed-origins)")
		return
	}
	if g.hasToken {
		token, ok := bearer(r.Header.Get("Authorization"))
		sum := sha256.Sum256([]byte(token))
		if !ok || subtle.ConstantTimeCompare(sum[:], g.tokenHash[:]) != 1 {
			challenge := `Bearer realm="` + Name + `"`
			if ok {
				challenge += `, error="invalid_token"`
			}
			w.Header().Set("WWW-Authenticate", challenge)
			g.refuse(w, r, http.StatusUnauthorized, "Unauthorized: send Authorization: Bearer <token> (the server's --http-token)")
			return
		}
	}
	if r.Body != nil && r.Body != http.NoBody {
		if r.ContentLength > g.maxBody {
			g.refuse(w, r, http.StatusRequestEntityTooLarge, fmt.Sprintf("request body over %d bytes", g.maxBody))
			return
		}
		body, err := g.readBody(w, r)
		if err != nil {
			var tooBig *http.MaxBytesError
			if errors.As(err, &tooBig) {
				g.refuse(w, r, http.StatusRequestEntityTooLarge, fmt.Sprintf("request body over %d bytes", g.maxBody))
			} else {
				g.refuse(w, r, http.StatusBadRequest, "request body could not be read")
			}
			return
		}
		r.Body = io.NopCloser(bytes.NewReader(body))
	}
	if g.perReq {
		r = r.WithContext(withRequestKeys(r.Context(), r.Header))
	}
	g.next.ServeHTTP(w, r)
}

// readBody reads the whole body under a deadline and the size limit, so
// mcp-go (which reads bodies with io.ReadAll) never holds more than maxBody.
func (g *guard) readBody(w http.ResponseWriter, r *http.Request) ([]byte, error) {
	rc := http.NewResponseController(w)
	if rc.SetReadDeadline(time.Now().Add(bodyReadTimeout)) == nil {
		// Cleared afterwards: a deadline left on the connection would cancel
		// a streaming response's context when it passes.
		defer rc.SetReadDeadline(time.Time{})
	}
	return io.ReadAll(http.MaxBytesReader(w, r.Body, g.maxBody))
}

// originAllowed: the allow list, or a loopback origin on the port this
// connection arrived at (the server's own pages, were it to serve any).
func (g *guard) originAllowed(origin string, local net.Addr) bool {
	n, err := normalizeOrigin(origin)
	if err != nil {
		return false // "null" and other opaque origins
	}
	if g.origins[n] {
		return true
	}
	u, _ := url.Parse(n)
	if local == nil || !isLoopbackHost(u.Host) {
		return false
	}
	_, localPort, err := net.SplitHostPort(local.String())
	if err != nil {
		return false
	}
	port := u.Port()
	if port == "" {
		port = map[string]string{"http": "80", "https": "443"}[u.Scheme]
	}
	return port == localPort
}

// bearer extracts the token of an "Authorization: Bearer <token>" header.
func bearer(h string) (string, bool) {
	scheme, token, ok := strings.Cut(h, " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") {
		return "", false
	}
	token = strings.TrimSpace(token)
	return token, token != ""
}
