package httpserve

import (
	"context"
	"log/slog"
	"net"
	"net/http"
	"time"

	"github.com/mark3labs/mcp-go/server"
)

// Serve listens on o.Addr until ctx ends, then stops gracefully: no new
// connections, tool calls in flight finish (up to o.ShutdownTimeout), then
// open streams are closed.
//
// Timeouts: ReadHeaderTimeout and a per-request body deadline (see
// bodyReadTimeout) bound slow clients; WriteTimeout stays 0 because an SSE
// stream, or a tool call answered as a stream, legitimately lasts longer
// than any fixed write deadline (calls are bounded by the PartnerStack
// client's timeouts and page caps instead); IdleTimeout reaps idle
// keep-alive connections.
func Serve(ctx context.Context, s *server.MCPServer, o Options) error {
	logger := o.logger()
	if err := o.checkListenAddr(o.Addr); err != nil {
		return err
	}
	ln, err := net.Listen("tcp", o.Addr)
	if err != nil {
		return err
	}
	// A name may resolve differently at bind time: check what was bound.
	if tcp, ok := ln.Addr().(*net.TCPAddr); ok && o.Token == "" && !tcp.IP.IsLoopback() {
		ln.Close()
		return o.checkListenAddr(ln.Addr().String())
	}
	base := "http://" + ln.Addr().String()
	h, err := newHandler(s, base, o)
	if err != nil {
		ln.Close()
		return err
	}
	var calls inflight
	s.Use(calls.track)
	srv := &http.Server{
		Handler:           h.guarded,
		ReadHeaderTimeout: 10 * time.Second,
		IdleTimeout:       2 * time.Minute,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          slog.NewLogLogger(logger.Handler(), slog.LevelDebug),
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	h.ready.state.Store(stateReady) // 503 until here: the listener was open before the server was
	logger.Info("serving MCP", "transport", o.Transport, "url", base+h.path,
		"token", o.Token != "", "stateless", o.Stateless, "per_request_credentials", o.PerRequestCredentials)
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	h.ready.state.Store(stateStopping) // /readyz answers 503 to requests still arriving
	logger.Info("shutting down: waiting for calls in flight", "calls", calls.n.Load())
	stop, cancel := context.WithTimeout(context.Background(), o.shutdownTimeout())
	defer cancel()
	done := make(chan error, 1)
	go func() { done <- srv.Shutdown(stop) }() // closes the listener, waits for requests
	calls.wait(stop)                           // SSE calls run after their POST has returned
	h.closeStreams(stop)
	err = <-done
	if err != nil {
		srv.Close()
		logger.Warn("shutdown timed out; connections closed", "calls_unfinished", calls.n.Load())
	}
	return err
}
