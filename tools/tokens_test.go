package tools

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/mark3labs/mcp-go/mcp"
	tiktoken "github.com/pkoukk/tiktoken-go"
	loader "github.com/pkoukk/tiktoken-go-loader"

	"github.com/partnerstack-mcp/partnerstack-mcp/client/sandbox"

	"github.com/partnerstack-mcp/partnerstack-mcp/internal/golden"
)

// Context efficiency, counted in o200k_base tokens (offline vocabulary).
// Token counts are deterministic, so they are enforced here: fixed budgets,
// plus testdata/token-baseline.json, which must hold exactly what is measured
// (the README's figures are generated from it). After a deliberate change,
// rewrite it with:
//
//	UPDATE_GOLDEN=1 go test ./tools -run TestTokenBudgets
//
// tools/list is measured for the default toolsets (what a session gets with
// no configuration), every hint included. A list result is measured at
// limit 25 on the sandbox's demo data in both forms a host may hand the
// model: the text content (claude.ai, ChatGPT, the OpenAI Agents SDK) and the
// JSON of structuredContent (Claude Code, Codex, opencode), each against the
// compact JSON of the raw API items it shows.
const (
	toolsListBudget  = 8500 // tools/list result, default toolsets
	perToolBudget    = 235  // the same, averaged per tool
	minListRatio     = 2.0  // raw API items / each form, every list tool with enough demo items
	minMeanListRatio = 2.5  // the same, averaged over those tools, per form
	minDemoItems     = 10   // lists with fewer demo items (groups, webhooks) are reported, not held to the ratios
	baselineFile     = "testdata/token-baseline.json"
)

// keptColumns pins, per list tool, the columns its rows must keep: every key,
// name, status, money figure and date the items carry (the rule), so
// a leaner table can never come from dropping them.
var keptColumns = map[string][]string{
	"list_partnerships": {"key", "partner_key", "email", "name", "group.key", "group.name",
		"stats.REVENUE", "stats.COMMISSION_EARNED", "joined_at", "created_at"},
	"list_groups":       {"key", "name", "created_at"},
	"list_customers":    {"key", "customer_key", "email", "name", "partner_key", "created_at"},
	"list_transactions": {"key", "amount_cents", "currency", "amount_usd_cents", "customer_key", "customer_email", "product_key", "created_at"},
	"list_deals":        {"key", "name", "amount_cents", "stage", "partner_key", "close_date", "external_key", "lost_reason", "created_at"},
	"list_leads":        {"key", "external_key", "name", "status", "partner_key", "amount_cents", "created_at"},
	"list_actions":      {"key", "type", "value", "partnership_key", "customer_key", "created_at"},
	"list_rewards": {"key", "amount_cents", "currency", "status", "partner.key", "partner.name", "partner_key",
		"customer_email", "transaction_key", "created_at"},
	"list_webhooks":              {"key", "target", "events", "created_at"},
	"list_applications":          {"key", "status", "name", "email", "group_key", "created_at"},
	"list_report_configurations": {"key", "name", "description", "created_at"},
	"list_tiers":                 {"key", "name", "created_at"},
	"list_products":              {"key", "name", "external_key", "created_at"},
}

var (
	encOnce sync.Once
	enc     *tiktoken.Tiktoken
)

func tokens(t testing.TB, s string) int {
	t.Helper()
	encOnce.Do(func() {
		tiktoken.SetBpeLoader(loader.NewOfflineLoader())
		var err error
		if enc, err = tiktoken.GetEncoding("o200k_base"); err != nil {
			panic(err)
		}
	})
	return len(enc.Encode(s, nil, nil))
}

// tokenFigures is the baseline file's shape.
type tokenFigures struct {
	ToolsList   int                        `json:"tools_list"`     // default toolsets
	ToolsListN  int                        `json:"tools_list_n"`   // their tool count
	AllTools    int                        `json:"tools_list_all"` // every toolset
	PerTool     map[string]int             `json:"per_tool"`
	ListResults map[string]listTokenFigure `json:"list_results"`
}

// listTokenFigure is one list tool's 25-item answer on the sandbox's demo data.
type listTokenFigure struct {
	Items           int     `json:"items"`
	Text            int     `json:"text"`             // the text content (a table)
	Structured      int     `json:"structured"`       // JSON of structuredContent (columns and rows)
	RawAPI          int     `json:"raw_api"`          // compact JSON of the API's items shown
	TextRatio       float64 `json:"text_ratio"`       // raw_api / text
	StructuredRatio float64 `json:"structured_ratio"` // raw_api / structured
}

func measureTokens(t *testing.T) tokenFigures {
	f := tokenFigures{PerTool: map[string]int{}, ListResults: map[string]listTokenFigure{}}
	for _, tl := range ShareShapes(All(Deps{})) {
		raw, err := json.Marshal(tl.Def)
		if err != nil {
			t.Fatal(err)
		}
		f.PerTool[tl.Def.Name] = tokens(t, string(raw))
	}
	defaults, err := Select(All(Deps{}), Selection{})
	if err != nil {
		t.Fatal(err)
	}
	f.ToolsList, f.ToolsListN = toolsListTokens(t, defaults)
	f.AllTools, _ = toolsListTokens(t, All(Deps{}))

	sb := sandbox.New(sandbox.Options{}) // the fixed demo data
	rec := &recorder{next: sb.Client().Transport}
	d := Deps{Client: newSandboxClient(t, sb, rec)}
	for _, tl := range All(d) {
		as, err := tl.argsOf()
		if err != nil {
			t.Fatal(err)
		}
		if !strings.HasPrefix(tl.Def.Name, "list_") || !slices.Contains(as.valid, "limit") {
			continue // lists the API sends whole (stages, links) take no limit
		}
		rec.reset()
		req := mcp.CallToolRequest{}
		req.Params.Name = tl.Def.Name
		req.Params.Arguments = map[string]any{"limit": 25}
		res, err := tl.Handler(context.Background(), req)
		if err != nil || res.IsError {
			t.Fatalf("%s: %v %v", tl.Def.Name, err, res)
		}
		text := mcp.GetTextFromContent(res.Content[0])
		structured, _ := json.Marshal(res.StructuredContent) // what JSON.stringify gives a host
		var tbl listTable
		if err := json.Unmarshal(structured, &tbl); err != nil {
			t.Fatal(err)
		}
		if len(tbl.Rows) == 0 {
			t.Fatalf("%s: no rows", tl.Def.Name)
		}
		checkTextMatchesTable(t, tl.Def.Name, text, tbl)
		checkKeptColumns(t, tl.Def.Name, tbl)
		keyAt := slices.Index(tbl.Columns, "key")
		var rawItems []string
		for _, row := range tbl.Rows {
			var key string
			_ = json.Unmarshal(row[keyAt], &key)
			r, ok := rec.items[key]
			if !ok {
				t.Fatalf("%s: item %s not in any recorded API page", tl.Def.Name, key)
			}
			var compact bytes.Buffer
			if err := json.Compact(&compact, r); err != nil {
				t.Fatal(err)
			}
			rawItems = append(rawItems, compact.String())
		}
		fig := listTokenFigure{
			Items:      len(tbl.Rows),
			Text:       tokens(t, text),
			Structured: tokens(t, string(structured)),
			RawAPI:     tokens(t, "["+strings.Join(rawItems, ",")+"]"),
		}
		fig.TextRatio = twoPlaces(float64(fig.RawAPI) / float64(fig.Text))
		fig.StructuredRatio = twoPlaces(float64(fig.RawAPI) / float64(fig.Structured))
		f.ListResults[tl.Def.Name] = fig
	}
	return f
}

func twoPlaces(x float64) float64 { return float64(int(x*100)) / 100 }

// toolsListTokens counts a tools/list result offering the given tools.
func toolsListTokens(t *testing.T, offered []Tool) (tokenCount, toolCount int) {
	var defs []mcp.Tool
	for _, tl := range ShareShapes(offered) {
		defs = append(defs, tl.Def)
	}
	raw, err := json.Marshal(mcp.ListToolsResult{Tools: defs})
	if err != nil {
		t.Fatal(err)
	}
	return tokens(t, string(raw)), len(defs)
}

// checkTextMatchesTable parses the text table back and compares it, cell by
// cell, with structuredContent's columns and rows: both forms carry the same
// table, so neither host kind sees less.
func checkTextMatchesTable(t *testing.T, tool, text string, tbl listTable) {
	t.Helper()
	lines := strings.Split(text, "\n")
	lines = lines[len(lines)-len(tbl.Rows)-1:]
	if header := splitRow(lines[0]); !slices.Equal(header, tbl.Columns) {
		t.Fatalf("%s: text header %v, structured columns %v", tool, header, tbl.Columns)
	}
	for i, row := range tbl.Rows {
		cells := splitRow(lines[i+1])
		if len(cells) != len(tbl.Columns) || len(row) != len(tbl.Columns) {
			t.Fatalf("%s row %d: %d text cells, %d structured, %d columns", tool, i, len(cells), len(row), len(tbl.Columns))
		}
		for j, v := range row {
			if cells[j] != textCell(v) {
				t.Errorf("%s row %d %s: text %q, structured %s", tool, i, tbl.Columns[j], cells[j], v)
			}
		}
	}
}

// checkKeptColumns requires the pinned columns, with a value in some row.
func checkKeptColumns(t *testing.T, tool string, tbl listTable) {
	t.Helper()
	want, ok := keptColumns[tool]
	if !ok {
		t.Errorf("%s: no keptColumns entry; pin the keys, names, statuses, money and dates it must keep", tool)
	}
	for _, c := range want {
		at := slices.Index(tbl.Columns, c)
		if at < 0 {
			t.Errorf("%s: column %s is gone (columns %v)", tool, c, tbl.Columns)
			continue
		}
		if !slices.ContainsFunc(tbl.Rows, func(r tableRow) bool { return string(r[at]) != "null" }) {
			t.Errorf("%s: column %s has no value in any row", tool, c)
		}
	}
}

// splitRow splits a table row on unescaped |, leaving cells escaped.
func splitRow(line string) []string {
	var out []string
	var cur strings.Builder
	for i := 0; i < len(line); i++ {
		switch {
		case line[i] == '\\' && i+1 < len(line):
			cur.WriteByte(line[i])
			cur.WriteByte(line[i+1])
			i++
		case line[i] == '|':
			out = append(out, cur.String())
			cur.Reset()
		default:
			cur.WriteByte(line[i])
		}
	}
	return append(out, cur.String())
}

// recorder keeps, by key, every item of every API page that passes through.
type recorder struct {
	next  http.RoundTripper
	items map[string]json.RawMessage
}

func (r *recorder) reset() { r.items = map[string]json.RawMessage{} }

func (r *recorder) RoundTrip(req *http.Request) (*http.Response, error) {
	resp, err := r.next.RoundTrip(req)
	if err != nil {
		return resp, err
	}
	body, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil {
		return nil, err
	}
	resp.Body = io.NopCloser(strings.NewReader(string(body)))
	var env struct {
		Data struct {
			Items []json.RawMessage `json:"items"`
		} `json:"data"`
	}
	if json.Unmarshal(body, &env) == nil {
		for _, it := range env.Data.Items {
			var k struct {
				Key string `json:"key"`
			}
			_ = json.Unmarshal(it, &k)
			r.items[k.Key] = it
		}
	}
	return resp, nil
}

func TestTokenBudgets(t *testing.T) {
	got := measureTokens(t)
	n := got.ToolsListN
	t.Logf("tools/list, default toolsets: %d tokens for %d tools (%d per tool)", got.ToolsList, n, got.ToolsList/n)
	t.Logf("tools/list, every toolset:    %d tokens for %d tools (%d per tool)", got.AllTools, len(got.PerTool), got.AllTools/len(got.PerTool))
	if got.ToolsList > toolsListBudget {
		t.Errorf("tools/list is %d tokens; the budget is %d", got.ToolsList, toolsListBudget)
	}
	if got.ToolsList > perToolBudget*n {
		t.Errorf("tools/list is %.1f tokens per tool; the budget is %d", float64(got.ToolsList)/float64(n), perToolBudget)
	}
	var held int
	var textSum, structuredSum float64
	for _, name := range slices.Sorted(maps.Keys(got.ListResults)) {
		f := got.ListResults[name]
		t.Logf("%-18s %2d items: raw API %5d tokens; text %5d (%.2fx fewer), structured %5d (%.2fx fewer)",
			name, f.Items, f.RawAPI, f.Text, f.TextRatio, f.Structured, f.StructuredRatio)
		if f.Items < minDemoItems {
			continue
		}
		held++
		textSum += f.TextRatio
		structuredSum += f.StructuredRatio
		if f.TextRatio < minListRatio || f.StructuredRatio < minListRatio {
			t.Errorf("%s: text %.2fx, structured %.2fx smaller than the raw API items; each must be at least %.1fx", name, f.TextRatio, f.StructuredRatio, minListRatio)
		}
	}
	if held < 5 {
		t.Fatalf("only %d list tools have %d demo items; the ratios hold too little", held, minDemoItems)
	}
	t.Logf("mean over the %d lists with %d+ items: text %.2fx, structured %.2fx", held, minDemoItems, textSum/float64(held), structuredSum/float64(held))
	if textSum/float64(held) < minMeanListRatio || structuredSum/float64(held) < minMeanListRatio {
		t.Errorf("mean ratios text %.2fx, structured %.2fx; each must be at least %.1fx", textSum/float64(held), structuredSum/float64(held), minMeanListRatio)
	}

	if golden.Update() {
		raw, _ := json.MarshalIndent(got, "", "  ")
		if err := os.WriteFile(baselineFile, append(raw, '\n'), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	raw, err := os.ReadFile(filepath.Clean(baselineFile))
	if err != nil {
		t.Fatalf("%v; create it with: UPDATE_GOLDEN=1 go test ./tools -run TestTokenBudgets", err)
	}
	// Exact, not a tolerance: the counts are deterministic, and the README's
	// figures are generated from this file (e2e TestReadmeTokenFigures), so
	// the file must always be what the code measures.
	want, _ := json.MarshalIndent(got, "", "  ")
	if string(append(want, '\n')) != string(raw) {
		var base tokenFigures
		_ = json.Unmarshal(raw, &base)
		t.Errorf("token figures differ from %s (tools/list %d, was %d; every toolset %d, was %d); "+
			"if intended: UPDATE_GOLDEN=1 go test ./tools -run TestTokenBudgets ./e2e -run TestReadme",
			baselineFile, got.ToolsList, base.ToolsList, got.AllTools, base.AllTools)
	}
}

// optInCostTable renders what each toolset's opt-in part adds to the default
// tools/list: the opt-in tools of a default toolset (offered once the toolset
// is named), or every tool of an opt-in toolset. Measured like the budget:
// Select, ShareShapes, o200k tokens of the whole result.
func optInCostTable(t *testing.T) string {
	all := All(Deps{})
	defaults, err := Select(all, Selection{})
	if err != nil {
		t.Fatal(err)
	}
	base, baseN := toolsListTokens(t, defaults)
	var b strings.Builder
	b.WriteString("| toolset | opt-in tools | tools/list with them |\n|---|---|---|\n")
	for _, ts := range Toolsets {
		var extra []string
		for _, tl := range all {
			if tl.Toolset == ts.ID && (tl.OptIn || !ts.Default) {
				extra = append(extra, "`"+tl.Def.Name+"`")
			}
		}
		if len(extra) == 0 {
			continue
		}
		with, err := Select(all, Selection{Toolsets: []ToolsetID{ToolsetDefault, ts.ID}})
		if err != nil {
			t.Fatal(err)
		}
		n, _ := toolsListTokens(t, with)
		name := string(ts.ID)
		if !ts.Default {
			name += " (opt-in toolset)"
		}
		fmt.Fprintf(&b, "| %s | %s | +%s tokens (`--toolsets default,%s`) |\n", name, strings.Join(extra, ", "), thousands(n-base), ts.ID)
	}
	every, everyN := toolsListTokens(t, all)
	fmt.Fprintf(&b, "| no configuration (`default`) | none | %s tokens, %d tools |\n", thousands(base), baseN)
	fmt.Fprintf(&b, "| every toolset (`all`) | all | %s tokens, %d tools |\n", thousands(every), everyN)
	return b.String()
}

// thousands writes n with comma separators, as the README's figures are.
func thousands(n int) string {
	s := strconv.Itoa(n)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}

var optInSection = regexp.MustCompile(`(?s)(<!-- optin:begin[^>]*-->\n).*?(<!-- optin:end -->)`)

// TestReadmeOptInCosts keeps the README's table of opt-in token costs true.
func TestReadmeOptInCosts(t *testing.T) {
	readme := filepath.Join("..", "README.md")
	raw, err := os.ReadFile(readme)
	if err != nil {
		t.Fatal(err)
	}
	if !optInSection.Match(raw) {
		t.Fatal("README.md has no optin:begin/optin:end markers")
	}
	want := optInSection.ReplaceAll(raw, []byte("${1}"+strings.ReplaceAll(optInCostTable(t), "$", "$$")+"${2}"))
	if golden.Update() {
		if err := os.WriteFile(readme, want, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	if string(want) != string(raw) {
		t.Fatal("README.md opt-in token table is out of date; run: UPDATE_GOLDEN=1 go test ./tools -run TestReadmeOptInCosts")
	}
}
