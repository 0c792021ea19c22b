package tools

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"slices"
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
// plus testdata/token-baseline.json, which fails the test when a figure grows
// more than 5% over it. After a deliberate change, rewrite the baseline with:
//
//	UPDATE_GOLDEN=1 go test ./tools -run TestTokenBudgets
//
// tools/list is measured for the default toolsets (what a session gets with
// no configuration) against the budgets, and for every toolset
// against the baseline. The issue also asked for 5x fewer tokens than the raw
// API per list result; with every key kept that is not reachable on lean API
// items (README, Performance), so minListRatio holds what is.
const (
	// tools/list result, default toolsets: the 7000, raised by issue
	// 14's inactive_partners (a 30th default tool); the per-tool average
	// below still holds.
	toolsListBudget   = 7500
	perToolBudget     = 250  // the same, averaged per tool
	minListRatio      = 1.15 // raw API items / list text, the worst list tool (webhooks: little to trim)
	baselineTolerance = 1.05
	baselineFile      = "testdata/token-baseline.json"
)

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
	Text       int     `json:"text"`       // the text content (a table)
	Structured int     `json:"structured"` // structuredContent, JSON
	RawAPI     int     `json:"raw_api"`    // the API's JSON for the same items
	Ratio      float64 `json:"ratio"`      // raw_api / text
	// Ceiling is raw_api over a table holding only the cells the issue
	// requires (keepOnly): no rendering that keeps them can beat it.
	Ceiling float64 `json:"ceiling"`
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
	var defaults []Tool
	for _, tl := range All(Deps{}) {
		if slices.Contains(DefaultToolsets(), tl.Toolset) {
			defaults = append(defaults, tl)
		}
	}
	f.ToolsList, f.ToolsListN = toolsListTokens(t, defaults)
	f.AllTools, _ = toolsListTokens(t, All(Deps{}))

	sb := sandbox.New(sandbox.Options{}) // the fixed demo data
	rec := &recorder{next: sb.Client().Transport}
	d := Deps{Client: newSandboxClient(t, sb, rec)}
	for _, tl := range All(d) {
		if !strings.HasPrefix(tl.Def.Name, "list_") {
			continue
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
		structured, _ := json.Marshal(res.StructuredContent)
		var got struct {
			Items []map[string]any `json:"items"`
		}
		if err := json.Unmarshal(structured, &got); err != nil {
			t.Fatal(err)
		}
		if len(got.Items) == 0 {
			t.Fatalf("%s: no items", tl.Def.Name)
		}
		checkTableKeepsEveryValue(t, tl.Def.Name, text, structured)
		var rawItems []string
		for _, it := range got.Items {
			key, _ := it["key"].(string)
			r, ok := rec.items[key]
			if !ok {
				t.Fatalf("%s: item %s not in any recorded API page", tl.Def.Name, key)
			}
			rawItems = append(rawItems, string(r))
		}
		fig := listTokenFigure{
			Text:       tokens(t, text),
			Structured: tokens(t, string(structured)),
			RawAPI:     tokens(t, "["+strings.Join(rawItems, ",")+"]"),
		}
		fig.Ratio = twoPlaces(float64(fig.RawAPI) / float64(fig.Text))
		fig.Ceiling = twoPlaces(float64(fig.RawAPI) / float64(tokens(t, keepOnly(text))))
		f.ListResults[tl.Def.Name] = fig
	}
	return f
}

func twoPlaces(x float64) float64 { return float64(int(x*100)) / 100 }

// required says whether a table column is one the issue requires a list
// result to keep: "every key, name, status and money field". A webhook's
// target URL counts as its name: it is how people tell webhooks apart.
func required(column string) bool {
	last := column[strings.LastIndex(column, ".")+1:]
	switch {
	case last == "key", strings.HasSuffix(last, "_key"), last == "name", last == "target",
		last == "status", last == "stage", strings.HasSuffix(last, "_cents"), last == "currency",
		strings.HasPrefix(column, "stats."): // partner stats are money and counts
		return true
	}
	return false
}

// keepOnly rewrites a list's text table with only the required columns: the
// smallest table that still carries what the issue says must be kept.
func keepOnly(text string) string {
	lines := strings.Split(text, "\n")
	header := splitRow(lines[1])
	var out []string
	for _, line := range lines[1:] {
		var cells []string
		for i, c := range splitRow(line) {
			if required(header[i]) {
				cells = append(cells, c)
			}
		}
		out = append(out, strings.Join(cells, "|"))
	}
	return strings.Join(out, "\n")
}

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

// checkTableKeepsEveryValue parses the text table back and compares each row
// with the flattened structured item: the text drops nothing.
func checkTableKeepsEveryValue(t *testing.T, tool, text string, structured []byte) {
	t.Helper()
	var res struct {
		Items []json.RawMessage `json:"items"`
	}
	_ = json.Unmarshal(structured, &res)
	lines := strings.Split(text, "\n")
	lines = lines[len(lines)-len(res.Items)-1:]
	header := strings.Split(lines[0], "|")
	for i, raw := range res.Items {
		var cells []cell
		flatten(raw, "", &cells)
		row := splitRow(lines[i+1])
		if len(row) != len(header) {
			t.Fatalf("%s row %d has %d cells for %d columns: %s", tool, i, len(row), len(header), lines[i+1])
		}
		for _, c := range cells {
			at := slices.Index(header, c.name)
			if at < 0 || row[at] != c.value {
				t.Errorf("%s row %d: %s = %q in JSON, not in the table row %q", tool, i, c.name, c.value, lines[i+1])
			}
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
		t.Errorf("tools/list is %d tokens per tool; the budget is %d", got.ToolsList/n, perToolBudget)
	}
	for _, name := range slices.Sorted(func(yield func(string) bool) {
		for k := range got.ListResults {
			if !yield(k) {
				return
			}
		}
	}) {
		f := got.ListResults[name]
		t.Logf("%-18s 25 items: text %5d, structured %5d, raw API %5d tokens: %.2fx fewer (required cells alone: %.2fx)", name, f.Text, f.Structured, f.RawAPI, f.Ratio, f.Ceiling)
		if f.Ratio < minListRatio {
			t.Errorf("%s: text is only %.2fx smaller than the raw API items; the floor is %.2fx", name, f.Ratio, minListRatio)
		}
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
	var base tokenFigures
	if err := json.Unmarshal(raw, &base); err != nil {
		t.Fatal(err)
	}
	grew := func(what string, now, was int) {
		if float64(now) > float64(was)*baselineTolerance {
			t.Errorf("%s grew from %d to %d tokens (over 5%%); if intended: UPDATE_GOLDEN=1 go test ./tools -run TestTokenBudgets", what, was, now)
		}
	}
	grew("tools/list", got.ToolsList, base.ToolsList)
	grew("tools/list of every toolset", got.AllTools, base.AllTools)
	for name, now := range got.PerTool {
		if was, ok := base.PerTool[name]; ok {
			grew(name+" definition", now, was)
		}
	}
	for name, now := range got.ListResults {
		if was, ok := base.ListResults[name]; ok {
			grew(name+" text", now.Text, was.Text)
			grew(name+" structuredContent", now.Structured, was.Structured)
		}
	}
}
