package tools

import (
	"context"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/metric"
	noopmetric "go.opentelemetry.io/otel/metric/noop"
)

// guardMetrics count what the duplicate-write guard does, by tool (a
// bounded set: the guarded tools) and by a few fixed words, never by
// anything a caller sent.
type guardMetrics struct {
	reservations, refusals, storeErrors metric.Int64Counter
}

func newGuardMetrics(mp metric.MeterProvider) guardMetrics {
	if mp == nil {
		mp = noopmetric.NewMeterProvider()
	}
	m := mp.Meter("github.com/partnerstack-mcp/partnerstack-mcp/tools")
	var g guardMetrics
	var err error
	if g.reservations, err = m.Int64Counter("partnerstack.dedupe.reservations",
		metric.WithDescription("money writes reserved in the duplicate-write guard's store, then sent")); err != nil {
		return newGuardMetrics(noopmetric.NewMeterProvider())
	}
	if g.refusals, err = m.Int64Counter("partnerstack.dedupe.refusals",
		metric.WithDescription("money writes refused: reason duplicate, or store_unavailable (fail closed)")); err != nil {
		return newGuardMetrics(noopmetric.NewMeterProvider())
	}
	if g.storeErrors, err = m.Int64Counter("partnerstack.dedupe.store.errors",
		metric.WithDescription("failed store operations: reserve, keep or release")); err != nil {
		return newGuardMetrics(noopmetric.NewMeterProvider())
	}
	return g
}

func (g guardMetrics) reserved(ctx context.Context, tool string) {
	g.reservations.Add(ctx, 1, metric.WithAttributes(attribute.String("gen_ai.tool.name", tool)))
}

func (g guardMetrics) refused(ctx context.Context, tool, reason string) {
	g.refusals.Add(ctx, 1, metric.WithAttributes(attribute.String("gen_ai.tool.name", tool), attribute.String("reason", reason)))
}

func (g guardMetrics) storeError(ctx context.Context, op string) {
	g.storeErrors.Add(ctx, 1, metric.WithAttributes(attribute.String("operation", op)))
}
