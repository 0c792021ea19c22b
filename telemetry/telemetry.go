// Package telemetry is the server's OpenTelemetry: Prometheus metrics
// (served at /metrics by the command line), OTLP traces when the standard
// OTEL_EXPORTER_OTLP_* variables ask for them, and the MCP instrumentation
// (mcp.go) with the OpenTelemetry MCP semantic conventions. The client and
// tools packages take the providers and record their own instruments; no
// global OpenTelemetry state is set.
package telemetry

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"os"
	"strings"

	promclient "github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"
	"go.opentelemetry.io/otel/exporters/otlp/otlptrace/otlptracegrpc"
	"go.opentelemetry.io/otel/exporters/otlp/otlptrace/otlptracehttp"
	"go.opentelemetry.io/otel/exporters/prometheus"
	"go.opentelemetry.io/otel/metric"
	noopmetric "go.opentelemetry.io/otel/metric/noop"
	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
	"go.opentelemetry.io/otel/sdk/resource"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	semconv "go.opentelemetry.io/otel/semconv/v1.41.0"
	"go.opentelemetry.io/otel/trace"
	nooptrace "go.opentelemetry.io/otel/trace/noop"
)

// The environment variables that turn trace export on, and pick its protocol.
const (
	EnvOTLPEndpoint       = "OTEL_EXPORTER_OTLP_ENDPOINT"
	EnvOTLPTracesEndpoint = "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT"
	EnvOTLPProtocol       = "OTEL_EXPORTER_OTLP_PROTOCOL"
	EnvOTLPTracesProtocol = "OTEL_EXPORTER_OTLP_TRACES_PROTOCOL"
)

// Telemetry holds the providers the server records with. The zero value
// is unusable; Off is the one that records nothing.
type Telemetry struct {
	Meters  metric.MeterProvider
	Tracers trace.TracerProvider

	metrics  http.Handler
	shutdown []func(context.Context) error
}

// Off records nothing.
func Off() *Telemetry {
	return &Telemetry{Meters: noopmetric.NewMeterProvider(), Tracers: nooptrace.NewTracerProvider()}
}

// Options choose what New sets up.
type Options struct {
	Metrics        bool // a Prometheus registry behind MetricsHandler
	ServiceName    string
	ServiceVersion string
	// Getenv reads the OTEL_* variables (os.Getenv when nil).
	Getenv func(string) string
	// SpanExporter, when set, receives each span as it ends, instead of
	// OTLP in batches (tests: tracetest.NewInMemoryExporter).
	SpanExporter sdktrace.SpanExporter
}

// New sets up metrics when asked, and traces when OTEL_EXPORTER_OTLP_ENDPOINT
// (or its _TRACES_ twin) is set; everything else stays a no-op. The OTLP
// exporter reads the other standard variables itself (headers, TLS,
// timeouts); OTEL_EXPORTER_OTLP_PROTOCOL may be http/protobuf (the default)
// or grpc.
func New(ctx context.Context, o Options) (*Telemetry, error) {
	getenv := o.Getenv
	if getenv == nil {
		getenv = os.Getenv
	}
	t := Off()
	exportTraces := o.SpanExporter != nil || getenv(EnvOTLPEndpoint) != "" || getenv(EnvOTLPTracesEndpoint) != ""
	if !o.Metrics && !exportTraces {
		return t, nil // the usual stdio start: nothing to describe the process to
	}
	res, err := resource.Merge(resource.Default(), resource.NewSchemaless(
		semconv.ServiceName(o.ServiceName), semconv.ServiceVersion(o.ServiceVersion)))
	if err != nil {
		return nil, err
	}
	if o.Metrics {
		reg := promclient.NewRegistry()
		exp, err := prometheus.New(prometheus.WithRegisterer(reg), prometheus.WithoutScopeInfo())
		if err != nil {
			return nil, fmt.Errorf("metrics: %w", err)
		}
		mp := sdkmetric.NewMeterProvider(sdkmetric.WithReader(exp), sdkmetric.WithResource(res))
		t.Meters = mp
		t.shutdown = append(t.shutdown, mp.Shutdown)
		t.metrics = promhttp.HandlerFor(reg, promhttp.HandlerOpts{})
	}
	var export sdktrace.TracerProviderOption
	switch {
	case o.SpanExporter != nil:
		export = sdktrace.WithSyncer(o.SpanExporter)
	case getenv(EnvOTLPEndpoint) != "" || getenv(EnvOTLPTracesEndpoint) != "":
		exp, err := otlpExporter(ctx, getenv)
		if err != nil {
			return nil, err
		}
		export = sdktrace.WithBatcher(exp)
	}
	if export != nil {
		tp := sdktrace.NewTracerProvider(export, sdktrace.WithResource(res))
		t.Tracers = tp
		t.shutdown = append(t.shutdown, tp.Shutdown)
	}
	return t, nil
}

func otlpExporter(ctx context.Context, getenv func(string) string) (sdktrace.SpanExporter, error) {
	proto := getenv(EnvOTLPTracesProtocol)
	if proto == "" {
		proto = getenv(EnvOTLPProtocol)
	}
	switch strings.TrimSpace(proto) {
	case "", "http/protobuf":
		return otlptracehttp.New(ctx)
	case "grpc":
		return otlptracegrpc.New(ctx)
	}
	return nil, fmt.Errorf("%s=%q: use http/protobuf or grpc", EnvOTLPProtocol, proto)
}

// MetricsHandler serves the Prometheus text format; nil when metrics are off.
func (t *Telemetry) MetricsHandler() http.Handler { return t.metrics }

// Tracing reports whether spans are exported.
func (t *Telemetry) Tracing() bool {
	_, noop := t.Tracers.(nooptrace.TracerProvider)
	return !noop
}

// Shutdown flushes spans still queued and stops the providers.
func (t *Telemetry) Shutdown(ctx context.Context) error {
	var errs []error
	for _, f := range t.shutdown {
		errs = append(errs, f(ctx))
	}
	return errors.Join(errs...)
}
