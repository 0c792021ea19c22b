package e2e_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"unicode"

	partnerstackmcp "github.com/partnerstack-mcp/partnerstack-mcp"
	"github.com/partnerstack-mcp/partnerstack-mcp/client"
	"github.com/partnerstack-mcp/partnerstack-mcp/client/sandbox"
	"github.com/partnerstack-mcp/partnerstack-mcp/internal/profiletest"
)

// Upstream text is untrusted: a customer whose name hides bidi overrides,
// zero-width and control characters comes back to the model without them,
// in the text content and in structuredContent alike.
func TestInvisibleCharactersInUpstreamDataNeverReachTheModel(t *testing.T) {
	profiletest.Run(t, testInvisibleCharactersInUpstreamDataNeverReachTheModel)
}

func testInvisibleCharactersInUpstreamDataNeverReachTheModel(t *testing.T, profile sandbox.Profile) {
	f := newFixture(t, partnerstackmcp.Config{})
	c := f.inProcess(t, "")
	name := "Evil\u202e Corp\u200b\u2066\x07\u0085\ufeff"
	partner := call(t, c, "list_partnerships", map[string]any{"limit": 1}).items(t)[0]["partner_key"].(string)
	if _, err := f.api.Customers.Create(context.Background(), &client.CustomerCreate{
		Email: "evil@corp.test", PartnerKey: partner, Name: name, CustomerKey: "evil\u200d-corp"}); err != nil {
		t.Fatal(err)
	}
	if got, err := f.api.Customers.Get(context.Background(), "evil\u200d-corp"); err != nil || got.Name == nil || *got.Name != name {
		t.Fatalf("the sandbox did not keep the hostile name: %v", err)
	}
	for _, r := range []result{
		call(t, c, "get_customer", map[string]any{"customer_email": "evil@corp.test"}),
		call(t, c, "list_customers", map[string]any{"email": "evil@corp.test"}),
		call(t, c, "get_customer", map[string]any{"customer_key": "evil\u200d-corp"}), // the key is quoted back in errors too
	} {
		raw, _ := json.Marshal(r.Structured)
		for _, s := range []string{r.Text, string(raw)} {
			for _, ch := range s {
				if hidden(ch) {
					t.Errorf("output holds %U: %s", ch, s)
					break
				}
			}
			if strings.Contains(s, `\u00`) || strings.Contains(s, `\u20`) || strings.Contains(s, `\ufeff`) {
				t.Errorf("output holds an escaped invisible character: %s", s)
			}
		}
		if !r.IsError && !strings.Contains(r.Text, "Evil Corp") {
			t.Errorf("the visible name was lost: %s", r.Text)
		}
	}
}

func hidden(r rune) bool {
	if r == '\n' || r == '\t' {
		return false
	}
	return unicode.IsControl(r) || unicode.Is(unicode.Cf, r)
}
