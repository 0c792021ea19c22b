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
