package e2e_test

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/partnerstack-mcp/partnerstack-mcp/tools"

	"github.com/partnerstack-mcp/partnerstack-mcp/internal/golden"
)

// The README's token figures are rendered from the baseline that the tools
// package's TestTokenBudgets keeps equal to what it measures, so no figure
// in the README can drift from the code.

// tokenBaseline is the part of tools/testdata/token-baseline.json shown.
type tokenBaseline struct {
	ToolsList   int            `json:"tools_list"`
	ToolsListN  int            `json:"tools_list_n"`
	AllTools    int            `json:"tools_list_all"`
	PerTool     map[string]int `json:"per_tool"`
	ListResults map[string]struct {
		Items           int     `json:"items"`
		Text            int     `json:"text"`
		Structured      int     `json:"structured"`
		RawAPI          int     `json:"raw_api"`
		TextRatio       float64 `json:"text_ratio"`
		StructuredRatio float64 `json:"structured_ratio"`
	} `json:"list_results"`
}

// heldItems: lists with fewer demo items are shown but not held to the
// ratios (tools/tokens_test.go's minDemoItems).
const heldItems = 10

func tokenFigures(t *testing.T) string {
	raw, err := os.ReadFile(filepath.Join(repo, "tools", "testdata", "token-baseline.json"))
	if err != nil {
		t.Fatal(err)
	}
	var base tokenBaseline
	if err := json.Unmarshal(raw, &base); err != nil {
		t.Fatal(err)
	}
	// Lists in catalogue order, the ones held to the ratios first.
	var held, shown []string
	for _, tl := range tools.All(tools.Deps{}) {
		f, ok := base.ListResults[tl.Def.Name]
		switch {
		case !ok:
		case f.Items >= heldItems:
			held = append(held, tl.Def.Name)
		default:
			shown = append(shown, tl.Def.Name)
		}
	}
	if len(held) == 0 {
		t.Fatal("token-baseline.json has no list held to the ratios")
	}
	var rows strings.Builder
	lo, hi := [2]float64{1e9, 1e9}, [2]float64{}
	var sum [2]float64
	for _, name := range append(held, shown...) {
		f := base.ListResults[name]
		label := "`" + name + "`"
		if f.Items < heldItems {
			label += fmt.Sprintf(" (%d demo items, not held to the ratio)", f.Items)
		} else {
			for i, r := range [2]float64{f.TextRatio, f.StructuredRatio} {
				lo[i], hi[i], sum[i] = min(lo[i], r), max(hi[i], r), sum[i]+r
			}
		}
		fmt.Fprintf(&rows, "| %s | %d | %s | %s | %.2fx | %s | %.2fx |\n", label, f.Items, commas(f.RawAPI),
			commas(f.Text), f.TextRatio, commas(f.Structured), f.StructuredRatio)
	}
	n := float64(len(held))
	var b strings.Builder
	b.WriteString("| figure | target | measured |\n|---|---|---|\n")
	fmt.Fprintf(&b, "| `tools/list`, default toolsets (%d tools), every hint explicit, o200k tokens | <= 8,500 total, <= 235 per tool | **%s** (%.1f per tool); every toolset (%d tools): %s; first release: 12,116 for 29 tools |\n",
		base.ToolsListN, commas(base.ToolsList), float64(base.ToolsList)/float64(base.ToolsListN), len(base.PerTool), commas(base.AllTools))
	fmt.Fprintf(&b, "| 25-item list, text and JSON of `structuredContent` vs the compact JSON of the raw API items (lists with %d+ demo items) | each form >= 2x fewer tokens per list, >= 2.5x on average; every key, name, status, money figure and date kept | text **%.2fx-%.2fx**, mean **%.2fx**; structured **%.2fx-%.2fx**, mean **%.2fx** (%d lists, below) |\n",
		heldItems, lo[0], hi[0], sum[0]/n, lo[1], hi[1], sum[1]/n, len(held))
	b.WriteString("\nEach list tool at `limit: 25` on the demo data (`go test ./tools -run TestTokenBudgets -v`), o200k tokens:\n\n")
	b.WriteString("| list tool | items | raw API JSON | text content | fewer | `structuredContent` JSON | fewer |\n|---|---|---|---|---|---|---|\n")
	b.WriteString(rows.String())
	return b.String()
}

var tokensSection = regexp.MustCompile(`(?s)(<!-- tokens:begin[^>]*-->\n).*?(<!-- tokens:end -->)`)

func TestReadmeTokenFigures(t *testing.T) {
	path := filepath.Join(repo, "README.md")
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !tokensSection.Match(raw) {
		t.Fatal("README.md has no tokens:begin/tokens:end markers")
	}
	want := tokensSection.ReplaceAll(raw, []byte("${1}"+strings.ReplaceAll(tokenFigures(t), "$", "$$")+"${2}"))
	if golden.Update() {
		if err := os.WriteFile(path, want, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	if string(want) != string(raw) {
		t.Fatal("README.md token figures are out of date; run: UPDATE_GOLDEN=1 go test ./tools -run TestTokenBudgets && UPDATE_GOLDEN=1 go test ./e2e -run TestReadmeTokenFigures")
	}
}

// commas writes n with thousands separators.
func commas(n int) string {
	s := fmt.Sprint(n)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}
