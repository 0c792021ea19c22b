package tools

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/mark3labs/mcp-go/mcp"

	"github.com/partnerstack-mcp/partnerstack-mcp/client"
)

// ignoringAPI serves /v2/customers like an API that ignores every list
// filter (pages of at most pageSize, cursor honoured) and the documented
// customer paths by external customer_key only. It records every request.
type ignoringAPI struct {
	customers []map[string]any
	pageSize  int

	mu   sync.Mutex
	reqs []string
}

func (f *ignoringAPI) RoundTrip(r *http.Request) (*http.Response, error) {
	f.mu.Lock()
	f.reqs = append(f.reqs, r.Method+" "+r.URL.Path)
	f.mu.Unlock()
	w := httptest.NewRecorder()
	w.Header().Set("Content-Type", "application/json")
	reply := func(status int, data any) {
		w.WriteHeader(status)
		_ = json.NewEncoder(w).Encode(map[string]any{"data": data, "message": "ok", "status": status})
	}
	switch path := strings.TrimPrefix(r.URL.Path, "/api"); {
	case path == "/v2/customers" && r.Method == http.MethodGet:
		q := r.URL.Query()
		limit, _ := strconv.Atoi(q.Get("limit"))
		limit = min(max(limit, 1), f.pageSize)
		from := 0
		if after := q.Get("starting_after"); after != "" {
			for i, c := range f.customers {
				if c["key"] == after {
					from = i + 1
				}
			}
		}
		to := min(from+limit, len(f.customers))
		reply(200, map[string]any{"items": f.customers[from:to], "has_more": to < len(f.customers)})
	case strings.HasPrefix(path, "/v2/customers/"):
		id := strings.TrimPrefix(path, "/v2/customers/")
		for _, c := range f.customers {
			if c["customer_key"] == id {
				if r.Method == http.MethodPatch {
					body, _ := io.ReadAll(r.Body)
					var patch map[string]any
					_ = json.Unmarshal(body, &patch)
					for k, v := range patch {
						c[k] = v
					}
				}
				if r.Method == http.MethodDelete {
					reply(200, nil)
					return w.Result(), nil
				}
				reply(200, c)
				return w.Result(), nil
			}
		}
		reply(404, nil)
	default:
		reply(404, nil)
	}
	return w.Result(), nil
}

func (f *ignoringAPI) requests() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]string(nil), f.reqs...)
}

func newIgnoringAPI(t *testing.T) (*ignoringAPI, map[string]Tool) {
	t.Helper()
	f := &ignoringAPI{pageSize: 3}
	for i := range 10 {
		email := fmt.Sprintf("c%d@x.test", i)
		switch i {
		case 2, 6:
			email = "dup@x.test"
		case 8:
			email = "Solo@X.test"
		}
		c := map[string]any{"key": fmt.Sprintf("cus_%014d", i), "email": email, "customer_key": fmt.Sprintf("ext-%d", i),
			"partner_key": "p", "partnership_key": "part_p", "created_at": 1700000000000 - int64(i)}
		if i == 9 {
			c["customer_key"] = nil
		}
		f.customers = append(f.customers, c)
	}
	cl := fakeClient(t, f)
	tools := map[string]Tool{}
	for _, tl := range All(Deps{Client: cl, InsightPageCap: 10}) {
		tools[tl.Def.Name] = tl
	}
	return f, tools
}

func TestCustomerLookupsVerifyWhatTheAPIReturns(t *testing.T) {
	cases := []struct {
		name   string
		tool   string
		args   map[string]any
		want   string // in the answer
		errors bool
	}{
		{"an email on the third page is found", "get_customer", map[string]any{"customer_email": "solo@x.test"}, `"key":"cus_00000000000008"`, false},
		{"two customers with one email are ambiguous", "get_customer", map[string]any{"customer_email": "dup@x.test"}, "more than one customer has the email dup@x.test", true},
		{"an email nobody has is not found, after the whole list", "get_customer", map[string]any{"customer_email": "none@x.test"}, "no customer has the email none@x.test", true},
		{"an internal key is found by walking", "get_customer", map[string]any{"customer_internal_key": "cus_00000000000007"}, `"customer_key":"ext-7"`, false},
		{"an internal key without a customer_key is still shown", "get_customer", map[string]any{"customer_internal_key": "cus_00000000000009"}, `"key":"cus_00000000000009"`, false},
		{"an update by internal key patches the external key", "update_customer", map[string]any{"customer_internal_key": "cus_00000000000004", "name": "Four"}, `"name":"Four"`, false},
		{"an update of a customer without customer_key is refused", "update_customer", map[string]any{"customer_internal_key": "cus_00000000000009", "name": "Nine"}, "has no customer_key", true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			f, tools := newIgnoringAPI(t)
			res := callTool(t, tools[tc.tool], tc.args)
			text := resultText(res)
			if res.IsError != tc.errors || !strings.Contains(text, tc.want) {
				t.Fatalf("isError=%v, answer: %s", res.IsError, text)
			}
			for _, r := range f.requests() {
				if strings.Contains(r, "/cus_") {
					t.Errorf("an internal key reached a path: %s", r)
				}
			}
		})
	}
	t.Run("the update went to the customer_key path", func(t *testing.T) {
		f, tools := newIgnoringAPI(t)
		callTool(t, tools["update_customer"], map[string]any{"customer_internal_key": "cus_00000000000004", "name": "Four"})
		reqs := f.requests()
		if last := reqs[len(reqs)-1]; last != "PATCH /api/v2/customers/ext-4" {
			t.Fatalf("last request %s", last)
		}
	})
}

func TestALookupCutByThePageCapSaysSoInsteadOfNotFound(t *testing.T) {
	f := &ignoringAPI{pageSize: 3}
	for i := range 10 {
		f.customers = append(f.customers, map[string]any{"key": fmt.Sprintf("cus_%014d", i), "email": fmt.Sprintf("c%d@x.test", i),
			"customer_key": fmt.Sprintf("ext-%d", i)})
	}
	var tl Tool
	for _, x := range All(Deps{Client: fakeClient(t, f), InsightPageCap: 2}) {
		if x.Def.Name == "get_customer" {
			tl = x
		}
	}
	res := callTool(t, tl, map[string]any{"customer_email": "c9@x.test"})
	text := resultText(res)
	if !res.IsError || strings.Contains(text, "no customer has") || !strings.Contains(text, "among the 6 read") {
		t.Fatalf("answer: %s", text)
	}
}

func fakeClient(t *testing.T, rt http.RoundTripper) *client.Client {
	t.Helper()
	c, err := client.New(client.Config{PublicKey: "pk_x", SecretKey: "sk_x", BaseURL: "http://fake.invalid/api",
		HTTPClient: &http.Client{Transport: rt}})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// callTool calls a tool's handler as the server would.
func callTool(t *testing.T, tl Tool, args map[string]any) *mcp.CallToolResult {
	t.Helper()
	req := mcp.CallToolRequest{}
	req.Params.Name = tl.Def.Name
	req.Params.Arguments = args
	res, err := tl.Handler(context.Background(), req)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

// resultText is the answer's text content and, for a result, its
// structured content as JSON.
func resultText(res *mcp.CallToolResult) string {
	var b strings.Builder
	for _, c := range res.Content {
		if tc, ok := c.(mcp.TextContent); ok {
			b.WriteString(tc.Text)
		}
	}
	if res.StructuredContent != nil {
		raw, _ := json.Marshal(res.StructuredContent)
		b.Write(raw)
	}
	return b.String()
}
