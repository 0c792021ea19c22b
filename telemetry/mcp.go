package telemetry

import (
	"context"
	"slices"
	"strconv"
	"sync"
	"time"

	"github.com/mark3labs/mcp-go/mcp"
	"github.com/mark3labs/mcp-go/server"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/metric"
	"go.opentelemetry.io/otel/propagation"
	"go.opentelemetry.io/otel/semconv/v1.41.0/mcpconv"
	"go.opentelemetry.io/otel/trace"
)

// Scope is the instrumentation scope of everything this server records.
const Scope = "github.com/partnerstack-mcp/partnerstack-mcp"

// Network transports, as the MCP conventions name them.
const (
	TransportPipe = "pipe" // stdio
	TransportTCP  = "tcp"  // streamable HTTP and SSE
)

// ErrorTypeTool is error.type for a tool that answered isError: true.
const ErrorTypeTool = "tool_error"

// other stands for any value outside a label's known set.
const other = "_OTHER"

// Buckets of the operation histogram, from the MCP semantic conventions.
var operationBuckets = metric.WithExplicitBucketBoundaries(0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10, 30, 60, 120, 300)

// MCP instruments an MCP server: Hooks record mcp.server.operation.duration
// for every request, and ToolSpans opens a "tools/call <tool>" span per
// call, continuing the caller's trace from _meta.traceparent. Labels come
// from bounded sets only (the server's own tool names, the known protocol
// versions, JSON-RPC error codes): no session id, key or argument value.
type MCP struct {
	transport string
	tools     map[string]bool
	duration  mcpconv.ServerOperationDuration
	tracer    trace.Tracer
	started   sync.Map // request message (a pointer, unique per request) -> time.Time
}

// MCP builds the instrumentation for a server offering tools over transport
// (TransportPipe or TransportTCP).
func (t *Telemetry) MCP(transport string, tools []string) (*MCP, error) {
	d, err := mcpconv.NewServerOperationDuration(t.Meters.Meter(Scope), operationBuckets)
	if err != nil {
		return nil, err
	}
	m := &MCP{transport: transport, tools: map[string]bool{}, duration: d, tracer: t.Tracers.Tracer(Scope)}
	for _, name := range tools {
		m.tools[name] = true
	}
	return m, nil
}

// Hooks record the operation histogram.
func (m *MCP) Hooks() *server.Hooks {
	h := &server.Hooks{}
	h.AddBeforeAny(func(_ context.Context, _ any, _ mcp.MCPMethod, message any) {
		m.started.Store(message, time.Now())
	})
	h.AddOnSuccess(func(ctx context.Context, _ any, method mcp.MCPMethod, message, result any) {
		errType := ""
		if r, ok := result.(*mcp.CallToolResult); ok && r != nil && r.IsError {
			errType = ErrorTypeTool
		}
		m.record(ctx, method, message, result, errType)
	})
	h.AddOnError(func(ctx context.Context, _ any, method mcp.MCPMethod, message any, err error) {
		m.record(ctx, method, message, nil, jsonrpcErrorType(err))
	})
	return h
}

func (m *MCP) record(ctx context.Context, method mcp.MCPMethod, message, result any, errType string) {
	v, ok := m.started.LoadAndDelete(message)
	if !ok {
		return // rejected before its handler ran: nothing was timed
	}
	attrs := []attribute.KeyValue{m.duration.AttrNetworkTransport(mcpconv.NetworkTransportAttr(m.transport))}
	if method == mcp.MethodToolsCall {
		if req, ok := message.(*mcp.CallToolRequest); ok {
			attrs = append(attrs, m.duration.AttrGenAIToolName(m.toolName(req.Params.Name)))
		}
	}
	if errType != "" {
		attrs = append(attrs, m.duration.AttrErrorType(mcpconv.ErrorTypeAttr(errType)))
	}
	if pv := protocolVersion(ctx, message, result); pv != "" {
		attrs = append(attrs, m.duration.AttrProtocolVersion(pv))
	}
	m.duration.Record(ctx, time.Since(v.(time.Time)).Seconds(), mcpconv.MethodNameAttr(knownMethod(method)), attrs...)
}

func (m *MCP) toolName(name string) string {
	if m.tools[name] {
		return name
	}
	return other
}

// knownMethod bounds mcp.method.name: a client may send any method name.
func knownMethod(method mcp.MCPMethod) string {
	switch method {
	case mcp.MethodInitialize, mcp.MethodServerDiscover, mcp.MethodPing, mcp.MethodToolsList, mcp.MethodToolsCall,
		mcp.MethodResourcesList, mcp.MethodResourcesRead, mcp.MethodResourcesTemplatesList,
		mcp.MethodResourcesSubscribe, mcp.MethodResourcesUnsubscribe, mcp.MethodPromptsList, mcp.MethodPromptsGet,
		mcp.MethodSetLogLevel, mcp.MethodCompletionComplete, mcp.MethodSubscriptionsListen,
		mcp.MethodTasksGet, mcp.MethodTasksList, mcp.MethodTasksResult, mcp.MethodTasksCancel:
		return string(method)
	}
	return other
}

// protocolVersion is the request's MCP protocol version when it is one this
// library knows (a header is the client's to choose).
func protocolVersion(ctx context.Context, message, result any) string {
	pv := server.RequestProtocolVersion(ctx)
	if pv == "" {
		if r, ok := result.(*mcp.InitializeResult); ok && r != nil {
			pv = r.ProtocolVersion
		} else if req, ok := message.(*mcp.CallToolRequest); ok {
			pv = req.Header.Get(server.HeaderKeyProtocolVersion)
		}
	}
	if slices.Contains(mcp.ValidProtocolVersions, pv) {
		return pv
	}
	return ""
}

// jsonrpcErrorType is the JSON-RPC error code of a failed request.
func jsonrpcErrorType(err error) string {
	if e, ok := err.(interface{ ToJSONRPCError() mcp.JSONRPCError }); ok {
		return strconv.Itoa(e.ToJSONRPCError().Error.Code)
	}
	return other
}

// traceContext reads W3C trace context from a request's _meta.
var traceContext = propagation.TraceContext{}

// ToolSpans opens one span per tool call, a child of the trace the client
// sent in _meta.traceparent (and tracestate) when it sent one. The API
// client's spans for the call's PartnerStack requests are its children.
func (m *MCP) ToolSpans() server.ToolHandlerMiddleware {
	return func(next server.ToolHandlerFunc) server.ToolHandlerFunc {
		return func(ctx context.Context, req mcp.CallToolRequest) (*mcp.CallToolResult, error) {
			if meta := req.Params.Meta; meta != nil {
				carrier := propagation.MapCarrier{}
				for _, k := range traceContext.Fields() {
					if v, ok := meta.AdditionalFields[k].(string); ok {
						carrier[k] = v
					}
				}
				ctx = traceContext.Extract(ctx, carrier)
			}
			name := m.toolName(req.Params.Name)
			ctx, span := m.tracer.Start(ctx, "tools/call "+name, trace.WithSpanKind(trace.SpanKindServer),
				trace.WithAttributes(
					attribute.String("mcp.method.name", string(mcp.MethodToolsCall)),
					attribute.String("gen_ai.tool.name", name),
					attribute.String("gen_ai.operation.name", "execute_tool"),
					attribute.String("network.transport", m.transport),
				))
			defer span.End()
			res, err := next(ctx, req)
			switch {
			case err != nil:
				span.SetStatus(codes.Error, "internal error")
				span.SetAttributes(attribute.String("error.type", other))
			case res != nil && res.IsError:
				// The tool's text may quote arguments: only the type goes on the span.
				span.SetStatus(codes.Error, ErrorTypeTool)
				span.SetAttributes(attribute.String("error.type", ErrorTypeTool))
			}
			return res, err
		}
	}
}
