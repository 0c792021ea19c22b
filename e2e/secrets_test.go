package e2e_test

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/mark3labs/mcp-go/mcp"
	"github.com/mark3labs/mcp-go/server"

	partnerstackmcp "github.com/partnerstack-mcp/partnerstack-mcp"
	"github.com/partnerstack-mcp/partnerstack-mcp/client"
	"github.com/partnerstack-mcp/partnerstack-mcp/client/sandbox"
	"github.com/partnerstack-mcp/partnerstack-mcp/internal/syncbuf"
	"github.com/partnerstack-mcp/partnerstack-mcp/tools"
)

// capture records every tool answer (as it goes on the wire) and every Go
// error, including a recovered panic's, into out.
func capture(out *syncbuf.Buffer) server.ToolHandlerMiddleware {
	return func(next server.ToolHandlerFunc) server.ToolHandlerFunc {
		return func(ctx context.Context, req mcp.CallToolRequest) (res *mcp.CallToolResult, err error) {
			defer func() {
				if p := recover(); p != nil {
					fmt.Fprintf(out, "panic: %v\n", p)
					panic(p)
				}
				raw, _ := json.Marshal(res)
				fmt.Fprintf(out, "%s %s err=%v\n", req.Params.Name, raw, err)
			}()
			return next(ctx, req)
		}
	}
}

// leakFixture is a server whose client authenticates with keys, logging at
// debug level (client and server) into out, every answer captured too.
func leakFixture(t *testing.T, sb *sandbox.Sandbox, keys sandbox.KeyPair, timeout time.Duration, out *syncbuf.Buffer) *fixture {
	t.Helper()
	logger := slog.New(slog.NewTextHandler(out, &slog.HandlerOptions{Level: slog.LevelDebug}))
	api, err := client.New(client.Config{PublicKey: keys.PublicKey, SecretKey: keys.SecretKey,
		BaseURL: "http://sandbox.invalid/api", HTTPClient: sb.Client(), Logger: logger,
		Timeout: timeout, RetryWait: time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	s, err := partnerstackmcp.New(api, partnerstackmcp.Config{Logger: logger, Toolsets: []tools.ToolsetID{tools.ToolsetAll}}) // every tool is tried
	if err != nil {
		t.Fatal(err)
	}
	s.Use(capture(out))
	return &fixture{sb: sb, api: api, server: s}
}

// No key ever appears in anything the server writes: the whole tool suite,
// every write tool under every fault and as a dry run, bad input, wrong keys,
// with debug logging on.
func TestKeysNeverAppearInLogsAnswersOrErrors(t *testing.T) {
	keys := sandbox.KeyPair{PublicKey: "pk_LEAKCHECK_7f3a2c9d41", SecretKey: "sk_LEAKCHECK_91be06f5aa"}
	wrongSecret := "sk_LEAKCHECK_wrong_5e7b"
	out := &syncbuf.Buffer{}
	sb := sandbox.New(sandbox.Options{Keys: keys})

	f := leakFixture(t, sb, keys, 0, out)
	c := f.inProcess(t, "")
	exerciseAllTools(t, f, c)
	for _, tool := range []string{"summarize_revenue", "partner_leaderboard", "pipeline_summary", "reward_summary"} {
		call(t, c, tool, map[string]any{})
	}

	faults := append(writeFaults, writeFault{name: "429", fault: sandbox.Fault{Kind: sandbox.FaultRateLimit, RetryAfter: time.Minute}},
		writeFault{name: "refused", fault: sandbox.Fault{Kind: sandbox.FaultRefuse}})
	t.Run("write tools under faults", func(t *testing.T) {
		for _, wc := range writeCases() {
			t.Run(wc.tool, func(t *testing.T) {
				t.Parallel()
				for _, wf := range faults {
					fx := leakFixture(t, sandbox.New(sandbox.Options{Keys: keys, Transactions: 50}), keys, wf.timeout, out)
					fc := fx.inProcess(t, "")
					args := wc.args(t, fx)
					dry := map[string]any{"dry_run": true}
					for k, v := range args {
						dry[k] = v
					}
					call(t, fc, wc.tool, dry)
					fault := wf.fault
					fault.Route = wc.method + " " + wc.path
					fx.sb.AddFault(fault)
					call(t, fc, wc.tool, args)
					call(t, fc, wc.tool, map[string]any{"bogus": true})
				}
			})
		}
	})
	// Reads under faults, and a client with the wrong secret.
	sb.AddFault(sandbox.Fault{Kind: sandbox.FaultMalformedBody, Times: 1})
	call(t, c, "list_groups", map[string]any{})
	sb.AddFault(sandbox.Fault{Kind: sandbox.FaultRateLimit, RetryAfter: time.Hour, Times: 1})
	call(t, c, "list_groups", map[string]any{})
	wrong := leakFixture(t, sb, sandbox.KeyPair{PublicKey: keys.PublicKey, SecretKey: wrongSecret}, 0, out)
	wc := wrong.inProcess(t, "")
	call(t, wc, "list_partnerships", map[string]any{})
	call(t, wc, "record_transaction", map[string]any{"customer_key": "acme", "amount": 1, "currency": "USD"})

	written := out.String()
	if !strings.Contains(written, "partnerstack request") || !strings.Contains(written, "outcome unknown") {
		t.Fatal("the capture missed the debug log or the answers; the check would prove nothing")
	}
	for _, secret := range []string{
		keys.PublicKey, keys.SecretKey, wrongSecret, "LEAKCHECK",
		base64.StdEncoding.EncodeToString([]byte(keys.PublicKey + ":" + keys.SecretKey)),
		base64.StdEncoding.EncodeToString([]byte(keys.PublicKey + ":" + wrongSecret)),
		base64.RawURLEncoding.EncodeToString([]byte(keys.PublicKey + ":" + keys.SecretKey)),
	} {
		if i := strings.Index(written, secret); i >= 0 {
			lo, hi := max(0, i-200), min(len(written), i+200)
			t.Errorf("%q appears in what the server wrote: ...%s...", secret, written[lo:hi])
		}
	}
	t.Logf("checked %d bytes of logs and answers", len(written))
}
