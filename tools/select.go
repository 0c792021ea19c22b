package tools

import (
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
)

// Selection says which tools a server offers: the --toolsets, --tools,
// --exclude-tools and --read-only settings.
type Selection struct {
	Toolsets     []ToolsetID // enabled toolsets, ToolsetDefault or ToolsetAll; empty means the default ones (unless Tools is set)
	Tools        []string    // individual tools, added to the toolsets
	ExcludeTools []string    // removed last: exclusion wins
	ReadOnly     bool        // offer no tool that writes
}

// Select applies sel to the full catalogue, keeping its order. It fails on
// unknown names, so a typo stops start-up instead of silently hiding tools,
// and on a selection that leaves no tool.
func Select(all []Tool, sel Selection) ([]Tool, error) {
	known := map[string]bool{}
	for _, t := range all {
		known[t.Def.Name] = true
	}
	toolsets := map[string]bool{string(ToolsetDefault): true, string(ToolsetAll): true}
	for _, ts := range Toolsets {
		toolsets[string(ts.ID)] = true
	}
	var setNames []string
	for _, ts := range sel.Toolsets {
		setNames = append(setNames, string(ts))
	}
	if err := unknown("toolset", setNames, toolsets); err != nil {
		return nil, err
	}
	if err := unknown("tool", sel.Tools, known); err != nil {
		return nil, err
	}
	if err := unknown("tool", sel.ExcludeTools, known); err != nil {
		return nil, err
	}
	sets := slices.Clone(sel.Toolsets)
	if (len(sets) == 0 && len(sel.Tools) == 0) || slices.Contains(sets, ToolsetDefault) {
		sets = append(sets, DefaultToolsets()...)
	}
	allSets := slices.Contains(sets, ToolsetAll)
	var out []Tool
	for _, t := range all {
		// An opt-in tool needs its toolset named: default alone leaves it out.
		inSet := slices.Contains(sets, t.Toolset) && (!t.OptIn || slices.Contains(sel.Toolsets, t.Toolset))
		on := allSets || inSet || slices.Contains(sel.Tools, t.Def.Name)
		if !on || slices.Contains(sel.ExcludeTools, t.Def.Name) || (sel.ReadOnly && !t.ReadOnly()) {
			continue
		}
		out = append(out, t)
	}
	if len(out) == 0 {
		return nil, errors.New("the configuration enables no tools; check --toolsets, --tools, --exclude-tools and --read-only")
	}
	return out, nil
}

// unknown names the first of names that is not known, with the valid ones.
func unknown(what string, names []string, known map[string]bool) error {
	for _, n := range names {
		if !known[n] {
			valid := slices.Sorted(maps.Keys(known))
			return fmt.Errorf("unknown %s %q; valid: %s", what, n, strings.Join(valid, ", "))
		}
	}
	return nil
}
