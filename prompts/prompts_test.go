package prompts

import (
	"regexp"
	"strings"
	"testing"

	"github.com/partnerstack-mcp/partnerstack-mcp/tools"
)

// Every tool a prompt tells the model to call exists, so a renamed tool
// cannot leave a prompt pointing at nothing.
func TestPromptsNameOnlyRealTools(t *testing.T) {
	known := map[string]bool{}
	for _, tl := range tools.All(tools.Deps{}) {
		known[tl.Def.Name] = true
	}
	toolName := regexp.MustCompile(`\b(?:list|get|create|update|archive|delete|record|decide|summarize)_[a-z_]+|\b[a-z]+_(?:summary|leaderboard)\b`)
	for _, tpl := range catalogue {
		names := toolName.FindAllString(tpl.text, -1)
		if len(names) == 0 {
			t.Errorf("%s names no tool", tpl.name)
		}
		for _, n := range names {
			if !known[n] {
				t.Errorf("%s names %s, which is not a tool", tpl.name, n)
			}
		}
	}
}

// A prompt that leads to writes says to preview and confirm them.
func TestPromptsConfirmBeforeWriting(t *testing.T) {
	for _, tpl := range catalogue {
		if !strings.Contains(tpl.text, "confirm") || !strings.Contains(tpl.text, "dry_run true") {
			t.Errorf("%s does not say to confirm with the user and preview with dry_run", tpl.name)
		}
	}
}

func TestRenderFillsAndDropsOptionalBlocks(t *testing.T) {
	tpl := catalogue[0]
	with, err := tpl.render(map[string]string{"group_key": "grup_X"})
	if err != nil || !strings.Contains(with, `group_key "grup_X"`) || strings.Contains(with, "[[") {
		t.Fatalf("with group: %v %q", err, with)
	}
	without, err := tpl.render(nil)
	if err != nil || strings.Contains(without, "group_key \"") || strings.Contains(without, "{group_key}") {
		t.Fatalf("without group: %v %q", err, without)
	}
}
