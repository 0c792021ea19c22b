package tools

import (
	"context"
	"encoding/json"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/mark3labs/mcp-go/mcp"

	"github.com/partnerstack-mcp/partnerstack-mcp/client"
	"github.com/partnerstack-mcp/partnerstack-mcp/client/sandbox"
	"github.com/partnerstack-mcp/partnerstack-mcp/internal/profiletest"
	"github.com/partnerstack-mcp/partnerstack-mcp/internal/redistest"
	"github.com/partnerstack-mcp/partnerstack-mcp/tools/dedupe"
)

// fakeClock is the one clock of a test: the sandbox's and the tools'.
type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *fakeClock) now() time.Time      { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *fakeClock) add(d time.Duration) { c.mu.Lock(); c.t = c.t.Add(d); c.mu.Unlock() }

type reportFixture struct {
	sb     *sandbox.Sandbox
	api    *client.Client
	clk    *fakeClock
	tools  map[string]Tool
	limits *exportLimits
}

// newReportFixture builds the reports tools over a sandbox whose exports
// take a minute, both on clk; store nil is the process's own memory.
func newReportFixture(t testing.TB, store dedupe.Store) *reportFixture {
	t.Helper()
	clk := &fakeClock{t: time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC)}
	sb := profiletest.New(t, sandbox.Options{Now: clk.now, ExportDelay: time.Minute})
	f := &reportFixture{sb: sb, api: newSandboxClient(t, sb, nil), clk: clk, tools: map[string]Tool{}}
	f.limits = f.newLimits(store)
	for _, tl := range reportTools(Deps{Client: f.api, exports: f.limits}) {
		f.tools[tl.Def.Name] = tl
	}
	return f
}

// newLimits is one server's bookkeeping on the fixture's clock.
func (f *reportFixture) newLimits(store dedupe.Store) *exportLimits {
	l := newExportLimits(Deps{DedupeStore: store})
	l.now = f.clk.now
	return l
}

func (f *reportFixture) call(t testing.TB, name string, args map[string]any) (bool, string, map[string]any) {
	t.Helper()
	return callWith(t, f.tools[name], args)
}

func callWith(t testing.TB, tl Tool, args map[string]any) (bool, string, map[string]any) {
	t.Helper()
	res, err := tl.Handler(context.Background(), mcpReq(tl.Def.Name, args))
	if err != nil {
		t.Fatalf("%s: Go error %v", tl.Def.Name, err)
	}
	var structured map[string]any
	raw, _ := json.Marshal(res.StructuredContent)
	_ = json.Unmarshal(raw, &structured)
	return res.IsError, res.Content[0].(mcp.TextContent).Text, structured
}

func (f *reportFixture) posts() int {
	n := 0
	for _, r := range f.sb.Requests() {
		if r.Method == "POST" {
			n++
		}
	}
	return n
}

func (f *reportFixture) start(t testing.TB, report, email string) string {
	t.Helper()
	isErr, text, res := f.call(t, "start_report_export", map[string]any{"report_key": report, "member_email": email})
	if isErr {
		t.Fatalf("start_report_export %s: %s", report, text)
	}
	key, _ := res["result"].(map[string]any)["key"].(string)
	if key == "" {
		t.Fatalf("start_report_export answered %v", res)
	}
	return key
}

func TestReportExportFlow(t *testing.T) { profiletest.Run(t, testReportExportFlow) }

func testReportExportFlow(t *testing.T, _ sandbox.Profile) {
	f := newReportFixture(t, nil)
	reports := f.sb.ReportConfigurations()
	isErr, text, listed := f.call(t, "list_report_configurations", map[string]any{})
	if isErr || len(listed["rows"].([]any)) != len(reports) {
		t.Fatalf("list_report_configurations: %s", text)
	}
	report := reports[0].Key

	t.Run("a dry run previews the request and holds nothing", func(t *testing.T) {
		before := f.posts()
		isErr, text, res := f.call(t, "start_report_export", map[string]any{"report_key": report, "member_email": "ops@example.com", "dry_run": true})
		prev, _ := res["dry_run"].(map[string]any)
		if isErr || prev["method"] != "POST" || !strings.HasSuffix(prev["url"].(string), "/v2/vendor_report_export/"+report) ||
			prev["body"].(map[string]any)["member_email"] != "ops@example.com" || f.posts() != before {
			t.Fatalf("dry run: %s", text)
		}
	})

	key := f.start(t, report, "ops@example.com")
	t.Run("not ready: says how long to wait", func(t *testing.T) {
		f.clk.add(20 * time.Second)
		isErr, text, res := f.call(t, "get_report_export", map[string]any{"export_key": key})
		if isErr || res["ready"] != false || res["file_url"] != nil || res["wait_seconds"] != float64(30) || !strings.Contains(text, "again in about 30 s") {
			t.Fatalf("before ready: %s", text)
		}
	})
	t.Run("ready: the file", func(t *testing.T) {
		f.clk.add(time.Minute)
		isErr, text, res := f.call(t, "get_report_export", map[string]any{"export_key": key})
		if url, _ := res["file_url"].(string); isErr || res["ready"] != true || !strings.HasPrefix(url, "https://") || res["wait_seconds"] != nil {
			t.Fatalf("after the delay: %s", text)
		}
	})
	t.Run("a second export of the report within 2 hours is refused before the API", func(t *testing.T) {
		f.clk.add(time.Hour)
		before := f.posts()
		isErr, text, _ := f.call(t, "start_report_export", map[string]any{"report_key": report, "member_email": "someone@example.com"})
		if !isErr || f.posts() != before || !strings.Contains(text, "'report_key'") || !strings.Contains(text, key) || !strings.Contains(text, "one export per report every 2 hours") {
			t.Fatalf("second export: %v %s", isErr, text)
		}
		f.clk.add(time.Hour)
		f.start(t, report, "someone@example.com")
	})
	t.Run("past the documented 30 minutes without a file: failed or expired", func(t *testing.T) {
		f.clk.add(sandbox.ExportFileTTL)
		isErr, text, res := f.call(t, "get_report_export", map[string]any{"export_key": key})
		if isErr || res["ready"] != false || res["wait_seconds"] != nil || !strings.Contains(text, "failed or its file expired") {
			t.Fatalf("expired: %s", text)
		}
	})
	t.Run("an export started elsewhere: the API's 429 is explained", func(t *testing.T) {
		other := reports[1].Key
		if _, err := f.api.Reports.StartExport(context.Background(), other, &client.ReportExportStart{MemberEmail: "dash@example.com"}); err != nil {
			t.Fatal(err)
		}
		isErr, text, _ := f.call(t, "start_report_export", map[string]any{"report_key": other, "member_email": "ops@example.com"})
		if !isErr || !strings.Contains(text, "PartnerStack refused the export (429") || !strings.Contains(text, "outside this server") {
			t.Fatalf("429: %s", text)
		}
		// The refusal held nothing: the next report goes out for the same email.
		f.start(t, reports[2].Key, "ops@example.com")
	})
	t.Run("unknown keys name the argument", func(t *testing.T) {
		for tool, args := range map[string]map[string]any{
			"start_report_export": {"report_key": "vrc_nosuchkey000000", "member_email": "ops@example.com"},
			"get_report_export":   {"export_key": "vrex_nosuchkey00000"},
		} {
			field := "'report_key'"
			if tool == "get_report_export" {
				field = "'export_key'"
			}
			if isErr, text, _ := f.call(t, tool, args); !isErr || !strings.Contains(text, field) {
				t.Errorf("%s: %v %s", tool, isErr, text)
			}
		}
	})
}

// The email limit: 20 exports per member_email every 2 hours, counted
// case-insensitively, the oldest freeing its slot first.
func TestExportLimitPerEmail(t *testing.T) {
	clk := &fakeClock{t: time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC)}
	l := newExportLimits(Deps{})
	l.now = clk.now
	ctx := context.Background()
	for i := range exportsPerMail {
		c, err := l.reserve(ctx, "vrc_"+string(rune('a'+i)), "Ops@Example.com")
		if err != nil || c == nil {
			t.Fatalf("export %d: %v", i, err)
		}
		l.settle(ctx, c, nil, "vrex_"+string(rune('a'+i)))
		clk.add(time.Minute)
	}
	c, err := l.reserve(ctx, "vrc_other", "ops@example.com")
	if c != nil || err == nil || !strings.Contains(err.Error(), "'member_email'") || !strings.Contains(err.Error(), "2026-11-20T11:00:00Z") {
		t.Fatalf("21st export: %v", err)
	}
	// The refused call released its report: once a slot frees, it goes out.
	clk.t = time.Date(2026, 11, 20, 11, 0, 0, 0, time.UTC)
	if c, err := l.reserve(ctx, "vrc_other", "ops@example.com"); c == nil || err != nil {
		t.Fatalf("after the oldest expired: %v", err)
	}
	if c, err := l.reserve(ctx, "vrc_third", "ops@example.com"); c != nil || err == nil {
		t.Fatalf("only one slot freed, yet: %v", err)
	}
}

// An export the API provably did not start holds nothing; one whose outcome
// is unknown holds its report, and says so.
func TestExportLimitSettles(t *testing.T) {
	l := newExportLimits(Deps{})
	ctx := context.Background()
	c, _ := l.reserve(ctx, "vrc_a", "ops@example.com")
	l.settle(ctx, c, &client.Error{Kind: client.KindAPI, StatusCode: 400}, "")
	if c, err := l.reserve(ctx, "vrc_a", "ops@example.com"); c == nil || err != nil {
		t.Fatalf("after a 400: %v", err)
	}
	l = newExportLimits(Deps{})
	c, _ = l.reserve(ctx, "vrc_a", "ops@example.com")
	l.settle(ctx, c, &client.Error{Kind: client.KindOutcomeUnknown}, "")
	if _, err := l.reserve(ctx, "vrc_a", "ops@example.com"); err == nil || !strings.Contains(err.Error(), "outcome is unknown") {
		t.Fatalf("after an unknown outcome: %v", err)
	}
}

// With the guard's Redis store, the replicas' bookkeeping is one: an export
// one started is refused by another before the API is asked. A store that
// does not answer lets the export go (the API enforces the limit anyway).
func TestExportLimitsShareTheRedisStore(t *testing.T) {
	srv := redistest.Start(t)
	open := func() dedupe.Store {
		s, err := dedupe.Open(srv.URL())
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Close() })
		return s
	}
	f := newReportFixture(t, open())
	other := f.newLimits(open()) // a second replica
	var replicaB Tool
	for _, tl := range reportTools(Deps{Client: f.api, exports: other}) {
		if tl.Def.Name == "start_report_export" {
			replicaB = tl
		}
	}
	report := f.sb.ReportConfigurations()[0].Key
	key := f.start(t, report, "ops@example.com")
	before := f.posts()
	isErr, text, _ := callWith(t, replicaB, map[string]any{"report_key": report, "member_email": "ops@example.com"})
	if !isErr || f.posts() != before || !strings.Contains(text, key) {
		t.Fatalf("replica B: %v %s", isErr, text)
	}

	srv.Kill()
	next := f.sb.ReportConfigurations()[1].Key
	if isErr, text, _ := callWith(t, replicaB, map[string]any{"report_key": next, "member_email": "ops@example.com"}); isErr {
		t.Fatalf("with the store down: %s", text)
	}
}
