package e2e_test

import (
	"context"
	"io"
	"log/slog"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"
	"time"

	gosdk "github.com/modelcontextprotocol/go-sdk/mcp"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"

	partnerstackmcp "github.com/partnerstack-mcp/partnerstack-mcp"
	"github.com/partnerstack-mcp/partnerstack-mcp/client"
	"github.com/partnerstack-mcp/partnerstack-mcp/client/sandbox"
	"github.com/partnerstack-mcp/partnerstack-mcp/httpserve"
	"github.com/partnerstack-mcp/partnerstack-mcp/internal/mcptest"
	"github.com/partnerstack-mcp/partnerstack-mcp/telemetry"
)

// telemetryFixture is the real server with metrics on and spans going to
// an in-memory exporter, over streamable HTTP with sessions.
func telemetryFixture(t *testing.T) (*telemetry.Telemetry, *tracetest.InMemoryExporter, *gosdk.ClientSession) {
	t.Helper()
	exp := tracetest.NewInMemoryExporter()
	tel, err := telemetry.New(context.Background(), telemetry.Options{Metrics: true, ServiceName: "e2e", SpanExporter: exp})
	if err != nil {
		t.Fatal(err)
	}
	f := newFixtureWith(t, partnerstackmcp.Config{Telemetry: tel, NetworkTransport: telemetry.TransportTCP}, sandbox.Options{},
		func(c *client.Config) { c.Meters, c.Tracers = tel.Meters, tel.Tracers })
	base := serveGuarded(t, f, httpserve.TransportHTTP, httpserve.Options{}, slog.New(slog.DiscardHandler))
	return tel, exp, mcptest.SDKSession(t, &gosdk.StreamableClientTransport{Endpoint: base + "/mcp"}, "", nil)
}

func scrape(t *testing.T, tel *telemetry.Telemetry) string {
	t.Helper()
	rec := httptest.NewRecorder()
	tel.MetricsHandler().ServeHTTP(rec, httptest.NewRequest("GET", "/metrics", nil))
	body, _ := io.ReadAll(rec.Body)
	return string(body)
}

func TestMetricsFollowTheMCPConventionsAndLeakNothing(t *testing.T) {
	tel, _, cs := telemetryFixture(t)
	parts, isErr, text := mcptest.SDKCall(t, cs, "list_partnerships", map[string]any{"limit": 1})
	if isErr {
		t.Fatal(text)
	}
	item := mcptest.Items(parts)[0]
	partnerKey, partnership := item["partner_key"].(string), item["key"].(string)
	if _, isErr, text := mcptest.SDKCall(t, cs, "get_partnership", map[string]any{"key": partnership}); isErr {
		t.Fatal(text)
	}
	const canary = "canary-label-cust-7731"
	if _, isErr, text := mcptest.SDKCall(t, cs, "create_customer", map[string]any{"customer_key": canary, "email": canary + "@example.com", "partner_key": partnerKey, "name": "Canary"}); isErr {
		t.Fatal(text)
	}
	write := map[string]any{"customer_key": canary, "amount": 987654, "currency": "USD"}
	for i := 0; i < 2; i++ { // the second is refused as a duplicate
		mcptest.SDKCall(t, cs, "record_transaction", write)
	}
	if _, isErr, _ := mcptest.SDKCall(t, cs, "get_partnership", map[string]any{"key": ""}); !isErr {
		t.Fatal("an empty key should be a tool error")
	}
	m := scrape(t, tel)

	for _, want := range []string{
		`mcp_server_operation_duration_seconds_bucket{`,
		`mcp_method_name="tools/call"`,
		`gen_ai_tool_name="list_partnerships"`,
		`error_type="tool_error"`,
		`network_transport="tcp"`,
		`mcp_protocol_version="`,
		`partnerstack_api_request_duration_seconds_count{`,
		`url_template="/v2/partnerships/{key}"`,
		`http_request_method="POST"`,
		`http_response_status_code="200"`,
		`http_request_resend_count="0"`,
		`partnerstack_dedupe_reservations_total{gen_ai_tool_name="record_transaction"} 1`,
		`partnerstack_dedupe_refusals_total{gen_ai_tool_name="record_transaction",reason="duplicate"} 1`,
	} {
		if !strings.Contains(m, want) {
			t.Errorf("metrics lack %s", want)
		}
	}
	if strings.Contains(m, `mcp_method_name="_OTHER"`) || strings.Contains(m, `gen_ai_tool_name="_OTHER"`) {
		t.Error("a method or tool of this server was counted as _OTHER")
	}
	if t.Failed() {
		t.Log(m)
	}
	// No label holds a session id, a key (API, partner, partnership,
	// customer) or an argument value.
	forbidden := []string{cs.ID(), sandbox.DefaultPublicKey, sandbox.DefaultSecretKey, partnerKey, partnership, canary, "987654"}
	labels := regexp.MustCompile(`\{([^}]*)\}`)
	for _, line := range strings.Split(m, "\n") {
		if strings.HasPrefix(line, "#") {
			continue
		}
		for _, l := range labels.FindAllStringSubmatch(line, -1) {
			for _, bad := range forbidden {
				if bad != "" && strings.Contains(l[1], bad) {
					t.Errorf("a label holds %q: %s", bad, line)
				}
			}
			if strings.Contains(strings.ToLower(l[1]), "session") {
				t.Errorf("a session label: %s", line)
			}
		}
	}
}

func TestToolCallSpansContinueTheCallersTrace(t *testing.T) {
	_, exp, cs := telemetryFixture(t)
	parts, _, _ := mcptest.SDKCall(t, cs, "list_partnerships", map[string]any{"limit": 1})
	partnership := mcptest.Items(parts)[0]["key"].(string)
	const traceID, parentID = "4bf92f3577b34da6a3ce929d0e0e4736", "00f067aa0ba902b7"
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	res, err := cs.CallTool(ctx, &gosdk.CallToolParams{Name: "get_partnership", Arguments: map[string]any{"key": partnership},
		Meta: gosdk.Meta{"traceparent": "00-" + traceID + "-" + parentID + "-01"}})
	if err != nil || res.IsError {
		t.Fatalf("%v %v", err, res)
	}
	var tool *tracetest.SpanStub
	spans := exp.GetSpans()
	for i := range spans {
		if spans[i].Name == "tools/call get_partnership" {
			tool = &spans[i]
		}
	}
	if tool == nil {
		t.Fatalf("no tools/call get_partnership span among %d", len(spans))
	}
	if tool.SpanContext.TraceID().String() != traceID || tool.Parent.SpanID().String() != parentID {
		t.Fatalf("tool span in trace %s under %s; want %s under %s", tool.SpanContext.TraceID(), tool.Parent.SpanID(), traceID, parentID)
	}
	var children []string
	for _, s := range spans {
		if s.Parent.SpanID() == tool.SpanContext.SpanID() {
			children = append(children, s.Name)
			if strings.Contains(s.Name, partnership) {
				t.Errorf("span %q names the key", s.Name)
			}
			for _, a := range s.Attributes {
				if strings.Contains(a.Value.Emit(), partnership) {
					t.Errorf("span attribute %s holds the key", a.Key)
				}
			}
		}
	}
	if len(children) != 1 || children[0] != "GET /v2/partnerships/{key}" {
		t.Fatalf("children of the tool span: %v, want the one PartnerStack request", children)
	}
	var other int
	for _, s := range spans {
		if s.Name == "tools/call list_partnerships" && s.Parent.IsValid() {
			t.Errorf("a call without traceparent got a parent: %v", s.Parent)
		}
		if s.Name == "tools/call list_partnerships" {
			other++
		}
	}
	if other != 1 {
		t.Errorf("%d list_partnerships spans, want 1", other)
	}
}
