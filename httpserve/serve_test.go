package httpserve

import (
	"context"
	"fmt"
	"log/slog"
	"net"
	"testing"
	"time"

	gosdk "github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/partnerstack-mcp/partnerstack-mcp/client/sandbox"
)

func TestGracefulShutdown(t *testing.T) {
	for _, transport := range []string{TransportHTTP, TransportSSE} {
		t.Run(transport+": a call in flight finishes, then streams close and Serve returns", func(t *testing.T) {
			f := newFixture(t)
			f.sb.AddFault(sandbox.Fault{Kind: sandbox.FaultLatency, Latency: 400 * time.Millisecond, Route: "GET /v2/groups"})
			ln, err := net.Listen("tcp", "127.0.0.1:0")
			if err != nil {
				t.Fatal(err)
			}
			addr := ln.Addr().String()
			ln.Close()
			ctx, stop := context.WithCancel(context.Background())
			defer stop()
			served := make(chan error, 1)
			go func() {
				served <- Serve(ctx, f.server, Options{Transport: transport, Addr: addr, ShutdownTimeout: 10 * time.Second, Logger: slog.New(slog.DiscardHandler)})
			}()
			var tr gosdk.Transport = &gosdk.StreamableClientTransport{Endpoint: "http://" + addr + "/mcp"}
			if transport == TransportSSE {
				tr = &gosdk.SSEClientTransport{Endpoint: "http://" + addr + "/sse"}
			}
			var cs *gosdk.ClientSession
			for deadline := time.Now().Add(5 * time.Second); ; {
				c := gosdk.NewClient(&gosdk.Implementation{Name: "stop", Version: "0"}, nil)
				if cs, err = c.Connect(context.Background(), tr, nil); err == nil || time.Now().After(deadline) {
					break
				}
				time.Sleep(20 * time.Millisecond)
			}
			if err != nil {
				t.Fatal(err)
			}
			defer cs.Close()
			got := make(chan error, 1)
			go func() {
				res, err := cs.CallTool(context.Background(), &gosdk.CallToolParams{Name: "list_groups", Arguments: map[string]any{}})
				if err == nil && res.IsError {
					err = fmt.Errorf("tool error")
				}
				got <- err
			}()
			time.Sleep(150 * time.Millisecond) // the call is now waiting on the sandbox
			stop()
			if err := <-got; err != nil {
				t.Fatalf("the call in flight failed: %v", err)
			}
			select {
			case err := <-served:
				if err != nil {
					t.Fatalf("Serve: %v", err)
				}
			case <-time.After(5 * time.Second):
				t.Fatal("Serve did not return after the call finished")
			}
			if _, err := net.DialTimeout("tcp", addr, time.Second); err == nil {
				t.Fatal("still accepting connections")
			}
		})
	}
}
