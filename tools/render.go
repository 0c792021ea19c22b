package tools

import (
	"encoding/json"
	"fmt"
	"strings"
)

// The text form of a list result: the table of table.go as one line of
// counts, the note if any, a header row and one row per item, so a
// text-only host hands the model each field name once:
//
//	count=3; has_more=true; next_cursor=part_x
//	key|name|group.key|group.name|tags|created_at
//	part_a|Ruby Brennan|grup_b|Resellers|newsletter,apac|2026-04-30
//
// A null cell is empty, arrays of scalars are joined with commas (a comma
// inside an element is \,), an array holding objects (custom fields under
// extra) stays compact JSON, and `|`, `\` and line breaks inside values are
// escaped as \|, \\ and \n. Other results keep their compact JSON as text.

func (t listTable) text() string {
	var b strings.Builder
	fmt.Fprintf(&b, "count=%d; has_more=%t", t.Count, t.HasMore)
	if t.NextCursor != "" {
		b.WriteString("; next_cursor=" + escapeCell(t.NextCursor))
	}
	if t.Note != "" {
		b.WriteString("\n" + strings.ReplaceAll(t.Note, "\n", " "))
	}
	if len(t.Rows) == 0 {
		return b.String()
	}
	b.WriteString("\n" + strings.Join(t.Columns, "|"))
	for _, row := range t.Rows {
		b.WriteByte('\n')
		for j, v := range row {
			if j > 0 {
				b.WriteByte('|')
			}
			b.WriteString(textCell(v))
		}
	}
	return b.String()
}

// textCell renders one JSON cell as table text.
func textCell(v json.RawMessage) string {
	if len(v) > 0 && v[0] == '[' {
		var elems []json.RawMessage
		if json.Unmarshal(v, &elems) != nil {
			return escapeCell(string(v))
		}
		parts := make([]string, 0, len(elems))
		for _, e := range elems {
			if len(e) > 0 && (e[0] == '{' || e[0] == '[') {
				return escapeCell(string(v))
			}
			parts = append(parts, strings.ReplaceAll(scalar(e), ",", `\,`))
		}
		return strings.Join(parts, ",")
	}
	return scalar(v)
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
