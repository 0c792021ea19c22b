package telemetry

import (
	"context"
	"strings"
	"testing"
)

func env(m map[string]string) func(string) string { return func(k string) string { return m[k] } }

func TestNewTurnsOnOnlyWhatIsAskedFor(t *testing.T) {
	ctx := context.Background()
	off, err := New(ctx, Options{Getenv: env(nil)})
	if err != nil || off.Tracing() || off.MetricsHandler() != nil {
		t.Fatalf("nothing asked: tracing %v, metrics %v, err %v", off.Tracing(), off.MetricsHandler() != nil, err)
	}
	for _, proto := range []string{"", "http/protobuf", "grpc"} {
		tel, err := New(ctx, Options{Getenv: env(map[string]string{EnvOTLPEndpoint: "http://127.0.0.1:4318", EnvOTLPProtocol: proto})})
		if err != nil || !tel.Tracing() {
			t.Fatalf("protocol %q: tracing %v, err %v", proto, tel != nil && tel.Tracing(), err)
		}
		tel.Shutdown(ctx)
	}
	tel, err := New(ctx, Options{Getenv: env(map[string]string{EnvOTLPTracesEndpoint: "http://127.0.0.1:4318/v1/traces"})})
	if err != nil || !tel.Tracing() {
		t.Fatalf("the traces endpoint alone: %v", err)
	}
	tel.Shutdown(ctx)
	if _, err := New(ctx, Options{Getenv: env(map[string]string{EnvOTLPEndpoint: "http://x", EnvOTLPProtocol: "http/json"})}); err == nil || !strings.Contains(err.Error(), "http/protobuf or grpc") {
		t.Fatalf("an unsupported protocol: %v", err)
	}
	m, err := New(ctx, Options{Metrics: true, Getenv: env(nil)})
	if err != nil || m.MetricsHandler() == nil || m.Tracing() {
		t.Fatalf("metrics only: %v", err)
	}
}

func TestLabelValuesAreBounded(t *testing.T) {
	m, err := Off().MCP(TransportTCP, []string{"list_groups"})
	if err != nil {
		t.Fatal(err)
	}
	if m.toolName("list_groups") != "list_groups" || m.toolName("made_up_"+strings.Repeat("x", 40)) != other {
		t.Fatal("tool names outside the server's own must collapse")
	}
	if knownMethod("tools/call") != "tools/call" || knownMethod("anything/else") != other {
		t.Fatal("method names outside MCP's must collapse")
	}
	if protocolVersion(context.Background(), nil, nil) != "" {
		t.Fatal("no version known: no label")
	}
}
