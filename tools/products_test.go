package tools

import (
	"net/http"
	"strings"
	"testing"

	"github.com/partnerstack-mcp/partnerstack-mcp/client/sandbox"
	"github.com/partnerstack-mcp/partnerstack-mcp/internal/mcptest"
	"github.com/partnerstack-mcp/partnerstack-mcp/internal/profiletest"
)

// dropQuery is an API that ignores one query parameter.
type dropQuery struct {
	next  http.RoundTripper
	param string
}

func (d dropQuery) RoundTrip(r *http.Request) (*http.Response, error) {
	r = r.Clone(r.Context())
	q := r.URL.Query()
	q.Del(d.param)
	r.URL.RawQuery = q.Encode()
	return d.next.RoundTrip(r)
}

func catalogTools(t *testing.T, sb *sandbox.Sandbox, rt http.RoundTripper) map[string]Tool {
	t.Helper()
	d := Deps{Client: newSandboxClient(t, sb, rt)}
	out := map[string]Tool{}
	for _, tl := range append(append(productTools(d), tierTools(d)...), append(partnershipTools(d), transactionTools(d)...)...) {
		out[tl.Def.Name] = tl
	}
	return out
}

func TestProductBookTools(t *testing.T) { profiletest.Run(t, testProductBookTools) }

func testProductBookTools(t *testing.T, _ sandbox.Profile) {
	sb := profiletest.New(t, sandbox.Options{})
	// keywords is documented, and still checked on each item: an API that
	// ignored it would list the whole book.
	for name, rt := range map[string]http.RoundTripper{"honoured": nil, "ignored": dropQuery{sb.Client().Transport, "keywords"}} {
		t.Run("keywords "+name, func(t *testing.T) {
			isErr, text, res := callWith(t, catalogTools(t, sb, rt)["list_products"], map[string]any{"keywords": "Annual PRO"})
			items := mcptest.Items(res)
			if isErr || len(items) != 1 || items[0]["name"] != "Pro annual" {
				t.Fatalf("keywords: %s", text)
			}
		})
	}
	ts := catalogTools(t, sb, nil)
	before := len(sb.Requests())
	isErr, text, res := callWith(t, ts["create_product"], map[string]any{"name": "Inbox 2", "external_key": "stripe_prod_inbox", "dry_run": true})
	if prev, _ := res["dry_run"].(map[string]any); isErr || prev["method"] != "POST" || len(sb.Requests()) != before {
		t.Fatalf("dry run: %s", text)
	}
	isErr, text, res = callWith(t, ts["create_product"], map[string]any{"name": "Inbox 2", "external_key": "stripe_prod_inbox"})
	if got, _ := res["result"].(map[string]any); isErr || !strings.HasPrefix(got["key"].(string), "pbook_") || got["external_key"] != "stripe_prod_inbox" {
		t.Fatalf("create_product: %s", text)
	}
	if last := sb.Requests()[len(sb.Requests())-1]; last.Path != "/api/v2/product_book" || string(last.Body) != `{"name":"Inbox 2","external_key":"stripe_prod_inbox"}` {
		t.Fatalf("create_product sent %s %s", last.Path, last.Body)
	}

	isErr, text, res = callWith(t, ts["record_transaction"], map[string]any{"customer_key": "c", "amount": 100, "currency": "usd",
		"subscription_key": "sub_Inbox", "dry_run": true})
	if prev, _ := res["dry_run"].(map[string]any); isErr || prev["body"].(map[string]any)["subscription_key"] != "sub_Inbox" {
		t.Fatalf("record_transaction subscription_key: %s", text)
	}
}

func TestTierTools(t *testing.T) { profiletest.Run(t, testTierTools) }

func testTierTools(t *testing.T, _ sandbox.Profile) {
	sb := profiletest.New(t, sandbox.Options{})
	ts := catalogTools(t, sb, nil)
	isErr, text, res := callWith(t, ts["list_tiers"], map[string]any{})
	tiers := mcptest.Items(res)
	if isErr || len(tiers) != len(sb.Tiers()) {
		t.Fatalf("list_tiers: %s", text)
	}
	gold := tiers[0]
	part := sb.Partnerships()[4]
	isErr, text, res = callWith(t, ts["update_partnership"], map[string]any{"key": part.Key, "tier_key": gold["key"]})
	got, _ := res["result"].(map[string]any)
	tier, _ := got["extra"].(map[string]any)["tier"].(map[string]any)
	if isErr || tier["key"] != gold["key"] || res["message"] != nil {
		t.Fatalf("update_partnership tier_key: %s", text)
	}
	if last := sb.Requests()[len(sb.Requests())-1]; string(last.Body) != `{"tier_key":"`+gold["key"].(string)+`"}` {
		t.Fatalf("update_partnership sent %s", last.Body)
	}
	if isErr, text, _ := callWith(t, ts["update_partnership"], map[string]any{"key": part.Key, "tier_key": "tier_nosuchkey00000"}); !isErr || !strings.Contains(text, "tier_key") {
		t.Fatalf("unknown tier_key: %v %s", isErr, text)
	}
	for _, c := range []struct {
		want string
		got  any
		note string
	}{
		{"tier_a", map[string]any{"key": "tier_a"}, ""},
		{"tier_a", nil, "shows no tier"},
		{"tier_a", map[string]any{"key": "tier_b"}, "shows tier tier_b"},
	} {
		if n := tierNote(c.want, c.got); (c.note == "") != (n == "") || !strings.Contains(n, c.note) {
			t.Errorf("tierNote(%s, %v) = %q", c.want, c.got, n)
		}
	}
}
