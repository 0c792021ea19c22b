package tools

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/partnerstack-mcp/partnerstack-mcp/internal/golden"
)

// The catalogue the issue fixes: exact names, by toolset.
var wantCatalogue = map[string][]string{
	"partnerships": {"list_partnerships", "get_partnership", "create_partnership", "update_partnership", "archive_partnership",
		"tag_partnership", "move_partnerships", "list_referral_links"},
	"groups":       {"list_groups"},
	"customers":    {"list_customers", "get_customer", "create_customer", "update_customer", "delete_customer"},
	"transactions": {"list_transactions", "record_transaction", "delete_transaction"},
	"deals":        {"list_deals", "get_deal", "create_deal", "update_deal", "archive_deal", "convert_deal", "list_deal_stages"},
	"leads":        {"list_leads", "get_lead", "create_lead", "update_lead", "archive_lead", "convert_lead"},
	"actions":      {"list_actions", "record_action", "archive_action"},
	"rewards":      {"list_rewards", "create_reward"},
	"webhooks":     {"list_webhooks", "create_webhook", "delete_webhook", "get_webhook", "update_webhook"},
	"applications": {"list_applications", "decide_application"},
	"insights":     {"summarize_revenue", "partner_leaderboard", "pipeline_summary", "reward_summary", "inactive_partners"},
	"reports":      {"list_report_configurations", "start_report_export", "get_report_export"},
	"tiers":        {"list_tiers"},
	"products":     {"list_products", "create_product"},
}

// wantOptIn are the tools of default toolsets offered only when their
// toolset is named: the rarer operations of each family.
var wantOptIn = []string{"archive_action", "get_webhook", "update_webhook", "convert_deal", "list_deal_stages", "convert_lead",
	"tag_partnership", "move_partnerships", "list_referral_links"}

// isReadName says whether a tool's name promises a read: list_, get_, or an
// insight (the insights toolset is read-only by design).
func isReadName(name string) bool {
	return strings.HasPrefix(name, "list_") || strings.HasPrefix(name, "get_") || slices.Contains(wantCatalogue["insights"], name)
}

func TestCatalogueMatchesTheIssue(t *testing.T) {
	got := map[string][]string{}
	for _, tl := range All(Deps{}) {
		got[string(tl.Toolset)] = append(got[string(tl.Toolset)], tl.Def.Name)
	}
	for ts, names := range wantCatalogue {
		if strings.Join(got[ts], ",") != strings.Join(names, ",") {
			t.Errorf("toolset %s: got %v, want %v", ts, got[ts], names)
		}
	}
	if len(got) != len(wantCatalogue) {
		t.Errorf("toolsets: got %d, want %d", len(got), len(wantCatalogue))
	}
	var optIn []string
	for _, tl := range All(Deps{}) {
		if tl.OptIn {
			optIn = append(optIn, tl.Def.Name)
		}
	}
	if !slices.Equal(slices.Sorted(slices.Values(optIn)), slices.Sorted(slices.Values(wantOptIn))) {
		t.Errorf("opt-in tools: got %v, want %v", optIn, wantOptIn)
	}
}

// toolJSON is a tool definition as a client receives it in tools/list.
type toolJSON struct {
	Name         string          `json:"name"`
	Title        string          `json:"title"`
	Description  string          `json:"description"`
	InputSchema  json.RawMessage `json:"inputSchema"`
	OutputSchema json.RawMessage `json:"outputSchema"`
	Annotations  map[string]any  `json:"annotations"`
}

func wireTools(t *testing.T) []toolJSON {
	t.Helper()
	var out []toolJSON
	for _, tl := range ShareShapes(All(Deps{})) {
		raw, err := json.Marshal(tl.Def)
		if err != nil {
			t.Fatalf("%s does not marshal: %v", tl.Def.Name, err)
		}
		var w toolJSON
		if err := json.Unmarshal(raw, &w); err != nil {
			t.Fatal(err)
		}
		out = append(out, w)
	}
	return out
}

func TestSchemasAreInlinedStrictAndDescribed(t *testing.T) {
	for _, w := range wireTools(t) {
		in := string(w.InputSchema)
		for _, banned := range []string{`"$ref"`, `"$defs"`, `"$id"`, `"$schema"`} {
			if strings.Contains(in, banned) || strings.Contains(string(w.OutputSchema), banned) {
				t.Errorf("%s: schema contains %s", w.Name, banned)
			}
		}
		var s struct {
			Type                 string `json:"type"`
			AdditionalProperties *bool  `json:"additionalProperties"`
		}
		if err := json.Unmarshal(w.InputSchema, &s); err != nil {
			t.Fatal(err)
		}
		if s.Type != "object" || s.AdditionalProperties == nil || *s.AdditionalProperties {
			t.Errorf("%s: input schema must be a strict object, got type=%q additionalProperties=%v", w.Name, s.Type, s.AdditionalProperties)
		}
		if w.Title == "" || w.Description == "" {
			t.Errorf("%s: missing title or description", w.Name)
		}
		if !isReadName(w.Name) && !strings.Contains(in, `"dry_run"`) {
			t.Errorf("%s: write tool without dry_run", w.Name)
		}
		if strings.Contains(in, `"amount"`) && !strings.Contains(strings.ToLower(in), "cents") {
			t.Errorf("%s: an amount argument whose description does not say cents", w.Name)
		}
	}
}

// TestSchemaFiles keeps schemas/<tool>.input.json and .output.json equal to
// the code. Regenerate with: UPDATE_GOLDEN=1 go test ./tools -run TestSchemaFiles
func TestSchemaFiles(t *testing.T) {
	dir := filepath.Join("..", "schemas")
	want := map[string]bool{}
	for _, w := range wireTools(t) {
		for kind, raw := range map[string]json.RawMessage{"input": w.InputSchema, "output": w.OutputSchema} {
			name := w.Name + "." + kind + ".json"
			want[name] = true
			var pretty bytes.Buffer
			if err := json.Indent(&pretty, raw, "", "  "); err != nil {
				t.Fatal(err)
			}
			pretty.WriteByte('\n')
			path := filepath.Join(dir, name)
			if golden.Update() {
				if err := os.WriteFile(path, pretty.Bytes(), 0o644); err != nil {
					t.Fatal(err)
				}
				continue
			}
			got, err := os.ReadFile(path)
			if err != nil || !bytes.Equal(got, pretty.Bytes()) {
				t.Errorf("%s is out of date; run: UPDATE_GOLDEN=1 go test ./tools -run TestSchemaFiles", path)
			}
		}
	}
	files, _ := filepath.Glob(filepath.Join(dir, "*.json"))
	for _, f := range files {
		if !want[filepath.Base(f)] {
			if golden.Update() {
				os.Remove(f)
			} else {
				t.Errorf("%s belongs to no tool; run: UPDATE_GOLDEN=1 go test ./tools -run TestSchemaFiles", f)
			}
		}
	}
}

// Validators are compiled on a tool's first call (newTool), so this is where
// a schema that does not compile is caught: before any user calls the tool.
func TestEveryInputSchemaCompiles(t *testing.T) {
	for _, tl := range All(Deps{}) {
		if _, err := tl.argsOf(); err != nil {
			t.Errorf("%s: %v", tl.Def.Name, err)
		}
	}
}
