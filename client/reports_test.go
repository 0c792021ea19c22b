package client_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/partnerstack-mcp/partnerstack-mcp/client"
	"github.com/partnerstack-mcp/partnerstack-mcp/client/sandbox"
	"github.com/partnerstack-mcp/partnerstack-mcp/internal/profiletest"
)

// testClock is a settable sandbox clock.
type testClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *testClock) now() time.Time      { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *testClock) add(d time.Duration) { c.mu.Lock(); c.t = c.t.Add(d); c.mu.Unlock() }

func TestReportsContract(t *testing.T) { profiletest.Run(t, testReportsContract) }

func testReportsContract(t *testing.T, _ sandbox.Profile) {
	ctx := context.Background()
	clk := &testClock{t: time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC)}
	sb, c := newPair(t, sandbox.Options{Now: clk.now, ExportDelay: 2 * time.Minute})

	keys := collect(t, c.Reports.Configurations(nil))
	if len(keys) != len(sb.ReportConfigurations()) || len(keys) < 2 {
		t.Fatalf("configurations %v, seeded %d", keys, len(sb.ReportConfigurations()))
	}
	var names []string
	for cfg, err := range c.Reports.Configurations(&client.ReportConfigurationListOptions{ListOptions: client.ListOptions{Limit: 1}}).Seq(ctx) {
		if err != nil {
			t.Fatal(err)
		}
		names = append(names, cfg.Name)
	}
	if len(names) != len(keys) || names[0] == "" {
		t.Fatalf("paging one at a time read %v", names)
	}

	e := must(c.Reports.StartExport(ctx, keys[0], &client.ReportExportStart{MemberEmail: "ops@northbeam.example"}))(t)
	if !strings.HasPrefix(e.Key, "vrex_") || e.Ready() {
		t.Fatalf("started export %+v", e)
	}
	log := sb.Requests()
	last := log[len(log)-1]
	if last.Method != "POST" || last.Path != "/api/v2/vendor_report_export/"+keys[0] || string(last.Body) != `{"member_email":"ops@northbeam.example"}` {
		t.Fatalf("start sent %s %s %s", last.Method, last.Path, last.Body)
	}
	if got := must(c.Reports.Export(ctx, e.Key))(t); got.Ready() || got.Key != e.Key {
		t.Fatalf("export before the delay %+v", got)
	}
	if log := sb.Requests(); log[len(log)-1].Path != "/api/v2/vendor_report_export/export/"+e.Key {
		t.Fatalf("status read %s", log[len(log)-1].Path)
	}
	clk.add(2 * time.Minute)
	got := must(c.Reports.Export(ctx, e.Key))(t)
	if !got.Ready() || got.FileName == nil || *got.FileName == "" {
		t.Fatalf("export after the delay %+v", got)
	}

	_, err := c.Reports.StartExport(ctx, keys[0], &client.ReportExportStart{MemberEmail: "other@northbeam.example"})
	var ae *client.Error
	if !errors.As(err, &ae) || !client.IsRateLimited(ae) {
		t.Fatalf("a second export of the report within 2 hours: %v", err)
	}
	if _, err := c.Reports.Export(ctx, "vrex_nosuchkey00000"); !client.IsNotFound(err) {
		t.Fatalf("unknown export: %v", err)
	}
	for _, bad := range []string{"", "..", "."} {
		var ke *client.KeyError
		if _, err := c.Reports.StartExport(ctx, bad, &client.ReportExportStart{MemberEmail: "a@b.example"}); !errors.As(err, &ke) {
			t.Errorf("report key %q: %v", bad, err)
		}
		if _, err := c.Reports.Export(ctx, bad); !errors.As(err, &ke) {
			t.Errorf("export key %q: %v", bad, err)
		}
	}
}

func TestTiersContract(t *testing.T) { profiletest.Run(t, testTiersContract) }

func testTiersContract(t *testing.T, _ sandbox.Profile) {
	ctx := context.Background()
	sb, c := newPair(t, sandbox.Options{})
	keys := collect(t, c.Tiers.All(nil))
	if len(keys) != len(sb.Tiers()) || len(keys) == 0 {
		t.Fatalf("tiers %v, seeded %v", keys, sb.Tiers())
	}
	tier := must(c.Tiers.Get(ctx, keys[0]))(t)
	if tier.Key != keys[0] || tier.Name == "" {
		t.Fatalf("tier %+v", tier)
	}
	p := sb.Partnerships()[2]
	up := must(c.Partnerships.Update(ctx, p.Key, &client.PartnershipUpdate{TierKey: &tier.Key}))(t)
	if up.Tier == nil || up.Tier.Key != tier.Key || up.Tier.Name != tier.Name {
		t.Fatalf("partnership tier after tier_key %+v", up.Tier)
	}
	if read := must(c.Partnerships.Get(ctx, p.Key))(t); read.Tier == nil || read.Tier.Key != tier.Key {
		t.Fatalf("partnership read back with tier %+v", read.Tier)
	}
	bogus := "tier_nosuchkey00000"
	if _, err := c.Partnerships.Update(ctx, p.Key, &client.PartnershipUpdate{TierKey: &bogus}); !client.IsValidation(err) {
		t.Fatalf("unknown tier_key: %v", err)
	}
}

func TestProductBookContract(t *testing.T) { profiletest.Run(t, testProductBookContract) }

func testProductBookContract(t *testing.T, _ sandbox.Profile) {
	ctx := context.Background()
	sb, c := newPair(t, sandbox.Options{})
	if keys := collect(t, c.ProductBook.All(nil)); len(keys) != len(sb.Products()) || len(keys) == 0 {
		t.Fatalf("product book %v, seeded %d", keys, len(sb.Products()))
	}
	found := 0
	for p, err := range c.ProductBook.All(&client.ProductListOptions{Keywords: "annual"}).Seq(ctx) {
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(strings.ToLower(p.Name+" "+*p.Description), "annual") {
			t.Fatalf("keywords annual listed %+v", p)
		}
		found++
	}
	if found == 0 {
		t.Fatal("keywords annual found nothing in the demo book")
	}
	p := must(c.ProductBook.Create(ctx, &client.ProductCreate{Name: "Inbox 2", ExternalKey: "stripe_prod_inbox"}))(t)
	if !strings.HasPrefix(p.Key, "pbook_") || p.Name != "Inbox 2" || p.ExternalKey == nil || *p.ExternalKey != "stripe_prod_inbox" || bool(p.Archived) {
		t.Fatalf("created product %+v", p)
	}
	log := sb.Requests()
	if last := log[len(log)-1]; string(last.Body) != `{"name":"Inbox 2","external_key":"stripe_prod_inbox"}` {
		t.Fatalf("create sent %s", last.Body)
	}

	var cu sandbox.Customer
	for _, x := range sb.Customers() {
		if !x.Test && !x.Archived && x.CustomerKey != nil {
			cu = x
			break
		}
	}
	tx := must(c.Transactions.Create(ctx, &client.TransactionCreate{CustomerExternalKey: *cu.CustomerKey, Amount: 100, Currency: "USD", SubscriptionKey: "sub_123"}))(t)
	if tx.Key == "" {
		t.Fatal("no transaction")
	}
	log = sb.Requests()
	if last := log[len(log)-1]; !strings.Contains(string(last.Body), `"subscription_key":"sub_123"`) {
		t.Fatalf("transaction sent %s", last.Body)
	}
}

type fixedAnswer string

func (f fixedAnswer) RoundTrip(r *http.Request) (*http.Response, error) {
	return &http.Response{StatusCode: 200, Header: http.Header{"Content-Type": {"application/json"}},
		Body: io.NopCloser(strings.NewReader(string(f))), Request: r}, nil
}

// The configurations list's shape is undocumented: a bare array in data is
// read as one complete page, like the usual {items, has_more}.
func TestReportConfigurationsTakeEitherListShape(t *testing.T) {
	for name, body := range map[string]string{
		"items":      `{"data":{"items":[{"key":"vrc_a","name":"A"},{"key":"vrc_b","name":"B"}],"has_more":false},"message":"ok","status":200}`,
		"bare array": `{"data":[{"key":"vrc_a","name":"A"},{"key":"vrc_b","name":"B"}],"message":"ok","status":200}`,
	} {
		t.Run(name, func(t *testing.T) {
			c, err := client.New(client.Config{PublicKey: "pk", SecretKey: "sk", BaseURL: "http://api.invalid/api",
				HTTPClient: &http.Client{Transport: fixedAnswer(body)}})
			if err != nil {
				t.Fatal(err)
			}
			if keys := collect(t, c.Reports.Configurations(nil)); strings.Join(keys, ",") != "vrc_a,vrc_b" {
				t.Fatalf("read %v", keys)
			}
		})
	}
}
