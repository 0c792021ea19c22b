package tools

import (
	"encoding/json"
	"regexp"
	"slices"
	"testing"

	"github.com/mark3labs/mcp-go/mcp"
)

// TestEveryHintIsExplicit reads a tools/list result as raw JSON, the bytes a
// client gets: on every tool, annotations hold all four hints as JSON
// booleans (never absent, never left to the spec's defaults) and the title.
func TestEveryHintIsExplicit(t *testing.T) {
	var defs []mcp.Tool
	for _, tl := range ShareShapes(All(Deps{})) {
		defs = append(defs, tl.Def)
	}
	raw, err := json.Marshal(mcp.ListToolsResult{Tools: defs})
	if err != nil {
		t.Fatal(err)
	}
	var list struct {
		Tools []map[string]any `json:"tools"`
	}
	if err := json.Unmarshal(raw, &list); err != nil {
		t.Fatal(err)
	}
	if len(list.Tools) != len(defs) || len(defs) == 0 {
		t.Fatalf("%d tools in the JSON for %d definitions", len(list.Tools), len(defs))
	}
	for _, tool := range list.Tools {
		name, _ := tool["name"].(string)
		ann, ok := tool["annotations"].(map[string]any)
		if !ok {
			t.Errorf("%s: no annotations object", name)
			continue
		}
		for _, hint := range []string{"readOnlyHint", "destructiveHint", "idempotentHint", "openWorldHint"} {
			if _, isBool := ann[hint].(bool); !isBool {
				t.Errorf("%s: %s is %#v, want an explicit true or false", name, hint, ann[hint])
			}
		}
		title, _ := ann["title"].(string)
		if title == "" || title != tool["title"] {
			t.Errorf("%s: annotations.title %q, want the tool's title %q", name, title, tool["title"])
		}
		if len(ann) != 5 {
			t.Errorf("%s: annotations %v hold more than the title and four hints", name, ann)
		}
	}
}

// TestHintsFollowTheRule pins what each tool's hints mean, by name, so a new
// tool or a changed preset cannot quietly weaken them: money movers, removals,
// overwrites and webhooks are destructive, and only pure creates are not.
func TestHintsFollowTheRule(t *testing.T) {
	moneyMovers := []string{"record_transaction", "create_reward", "record_action"}
	for _, tl := range All(Deps{}) {
		name := tl.Def.Name
		a := tl.Def.Annotations
		readOnlyHint, destructive, idempotent, openWorld := *a.ReadOnlyHint, *a.DestructiveHint, *a.IdempotentHint, *a.OpenWorldHint
		t.Run(name, func(t *testing.T) {
			if !openWorld {
				t.Error("every tool reaches PartnerStack, so it is open-world")
			}
			isRead := isReadName(name)
			if readOnlyHint != isRead {
				t.Errorf("readOnlyHint=%v but the name says read=%v", readOnlyHint, isRead)
			}
			var wantDestructive, wantIdempotent bool
			switch {
			case isRead:
				wantDestructive, wantIdempotent = false, true
			case slices.Contains(moneyMovers, name):
				// record_action counts too: any action can match a reward
				// trigger, and the server cannot know the account's rules.
				wantDestructive, wantIdempotent = true, false
			case regexp.MustCompile(`^(archive|delete)_`).MatchString(name):
				wantDestructive, wantIdempotent = true, true
			case regexp.MustCompile(`^update_`).MatchString(name):
				wantDestructive, wantIdempotent = true, true // overwrites values
			case name == "decide_application":
				wantDestructive, wantIdempotent = true, true // a decline is final; the same decision again changes nothing
			case name == "start_report_export":
				wantDestructive, wantIdempotent = false, false // adds one export; changes no program data
			case regexp.MustCompile(`^convert_`).MatchString(name):
				wantDestructive, wantIdempotent = true, false // a customer is made and the deal or lead changed; again is not a no-op
			case name == "tag_partnership", name == "move_partnerships":
				wantDestructive, wantIdempotent = true, true // tags removed or a group overwritten; the same call again changes nothing
			case name == "create_webhook":
				wantDestructive, wantIdempotent = true, false // program data leaves for an outside URL
			case regexp.MustCompile(`^create_`).MatchString(name):
				wantDestructive, wantIdempotent = false, false // purely additive
			default:
				t.Fatalf("no rule covers %s; add it here and in hints.go", name)
			}
			if destructive != wantDestructive || idempotent != wantIdempotent {
				t.Errorf("destructiveHint=%v idempotentHint=%v, want %v %v", destructive, idempotent, wantDestructive, wantIdempotent)
			}
		})
	}
}
