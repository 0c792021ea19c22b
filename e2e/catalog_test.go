package e2e_test

import (
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/mark3labs/mcp-go/mcp"

	partnerstackmcp "github.com/partnerstack-mcp/partnerstack-mcp"
	"github.com/partnerstack-mcp/partnerstack-mcp/client/sandbox"
	"github.com/partnerstack-mcp/partnerstack-mcp/internal/profiletest"
	"github.com/partnerstack-mcp/partnerstack-mcp/tools"
)

// The opt-in catalogue toolsets (reports, tiers, products): offered only
// when named, and each tool called as a client would, its upstream request
// checked in the sandbox's log.

// lastRequest asserts the sandbox's most recent request of any method.
func lastRequest(t *testing.T, f *fixture, method, path string) {
	t.Helper()
	log := f.sb.Requests()
	if len(log) == 0 {
		t.Fatal("no request reached the sandbox")
	}
	if r := log[len(log)-1]; r.Method != method || !strings.HasSuffix(r.Path, path) || r.Status != 200 {
		t.Fatalf("upstream %s %s (%d), want %s ...%s", r.Method, r.Path, r.Status, method, path)
	}
}

type e2eClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *e2eClock) now() time.Time      { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *e2eClock) add(d time.Duration) { c.mu.Lock(); c.t = c.t.Add(d); c.mu.Unlock() }

func TestCatalogueToolsetsAreOptIn(t *testing.T) { profiletest.Run(t, testCatalogueToolsetsAreOptIn) }

func testCatalogueToolsetsAreOptIn(t *testing.T, _ sandbox.Profile) {
	optIn := []string{"list_report_configurations", "start_report_export", "get_report_export", "list_tiers", "list_products", "create_product"}
	names := func(cfg partnerstackmcp.Config) []string {
		f := newFixture(t, cfg)
		listed, err := f.inProcess(t, "").ListTools(t.Context(), mcp.ListToolsRequest{})
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, tl := range listed.Tools {
			out = append(out, tl.Name)
		}
		return out
	}
	defaults := names(partnerstackmcp.Config{Toolsets: []tools.ToolsetID{tools.ToolsetDefault}})
	for _, n := range optIn {
		if slices.Contains(defaults, n) {
			t.Errorf("%s is offered by default", n)
		}
	}
	named := names(partnerstackmcp.Config{Toolsets: []tools.ToolsetID{tools.ToolsetReports, tools.ToolsetTiers, tools.ToolsetProducts}})
	slices.Sort(named)
	slices.Sort(optIn)
	if !slices.Equal(named, optIn) {
		t.Fatalf("--toolsets reports,tiers,products lists %v, want %v", named, optIn)
	}
}

// The export flow on a sandbox clock: started, not ready (with a wait),
// ready (with the file), and a second export of the report refused before
// the API within the documented 2 hours.
func TestReportExportsEndToEnd(t *testing.T) { profiletest.Run(t, testReportExportsEndToEnd) }

func testReportExportsEndToEnd(t *testing.T, _ sandbox.Profile) {
	// The server's clock is real, so the sandbox's starts now and moves on.
	clk := &e2eClock{t: time.Now()}
	f := newFixture(t, partnerstackmcp.Config{Toolsets: []tools.ToolsetID{tools.ToolsetReports}},
		sandbox.Options{Now: clk.now, ExportDelay: 90 * time.Second})
	c := f.inProcess(t, "")

	reports := ok(t, call(t, c, "list_report_configurations", map[string]any{}), "list_report_configurations").items(t)
	lastRequest(t, f, "GET", "/v2/vendor_report_configuration/list")
	if len(reports) != len(f.sb.ReportConfigurations()) {
		t.Fatalf("%d reports listed, %d saved", len(reports), len(f.sb.ReportConfigurations()))
	}
	report := reports[0]["key"].(string)
	started := ok(t, call(t, c, "start_report_export", map[string]any{"report_key": report, "member_email": "ops@northbeam.example"}), "start_report_export").obj(t)
	if body := wantWrite(t, f, "POST", "/v2/vendor_report_export/"+report); len(body) != 1 || body["member_email"] != "ops@northbeam.example" {
		t.Fatalf("start_report_export sent %v", body)
	}
	key := started["key"].(string)
	if started["ready"] != false || started["wait_seconds"] == nil {
		t.Fatalf("start_report_export answered %v", started)
	}
	clk.add(time.Minute)
	r := ok(t, call(t, c, "get_report_export", map[string]any{"export_key": key}), "get_report_export")
	lastRequest(t, f, "GET", "/v2/vendor_report_export/export/"+key)
	if r.Structured["ready"] != false || r.Structured["wait_seconds"] != float64(30) {
		t.Fatalf("a minute in: %s", r.Text)
	}
	clk.add(time.Minute)
	r = ok(t, call(t, c, "get_report_export", map[string]any{"export_key": key}), "get_report_export")
	if url, _ := r.Structured["file_url"].(string); r.Structured["ready"] != true || !strings.HasPrefix(url, "https://") {
		t.Fatalf("two minutes in: %s", r.Text)
	}
	before := f.writes()
	again := call(t, c, "start_report_export", map[string]any{"report_key": report, "member_email": "someone@northbeam.example"})
	if !again.IsError || f.writes() != before || !strings.Contains(again.Text, "once every 2 hours") && !strings.Contains(again.Text, "one export per report every 2 hours") {
		t.Fatalf("a second export within 2 hours: %v %s", again.IsError, again.Text)
	}
}

// exerciseCatalogueTools calls the opt-in catalogue tools inside
// exerciseAllTools (which lists every toolset), on the sandbox's real clock.
func exerciseCatalogueTools(t *testing.T, f *fixture, do func(string, map[string]any) result, partnershipKey, customerKey string) {
	tiers := do("list_tiers", map[string]any{}).items(t)
	lastRequest(t, f, "GET", "/v2/tiers")
	tier := tiers[0]["key"].(string)
	do("update_partnership", map[string]any{"key": partnershipKey, "tier_key": tier})
	if body := wantWrite(t, f, "PATCH", "/v2/partnerships/"+partnershipKey); len(body) != 1 || body["tier_key"] != tier {
		t.Fatalf("update_partnership tier_key sent %v", body)
	}

	products := do("list_products", map[string]any{"keywords": "pro"}).items(t)
	lastRequest(t, f, "GET", "/v2/product_book")
	if len(products) == 0 {
		t.Fatal("list_products keywords pro: nothing in the demo book")
	}
	p := do("create_product", map[string]any{"name": "Inbox", "description": "Shared inbox", "external_key": "prod_inbox"}).obj(t)
	if body := wantWrite(t, f, "POST", "/v2/product_book"); body["name"] != "Inbox" || body["external_key"] != "prod_inbox" || p["key"] == "" {
		t.Fatalf("create_product sent %v, answered %v", body, p)
	}
	do("record_transaction", map[string]any{"customer_key": customerKey, "amount": 4900, "currency": "USD", "subscription_key": "sub_inbox_1"})
	if body := wantWrite(t, f, "POST", "/v2/transactions"); body["subscription_key"] != "sub_inbox_1" {
		t.Fatalf("record_transaction sent %v", body)
	}

	reports := do("list_report_configurations", map[string]any{}).items(t)
	report := reports[len(reports)-1]["key"].(string)
	e := do("start_report_export", map[string]any{"report_key": report, "member_email": "ops@northbeam.example"}).obj(t)
	wantWrite(t, f, "POST", "/v2/vendor_report_export/"+report)
	got := do("get_report_export", map[string]any{"export_key": e["key"]})
	lastRequest(t, f, "GET", "/v2/vendor_report_export/export/"+e["key"].(string))
	// The sandbox's default delay is 20 s of real time: either state is right, each complete.
	if got.Structured["ready"] == true && got.Structured["file_url"] == nil || got.Structured["ready"] == false && got.Structured["wait_seconds"] == nil {
		t.Fatalf("get_report_export answered %s", got.Text)
	}
}
