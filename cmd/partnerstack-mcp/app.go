package main

import (
	"context"
	"log/slog"
	"time"

	"github.com/mark3labs/mcp-go/server"

	"github.com/partnerstack-mcp/partnerstack-mcp/httpserve"
	"github.com/partnerstack-mcp/partnerstack-mcp/telemetry"
	"github.com/partnerstack-mcp/partnerstack-mcp/tools/dedupe"
)

// app is what build assembles: the MCP server, and what closes with it.
type app struct {
	server *server.MCPServer
	store  dedupe.Store         // the duplicate-write guard's memory
	tel    *telemetry.Telemetry // metrics and traces
}

func (a *app) close() {
	a.store.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	_ = a.tel.Shutdown(ctx) // flushes the spans still queued
}

// serveMetrics starts the metrics listener when --metrics-addr asks for
// one; a bad or busy address fails start-up.
func (a *app) serveMetrics(ctx context.Context, o *options, logger *slog.Logger) error {
	if o.metricsAddr == "" {
		return nil
	}
	m, err := httpserve.ListenMetrics(o.metricsAddr, o.httpToken, a.tel.MetricsHandler(), logger)
	if err != nil {
		return err
	}
	logger.Info("serving metrics", "url", "http://"+m.Addr()+httpserve.MetricsPath, "token", o.httpToken != "")
	go func() {
		if err := m.Serve(ctx); err != nil {
			logger.Warn("metrics listener stopped", "error", err)
		}
	}()
	return nil
}

// checkStore says at start-up which memory the duplicate-write guard uses,
// and whether a shared one answers. A store that does not answer is no
// reason to exit: the server starts not ready (/readyz), refuses money
// writes, and recovers by itself once the store is back.
func (a *app) checkStore(ctx context.Context, o *options, logger *slog.Logger) {
	if a.store.Kind() == "memory" {
		if o.stateless {
			logger.Info("the duplicate-write guard remembers writes in this process only; behind a load balancer with several replicas use --dedupe-store redis://…")
		}
		return
	}
	dedupe.RouteRedisLogs(logger)
	shown := dedupe.Redact(o.dedupeStore)
	ctx, cancel := context.WithTimeout(ctx, 2*time.Second)
	defer cancel()
	if err := a.store.Ping(ctx); err != nil {
		logger.Warn("the duplicate-write guard's store is not answering: money writes are refused until it does", "store", shown, "error", err)
		return
	}
	logger.Info("the duplicate-write guard shares its memory", "store", shown)
}
