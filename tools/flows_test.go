package tools

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/mark3labs/mcp-go/mcp"

	"github.com/partnerstack-mcp/partnerstack-mcp/client/sandbox"
	"github.com/partnerstack-mcp/partnerstack-mcp/internal/mcptest"
	"github.com/partnerstack-mcp/partnerstack-mcp/internal/profiletest"
)

// The workflow tools against the sandbox, and against an API that answers
// OK but ignores what no source documents: each answer must stay right.

// answering stands in for the API on the requests match picks (status and
// JSON body as given); every other request reaches the sandbox.
type answering struct {
	next   http.RoundTripper
	match  func(*http.Request) bool
	status int
	body   string
}

func (a *answering) RoundTrip(r *http.Request) (*http.Response, error) {
	if a.match == nil || !a.match(r) {
		return a.next.RoundTrip(r)
	}
	return &http.Response{StatusCode: a.status, Header: http.Header{"Content-Type": {"application/json"}},
		Body: io.NopCloser(strings.NewReader(a.body)), Request: r}, nil
}

type flowFixture struct {
	sb    *sandbox.Sandbox
	fake  *answering
	tools map[string]Tool
}

func newFlowFixture(t *testing.T) *flowFixture {
	t.Helper()
	sb := profiletest.New(t, sandbox.Options{})
	f := &flowFixture{sb: sb, fake: &answering{next: sb.Client().Transport}, tools: map[string]Tool{}}
	for _, tl := range All(Deps{Client: newSandboxClient(t, sb, f.fake)}) {
		f.tools[tl.Def.Name] = tl
	}
	return f
}

// call runs a tool; it returns whether it failed, its text and its
// structured content.
func (f *flowFixture) call(t *testing.T, name string, args map[string]any) (bool, string, map[string]any) {
	t.Helper()
	req := mcp.CallToolRequest{}
	req.Params.Name = name
	req.Params.Arguments = args
	res, err := f.tools[name].Handler(context.Background(), req)
	if err != nil {
		t.Fatal(err)
	}
	var structured map[string]any
	raw, _ := json.Marshal(res.StructuredContent)
	_ = json.Unmarshal(raw, &structured)
	return res.IsError, res.Content[0].(mcp.TextContent).Text, structured
}

// sent lists the upstream requests of method on path, with their bodies.
func (f *flowFixture) sent(method, path string) []string {
	var out []string
	for _, r := range f.sb.Requests() {
		if r.Method == method && r.Path == "/api"+path {
			out = append(out, string(r.Body))
		}
	}
	return out
}

func (f *flowFixture) partnerIn(t *testing.T, group string) sandbox.Partnership {
	t.Helper()
	for _, p := range f.sb.Partnerships() {
		if p.Group.Name == group && !p.Archived && !p.Test {
			return p
		}
	}
	t.Fatalf("no partner in %s", group)
	return sandbox.Partnership{}
}

func TestCreateDealChecksTheStage(t *testing.T) { profiletest.Run(t, testCreateDealChecksTheStage) }

func testCreateDealChecksTheStage(t *testing.T, _ sandbox.Profile) {
	t.Run("a stage the partner's group lacks is refused with the valid ones, nothing sent", func(t *testing.T) {
		f := newFlowFixture(t)
		p := f.partnerIn(t, "Affiliates")
		isErr, text, _ := f.call(t, "create_deal", map[string]any{"partner_key": p.PartnerKey, "name": "Acme", "stage": "procurement"})
		if !isErr || !strings.Contains(text, "'stage'") || !strings.Contains(text, "new, qualified, proposal, negotiation, closed won, closed lost") {
			t.Fatalf("isError %v: %s", isErr, text)
		}
		if got := f.sent("POST", "/v2/deals"); len(got) != 0 {
			t.Fatalf("a deal was sent: %v", got)
		}
	})
	t.Run("the same stage is valid in a group that has it, and a display name is sent as the api name", func(t *testing.T) {
		f := newFlowFixture(t)
		p := f.partnerIn(t, "Resellers")
		if isErr, text, _ := f.call(t, "create_deal", map[string]any{"partner_key": p.PartnerKey, "name": "Acme", "stage": "Procurement"}); isErr {
			t.Fatal(text)
		}
		if got := f.sent("POST", "/v2/deals"); len(got) != 1 || !strings.Contains(got[0], `"stage":"procurement"`) {
			t.Fatalf("sent %v", got)
		}
		if r := f.sb.Requests(); !strings.Contains(r[len(r)-2].RawQuery, "group_key="+p.Group.Key) {
			t.Fatalf("stages read with %q, want the partner's group", r[len(r)-2].RawQuery)
		}
	})
	unreadable := []struct {
		name   string
		status int
		body   string
	}{
		{"a 404", 404, `{"message":"Not Found","status":404}`},
		{"an undocumented shape", 200, `{"data":{"stages":[{"api_name":"new"}]},"message":"ok","status":200}`},
		{"no stages", 200, `{"data":[],"message":"ok","status":200}`},
		{"a refusal", 403, `{"message":"Forbidden","status":403}`},
	}
	for _, u := range unreadable {
		t.Run("when the stages cannot be read ("+u.name+"), the call goes on untouched", func(t *testing.T) {
			f := newFlowFixture(t)
			f.fake.match = func(r *http.Request) bool { return strings.Contains(r.URL.Path, "/sales-cycles/") }
			f.fake.status, f.fake.body = u.status, u.body
			p := f.partnerIn(t, "Resellers")
			for _, stage := range []string{"procurement", "Procurement"} {
				f.call(t, "create_deal", map[string]any{"partner_key": p.PartnerKey, "name": "Acme", "stage": stage})
			}
			got := f.sent("POST", "/v2/deals")
			if len(got) != 2 || !strings.Contains(got[0], `"stage":"procurement"`) || !strings.Contains(got[1], `"stage":"Procurement"`) {
				t.Fatalf("sent %v, want both stages as given", got)
			}
		})
	}
}

func TestListDealStages(t *testing.T) { profiletest.Run(t, testListDealStages) }

func testListDealStages(t *testing.T, _ sandbox.Profile) {
	f := newFlowFixture(t)
	group := f.partnerIn(t, "Agencies").Group.Key
	isErr, text, res := f.call(t, "list_deal_stages", map[string]any{"group_key": group})
	items := mcptest.Items(res)
	if isErr || len(items) != 7 || items[1]["api_name"] != "discovery" || items[1]["position"] != float64(1) || items[5]["internal_status"] != "won" {
		t.Fatalf("isError %v: %s", isErr, text)
	}
	if isErr, text, res := f.call(t, "list_deal_stages", map[string]any{}); isErr || len(mcptest.Items(res)) != 6 {
		t.Fatalf("company stages: %s", text)
	}
}

func TestConversionTools(t *testing.T) { profiletest.Run(t, testConversionTools) }

func testConversionTools(t *testing.T, _ sandbox.Profile) {
	unconverted := func(f *flowFixture, group string) string {
		for _, d := range f.sb.Deals() {
			if d.CustomerKey == nil && !d.Archived && d.PartnerKey != nil && *d.PartnerKey == f.partnerIn(t, group).PartnerKey {
				return d.Key
			}
		}
		t.Fatal("no unconverted deal")
		return ""
	}
	t.Run("a deal converts once; the second call is refused before anything is sent", func(t *testing.T) {
		f := newFlowFixture(t)
		deal := unconverted(f, "Resellers")
		isErr, text, res := f.call(t, "convert_deal", map[string]any{"deal_key": deal, "email": "won@globex.test", "customer_key": "globex"})
		cu, _ := res["result"].(map[string]any)
		if isErr || cu["customer_key"] != "globex" || cu["email"] != "won@globex.test" || cu["key"] == "" {
			t.Fatalf("isError %v: %s", isErr, text)
		}
		isErr, text, _ = f.call(t, "convert_deal", map[string]any{"deal_key": deal, "email": "again@globex.test"})
		if !isErr || !strings.Contains(text, "already converted") || !strings.Contains(text, "globex") {
			t.Fatalf("second conversion: %s", text)
		}
		if got := f.sent("POST", "/v2/deals/"+deal+"/convert"); len(got) != 1 {
			t.Fatalf("conversions sent: %v", got)
		}
	})
	t.Run("an answer without a customer is read back through the deal", func(t *testing.T) {
		f := newFlowFixture(t)
		deal := unconverted(f, "Resellers")
		// The conversion is applied, but the answer holds no data.
		f.fake.match = func(r *http.Request) bool {
			if r.Method != "POST" || !strings.HasSuffix(r.URL.Path, "/convert") {
				return false
			}
			resp, err := f.fake.next.RoundTrip(r)
			if err == nil {
				resp.Body.Close()
			}
			return true
		}
		f.fake.status, f.fake.body = 200, `{"message":"Deal converted","status":200}`
		isErr, text, res := f.call(t, "convert_deal", map[string]any{"deal_key": deal, "email": "won@initech.test", "customer_key": "initech"})
		if cu, _ := res["result"].(map[string]any); isErr || cu["customer_key"] != "initech" || cu["key"] == "" {
			t.Fatalf("isError %v: %s", isErr, text)
		}
	})
	t.Run("a lead converts, and a dry run sends nothing", func(t *testing.T) {
		f := newFlowFixture(t)
		var lead string
		for _, l := range f.sb.Leads() {
			if l.CustomerKey == nil && !l.Archived && l.PartnerKey == f.partnerIn(t, "Resellers").PartnerKey {
				lead = l.Key
				break
			}
		}
		isErr, text, res := f.call(t, "convert_lead", map[string]any{"lead_key": lead, "email": "lead@hooli.test", "dry_run": true})
		preview, _ := res["dry_run"].(map[string]any)
		if isErr || preview["method"] != "POST" || !strings.HasSuffix(preview["url"].(string), "/v2/leads/"+lead+"/convert") {
			t.Fatalf("dry run: %s", text)
		}
		if f.sb.AppliedWrites("POST", "/api/v2/leads") != 0 {
			t.Fatal("the dry run converted the lead")
		}
		if isErr, text, _ := f.call(t, "convert_lead", map[string]any{"lead_key": lead, "email": "lead@hooli.test"}); isErr {
			t.Fatal(text)
		}
		if isErr, text, _ := f.call(t, "convert_lead", map[string]any{"lead_key": "lead_nope", "email": "x@hooli.test"}); !isErr || !strings.Contains(text, "'lead_key'") {
			t.Fatalf("unknown lead: %s", text)
		}
	})
}

func TestTagPartnership(t *testing.T) { profiletest.Run(t, testTagPartnership) }

func testTagPartnership(t *testing.T, _ sandbox.Profile) {
	f := newFlowFixture(t)
	p := f.partnerIn(t, "Resellers")
	f.call(t, "update_partnership", map[string]any{"key": p.Key, "tags": []any{"emea", "podcast"}})
	isErr, text, res := f.call(t, "tag_partnership", map[string]any{"partnership_key": p.Key, "add": []any{"vip", "emea"}, "remove": []any{"podcast"}})
	if got, _ := res["result"].(map[string]any); isErr || strings.Join(toStrings(got["tags"]), ",") != "emea,vip" {
		t.Fatalf("isError %v: %s", isErr, text)
	}
	if got := f.sent("PATCH", "/v2/partnerships/"+p.Key+"/tags"); len(got) != 2 || got[1] != `{"tags":["emea","vip"]}` {
		t.Fatalf("sent %v", got)
	}
	t.Run("the same call again sends nothing", func(t *testing.T) {
		isErr, text, _ := f.call(t, "tag_partnership", map[string]any{"partnership_key": p.Key, "add": []any{"vip"}})
		if isErr || !strings.Contains(text, "nothing was sent") || len(f.sent("PATCH", "/v2/partnerships/"+p.Key+"/tags")) != 2 {
			t.Fatalf("isError %v: %s", isErr, text)
		}
	})
	t.Run("an API that answers OK but ignores the body is caught", func(t *testing.T) {
		f.fake.match = func(r *http.Request) bool { return strings.HasSuffix(r.URL.Path, "/tags") }
		f.fake.status, f.fake.body = 200, `{"message":"Tags updated","status":200}`
		isErr, text, _ := f.call(t, "tag_partnership", map[string]any{"partnership_key": p.Key, "add": []any{"apac"}})
		if !isErr || !strings.Contains(text, "emea, vip") || !strings.Contains(text, "emea, vip, apac") {
			t.Fatalf("isError %v: %s", isErr, text)
		}
	})
}

func toStrings(v any) []string {
	var out []string
	for _, x := range v.([]any) {
		out = append(out, x.(string))
	}
	return out
}

func TestMovePartnerships(t *testing.T) { profiletest.Run(t, testMovePartnerships) }

func testMovePartnerships(t *testing.T, _ sandbox.Profile) {
	f := newFlowFixture(t)
	target := f.sb.Groups()[3].Key
	var keys []any
	for _, p := range f.sb.Partnerships()[1:4] {
		keys = append(keys, p.Key)
	}
	t.Run("a dry run previews the one request", func(t *testing.T) {
		isErr, text, res := f.call(t, "move_partnerships", map[string]any{"partnership_keys": keys, "group_key": target, "dry_run": true})
		preview, _ := res["dry_run"].(map[string]any)
		if isErr || preview["method"] != "PATCH" || f.sb.AppliedWrites("PATCH", "/api/v2/partnerships") != 0 {
			t.Fatalf("isError %v: %s", isErr, text)
		}
	})
	t.Run("the move is read back and every key is reported moved", func(t *testing.T) {
		isErr, text, res := f.call(t, "move_partnerships", map[string]any{"partnership_keys": keys, "group_key": target})
		got, _ := res["result"].(map[string]any)
		if isErr || len(toStrings(got["moved"])) != 3 {
			t.Fatalf("isError %v: %s", isErr, text)
		}
		for _, p := range f.sb.Partnerships()[1:4] {
			if p.Group.Key != target {
				t.Fatalf("%s is in %s", p.Key, p.Group.Key)
			}
		}
	})
	t.Run("an API that answers OK but moves nothing is caught, naming each", func(t *testing.T) {
		f.fake.match = func(r *http.Request) bool {
			return r.Method == "PATCH" && strings.HasSuffix(r.URL.Path, "/v2/partnerships")
		}
		f.fake.status, f.fake.body = 200, `{"message":"ok","status":200}`
		other := f.sb.Groups()[0].Key
		isErr, text, _ := f.call(t, "move_partnerships", map[string]any{"partnership_keys": keys, "group_key": other})
		if !isErr || !strings.Contains(text, "3 of 3") || !strings.Contains(text, keys[0].(string)+" ("+target+")") || !strings.Contains(text, "Moved: none") {
			t.Fatalf("isError %v: %s", isErr, text)
		}
	})
	t.Run("more than 100 keys, or a repeated one, is refused before anything is sent", func(t *testing.T) {
		many := make([]any, 101)
		for i := range many {
			many[i] = "part_" + strings.Repeat("x", i+1)
		}
		for _, args := range []map[string]any{
			{"partnership_keys": many, "group_key": target},
			{"partnership_keys": []any{keys[0], keys[0]}, "group_key": target},
		} {
			isErr, text, _ := f.call(t, "move_partnerships", args)
			if !isErr || !strings.Contains(text, "'partnership_keys'") {
				t.Fatalf("isError %v: %s", isErr, text)
			}
		}
	})
}

func TestListReferralLinks(t *testing.T) { profiletest.Run(t, testListReferralLinks) }

func testListReferralLinks(t *testing.T, _ sandbox.Profile) {
	f := newFlowFixture(t)
	p := f.partnerIn(t, "Affiliates")
	isErr, text, res := f.call(t, "list_referral_links", map[string]any{"partnership_key": p.Key})
	items := mcptest.Items(res)
	if isErr || len(items) != 2 || !strings.Contains(items[0]["url"].(string), p.PartnerKey) {
		t.Fatalf("isError %v: %s", isErr, text)
	}
	t.Run("a link whose URL field is unknown is shown with all its fields", func(t *testing.T) {
		f.fake.match = func(r *http.Request) bool { return strings.Contains(r.URL.Path, "/v2/links/") }
		f.fake.status, f.fake.body = 200, `{"data":[{"key":"lnk_1","short":"https://nb.example/x1"}],"message":"ok","status":200}`
		isErr, text, _ := f.call(t, "list_referral_links", map[string]any{"partnership_key": p.Key})
		if isErr || !strings.Contains(text, "https://nb.example/x1") {
			t.Fatalf("isError %v: %s", isErr, text)
		}
	})
	f.fake.match = nil
	if isErr, text, _ := f.call(t, "list_referral_links", map[string]any{"partnership_key": "part_nope"}); !isErr || !strings.Contains(text, "'partnership_key'") {
		t.Fatalf("unknown partner: %s", text)
	}
}
