// Package httpserve hosts an MCP server over streamable HTTP (/mcp) or
// legacy SSE (/sse and /message): the guard in front of both (Host, Origin,
// token, body limit, caller keys), bounded sessions, and a graceful stop
// that lets tool calls in flight finish. It knows nothing of PartnerStack.
package httpserve

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"time"

	"github.com/mark3labs/mcp-go/server"
)

// Transports this package serves.
const (
	TransportHTTP = "http" // streamable HTTP at /mcp
	TransportSSE  = "sse"  // legacy SSE at /sse and /message
)

// Options configure the hosting. The zero value (plus a Transport) is right
// for a local server on 127.0.0.1: no token, only same-host loopback
// origins, sessions, and the default bounds below.
type Options struct {
	Transport string // TransportHTTP or TransportSSE
	Addr      string // where Serve listens, e.g. 127.0.0.1:8080

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
	// BodyTimeout bounds reading one request body; 0 means DefaultBodyTimeout.
	BodyTimeout time.Duration
	// MaxSessions bounds the live streamable HTTP sessions (the least
	// recently used one is dropped past it); 0 means DefaultMaxSessions.
	MaxSessions int
	// MaxSSEStreams bounds the open SSE streams (one more gets 503); 0 means
	// DefaultMaxSSEStreams.
	MaxSSEStreams int
	// MaxSessionCalls bounds the requests in flight in one session, SSE or
	// streamable HTTP (one more gets 429); 0 means DefaultMaxSessionCalls.
	MaxSessionCalls int
	// PerRequestCredentials puts the PartnerStack keys sent in each request's
	// X-PartnerStack-Public-Key and X-PartnerStack-Secret-Key headers into its
	// context (package credentials), for the tool calls it carries.
	PerRequestCredentials bool
	// ShutdownTimeout bounds the graceful stop; 0 means DefaultShutdownTimeout.
	ShutdownTimeout time.Duration
	// Ready, when set, must answer for ReadyPath to report ready: the
	// dependencies a request needs, such as the shared dedupe store.
	Ready func(context.Context) error

	Logger *slog.Logger // nil discards
}

// Defaults of Options. An SSE session's calls hold their answers in memory
// until its stream is read, so streams times calls is the bound that
// matters there: 100 x 16 answers of a few tens of KiB is well under 100 MiB.
const (
	DefaultMaxBodyBytes    = 1 << 20
	DefaultBodyTimeout     = 30 * time.Second
	DefaultMaxSessions     = 10000
	DefaultMaxSSEStreams   = 100
	DefaultMaxSessionCalls = 16
	DefaultShutdownTimeout = 20 * time.Second
)

// orDefault is v, or def when v is not positive (the zero value of Options).
func orDefault[T int | int64 | time.Duration](v, def T) T {
	if v <= 0 {
		return def
	}
	return v
}

func (o Options) maxBody() int64             { return orDefault(o.MaxBodyBytes, DefaultMaxBodyBytes) }
func (o Options) bodyTimeout() time.Duration { return orDefault(o.BodyTimeout, DefaultBodyTimeout) }
func (o Options) maxSessions() int           { return orDefault(o.MaxSessions, DefaultMaxSessions) }
func (o Options) maxSSEStreams() int         { return orDefault(o.MaxSSEStreams, DefaultMaxSSEStreams) }
func (o Options) maxSessionCalls() int       { return orDefault(o.MaxSessionCalls, DefaultMaxSessionCalls) }
func (o Options) shutdownTimeout() time.Duration {
	return orDefault(o.ShutdownTimeout, DefaultShutdownTimeout)
}

func (o Options) logger() *slog.Logger {
	if o.Logger == nil {
		return slog.New(slog.DiscardHandler)
	}
	return o.Logger
}

// NewHandler serves s over o.Transport behind the guard configured by o,
// with HealthPath and ReadyPath in front of it.
// baseURL is the public address SSE clients are told to post to. Serve uses
// it; it is exported to host s in another http.Server or an httptest one.
func NewHandler(s *server.MCPServer, baseURL string, o Options) (http.Handler, error) {
	h, err := newHandler(s, baseURL, o)
	if err != nil {
		return nil, err
	}
	h.ready.state.Store(stateReady) // the caller serves it from now on
	return h.guarded, nil
}

// handler is a guarded MCP handler plus what a graceful stop needs.
type handler struct {
	guarded http.Handler // health endpoints, then the guard and MCP
	ready   *readiness
	path    string
	// closeStreams ends the long-lived streams that http.Server.Shutdown
	// would otherwise wait on forever.
	closeStreams func(context.Context)
}

func newHandler(s *server.MCPServer, baseURL string, o Options) (*handler, error) {
	logger := o.logger()
	mux := http.NewServeMux()
	h := &handler{}
	switch o.Transport {
	case TransportHTTP:
		opts := []server.StreamableHTTPOption{
			// No standing GET stream: this server sends nothing unprompted, and mcp-go
			// would copy a request's progress notifications onto that stream too,
			// so clients could see progress out of order.
			server.WithDisableStreaming(true),
			server.WithStreamableHTTPLogger(logger),
		}
		var sh *server.StreamableHTTPServer
		if o.Stateless {
			// No Mcp-Session-Id at all: any instance answers any request.
			opts = append(opts, server.WithStateLess(true))
		} else {
			// Sessions are validated (404 after DELETE or expiry, so clients
			// re-initialize) and bounded in number and idle time.
			ids := newSessionIDs(sessionIdleTTL, o.maxSessions(), func(id string) { deleteSession(sh, id) })
			opts = append(opts, server.WithSessionIdManager(ids), server.WithSessionIdleTTL(sessionIdleTTL))
		}
		sh = server.NewStreamableHTTPServer(s, opts...)
		var mcpHandler http.Handler = sh
		if !o.Stateless {
			mcpHandler = requireSessionHeader(sh, refuser(logger))
		}
		c := newCalls(o.maxSessionCalls(), true, logger)
		mux.Handle("/mcp", c.streamable(mcpHandler, o.Stateless))
		h.path, h.closeStreams = "/mcp", sh.CloseSessions
	case TransportSSE:
		st := &sseStreams{max: o.maxSSEStreams(), calls: newCalls(o.maxSessionCalls(), false, logger)}
		sse := server.NewSSEServer(s, server.WithBaseURL(baseURL), server.WithKeepAlive(true),
			server.WithSessionIDGenerator(st.sessionID))
		mux.Handle("/sse", st.streams(sse.SSEHandler()))
		mux.Handle("/message", st.messages(sse.MessageHandler()))
		h.path, h.closeStreams = "/sse", func(context.Context) { sse.CloseSessions() }
	default:
		return nil, fmt.Errorf("transport %q has no HTTP handler", o.Transport)
	}
	h.ready = &readiness{check: o.Ready, logf: func(err error) {
		if err != nil {
			logger.Warn("not ready", "error", err)
		} else {
			logger.Info("ready")
		}
	}}
	g, err := newGuard(mux, o, h.ready, logger)
	if err != nil {
		return nil, err
	}
	h.guarded = g
	return h, nil
}
