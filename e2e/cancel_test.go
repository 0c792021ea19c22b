package e2e_test

import (
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/partnerstack-mcp/partnerstack-mcp/client/sandbox"
)

const modernMeta = `"_meta":{"io.modelcontextprotocol/protocolVersion":"2026-07-28","io.modelcontextprotocol/clientCapabilities":{},"io.modelcontextprotocol/clientInfo":{"name":"e2e","version":"0"}}`

// A notifications/cancelled reaches only its sender's own call. Under
// --stateless, and for protocol 2026-07-28 clients (no session either way),
// mcp-go keys calls by request id alone, so before the fix a cancel for id 7
// from anyone cancelled whichever call had id 7: here another caller's slow
// list_groups, which then answered "cancelled" instead of its groups.
func TestCancelFromAnotherCallerNeverReachesACall(t *testing.T) {
	slow := sandbox.Fault{Kind: sandbox.FaultLatency, Latency: 1500 * time.Millisecond, Route: "GET /v2/groups"}
	legacyCall := `{"jsonrpc":"2.0","id":7,"method":"tools/call","params":{"name":"list_groups","arguments":{}}}`
	legacyCancel := `{"jsonrpc":"2.0","method":"notifications/cancelled","params":{"requestId":7,"reason":"not yours"}}`
	modernCall := `{"jsonrpc":"2.0","id":7,"method":"tools/call","params":{"name":"list_groups","arguments":{},` + modernMeta + `}}`
	modernCancel := `{"jsonrpc":"2.0","method":"notifications/cancelled","params":{"requestId":7,` + modernMeta + `}}`
	modernCallHeaders := []string{"Mcp-Protocol-Version", "2026-07-28", "Mcp-Method", "tools/call", "Mcp-Name", "list_groups"}
	modernCancelHeaders := []string{"Mcp-Protocol-Version", "2026-07-28", "Mcp-Method", "notifications/cancelled"}

	for _, tc := range []struct {
		name                      string
		flags                     []string
		call, cancel              string
		callHeaders, cancelHeader []string
	}{
		{"stateless", []string{"--stateless"}, legacyCall, legacyCancel, nil, nil},
		{"stateless, a 2026-07-28 client", []string{"--stateless"}, modernCall, modernCancel, modernCallHeaders, modernCancelHeaders},
		{"sessions, a 2026-07-28 client", nil, modernCall, modernCancel, modernCallHeaders, modernCancelHeaders},
		{"per-request credentials, another account", []string{"--stateless", "--per-request-credentials"}, legacyCall, legacyCancel, nil, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			sb, env, args := upstream(t, slow)
			srv := serveBinary(t, env, append(append(args, "--transport", "http"), tc.flags...)...)
			victimKeys := []string{"X-PartnerStack-Public-Key", sandbox.DefaultPublicKey, "X-PartnerStack-Secret-Key", sandbox.DefaultSecretKey}
			attackerKeys := []string{"X-PartnerStack-Public-Key", "pk_other", "X-PartnerStack-Secret-Key", "sk_other"}
			var victim rawReply
			var wg sync.WaitGroup
			wg.Go(func() {
				victim = post(t, &http.Client{}, srv.base+"/mcp", tc.call, append(victimKeys, tc.callHeaders...)...)
			})
			waitInFlight(t, sb, "/api/v2/groups")
			// Three cancels, from another connection (and another account).
			for range 3 {
				post(t, &http.Client{}, srv.base+"/mcp", tc.cancel, append(attackerKeys, tc.cancelHeader...)...)
			}
			wg.Wait()
			a := decodeAnswer(t, victim.body)
			if a.Error != nil || a.Result == nil || a.Result.IsError || !strings.Contains(a.text(), "count") {
				t.Fatalf("another caller's cancel reached the call: %d %s", victim.status, victim.body)
			}
		})
	}
}

// The caller can still stop its own call: under --stateless by closing its
// request (the tie is the HTTP request), with a session by a cancel carrying
// its session id. Either way the upstream request is abandoned.
func TestOwnCancelStillStopsTheCall(t *testing.T) {
	slow := sandbox.Fault{Kind: sandbox.FaultLatency, Latency: 3 * time.Second, Route: "GET /v2/groups"}
	call := `{"jsonrpc":"2.0","id":7,"method":"tools/call","params":{"name":"list_groups","arguments":{}}}`
	cancel := `{"jsonrpc":"2.0","method":"notifications/cancelled","params":{"requestId":7}}`

	t.Run("stateless: the request is closed", func(t *testing.T) {
		sb, env, args := upstream(t, slow)
		srv := serveBinary(t, env, append(args, "--transport", "http", "--stateless")...)
		c := &http.Client{Timeout: 500 * time.Millisecond}
		if _, err := postErr(c, srv.base+"/mcp", call); err == nil {
			t.Fatal("the slow call answered within 500 ms")
		}
		waitAbandoned(t, sb, "/api/v2/groups")
	})
	t.Run("sessions: a cancel with the session id", func(t *testing.T) {
		sb, env, args := upstream(t, slow)
		srv := serveBinary(t, env, append(args, "--transport", "http")...)
		init := post(t, &http.Client{}, srv.base+"/mcp", `{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-11-25","capabilities":{},"clientInfo":{"name":"e2e","version":"0"}}}`)
		sid := init.header.Get("Mcp-Session-Id")
		if sid == "" {
			t.Fatalf("no session: %d %s", init.status, init.body)
		}
		session := []string{"Mcp-Session-Id", sid, "Mcp-Protocol-Version", "2025-11-25"}
		var answered time.Time
		var wg sync.WaitGroup
		wg.Go(func() {
			post(t, &http.Client{}, srv.base+"/mcp", call, session...)
			answered = time.Now()
		})
		waitInFlight(t, sb, "/api/v2/groups")
		sent := time.Now()
		post(t, &http.Client{}, srv.base+"/mcp", cancel, session...)
		wg.Wait()
		if answered.Sub(sent) > time.Second {
			t.Fatalf("the call ran on for %s after its own cancel", answered.Sub(sent))
		}
		waitAbandoned(t, sb, "/api/v2/groups")
	})
}

// waitInFlight gives the slow request to path time to reach the sandbox and
// checks it has not ended yet (the sandbox logs a request only when it ends).
func waitInFlight(t *testing.T, sb *sandbox.Sandbox, path string) {
	t.Helper()
	time.Sleep(400 * time.Millisecond)
	if upstreamCalls(sb, path) != 0 {
		t.Fatal("the slow upstream call ended before the test could cancel it")
	}
}

// waitAbandoned waits until the sandbox logs the request to path as given up
// by its caller (499).
func waitAbandoned(t *testing.T, sb *sandbox.Sandbox, path string) {
	t.Helper()
	for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		for _, r := range sb.Requests() {
			if strings.HasPrefix(r.Path, path) {
				if r.Status != 499 {
					t.Fatalf("upstream request ended with %d, want 499 (abandoned)", r.Status)
				}
				return
			}
		}
	}
	t.Fatal("the upstream request was not abandoned")
}
