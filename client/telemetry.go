package client

import (
	"context"
	"strings"
	"time"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/metric"
	noopmetric "go.opentelemetry.io/otel/metric/noop"
	"go.opentelemetry.io/otel/trace"
	nooptrace "go.opentelemetry.io/otel/trace/noop"
)

// instrumentationScope names what the client records.
const instrumentationScope = "github.com/partnerstack-mcp/partnerstack-mcp/client"

// telemetry records one span and one histogram point per logical API
// request (retries included), by method, route template, status and retry
// count. The route is the template (/v2/partnerships/{key}), never the
// path: a path holds keys the caller chose.
type telemetry struct {
	tracer   trace.Tracer
	duration metric.Float64Histogram
}

func newTelemetry(cfg Config) telemetry {
	mp, tp := cfg.Meters, cfg.Tracers
	if mp == nil {
		mp = noopmetric.NewMeterProvider()
	}
	if tp == nil {
		tp = nooptrace.NewTracerProvider()
	}
	d, err := mp.Meter(instrumentationScope).Float64Histogram("partnerstack.api.request.duration",
		metric.WithUnit("s"), metric.WithDescription("PartnerStack API requests, retries included"),
		metric.WithExplicitBucketBoundaries(0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60))
	if err != nil {
		d, _ = noopmetric.NewMeterProvider().Meter(instrumentationScope).Float64Histogram("partnerstack.api.request.duration")
	}
	return telemetry{tracer: tp.Tracer(instrumentationScope), duration: d}
}

// routeTemplate maps a request path to its route: every path is a
// collection (/v2/partnerships) or a collection and one escaped identifier
// (objectPath), whose identifier becomes {key}.
func routeTemplate(path string) string {
	parts := strings.SplitN(strings.TrimPrefix(path, "/"), "/", 3)
	if len(parts) == 3 {
		return "/" + parts[0] + "/" + parts[1] + "/{key}"
	}
	return path
}

// start opens the request's span, a child of the tool call's.
func (t telemetry) start(ctx context.Context, method, route string) (context.Context, trace.Span) {
	return t.tracer.Start(ctx, method+" "+route, trace.WithSpanKind(trace.SpanKindClient),
		trace.WithAttributes(attribute.String("http.request.method", method), attribute.String("url.template", route)))
}

// end records the outcome: status (0 when no answer came), retries, and for
// a failure its kind.
func (t telemetry) end(ctx context.Context, span trace.Span, start time.Time, method, route string, status, attempts int, fail *Error) {
	attrs := []attribute.KeyValue{
		attribute.String("http.request.method", method),
		attribute.String("url.template", route),
		attribute.Int("http.response.status_code", status),
		attribute.Int("http.request.resend_count", attempts-1),
	}
	if fail != nil {
		attrs = append(attrs, attribute.String("error.type", errorType(fail)))
		span.SetStatus(codes.Error, errorType(fail))
	}
	span.SetAttributes(attrs...)
	span.End()
	t.duration.Record(ctx, time.Since(start).Seconds(), metric.WithAttributes(attrs...))
}

// errorType names a failure in a few fixed words, never its message.
func errorType(e *Error) string {
	switch e.Kind {
	case KindOutcomeUnknown:
		return "outcome_unknown"
	case KindTransport:
		return "transport"
	case KindDecode:
		return "decode"
	}
	return "http_error"
}
