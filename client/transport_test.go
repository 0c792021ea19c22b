package client_test

import (
	"context"
	"net"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/partnerstack-mcp/partnerstack-mcp/client"
	"github.com/partnerstack-mcp/partnerstack-mcp/client/sandbox"
)

// A server makes many API calls at once; the default client must keep their
// connections open between calls instead of dialling (and, in production,
// TLS-handshaking) for most of them.
func TestConcurrentCallsReuseConnections(t *testing.T) {
	const concurrent, rounds = 32, 5
	sb := sandbox.New(sandbox.Options{Seed: 1})
	var dialled atomic.Int64
	ts := httptest.NewUnstartedServer(sb)
	ts.Config.ConnState = func(_ net.Conn, s http.ConnState) {
		if s == http.StateNew {
			dialled.Add(1)
		}
	}
	ts.Start()
	defer ts.Close()

	c, err := client.New(client.Config{PublicKey: sandbox.DefaultPublicKey, SecretKey: sandbox.DefaultSecretKey, BaseURL: ts.URL + "/api"})
	if err != nil {
		t.Fatal(err)
	}
	key := sb.Deals()[0].Key
	for range rounds {
		var wg sync.WaitGroup
		for range concurrent {
			wg.Go(func() {
				if _, err := c.Deals.Get(context.Background(), key); err != nil {
					t.Error(err)
				}
			})
		}
		wg.Wait()
	}
	// At most one connection per concurrent call is ever needed; without
	// reuse the later rounds would dial again (Go keeps 2 idle per host by default).
	if n := dialled.Load(); n > concurrent {
		t.Fatalf("%d calls in %d rounds of %d opened %d connections; want at most %d", concurrent*rounds, rounds, concurrent, n, concurrent)
	}
}
