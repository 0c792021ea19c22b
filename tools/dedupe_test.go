package tools

import (
	"context"
	"encoding/json"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/mark3labs/mcp-go/mcp"

	"github.com/partnerstack-mcp/partnerstack-mcp/client/sandbox"
	"github.com/partnerstack-mcp/partnerstack-mcp/internal/mcptest"
	"github.com/partnerstack-mcp/partnerstack-mcp/tools/dedupe"
)

// guardFixture is the full tool set over a fresh sandbox, called through the
// real handlers.
type guardFixture struct {
	sb    *sandbox.Sandbox
	tools map[string]Tool
	guard *dedupeGuard
}

func newGuardFixture(t testing.TB, d Deps) *guardFixture {
	t.Helper()
	sb := sandbox.New(sandbox.Options{})
	d.Client = newSandboxClient(t, sb, nil)
	f := &guardFixture{sb: sb, tools: map[string]Tool{}}
	for _, tl := range All(d) {
		f.tools[tl.Def.Name] = tl
	}
	return f
}

func (f *guardFixture) call(t testing.TB, name string, args map[string]any) (bool, string) {
	t.Helper()
	req := mcp.CallToolRequest{}
	req.Params.Name = name
	req.Params.Arguments = args
	res, err := f.tools[name].Handler(context.Background(), req)
	if err != nil {
		t.Fatalf("%s: Go error %v", name, err)
	}
	return res.IsError, res.Content[0].(mcp.TextContent).Text
}

func (f *guardFixture) partnerAndCustomer(t testing.TB) (string, string) {
	t.Helper()
	res, err := f.tools["list_partnerships"].Handler(context.Background(), mcpReq("list_partnerships", map[string]any{"limit": 1}))
	if err != nil || res.IsError {
		t.Fatalf("list_partnerships: %v %v", err, res)
	}
	var structured map[string]any
	raw, _ := json.Marshal(res.StructuredContent)
	_ = json.Unmarshal(raw, &structured)
	items := mcptest.Items(structured)
	if len(items) == 0 {
		t.Fatalf("no partner in %s", raw)
	}
	partnerKey, _ := items[0]["partner_key"].(string)
	if isErr, text := f.call(t, "create_customer", map[string]any{"email": "dup@acme.test", "partner_key": partnerKey, "customer_key": "dup-cust"}); isErr {
		t.Fatal(text)
	}
	return partnerKey, "dup-cust"
}

func mcpReq(name string, args map[string]any) mcp.CallToolRequest {
	req := mcp.CallToolRequest{}
	req.Params.Name = name
	req.Params.Arguments = args
	return req
}

func TestDuplicateWritesAreRefusedUnlessAllowed(t *testing.T) {
	f := newGuardFixture(t, Deps{})
	partner, cust := f.partnerAndCustomer(t)
	cases := []struct {
		tool, path string
		args       map[string]any
		same       map[string]any // equal after canonicalisation (other spelling, dry_run)
	}{
		{"record_transaction", "/v2/transactions",
			map[string]any{"customer_key": cust, "amount": 9900, "currency": "USD"},
			map[string]any{"currency": "USD", "amount": 9.9e3, "customer_key": cust}},
		{"create_reward", "/v2/rewards",
			map[string]any{"partner_key": partner, "amount": 5000, "description": "Launch bonus"}, nil},
		{"record_action", "/v2/actions",
			map[string]any{"customer_key": cust, "key": "signup", "value": 1}, nil},
	}
	for _, tc := range cases {
		t.Run(tc.tool, func(t *testing.T) {
			if isErr, text := f.call(t, tc.tool, tc.args); isErr {
				t.Fatalf("first call: %s", text)
			}
			again := tc.same
			if again == nil {
				again = tc.args
			}
			isErr, text := f.call(t, tc.tool, again)
			if !isErr || !strings.Contains(text, "Refused as a likely duplicate") || !strings.Contains(text, "allow_duplicate: true") ||
				!strings.Contains(text, "created key ") || !strings.Contains(text, "ago (") {
				t.Fatalf("second call: %v %s", isErr, text)
			}
			if n := f.sb.AppliedWrites("POST", tc.path); n != 1 {
				t.Fatalf("%d writes applied, want 1", n)
			}
			// A dry run is never refused and never remembered.
			dry := clone(tc.args)
			dry["dry_run"] = true
			if isErr, text := f.call(t, tc.tool, dry); isErr {
				t.Fatalf("dry run refused: %s", text)
			}
			allow := clone(tc.args)
			allow["allow_duplicate"] = true
			if isErr, text := f.call(t, tc.tool, allow); isErr {
				t.Fatalf("allow_duplicate: %s", text)
			}
			if n := f.sb.AppliedWrites("POST", tc.path); n != 2 {
				t.Fatalf("%d writes applied, want 2", n)
			}
			// A different call goes through.
			other := clone(tc.args)
			other["amount"], other["value"] = 4242, 2
			if tc.tool == "create_reward" {
				delete(other, "value")
			} else if tc.tool == "record_action" {
				delete(other, "amount")
			} else {
				delete(other, "value")
			}
			if isErr, text := f.call(t, tc.tool, other); isErr {
				t.Fatalf("a different call was refused: %s", text)
			}
		})
	}
}

func clone(m map[string]any) map[string]any {
	out := make(map[string]any, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}

func TestTransactionKeyIsTheNaturalDuplicateTest(t *testing.T) {
	f := newGuardFixture(t, Deps{})
	_, cust := f.partnerAndCustomer(t)
	if isErr, text := f.call(t, "record_transaction", map[string]any{"customer_key": cust, "amount": 100, "currency": "USD", "key": "order-1001"}); isErr {
		t.Fatal(text)
	}
	isErr, text := f.call(t, "record_transaction", map[string]any{"customer_key": cust, "amount": 250, "currency": "EUR", "key": "order-1001"})
	if !isErr || !strings.Contains(text, `same key "order-1001"`) {
		t.Fatalf("same key, other amount: %s", text)
	}
}

func TestOnlyWritesThatMayHaveHappenedAreRemembered(t *testing.T) {
	f := newGuardFixture(t, Deps{})
	_, cust := f.partnerAndCustomer(t)
	args := map[string]any{"customer_key": cust, "amount": 700, "currency": "USD"}

	// A 400 wrote nothing: the same call may be sent again at once.
	bad := map[string]any{"customer_key": "no-such-customer", "amount": 700, "currency": "USD"}
	for i := 0; i < 2; i++ {
		if isErr, text := f.call(t, "record_transaction", bad); !isErr || !strings.Contains(text, "400") {
			t.Fatalf("call %d: %s", i, text)
		}
	}

	// An unknown outcome is remembered, and the refusal says to check first.
	f.sb.AddFault(sandbox.Fault{Route: "POST /v2/transactions", Kind: sandbox.FaultResetAfterWrite, Times: 1})
	if isErr, text := f.call(t, "record_transaction", args); !isErr || !strings.Contains(text, "outcome unknown") ||
		!strings.Contains(text, "list_transactions (customer_key="+cust+")") {
		t.Fatalf("reset: %s", text)
	}
	isErr, text := f.call(t, "record_transaction", args)
	if !isErr || !strings.Contains(text, "outcome is unknown") || !strings.Contains(text, "list_transactions (customer_key="+cust+")") {
		t.Fatalf("retry after an unknown outcome: %s", text)
	}
	if n := f.sb.AppliedWrites("POST", "/v2/transactions"); n != 1 {
		t.Fatalf("%d applied, want 1", n)
	}
}

func TestDedupeWindowExpiresAndCanBeDisabled(t *testing.T) {
	f := newGuardFixture(t, Deps{})
	_, cust := f.partnerAndCustomer(t)
	now := time.Now()
	withClock(t, f, time.Minute, func() time.Time { return now })
	args := map[string]any{"customer_key": cust, "amount": 300, "currency": "USD"}
	if isErr, text := f.call(t, "record_transaction", args); isErr {
		t.Fatal(text)
	}
	now = now.Add(59 * time.Second)
	if isErr, _ := f.call(t, "record_transaction", args); !isErr {
		t.Fatal("refusal expected inside the window")
	}
	now = now.Add(2 * time.Second)
	if isErr, text := f.call(t, "record_transaction", args); isErr {
		t.Fatalf("after the window: %s", text)
	}

	off := newGuardFixture(t, Deps{DedupeWindow: -1})
	_, cust = off.partnerAndCustomer(t)
	args["customer_key"] = cust
	for i := 0; i < 2; i++ {
		if isErr, text := off.call(t, "record_transaction", args); isErr {
			t.Fatalf("guard disabled, call %d: %s", i, text)
		}
	}
}

// withClock replaces the fixture's guarded tools with ones whose guard reads
// the given clock.
func withClock(t *testing.T, f *guardFixture, window time.Duration, now func() time.Time) {
	t.Helper()
	d := Deps{Client: newSandboxClient(t, f.sb, nil)}
	mem := dedupe.NewMemory()
	mem.Now = now
	d.guard = newDedupeGuard(window, nil, mem, nil, nil)
	d.guard.now = now
	for _, group := range [][]Tool{transactionTools(d), rewardTools(d), actionTools(d)} {
		for _, tl := range group {
			f.tools[tl.Def.Name] = tl
		}
	}
}

func TestGuardMemoryIsBoundedAndConcurrencySafe(t *testing.T) {
	// The cap itself is tested on the store (dedupe.TestMemoryIsBounded).
	var wg sync.WaitGroup

	// Two identical calls at once: exactly one is sent.
	f := newGuardFixture(t, Deps{})
	_, cust := f.partnerAndCustomer(t)
	f.sb.AddFault(sandbox.Fault{Route: "POST /v2/transactions", Kind: sandbox.FaultLatency, Latency: 100 * time.Millisecond})
	args := map[string]any{"customer_key": cust, "amount": 123, "currency": "USD"}
	var refused, sent int
	var mu sync.Mutex
	for i := 0; i < 5; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			req := mcpReq("record_transaction", args)
			res, _ := f.tools["record_transaction"].Handler(context.Background(), req)
			mu.Lock()
			defer mu.Unlock()
			if res.IsError {
				refused++
				if !strings.Contains(res.Content[0].(mcp.TextContent).Text, "in progress") {
					t.Errorf("refusal: %v", res.Content)
				}
			} else {
				sent++
			}
		}()
	}
	wg.Wait()
	if sent != 1 || refused != 4 || f.sb.AppliedWrites("POST", "/v2/transactions") != 1 {
		t.Fatalf("sent %d, refused %d, applied %d", sent, refused, f.sb.AppliedWrites("POST", "/v2/transactions"))
	}
}

func TestGuardScopesSeparateCallers(t *testing.T) {
	type scopeKey struct{}
	f := newGuardFixture(t, Deps{DedupeScope: func(ctx context.Context) string {
		s, _ := ctx.Value(scopeKey{}).(string)
		return s
	}})
	_, cust := f.partnerAndCustomer(t)
	req := mcpReq("record_transaction", map[string]any{"customer_key": cust, "amount": 55, "currency": "USD"})
	for _, who := range []string{"tenant-a", "tenant-b"} {
		res, _ := f.tools["record_transaction"].Handler(context.WithValue(context.Background(), scopeKey{}, who), req)
		if res.IsError {
			t.Fatalf("%s was refused: %v", who, res.Content)
		}
	}
	res, _ := f.tools["record_transaction"].Handler(context.WithValue(context.Background(), scopeKey{}, "tenant-a"), req)
	if !res.IsError {
		t.Fatal("tenant-a's repeat went through")
	}
}

func TestMoneyWritesFailClosedWhenTheStoreIsDown(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	down := ln.Addr().String()
	ln.Close()
	store, err := dedupe.Open("redis://:pw-never-shown@" + down + "/0")
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	f := newGuardFixture(t, Deps{DedupeStore: store})
	partner, cust := f.partnerAndCustomer(t)
	for _, c := range []struct {
		tool string
		args map[string]any
	}{
		{"record_transaction", map[string]any{"customer_key": cust, "amount": 700, "currency": "USD"}},
		{"record_transaction", map[string]any{"customer_key": cust, "amount": 700, "currency": "USD", "allow_duplicate": true}},
		{"create_reward", map[string]any{"partner_key": partner, "amount": 500, "description": "bonus"}},
	} {
		isErr, text := f.call(t, c.tool, c.args)
		if !isErr || !strings.Contains(text, "Nothing was sent") || !strings.Contains(text, "reads still work") || strings.Contains(text, "pw-never-shown") {
			t.Fatalf("%s with the store down: %v %s", c.tool, isErr, text)
		}
	}
	if n := f.sb.AppliedWrites("POST", "/v2/transactions") + f.sb.AppliedWrites("POST", "/v2/rewards"); n != 0 {
		t.Fatalf("%d writes reached the API with the store down", n)
	}
	if isErr, text := f.call(t, "list_transactions", map[string]any{"limit": 2}); isErr {
		t.Fatalf("a read with the store down: %s", text)
	}
	if isErr, text := f.call(t, "record_transaction", map[string]any{"customer_key": cust, "amount": 700, "currency": "USD", "dry_run": true}); isErr {
		t.Fatalf("a dry run sends nothing and needs no guard: %s", text)
	}
}

// Issue 17, item 8: the guard fingerprints the request that is sent, not the
// arguments. "USD" and "usd", or created_at "2026-01-05" and
// "2026-01-05T00:00:00Z", build the same request body: one write, so the
// second spelling is refused.
func TestSpellingsOfOneWriteAreOneWrite(t *testing.T) {
	f := newGuardFixture(t, Deps{})
	partner, cust := f.partnerAndCustomer(t)
	cases := []struct {
		name, tool, path string
		first, again     map[string]any
	}{
		{"currency case", "record_transaction", "/v2/transactions",
			map[string]any{"customer_key": cust, "amount": 1500, "currency": "USD"},
			map[string]any{"customer_key": cust, "amount": 1500, "currency": "usd"}},
		{"date and midnight date-time", "record_transaction", "/v2/transactions",
			map[string]any{"customer_key": cust, "amount": 1600, "currency": "EUR", "created_at": "2026-01-05"},
			map[string]any{"customer_key": cust, "amount": 1600, "currency": "eur", "created_at": "2026-01-05T00:00:00Z"}},
		{"time zone offset", "record_transaction", "/v2/transactions",
			map[string]any{"customer_key": cust, "amount": 1700, "currency": "USD", "created_at": "2026-01-05T01:00:00+01:00"},
			map[string]any{"customer_key": cust, "amount": 1700, "currency": "USD", "created_at": "2026-01-05T00:00:00.000Z"}},
		{"metadata as a map and as pairs", "record_transaction", "/v2/transactions",
			map[string]any{"customer_key": cust, "amount": 1800, "currency": "USD", "metadata": map[string]any{"b": "2", "a": "1"}},
			map[string]any{"customer_key": cust, "amount": 1800, "currency": "USD", "metadata": []any{
				map[string]any{"key": "a", "value": "1"}, map[string]any{"key": "b", "value": "2"}}}},
		{"reward amount as a float", "create_reward", "/v2/rewards",
			map[string]any{"partner_key": partner, "amount": 2500, "description": "Q1"},
			map[string]any{"partner_key": partner, "amount": 2500.0, "description": "Q1", "dry_run": false}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			before := f.sb.AppliedWrites("POST", tc.path)
			if isErr, text := f.call(t, tc.tool, tc.first); isErr {
				t.Fatalf("first: %s", text)
			}
			isErr, text := f.call(t, tc.tool, tc.again)
			if !isErr || !strings.Contains(text, "Refused as a likely duplicate") {
				t.Fatalf("the other spelling was sent: %s", text)
			}
			if n := f.sb.AppliedWrites("POST", tc.path) - before; n != 1 {
				t.Fatalf("%d writes applied, want 1", n)
			}
		})
	}
}

// With the guard's memory at its cap of callers, a new caller's money write
// is refused, and nothing is sent; known callers write on.
func TestGuardAtItsCallerCapRefusesNewCallersWrites(t *testing.T) {
	type scopeKey struct{}
	mem := dedupe.NewMemory()
	mem.MaxScopes = 1
	f := newGuardFixture(t, Deps{DedupeStore: mem, DedupeScope: func(ctx context.Context) string {
		s, _ := ctx.Value(scopeKey{}).(string)
		return s
	}})
	_, cust := f.partnerAndCustomer(t)
	as := func(who string, amount int) *mcp.CallToolResult {
		req := mcpReq("record_transaction", map[string]any{"customer_key": cust, "amount": amount, "currency": "USD"})
		res, err := f.tools["record_transaction"].Handler(context.WithValue(context.Background(), scopeKey{}, who), req)
		if err != nil {
			t.Fatal(err)
		}
		return res
	}
	if res := as("tenant-a", 10); res.IsError {
		t.Fatalf("tenant-a: %v", res.Content)
	}
	before := f.sb.AppliedWrites("POST", "/v2/transactions")
	res := as("tenant-b", 11)
	if text := res.Content[0].(mcp.TextContent).Text; !res.IsError || !strings.Contains(text, "Nothing was sent") || !strings.Contains(text, "another caller's") {
		t.Fatalf("tenant-b at the cap: %s", text)
	}
	if f.sb.AppliedWrites("POST", "/v2/transactions") != before {
		t.Fatal("tenant-b's write was sent")
	}
	if res := as("tenant-a", 12); res.IsError {
		t.Fatalf("tenant-a at the cap: %v", res.Content)
	}
}
