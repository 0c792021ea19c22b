package tools

import (
	"encoding/json"

	"github.com/partnerstack-mcp/partnerstack-mcp/schemas"
)

// ShareShapes describes each object shape once in tools/list, where it first
// appears in catalogue order: the list table, a summary's coverage. A get,
// create or update tool returning a list's item refers to that list's
// columns, another list or summary with the same shape refers to the first,
// instead of repeating every field, and every dry-run preview (explained in
// the server instructions) is one line.
//
// It must run over the tools actually offered (after selection), so a
// reference never points at a tool that is not listed.
func ShareShapes(all []Tool) []Tool {
	var preview any
	pv, _ := previewSchemas()
	_ = json.Unmarshal(pv.Output, &preview)
	// A dry-run preview is a bare object: the server instructions say once
	// what dry_run returns, instead of every write tool's schema.
	refs := map[string]string{schemas.ShapeKey(preview): ""}
	names := make([]string, len(all))
	outs := make([]json.RawMessage, len(all))
	for i, t := range all {
		names[i], outs[i] = t.Def.Name, t.Def.RawOutputSchema
		if t.rowShape == nil {
			continue
		}
		// A list publishes its items as table rows (table.go), so a single
		// item elsewhere is described by the list's columns.
		var row any
		_ = json.Unmarshal(t.rowShape, &row)
		if key := schemas.ShapeKey(row); key != "" && refs[key] == "" {
			refs[key] = "Fields named by " + t.Def.Name + " columns."
		}
	}
	for i, out := range schemas.DescribeOnce(names, outs, refs) {
		all[i].Def.RawOutputSchema = out
	}
	return all
}
