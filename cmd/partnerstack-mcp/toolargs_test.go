package main

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/partnerstack-mcp/partnerstack-mcp/internal/golden"
	"github.com/partnerstack-mcp/partnerstack-mcp/internal/mcptest"
	"github.com/partnerstack-mcp/partnerstack-mcp/internal/toolflags"
	"github.com/partnerstack-mcp/partnerstack-mcp/tools"
)

// TestToolFlagsFollowTheServedSchemas: the flags and help are built from the
// very schemas tools/list serves, for every tool of every toolset, with no
// clash with a server flag, and the help shows every argument.
func TestToolFlagsFollowTheServedSchemas(t *testing.T) {
	noKeys(t)
	code, out, errOut := runCLI(t, "tools", "--json", "--toolsets", "all")
	if code != 0 {
		t.Fatalf("tools --json: exit %d: %s", code, errOut)
	}
	var listed struct {
		Tools []struct {
			Name        string          `json:"name"`
			InputSchema json.RawMessage `json:"inputSchema"`
		} `json:"tools"`
	}
	if err := json.Unmarshal([]byte(out), &listed); err != nil {
		t.Fatal(err)
	}
	served := map[string]json.RawMessage{}
	for _, tl := range listed.Tools {
		served[tl.Name] = tl.InputSchema
	}
	for _, tl := range tools.All(tools.Deps{}) {
		name := tl.Def.Name
		t.Run(name, func(t *testing.T) {
			if !jsonEqual(t, served[name], tl.Def.RawInputSchema) {
				t.Fatalf("the catalogue's schema differs from the served one:\n%s\n%s", tl.Def.RawInputSchema, served[name])
			}
			fs, _, _ := newFlagSet(lookupCommand("call"))
			fs.Bool("version", false, "") // as dispatch defines it
			set, err := defineToolFlags(fs, []string{name})
			if err != nil {
				t.Fatal(err)
			}
			var props struct {
				Properties map[string]json.RawMessage `json:"properties"`
				Required   []string                   `json:"required"`
			}
			if err := json.Unmarshal(served[name], &props); err != nil {
				t.Fatal(err)
			}
			if len(set.Args) != len(props.Properties) {
				t.Errorf("%d flags for %d properties", len(set.Args), len(props.Properties))
			}
			code, help, errOut := runCLI(t, "call", name, "--help")
			if code != 0 || errOut != "" || !strings.Contains(help, tl.Def.Description) {
				t.Fatalf("call %s --help: exit %d, stderr %q:\n%s", name, code, errOut, help)
			}
			lines := map[string]string{}
			for _, l := range strings.Split(help, "\n") {
				if f := strings.Fields(l); strings.HasPrefix(l, "  --") {
					lines[f[0]] = l
				}
			}
			for prop := range props.Properties {
				for _, spelling := range []string{prop, strings.ReplaceAll(prop, "_", "-")} {
					if fs.Lookup(spelling) == nil {
						t.Errorf("no flag --%s", spelling)
					}
				}
				a := argNamed(set, prop)
				line := lines["--"+strings.ReplaceAll(prop, "_", "-")]
				want := []string{a.TypeText(), a.Details()}
				if a.Required {
					want = append(want, "required")
				}
				for _, e := range a.Enum {
					want = append(want, e)
				}
				for _, w := range want {
					if !strings.Contains(line, w) {
						t.Errorf("help line of %s %q lacks %q", prop, line, w)
					}
				}
			}
		})
	}
}

func argNamed(set *toolflags.Set, name string) *toolflags.Arg {
	for _, a := range set.Args {
		if a.Name == name {
			return a
		}
	}
	return &toolflags.Arg{}
}

// jsonEqual compares two object schemas as JSON; an empty required list
// is none (the client's decoding of tools/list adds one).
func jsonEqual(t *testing.T, a, b []byte) bool {
	t.Helper()
	var x, y map[string]any
	if json.Unmarshal(a, &x) != nil || json.Unmarshal(b, &y) != nil {
		return false
	}
	for _, m := range []map[string]any{x, y} {
		if r, ok := m["required"].([]any); ok && len(r) == 0 {
			delete(m, "required")
		}
	}
	ja, _ := json.Marshal(x)
	jb, _ := json.Marshal(y)
	return string(ja) == string(jb)
}

// TestToolHelpGolden keeps two tools' help as files, so a change to the help
// is seen in review (regenerate with UPDATE_GOLDEN=1).
func TestToolHelpGolden(t *testing.T) {
	noKeys(t)
	for _, name := range []string{"create_customer", "record_transaction", "list_partnerships"} {
		code, out, errOut := runCLI(t, "call", "-h", name)
		if code != 0 {
			t.Fatalf("call -h %s: exit %d: %s", name, code, errOut)
		}
		for _, other := range [][]string{{"help", "call", name}, {"--help", "call", name}, {"call", name, "--help", "--sandbox"}} {
			if c, o, _ := runCLI(t, other...); c != 0 || o != out {
				t.Errorf("%q: exit %d, a help other than call -h %s:\n%s", other, c, name, o)
			}
		}
		path := filepath.Join("testdata", "help", name+".txt")
		if golden.Update() {
			if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(path, []byte(out), 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		want, err := os.ReadFile(path)
		if err != nil {
			t.Fatalf("%v (run UPDATE_GOLDEN=1 go test ./cmd/partnerstack-mcp/)", err)
		}
		if string(want) != out {
			t.Errorf("call -h %s differs from %s (UPDATE_GOLDEN=1 to accept):\n%s", name, path, out)
		}
	}
}

// TestCallFlags: flags give the same call as the JSON they stand for.
func TestCallFlags(t *testing.T) {
	noKeys(t)
	same := []struct {
		name        string
		flags, args []string
	}{
		{"strings, kebab-case and a boolean", []string{"create_customer", "--email", "a@b.co", "--partner-key", "gstest", "--name", "A B", "--dry-run"},
			[]string{"create_customer", "--args", `{"email":"a@b.co","partner_key":"gstest","name":"A B","dry_run":true}`}},
		{"snake_case", []string{"create_customer", "--email=a@b.co", "--partner_key", "gstest", "--dry_run=true"},
			[]string{"create_customer", "--args", `{"email":"a@b.co","partner_key":"gstest","dry_run":true}`}},
		{"an integer and a list repeated or comma-separated", []string{"list_partnerships", "--limit", "3", "--fields", "team,tier", "--fields", "meta"},
			[]string{"list_partnerships", "--args", `{"limit":3,"fields":["team","tier","meta"]}`}},
		{"a boolean set false", []string{"list_partnerships", "--include-archived=false", "--limit", "2"},
			[]string{"list_partnerships", "--args", `{"include_archived":false,"limit":2}`}},
		{"KEY=VALUE pairs, repeated", []string{"record_transaction", "--customer-key", "c1", "--amount", "9900", "--currency", "USD", "--metadata", "plan=pro", "--metadata", "seats=3", "--dry-run"},
			[]string{"record_transaction", "--args", `{"customer_key":"c1","amount":9900,"currency":"USD","metadata":[{"key":"plan","value":"pro"},{"key":"seats","value":"3"}],"dry_run":true}`}},
		{"flags win over --args", []string{"list_groups", "--args", `{"limit":5}`, "--limit", "1"},
			[]string{"list_groups", "--args", `{"limit":1}`}},
		{"a tool's flags before its name", []string{"--limit", "1", "--sandbox", "list_groups"},
			[]string{"list_groups", "--args", `{"limit":1}`}},
		{"flags add to --args", []string{"create_customer", "--args", `{"email":"a@b.co","dry_run":true}`, "--partner-key", "gstest"},
			[]string{"create_customer", "--args", `{"email":"a@b.co","partner_key":"gstest","dry_run":true}`}},
	}
	for _, tt := range same {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errOut := runCLI(t, append([]string{"--sandbox", "call"}, tt.flags...)...)
			wantCode, want, _ := runCLI(t, append([]string{"--sandbox", "call"}, tt.args...)...)
			if code != 0 || wantCode != 0 || out != want {
				t.Errorf("flags: exit %d\n%s%s\n--args: exit %d\n%s", code, out, errOut, wantCode, want)
			}
		})
	}
	t.Run("a KEY=VALUE pair reaches the request body", func(t *testing.T) {
		_, out, _ := runCLI(t, "--sandbox", "call", "record_transaction", "--customer-key", "c1", "--amount", "9900", "--currency", "USD", "--metadata", "plan=pro", "--dry-run")
		if !strings.Contains(out, `"metadata":{"plan":"pro"}`) {
			t.Errorf("the dry run's body lacks the metadata: %s", out)
		}
	})
}

// TestCallFlagErrors: validation is the tool's, word for word, naming the
// flag as typed; mistakes in the flags themselves are usage errors (exit 2).
func TestCallFlagErrors(t *testing.T) {
	noKeys(t)
	sameAsMCP := []struct {
		name  string
		flags []string
		args  string
		field string // the JSON name the MCP path reports, and the flag typed instead
		typed string
	}{
		{"a number that is none", []string{"list_groups", "--limit", "abc"}, `{"limit":"abc"}`, "limit", "--limit"},
		{"out of range", []string{"list_groups", "--limit=0"}, `{"limit":0}`, "limit", "--limit"},
		{"a boolean that is none", []string{"create_customer", "--email", "a@b.co", "--partner-key", "p", "--dry-run=yes"},
			`{"email":"a@b.co","partner_key":"p","dry_run":"yes"}`, "dry_run", "--dry-run"},
		{"snake_case is named as typed", []string{"create_customer", "--email", "a@b.co", "--partner_key", "", "--dry-run"},
			`{"email":"a@b.co","partner_key":"","dry_run":true}`, "partner_key", "--partner_key"},
		{"a required argument not given is named as a flag", []string{"create_customer", "--email", "a@b.co"},
			`{"email":"a@b.co"}`, "partner_key", "--partner-key"},
		{"an enum value", []string{"list_partnerships", "--fields", "team,nope"}, `{"fields":["team","nope"]}`, "fields.1", "--fields.1"},
	}
	for _, tt := range sameAsMCP {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errOut := runCLI(t, append([]string{"--sandbox", "call"}, tt.flags...)...)
			mcpCode, _, mcpErr := runCLI(t, "--sandbox", "call", tt.flags[0], "--args", tt.args)
			want := strings.ReplaceAll(mcpErr, "'"+tt.field+"'", "'"+tt.typed+"'")
			if code != 1 || mcpCode != 1 || out != "" || errOut != want || !strings.Contains(mcpErr, "'"+tt.field+"'") {
				t.Errorf("flags: exit %d, stderr %q\n--args: exit %d, stderr %q", code, errOut, mcpCode, mcpErr)
			}
		})
	}
	usage := []struct {
		name string
		args []string
		want []string
	}{
		{"an unknown flag names the close one and the tool's flags", []string{"create_customer", "--emial", "a@b.co"},
			[]string{"unknown flag --emial", "did you mean --email?", "create_customer takes --customer-key --dry-run --email"}},
		{"--dry-run on a read tool", []string{"list_groups", "--dry-run"}, []string{"unknown flag --dry-run", "list_groups changes nothing"}},
		{"a pair without =", []string{"record_transaction", "--metadata", "plan"}, []string{"--metadata", "want KEY=VALUE"}},
		{"--json with --text", []string{"list_groups", "--json", "--text"}, []string{"--json and --text"}},
		{"an unknown tool before its flags", []string{"list_group", "--limit", "2"}, []string{`unknown tool "list_group"`, "did you mean list_groups?"}},
		{"a boolean given a separate value", []string{"create_customer", "--dry-run", "false"}, []string{`unexpected argument "false"`, "--read-only=false"}},
	}
	for _, tt := range usage {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errOut := runCLI(t, append([]string{"--sandbox", "call"}, tt.args...)...)
			if code != 2 || out != "" {
				t.Errorf("exit %d (want 2), stdout %q", code, out)
			}
			oneLine(t, errOut, tt.want...)
		})
	}
}

// TestCallOutput: JSON when piped or with --json, the text form with --text.
func TestCallOutput(t *testing.T) {
	noKeys(t)
	for _, args := range [][]string{{}, {"--json"}} {
		code, out, _ := runCLI(t, append([]string{"--sandbox", "call", "list_groups", "--limit", "2"}, args...)...)
		var res map[string]any
		if code != 0 || json.Unmarshal([]byte(out), &res) != nil || len(mcptest.Items(res)) != 2 {
			t.Errorf("%q: exit %d, want structuredContent with 2 groups:\n%s", args, code, out)
		}
	}
	code, out, _ := runCLI(t, "--sandbox", "call", "list_groups", "--limit", "2", "--text")
	if lines := strings.Split(strings.TrimSpace(out), "\n"); code != 0 || len(lines) != 4 || !strings.HasPrefix(lines[0], "count=2") || lines[1] != "key|name|slug|created_at" {
		t.Errorf("--text: exit %d, want a count line, a header and 2 rows:\n%s", code, out)
	}
	// One object's text form is its JSON, indented for reading.
	_, asJSON, _ := runCLI(t, "--sandbox", "call", "get_webhook", "--key", "whk_YPm1POeVJrZcd2")
	code, out, _ = runCLI(t, "--sandbox", "call", "get_webhook", "--key", "whk_YPm1POeVJrZcd2", "--text")
	if !strings.HasPrefix(out, "{\n  \"") || !jsonEqual(t, []byte(out), []byte(asJSON)) {
		t.Errorf("--text of one object: exit %d, want its JSON indented:\n%s\nJSON:\n%s", code, out, asJSON)
	}
}

// TestCallReachesOptInToolsets: naming a tool is explicit, so call offers
// it without --toolsets; a choice of toolsets is still honoured.
func TestCallReachesOptInToolsets(t *testing.T) {
	noKeys(t)
	var optIn *tools.Tool
	for _, tl := range tools.All(tools.Deps{}) {
		if !tl.ReadOnly() {
			continue
		}
		for _, ts := range tools.Toolsets {
			if ts.ID == tl.Toolset && (!ts.Default || tl.OptIn) && optIn == nil {
				optIn = &tl
			}
		}
	}
	if optIn == nil {
		t.Fatal("no read tool is opt-in")
	}
	code, _, errOut := runCLI(t, "--sandbox", "call", optIn.Def.Name)
	if code == 2 || strings.Contains(errOut, "not enabled") {
		t.Errorf("call %s: exit %d, stderr %q; want the tool called", optIn.Def.Name, code, errOut)
	}
	code, _, errOut = runCLI(t, "--sandbox", "--toolsets", "default", "call", optIn.Def.Name)
	if code != 2 || !strings.Contains(errOut, "--toolsets default,"+string(optIn.Toolset)) {
		t.Errorf("--toolsets default call %s: exit %d, stderr %q; want the toolset hint", optIn.Def.Name, code, errOut)
	}
}

// everyToolCall is a call of every tool that succeeds on the sandbox (keys
// of its demo data; writes as dry runs), using each kind of flag somewhere.
var everyToolCall = map[string]map[string]any{
	"list_partnerships": {"limit": 3, "fields": []any{"team", "tier"}, "include_archived": true},
	"list_groups":       {"limit": 2}, "list_customers": {"partner_key": "mayabrennan"},
	"list_transactions": {"customer_key": "harborfoods.com", "fields": []any{"metadata"}},
	"list_deals":        {"limit": 4, "created_after": "2026-01-01"}, "list_leads": {"limit": 2}, "list_actions": {"limit": 2},
	"list_rewards": {"limit": 2}, "list_webhooks": {}, "list_applications": {"status": "pending"},
	"summarize_revenue":   {"from": "2026-01-01", "to": "2026-10-31", "group_by": "month"},
	"partner_leaderboard": {"from": "2026-01-01", "to": "2026-10-31", "metric": "customers", "top": 3},
	"pipeline_summary":    {"by": "group"}, "reward_summary": {"from": "2026-01-01", "to": "2026-10-31", "status": "paid"},
	"inactive_partners": {"as_of": "2026-11-01", "days": 60},
	"get_partnership":   {"key": "rubybrennan"}, "get_customer": {"customer_email": "billing@northwindworks.dev"},
	"get_deal": {"key": "crm-opp-20259"}, "get_lead": {"key": "lead_3Ydelr7F7AtUzr"}, "get_webhook": {"key": "whk_YPm1POeVJrZcd2"},
	"create_partnership":  {"email": "new.partner@example.com", "tags": []any{"a", "b"}, "dry_run": true},
	"update_partnership":  {"key": "rubybrennan", "tier_key": "tier_gold", "dry_run": true},
	"archive_partnership": {"key": "rubybrennan", "dry_run": true},
	"create_customer":     {"email": "new.customer@example.com", "partner_key": "rubybrennan", "dry_run": true},
	"update_customer":     {"customer_key": "northwindworks.dev", "name": "Renamed Co", "dry_run": true},
	"delete_customer":     {"customer_key": "northwindworks.dev", "dry_run": true},
	"record_transaction": {"customer_key": "harborfoods.com", "amount": -9900, "currency": "USD", "dry_run": true,
		"metadata": []any{map[string]any{"key": "plan", "value": "pro"}, map[string]any{"key": "seats", "value": "3"}}},
	"delete_transaction":         {"key": "tran_d8ZybX3ZWAcukY", "dry_run": true},
	"create_deal":                {"name": "Big deal", "partner_key": "kenjiwalsh", "amount": 100000, "dry_run": true},
	"update_deal":                {"key": "crm-opp-20259", "name": "Bigger deal", "dry_run": true},
	"archive_deal":               {"key": "deal_bYDnHcmUCxycLZ", "dry_run": true},
	"create_lead":                {"partner_key": "priyaclarke", "email": "lead@example.com", "name": "A Lead", "status": "closed won", "dry_run": true},
	"update_lead":                {"key": "lead_3Ydelr7F7AtUzr", "approved": false, "dry_run": true},
	"archive_lead":               {"key": "lead_3Ydelr7F7AtUzr", "dry_run": true},
	"record_action":              {"customer_key": "harborfoods.com", "key": "signup", "value": 2, "dry_run": true},
	"archive_action":             {"key": "actn_9CjkVW0CddIFfE", "dry_run": true},
	"create_reward":              {"partner_key": "rubybrennan", "amount": 5000, "description": "Bonus", "dry_run": true},
	"create_webhook":             {"target": "https://hooks.example.com/ps", "events": []any{"customer_created", "customer_updated"}, "dry_run": true},
	"update_webhook":             {"key": "whk_YPm1POeVJrZcd2", "events": []any{"customer_created"}, "dry_run": true},
	"delete_webhook":             {"key": "whk_YPm1POeVJrZcd2", "dry_run": true},
	"decide_application":         {"application_key": "appl_any", "decision": "decline", "decline_reason": "Not a fit", "dry_run": true},
	"convert_deal":               {"deal_key": "crm-opp-20007", "email": "won@example.com", "customer_key": "won-co", "dry_run": true},
	"convert_lead":               {"lead_key": "lead_k0wcVX5Yew06Vg", "email": "won@example.com", "dry_run": true},
	"list_deal_stages":           {"group_key": "grup_S3SmzEeBrNOPSI"},
	"tag_partnership":            {"partnership_key": "rubybrennan", "add": []any{"vip", "emea"}, "remove": []any{"b2b"}, "dry_run": true},
	"move_partnerships":          {"partnership_keys": []any{"part_NPc65e8EdKeyGm"}, "group_key": "grup_any", "dry_run": true},
	"list_referral_links":        {"partnership_key": "rubybrennan"},
	"list_report_configurations": {"limit": 2}, "list_tiers": {}, "list_products": {"keywords": "pro"},
	"start_report_export": {"report_key": "vrc_BkniOcgPmFU813", "member_email": "ops@northbeam.example", "dry_run": true},
	"get_report_export":   {"export_key": "vrex_gPvVQGhdpVfsl7"},
	"create_product":      {"name": "Inbox", "external_key": "prod_inbox", "dry_run": true},
}

// asFlags writes JSON arguments as flags the way a person would: a list
// repeated, a key/value object as KEY=VALUE, a true boolean bare.
func asFlags(t *testing.T, args map[string]any) []string {
	t.Helper()
	var flags []string
	for name, v := range args {
		flag := "--" + strings.ReplaceAll(name, "_", "-")
		switch v := v.(type) {
		case bool:
			if v {
				flags = append(flags, flag)
			} else {
				flags = append(flags, flag+"=false")
			}
		case []any:
			for _, e := range v {
				if m, ok := e.(map[string]any); ok {
					flags = append(flags, flag, fmt.Sprintf("%v=%v", m["key"], m["value"]))
				} else {
					flags = append(flags, flag, fmt.Sprint(e))
				}
			}
		default:
			flags = append(flags, flag, fmt.Sprint(v))
		}
	}
	return flags
}

// TestEveryToolIsCallableWithFlagsOnly: for every tool of the catalogue, a
// call written as flags answers exactly as the same call in --args JSON.
func TestEveryToolIsCallableWithFlagsOnly(t *testing.T) {
	noKeys(t)
	for _, tl := range tools.All(tools.Deps{}) {
		name := tl.Def.Name
		args, ok := everyToolCall[name]
		if !ok {
			t.Errorf("%s: no call in everyToolCall; add one", name)
			continue
		}
		t.Run(name, func(t *testing.T) {
			raw, _ := json.Marshal(args)
			flags := asFlags(t, args)
			// One insight worker: with several, how a walk splits (so its
			// page count) depends on timing, and the answers are compared
			// byte for byte.
			code, out, errOut := runCLI(t, append([]string{"--sandbox", "--insights-concurrency", "1", "call", name}, flags...)...)
			wantCode, want, wantErr := runCLI(t, "--sandbox", "--insights-concurrency", "1", "call", name, "--args", string(raw))
			if code != 0 || wantCode != 0 || out != want {
				t.Errorf("%q: exit %d\n%s%s\n--args %s: exit %d\n%s%s", flags, code, out, errOut, raw, wantCode, want, wantErr)
			}
		})
	}
}

// TestOnlyATerminalGetsText: a pipe, a file and /dev/null (a character
// device, but no terminal) get JSON by default.
func TestOnlyATerminalGetsText(t *testing.T) {
	null, err := os.OpenFile(os.DevNull, os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer null.Close()
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	defer w.Close()
	file, err := os.Create(filepath.Join(t.TempDir(), "out"))
	if err != nil {
		t.Fatal(err)
	}
	defer file.Close()
	for _, out := range []io.Writer{null, w, file, &strings.Builder{}} {
		if isTerminal(out) {
			t.Errorf("%T %v taken for a terminal", out, out)
		}
	}
}

// TestATerminalGetsText runs the real binary on a pseudo-terminal (util-linux
// script, in every Debian): its stdout is a terminal, so the text form.
func TestATerminalGetsText(t *testing.T) {
	script, err := exec.LookPath("script")
	if err != nil {
		t.Skip("no script(1) to give the binary a terminal")
	}
	if out, err := exec.Command(script, "-qec", "true", os.DevNull).CombinedOutput(); err != nil {
		t.Skipf("script(1) cannot open a pseudo-terminal here: %v %s", err, out)
	}
	bin := binary(t)
	cmd := exec.Command(script, "-qec", bin+" --sandbox call list_groups --limit 1", os.DevNull)
	cmd.Env = append(os.Environ(), "PARTNERSTACK_PUBLIC_KEY=", "PARTNERSTACK_SECRET_KEY=", "PARTNERSTACK_BASE_URL=")
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("%v: %s", err, out)
	}
	if lines := strings.Split(strings.TrimSpace(strings.ReplaceAll(string(out), "\r", "")), "\n"); len(lines) != 3 ||
		!strings.HasPrefix(lines[0], "count=1") || lines[1] != "key|name|slug|created_at" {
		t.Errorf("on a terminal, want the table:\n%q", out)
	}
}
