package tools

import (
	"encoding/json"

	"github.com/partnerstack-mcp/partnerstack-mcp/schemas"
)

// ShareShapes describes each object shape once in tools/list, where it first
// appears in catalogue order: a list tool's items, a summary's coverage. A
// get, create or update tool returning the same item, or another summary
// with the same coverage, refers to it instead of repeating every field, and
// every dry-run preview (explained in the server instructions) is one line.
//
// It must run over the tools actually offered (after selection), so a
// reference never points at a tool that is not listed.
func ShareShapes(all []Tool) []Tool {
	var preview any
	_ = json.Unmarshal(schemas.ReflectOutput[Preview](), &preview)
	refs := map[string]string{schemas.ShapeKey(preview): "The request a dry run would send."}
	names := make([]string, len(all))
	outs := make([]json.RawMessage, len(all))
	for i, t := range all {
		names[i], outs[i] = t.Def.Name, t.Def.RawOutputSchema
	}
	for i, out := range schemas.DescribeOnce(names, outs, refs) {
		all[i].Def.RawOutputSchema = out
	}
	return all
}
