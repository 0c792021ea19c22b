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

// toolTable renders the catalogue as the README's tool list.
func toolTable() string {
	var b strings.Builder
	byToolset := map[tools.ToolsetID][]tools.Tool{}
	for _, t := range tools.All(tools.Deps{}) {
		byToolset[t.Toolset] = append(byToolset[t.Toolset], t)
	}
	b.WriteString("| toolset | tool | access | what it does |\n|---|---|---|---|\n")
	for _, ts := range tools.Toolsets {
		for _, t := range byToolset[ts.ID] {
			access := "write"
			if t.ReadOnly() {
				access = "read"
			}
			set := string(ts.ID)
			if !ts.Default {
				set += " (opt-in)"
			}
			fmt.Fprintf(&b, "| %s | `%s` | %s | %s |\n", set, t.Def.Name, access, t.Def.Description)
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
