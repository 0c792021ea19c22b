package tools

import (
	"crypto/sha256"
	"encoding/hex"
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
//
// The result for a set of tools follows from their names and schemas
// alone; for the usual selections it is generated into shapescache_gen.go
// (TestShapesCache keeps it true), because rewriting every output schema
// was a tenth of start-up.
func ShareShapes(all []Tool) []Tool {
	pv, _ := previewSchemas()
	if outs := sharedShapes(shapesKey(pv.Output, all)); len(outs) == len(all) {
		for i, out := range outs {
			all[i].Def.RawOutputSchema = json.RawMessage(out)
		}
		return all
	}
	return shareShapes(pv.Output, all)
}

// shapesKey fingerprints everything shareShapes reads.
func shapesKey(preview json.RawMessage, all []Tool) string {
	h := sha256.New()
	h.Write(preview)
	for _, t := range all {
		for _, part := range [][]byte{{0}, []byte(t.Def.Name), {0}, t.Def.RawOutputSchema, {0}, t.rowShape} {
			h.Write(part)
		}
	}
	return hex.EncodeToString(h.Sum(nil)[:12])
}

func shareShapes(previewOutput json.RawMessage, all []Tool) []Tool {
	var preview any
	_ = json.Unmarshal(previewOutput, &preview)
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
