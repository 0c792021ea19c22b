package tools

import (
	"cmp"
	"context"
	"encoding/json"
	"maps"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/mark3labs/mcp-go/mcp"

	"github.com/partnerstack-mcp/partnerstack-mcp/client"
	"github.com/partnerstack-mcp/partnerstack-mcp/client/sandbox"
)

// The insight tools are checked against brute-force computations over the
// sandbox's own snapshot data: every figure must match exactly.

func newSandboxClient(t testing.TB, sb *sandbox.Sandbox, rt http.RoundTripper) *client.Client {
	t.Helper()
	hc := sb.Client()
	if rt != nil {
		hc = &http.Client{Transport: rt}
	}
	c, err := client.New(client.Config{PublicKey: sandbox.DefaultPublicKey, SecretKey: sandbox.DefaultSecretKey,
		BaseURL: "http://sandbox.invalid/api", HTTPClient: hc})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func insightTool(t testing.TB, d Deps, name string) Tool {
	t.Helper()
	for _, tl := range insightTools(d) {
		if tl.Def.Name == name {
			return tl
		}
	}
	t.Fatalf("no insight tool %s", name)
	return Tool{}
}

// runInsight calls a tool's handler as the server would and decodes its
// structured result; a tool error fails the test.
func runInsight[R any](t testing.TB, ctx context.Context, d Deps, name string, args map[string]any) R {
	t.Helper()
	res, text := callInsight(t, ctx, d, name, args)
	if res.IsError {
		t.Fatalf("%s(%v) failed: %s", name, args, text)
	}
	var out R
	if err := json.Unmarshal([]byte(text), &out); err != nil {
		t.Fatalf("%s: result does not decode: %v\n%s", name, err, text)
	}
	return out
}

func callInsight(t testing.TB, ctx context.Context, d Deps, name string, args map[string]any) (*mcp.CallToolResult, string) {
	t.Helper()
	req := mcp.CallToolRequest{}
	req.Params.Name = name
	req.Params.Arguments = args
	res, err := insightTool(t, d, name).Handler(ctx, req)
	if err != nil {
		t.Fatal(err)
	}
	return res, res.Content[0].(mcp.TextContent).Text
}

// ---- brute force over snapshots ----

type brutePartner struct{ key, partnerKey, name, email, groupKey, groupName string }

func partnersOf(sb *sandbox.Sandbox) map[string]brutePartner {
	out := map[string]brutePartner{}
	for _, p := range sb.Partnerships() {
		name := strings.TrimSpace(deref(p.FirstName) + " " + deref(p.LastName))
		out[p.Key] = brutePartner{p.Key, p.PartnerKey, name, p.Email, p.Group.Key, p.Group.Name}
	}
	return out
}

// partnerOfTransaction is the brute-force join over the sandbox's data:
// transaction -> its customer -> that customer's partnership key (the
// transactions' own partnership_key is not used).
func partnerOfTransaction(sb *sandbox.Sandbox) func(sandbox.Transaction) string {
	of := map[string]string{}
	for _, c := range sb.Customers() {
		of[c.Key] = c.PartnershipKey
	}
	return func(t sandbox.Transaction) string { return of[t.Customer.Key] }
}

func deref(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}

func inRange(ms, from, to int64) bool { return (from == 0 || ms >= from) && (to == 0 || ms <= to) }

// bruteTop ranks keys by (value desc, count desc, key asc) and splits at n.
func bruteTop[V any](m map[string]V, n int, rank func(V) (int64, int)) (kept, rest []string) {
	keys := slices.Collect(maps.Keys(m))
	slices.SortFunc(keys, func(a, b string) int {
		va, ca := rank(m[a])
		vb, cb := rank(m[b])
		return cmp.Or(cmp.Compare(vb, va), cmp.Compare(cb, ca), cmp.Compare(a, b))
	})
	if len(keys) <= n {
		return keys, nil
	}
	return keys[:n], keys[n:]
}

func iso(ms int64) string { return time.UnixMilli(ms).UTC().Format(time.RFC3339Nano) }

func TestInsightArgumentsAreChecked(t *testing.T) {
	d := Deps{}
	for _, tc := range []struct {
		tool string
		args map[string]any
		want string
	}{
		{"summarize_revenue", map[string]any{"from": "2026-05-01", "to": "2026-04-01"}, "'from': is later than to"},
		{"summarize_revenue", map[string]any{"to": "May 1st"}, "'to': 'May 1st' is not an ISO-8601 date"},
		{"summarize_revenue", map[string]any{"group_by": "year"}, "group_by"},
		{"partner_leaderboard", map[string]any{"metric": "clicks"}, "metric"},
		{"pipeline_summary", map[string]any{"top": 101}, "top"},
		{"reward_summary", map[string]any{"status": "owed"}, "status"},
		{"inactive_partners", map[string]any{"as_of": "soon"}, "'as_of'"},
		{"inactive_partners", map[string]any{"days": 0}, "days"},
	} {
		res, text := callInsight(t, t.Context(), d, tc.tool, tc.args)
		if !res.IsError || !strings.Contains(text, tc.want) {
			t.Errorf("%s(%v) = %q, want an error naming %q", tc.tool, tc.args, text, tc.want)
		}
	}
}
