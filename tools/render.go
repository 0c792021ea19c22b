package tools

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
)

// Text rendering of results. structuredContent always carries the JSON
// objects; the text content is what text-only clients hand to the model, so
// list results get a compact table there instead of repeating every field
// name in every item:
//
//	count=3; has_more=true; next_cursor=part_x
//	key|name|group.key|group.name|tags
//	part_a|Ruby Brennan|grup_b|Resellers|newsletter,apac
//
// Nested objects become dotted columns, arrays of scalars are joined with
// commas (a comma inside an element is \,), a value absent from an item is
// an empty cell, and `|`, `\` and line breaks inside values are escaped as
// \|, \\ and \n. Other results keep their compact JSON as text.

// textRenderer is implemented by results that have a compact text form.
type textRenderer interface {
	renderText(itemsJSON []json.RawMessage) string
}

// resultText is the text content for res, whose JSON encoding is js.
func resultText(res any, js []byte) string {
	r, ok := res.(textRenderer)
	if !ok {
		return string(js)
	}
	var items struct {
		Items []json.RawMessage `json:"items"`
	}
	if json.Unmarshal(js, &items) != nil {
		return string(js)
	}
	return r.renderText(items.Items)
}

func (r ListResult[T]) renderText(items []json.RawMessage) string {
	var b strings.Builder
	fmt.Fprintf(&b, "count=%d; has_more=%t", r.Count, r.HasMore)
	if r.NextCursor != "" {
		b.WriteString("; next_cursor=" + escapeCell(r.NextCursor))
	}
	b.WriteByte('\n')
	if r.Note != "" {
		b.WriteString(strings.ReplaceAll(r.Note, "\n", " ") + "\n")
	}
	writeTable(&b, items)
	return strings.TrimSuffix(b.String(), "\n")
}

// cell is one flattened field of an item.
type cell struct{ name, value string }

// writeTable writes a header row (the union of the items' flattened field
// names, in first-seen order) and one row per item.
func writeTable(b *strings.Builder, items []json.RawMessage) {
	if len(items) == 0 {
		return
	}
	rows := make([]map[string]string, len(items))
	var cols []string
	for i, raw := range items {
		var cells []cell
		flatten(raw, "", &cells)
		rows[i] = make(map[string]string, len(cells))
		prev := -1
		for _, c := range cells {
			rows[i][c.name] = c.value
			at := slices.Index(cols, c.name)
			if at < 0 { // a field new to the table goes after its predecessor in this item
				at = prev + 1
				cols = slices.Insert(cols, at, c.name)
			}
			prev = at
		}
	}
	b.WriteString(strings.Join(cols, "|"))
	b.WriteByte('\n')
	for _, row := range rows {
		for j, c := range cols {
			if j > 0 {
				b.WriteByte('|')
			}
			b.WriteString(row[c])
		}
		b.WriteByte('\n')
	}
}

// flatten appends the scalar leaves of a JSON value, objects flattened into
// dotted names. Field order is the encoding's order.
func flatten(raw json.RawMessage, prefix string, out *[]cell) {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 {
		return
	}
	switch raw[0] {
	case '{':
		dec := json.NewDecoder(bytes.NewReader(raw))
		if _, err := dec.Token(); err != nil {
			return
		}
		for dec.More() {
			tok, err := dec.Token()
			if err != nil {
				return
			}
			var v json.RawMessage
			if err := dec.Decode(&v); err != nil {
				return
			}
			name, _ := tok.(string)
			if prefix != "" {
				name = prefix + "." + name
			}
			flatten(v, name, out)
		}
	case '[':
		var elems []json.RawMessage
		if json.Unmarshal(raw, &elems) != nil {
			return
		}
		parts := make([]string, 0, len(elems))
		for _, e := range elems {
			e = bytes.TrimSpace(e)
			if len(e) > 0 && (e[0] == '{' || e[0] == '[') {
				// Arrays of objects are rare in items (custom fields under
				// extra): keep them as compact JSON in one cell.
				*out = append(*out, cell{prefix, escapeCell(string(raw))})
				return
			}
			parts = append(parts, strings.ReplaceAll(scalar(e), ",", `\,`))
		}
		if len(parts) > 0 {
			*out = append(*out, cell{prefix, strings.Join(parts, ",")})
		}
	default:
		if v := scalar(raw); v != "" {
			*out = append(*out, cell{prefix, v})
		}
	}
}

// scalar renders a JSON string, number, bool or null as a cell ("" for null).
func scalar(raw json.RawMessage) string {
	if len(raw) > 0 && raw[0] == '"' {
		var s string
		if json.Unmarshal(raw, &s) == nil {
			return escapeCell(s)
		}
	}
	if string(raw) == "null" {
		return ""
	}
	return string(raw)
}

var cellEscaper = strings.NewReplacer(`\`, `\\`, "|", `\|`, "\n", `\n`, "\r", `\r`)

func escapeCell(s string) string { return cellEscaper.Replace(s) }
