package tools

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/mark3labs/mcp-go/mcp"
)

func TestCleanTextAndJSONStripInvisibleCharacters(t *testing.T) {
	nasty := "A\u202eevil\u202c c\u200bo\u200d\ufeffrp\x00\x1b[31m\u0085\u2066x\u2069\U000E0041\r"
	want := "Aevil corp[31mx"
	if got := cleanText(nasty); got != want {
		t.Fatalf("cleanText = %q, want %q", got, want)
	}
	if got := cleanText("line\n\tnext é 日本 👍"); got != "line\n\tnext é 日本 👍" {
		t.Fatalf("visible text changed: %q", got)
	}
	doc, _ := json.Marshal(map[string]any{"na\u200bme": nasty, "list": []any{nasty, 42.5, true, nil}, "ok": "a\\u0000b \"q\""})
	got := cleanJSON(doc)
	var back map[string]any
	if err := json.Unmarshal(got, &back); err != nil {
		t.Fatalf("cleaned JSON does not parse: %v\n%s", err, got)
	}
	if back["name"] != want || back["list"].([]any)[0] != want || back["list"].([]any)[1] != 42.5 {
		t.Fatalf("cleaned: %s", got)
	}
	if back["ok"] != "a\\u0000b \"q\"" {
		t.Fatalf("an escaped backslash was mistaken for an escape: %q", back["ok"])
	}
	plain := []byte(`{"a":"b\n","c":[1,2]}`)
	if out := cleanJSON(plain); &out[0] != &plain[0] {
		t.Fatal("a clean document was copied")
	}
}

// Every free-text argument of every tool has a length limit in the schema
// validation enforces (maxLength, an enum or a bounded pattern), so no
// argument can carry an essay to PartnerStack. The shared 255 cap is
// enforced but not published.
func TestEveryStringArgumentIsBounded(t *testing.T) {
	for _, tl := range All(Deps{}) {
		var schema map[string]any
		as, err := tl.argsOf()
		if err != nil {
			t.Fatal(err)
		}
		if err := json.Unmarshal(as.enforced, &schema); err != nil {
			t.Fatal(err)
		}
		walkStrings(schema, tl.Def.Name, func(path string, node map[string]any) {
			_, max := node["maxLength"]
			_, enum := node["enum"]
			pattern, _ := node["pattern"].(string)
			if !max && !enum && !strings.HasSuffix(pattern, "}$") {
				t.Errorf("%s: string without a length limit", path)
			}
		})
	}
}

func walkStrings(node any, path string, visit func(string, map[string]any)) {
	switch n := node.(type) {
	case map[string]any:
		if n["type"] == "string" {
			visit(path, n)
		}
		for k, v := range n {
			p := path
			if k != "properties" {
				p += "." + k
			}
			walkStrings(v, p, visit)
		}
	case []any:
		for _, v := range n {
			walkStrings(v, path, visit)
		}
	}
}

// The unpublished shared cap is enforced, with a message naming the field.
func TestUnpublishedStringCapIsEnforced(t *testing.T) {
	for _, tl := range All(Deps{}) {
		if tl.Def.Name != "list_partnerships" {
			continue
		}
		if strings.Contains(string(tl.Def.RawInputSchema), `"maxLength":255`) {
			t.Fatal("the shared cap is still published")
		}
		req := mcp.CallToolRequest{}
		req.Params.Name = tl.Def.Name
		req.Params.Arguments = map[string]any{"email": strings.Repeat("a", 256)}
		res, err := tl.Handler(context.Background(), req)
		if err != nil || !res.IsError {
			t.Fatalf("a 256-character email was accepted: %v %+v", err, res)
		}
		text := res.Content[0].(mcp.TextContent).Text
		if !strings.Contains(text, "'email'") || !strings.Contains(text, "255") {
			t.Fatalf("message %q does not name the field and the limit", text)
		}
		return
	}
	t.Fatal("list_partnerships not found")
}

// Issue 17, item 5: a key of "." or ".." (or a blank one) must never reach a
// URL path: delete_customer {customer_key: ".."} sent DELETE /api/v2/customers/..,
// which a normalising proxy turns into another endpoint. Every tool that puts
// a key in a path refuses it, naming the argument, and sends nothing.
func TestDotSegmentKeysAreRefusedByEveryPathTool(t *testing.T) {
	f := newGuardFixture(t, Deps{})
	cases := []struct {
		tool, field string
		args        map[string]any
	}{
		{"get_customer", "customer_key", nil},
		{"get_customer", "customer_internal_key", nil},
		{"update_customer", "customer_key", map[string]any{"name": "Ada"}},
		{"delete_customer", "customer_key", nil},
		{"delete_customer", "customer_internal_key", map[string]any{"dry_run": true}},
		{"get_partnership", "key", nil},
		{"update_partnership", "key", map[string]any{"tags": []any{"vip"}}},
		{"archive_partnership", "key", nil},
		{"get_deal", "key", nil},
		{"update_deal", "key", map[string]any{"name": "Acme"}},
		{"archive_deal", "key", map[string]any{"dry_run": true}},
		{"get_lead", "key", nil},
		{"update_lead", "key", map[string]any{"status": "open"}},
		{"delete_transaction", "key", nil},
		{"delete_webhook", "key", nil},
	}
	for _, tc := range cases {
		for _, key := range []string{"..", ".", " ", " .. "} {
			t.Run(tc.tool+" "+tc.field+"="+key, func(t *testing.T) {
				args := clone(tc.args)
				args[tc.field] = key
				f.sb.ResetLog()
				isErr, text := f.call(t, tc.tool, args)
				if !isErr || !strings.Contains(text, "invalid argument '"+tc.field+"'") || !strings.Contains(text, "Fix: ") {
					t.Fatalf("not refused, or the argument is not named: %v %s", isErr, text)
				}
				if got := f.sb.Requests(); len(got) != 0 {
					t.Fatalf("sent %s %s", got[0].Method, got[0].Path)
				}
			})
		}
	}
}
