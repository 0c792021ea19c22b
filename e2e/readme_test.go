package e2e_test

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/partnerstack-mcp/partnerstack-mcp/tools"

	"github.com/partnerstack-mcp/partnerstack-mcp/internal/golden"
)

// toolTable renders the catalogue as the README's tool list, with each
// tool's four MCP hints exactly as tools/list sends them (tools/hints.go has
// the rule).
func toolTable() string {
	var b strings.Builder
	byToolset := map[tools.ToolsetID][]tools.Tool{}
	for _, t := range tools.All(tools.Deps{}) {
		byToolset[t.Toolset] = append(byToolset[t.Toolset], t)
	}
	yes := func(p *bool) string {
		switch {
		case p == nil:
			return "unset"
		case *p:
			return "yes"
		}
		return "no"
	}
	b.WriteString("| toolset | tool | read-only | destructive | idempotent | open-world | what it does |\n|---|---|---|---|---|---|---|\n")
	for _, ts := range tools.Toolsets {
		for _, t := range byToolset[ts.ID] {
			set := string(ts.ID)
			if !ts.Default {
				set += " (opt-in)"
			}
			a := t.Def.Annotations
			fmt.Fprintf(&b, "| %s | `%s` | %s | %s | %s | %s | %s |\n", set, t.Def.Name,
				yes(a.ReadOnlyHint), yes(a.DestructiveHint), yes(a.IdempotentHint), yes(a.OpenWorldHint), t.Def.Description)
		}
	}
	return b.String()
}

var toolsSection = regexp.MustCompile(`(?s)(<!-- tools:begin[^>]*-->\n).*?(<!-- tools:end -->)`)

func TestReadmeToolList(t *testing.T) {
	raw, err := os.ReadFile(filepath.Join(repo, "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	if !toolsSection.Match(raw) {
		t.Fatal("README.md has no tools:begin/tools:end markers")
	}
	want := toolsSection.ReplaceAll(raw, []byte("${1}"+strings.ReplaceAll(toolTable(), "$", "$$")+"${2}"))
	if golden.Update() {
		if err := os.WriteFile(filepath.Join(repo, "README.md"), want, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	if string(want) != string(raw) {
		t.Fatal("README.md tool list is out of date; run: UPDATE_GOLDEN=1 go test ./e2e -run TestReadmeToolList")
	}
}

// evidenceTable renders the rule table of tools/evidence.go: what the tools
// rely on, whether a primary source documents it, and how the answer stays
// right when the API ignores it.
func evidenceTable() string {
	var b strings.Builder
	b.WriteString("| resource | kind | name | documented | source | what the server does |\n|---|---|---|---|---|---|\n")
	for _, r := range tools.Evidence() {
		doc := "no"
		if r.Documented {
			doc = "yes"
		}
		fmt.Fprintf(&b, "| %s | %s | `%s` | %s | %s | %s |\n", r.Resource, r.Kind, r.Name, doc, r.Source, r.Handling)
	}
	return b.String()
}

var evidenceSection = regexp.MustCompile(`(?s)(<!-- evidence:begin[^>]*-->\n).*?(<!-- evidence:end -->)`)

func TestReadmeEvidenceTable(t *testing.T) {
	raw, err := os.ReadFile(filepath.Join(repo, "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	if !evidenceSection.Match(raw) {
		t.Fatal("README.md has no evidence:begin/evidence:end markers")
	}
	want := evidenceSection.ReplaceAll(raw, []byte("${1}"+strings.ReplaceAll(evidenceTable(), "$", "$$")+"${2}"))
	if golden.Update() {
		if err := os.WriteFile(filepath.Join(repo, "README.md"), want, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	if string(want) != string(raw) {
		t.Fatal("README.md evidence table is out of date; run: UPDATE_GOLDEN=1 go test ./e2e -run TestReadmeEvidenceTable")
	}
}

// optInTable renders what each opt-in toolset adds to the default
// tools/list, from the token baseline the tools package's TestTokenBudgets
// writes and checks.
func optInTable(t *testing.T) string {
	raw, err := os.ReadFile(filepath.Join(repo, "tools", "testdata", "token-baseline.json"))
	if err != nil {
		t.Fatal(err)
	}
	var base struct {
		ToolsList int            `json:"tools_list"`
		AllTools  int            `json:"tools_list_all"`
		OptIn     map[string]int `json:"opt_in"`
	}
	if err := json.Unmarshal(raw, &base); err != nil {
		t.Fatal(err)
	}
	byToolset := map[tools.ToolsetID][]string{}
	for _, tl := range tools.All(tools.Deps{}) {
		byToolset[tl.Toolset] = append(byToolset[tl.Toolset], "`"+tl.Def.Name+"`")
	}
	var b strings.Builder
	b.WriteString("| opt-in toolset | tools | tokens added |\n|---|---|---|\n")
	for _, ts := range tools.Toolsets {
		if ts.Default {
			continue
		}
		n, ok := base.OptIn[string(ts.ID)]
		if !ok {
			t.Fatalf("token-baseline.json has no opt_in figure for %s; run: UPDATE_GOLDEN=1 go test ./tools -run TestTokenBudgets", ts.ID)
		}
		fmt.Fprintf(&b, "| `%s` | %s | %s |\n", ts.ID, strings.Join(byToolset[ts.ID], ", "), thousands(n))
	}
	fmt.Fprintf(&b, "\nThe default tools/list is %s tokens, %s with `--toolsets all` (o200k_base; `tools/testdata/token-baseline.json`, from `go test ./tools -run TestTokenBudgets -v`).\n",
		thousands(base.ToolsList), thousands(base.AllTools))
	return b.String()
}

func thousands(n int) string {
	s := strconv.Itoa(n)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}

var optInSection = regexp.MustCompile(`(?s)(<!-- optin:begin[^>]*-->\n).*?(<!-- optin:end -->)`)

func TestReadmeOptInCosts(t *testing.T) {
	raw, err := os.ReadFile(filepath.Join(repo, "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	if !optInSection.Match(raw) {
		t.Fatal("README.md has no optin:begin/optin:end markers")
	}
	want := optInSection.ReplaceAll(raw, []byte("${1}"+strings.ReplaceAll(optInTable(t), "$", "$$")+"${2}"))
	if golden.Update() {
		if err := os.WriteFile(filepath.Join(repo, "README.md"), want, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	if string(want) != string(raw) {
		t.Fatal("README.md opt-in toolset costs are out of date; run: UPDATE_GOLDEN=1 go test ./e2e -run TestReadmeOptInCosts")
	}
}
