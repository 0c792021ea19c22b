// Package credentials carries each caller's PartnerStack keys through a
// request when one hosted server acts for many accounts
// (--per-request-credentials): httpserve reads them from the request
// headers, the API client's transport authenticates with them, a tool
// middleware refuses calls without them, and the duplicate-write guard keeps
// one memory per caller.
//
// The shared client keeps one connection pool, but its transport
// (perRequestAuth) replaces the Authorization header of each outgoing request
// with the keys found in that request's context. Nothing is cached, so no
// caller can ever use another caller's keys; a request whose context holds no
// keys fails before it is sent (the client's own keys are placeholders that
// are never sent). Keys are never logged and never appear in errors.
package credentials

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"net/http"

	"github.com/mark3labs/mcp-go/mcp"
	"github.com/mark3labs/mcp-go/server"

	"github.com/partnerstack-mcp/partnerstack-mcp/client"
)

// The headers each HTTP request carries its caller's keys in.
const (
	HeaderPublicKey = "X-PartnerStack-Public-Key"
	HeaderSecretKey = "X-PartnerStack-Secret-Key"
)

// placeholderKey fills client.Config in per-request mode; perRequestAuth
// never lets it reach the network.
const placeholderKey = "per-request"

type contextKey struct{}

type keys struct{ public, secret string }

// WithHeaders stores the caller's keys from h in ctx when both headers are set.
func WithHeaders(ctx context.Context, h http.Header) context.Context {
	k := keys{public: h.Get(HeaderPublicKey), secret: h.Get(HeaderSecretKey)}
	if k.public == "" || k.secret == "" {
		return ctx
	}
	return context.WithValue(ctx, contextKey{}, k)
}

func from(ctx context.Context) (keys, bool) {
	k, ok := ctx.Value(contextKey{}).(keys)
	return k, ok
}

// errNoKeys is what an API request without caller keys fails with.
var errNoKeys = errors.New("no PartnerStack keys in this request: send the " + HeaderPublicKey + " and " + HeaderSecretKey + " headers")

// ClientConfig prepares a client configuration for per-request credentials:
// placeholder keys (any configured ones are dropped) and a transport that
// authenticates each request with its caller's keys, sending through
// cfg.HTTPClient's transport (client.NewTransport() when there is none).
func ClientConfig(cfg client.Config) client.Config {
	var base http.RoundTripper
	if cfg.HTTPClient != nil {
		base = cfg.HTTPClient.Transport
	}
	if base == nil {
		base = client.NewTransport()
	}
	cfg.HTTPClient = &http.Client{Transport: perRequestAuth{base}}
	cfg.PublicKey, cfg.SecretKey = placeholderKey, placeholderKey
	cfg.Account = Scope // one 429 pause per caller, not one for all
	return cfg
}

// perRequestAuth sets Basic auth from the request context's caller keys.
type perRequestAuth struct{ base http.RoundTripper }

func (t perRequestAuth) RoundTrip(req *http.Request) (*http.Response, error) {
	k, ok := from(req.Context())
	if !ok {
		if req.Body != nil {
			req.Body.Close()
		}
		return nil, errNoKeys
	}
	r := req.Clone(req.Context()) // a RoundTripper must not change its caller's request
	r.SetBasicAuth(k.public, k.secret)
	return t.base.RoundTrip(r)
}

// Require answers a tool call without caller keys with a tool error saying
// which headers to send, before any tool code runs.
func Require(next server.ToolHandlerFunc) server.ToolHandlerFunc {
	return func(ctx context.Context, req mcp.CallToolRequest) (*mcp.CallToolResult, error) {
		if _, ok := from(ctx); !ok {
			return mcp.NewToolResultError("this server uses each caller's own PartnerStack keys: send your keys in the " +
				HeaderPublicKey + " and " + HeaderSecretKey + " HTTP headers with every request (PartnerStack: Settings → Integrations → PartnerStack API Keys)"), nil
		}
		return next(ctx, req)
	}
}

// Scope separates the duplicate-write guard's memory per caller (it is
// tools.Deps.DedupeScope): one account's writes must never block, or be
// described to, another account. Both keys count: the guard answers before
// PartnerStack has checked the secret, so a public key alone must not open
// another caller's memory. Without caller keys it is "" (one shared memory).
func Scope(ctx context.Context) string {
	if k, ok := from(ctx); ok {
		return KeyScope(k.public, k.secret)
	}
	return ""
}

// KeyScope is the guard's scope of a key pair: a hash, so neither key is
// kept or shared in clear. Every replica computes the same one.
func KeyScope(public, secret string) string {
	sum := sha256.Sum256([]byte(public + "\x00" + secret))
	return hex.EncodeToString(sum[:])
}
