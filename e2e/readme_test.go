package e2e_test

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
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
			if !ts.Default || t.OptIn {
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
