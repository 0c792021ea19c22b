package httpserve

import (
	"context"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"time"
)

// MetricsPath is where the metrics listener answers.
const MetricsPath = "/metrics"

// MetricsServer serves Prometheus metrics on a listener of their own, so a
// scraper never needs the MCP token nor shares the MCP port. Off loopback it
// needs a token, which every scrape must then send as a bearer token.
type MetricsServer struct {
	ln  net.Listener
	srv *http.Server
}

// ListenMetrics binds addr for h (the Prometheus handler). It refuses a
// non-loopback address without a token, as the MCP listener does.
func ListenMetrics(addr, token string, h http.Handler, logger *slog.Logger) (*MetricsServer, error) {
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	if token == "" {
		loop, err := loopbackAddr(addr)
		if err != nil {
			return nil, fmt.Errorf("--metrics-addr %q: want host:port, e.g. 127.0.0.1:9464", addr)
		}
		if !loop {
			return nil, fmt.Errorf("--metrics-addr %s is not a loopback address: set --http-token (or PARTNERSTACK_HTTP_TOKEN), which scrapes must then send as a bearer token, or listen on 127.0.0.1", addr)
		}
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("--metrics-addr: %w", err)
	}
	if tcp, ok := ln.Addr().(*net.TCPAddr); ok && token == "" && !tcp.IP.IsLoopback() {
		ln.Close()
		return nil, fmt.Errorf("--metrics-addr %s resolved to a non-loopback address: set --http-token or listen on 127.0.0.1", addr)
	}
	mux := http.NewServeMux()
	mux.Handle("GET "+MetricsPath, h)
	var root http.Handler = mux
	refuse := refuser(logger)
	if token != "" {
		root = requireToken(root, token, refuse)
	}
	root = checkHost(root, refuse)
	return &MetricsServer{ln: ln, srv: &http.Server{
		Handler:           root,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       10 * time.Second,
		WriteTimeout:      30 * time.Second,
		IdleTimeout:       2 * time.Minute,
		MaxHeaderBytes:    16 << 10,
		ErrorLog:          slog.NewLogLogger(logger.Handler(), slog.LevelDebug),
	}}, nil
}

// Addr is the bound address (useful with port 0).
func (m *MetricsServer) Addr() string { return m.ln.Addr().String() }

// Serve answers scrapes until ctx ends.
func (m *MetricsServer) Serve(ctx context.Context) error {
	errc := make(chan error, 1)
	go func() { errc <- m.srv.Serve(m.ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	stop, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	return m.srv.Shutdown(stop)
}
