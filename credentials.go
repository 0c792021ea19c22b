package partnerstackmcp

import (
	"context"
	"errors"
	"net/http"

	"github.com/mark3labs/mcp-go/mcp"
	"github.com/mark3labs/mcp-go/server"

	"github.com/partnerstack-mcp/partnerstack-mcp/client"
)

// Per-request credentials let one hosted server act for many PartnerStack
// accounts: each HTTP request carries its caller's keys in two headers, and
// every API request made while serving it authenticates with exactly those.
//
// How: the shared client keeps one connection pool, but its transport
// (perRequestAuth) replaces the Authorization header of each outgoing request
// with the keys found in that request's context. Nothing is cached, so no
// caller can ever use another caller's keys; a request whose context holds no
// keys fails before it is sent (the client's own keys are placeholders that
// are never sent). Keys are never logged and never appear in errors.
const (
	HeaderPublicKey = "X-PartnerStack-Public-Key"
	HeaderSecretKey = "X-PartnerStack-Secret-Key"
)

// placeholderKey fills client.Config in per-request mode; perRequestAuth
// never lets it reach the network.
const placeholderKey = "per-request"

type requestKeysKey struct{}

type requestKeys struct{ public, secret string }

// withRequestKeys stores the caller's keys in ctx when both headers are set.
func withRequestKeys(ctx context.Context, h http.Header) context.Context {
	k := requestKeys{public: h.Get(HeaderPublicKey), secret: h.Get(HeaderSecretKey)}
	if k.public == "" || k.secret == "" {
		return ctx
	}
	return context.WithValue(ctx, requestKeysKey{}, k)
}

func keysFrom(ctx context.Context) (requestKeys, bool) {
	k, ok := ctx.Value(requestKeysKey{}).(requestKeys)
	return k, ok
}

// errNoRequestKeys is what an API request without caller keys fails with.
var errNoRequestKeys = errors.New("no PartnerStack keys in this request: send the " + HeaderPublicKey + " and " + HeaderSecretKey + " headers")

// PerRequestClientConfig prepares a client configuration for per-request
// credentials: placeholder keys (any configured ones are dropped) and a
// transport that authenticates each request with its caller's keys. base is
// the transport to send through; nil means client.NewTransport().
func PerRequestClientConfig(cfg client.Config) client.Config {
	var base http.RoundTripper
	if cfg.HTTPClient != nil {
		base = cfg.HTTPClient.Transport
	}
	if base == nil {
		base = client.NewTransport()
	}
	cfg.HTTPClient = &http.Client{Transport: perRequestAuth{base}}
	cfg.PublicKey, cfg.SecretKey = placeholderKey, placeholderKey
	return cfg
}

// perRequestAuth sets Basic auth from the request context's caller keys.
type perRequestAuth struct{ base http.RoundTripper }

func (t perRequestAuth) RoundTrip(req *http.Request) (*http.Response, error) {
	k, ok := keysFrom(req.Context())
	if !ok {
		if req.Body != nil {
			req.Body.Close()
		}
		return nil, errNoRequestKeys
	}
	r := req.Clone(req.Context()) // a RoundTripper must not change its caller's request
	r.SetBasicAuth(k.public, k.secret)
	return t.base.RoundTrip(r)
}

// requireRequestKeys answers a tool call without caller keys with a tool
// error saying which headers to send, before any tool code runs.
func requireRequestKeys(next server.ToolHandlerFunc) server.ToolHandlerFunc {
	return func(ctx context.Context, req mcp.CallToolRequest) (*mcp.CallToolResult, error) {
		if _, ok := keysFrom(ctx); !ok {
			return mcp.NewToolResultError("this server uses each caller's own PartnerStack keys: send your keys in the " +
				HeaderPublicKey + " and " + HeaderSecretKey + " HTTP headers with every request (PartnerStack: Settings → Integrations → PartnerStack API Keys)"), nil
		}
		return next(ctx, req)
	}
}
