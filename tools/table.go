package tools

import (
	"bytes"
	"encoding/json"
	"reflect"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/invopop/jsonschema"

	"github.com/partnerstack-mcp/partnerstack-mcp/schemas"
)

// The shape of a list result, in both forms a host may hand the model.
// Claude Code, Codex and opencode give it the JSON of structuredContent;
// claude.ai, ChatGPT and the OpenAI Agents SDK give it the text content. So
// both carry one table, built here once: structuredContent holds it as
// columns plus rows (a list of objects would repeat every field name in every
// item, and names are most of a lean item's tokens), and the text content is
// the same cells as a |-separated table (render.go):
//
//	{"count":2,"has_more":true,"next_cursor":"part_b",
//	 "columns":["key","name","group.key","tags","created_at"],
//	 "rows":[["part_a","Ruby Brennan","grup_x",["apac"],"2026-04-30"],
//	         ["part_b","Nora Patel",null,null,"2026-04-29"]]}
//
// Columns are the union of the items' fields in first-seen order; nested
// objects become dotted columns (group.key), an array stays one cell, and a
// field an item lacks is null. A time column (a name ending in _at) holds the
// UTC day: list rows are for scanning and picking, the day is what people
// ask lists about, and it costs 6 tokens where the full RFC 3339 time costs
// 13. Single-item results (get, create, update) keep the full time.

// listTable is a list result as it is published.
type listTable struct {
	Count      int        `json:"count"`
	HasMore    bool       `json:"has_more"`
	NextCursor string     `json:"next_cursor,omitempty"`
	Note       string     `json:"note,omitempty"`
	Columns    []string   `json:"columns"`
	Rows       []tableRow `json:"rows"`
}

// tableRow is one item's cells in column order: JSON strings, numbers,
// booleans, arrays, or null where the item has no such field.
type tableRow []json.RawMessage

// JSONSchema keeps the cells untyped in the published schema without the
// boolean schema (`"items": true`) that strict schema linters reject.
func (tableRow) JSONSchema() *jsonschema.Schema {
	return &jsonschema.Schema{Type: "array"}
}

// tabular is implemented by ListResult: results published as a table.
type tabular interface {
	outputSchema() json.RawMessage // the table's schema (tableSchema)
	rowShape() json.RawMessage     // the schema of one item, for ShareShapes
}

func (ListResult[T]) outputSchema() json.RawMessage { return tableSchema(reflect.TypeFor[T]()) }
func (ListResult[T]) rowShape() json.RawMessage     { return schemas.ReflectOutput[T]() }

// outputSchemaOf is the published output schema of a tool answering R, and
// for a list tool the shape of its items.
func outputSchemaOf[R any]() (out, rowShape json.RawMessage) {
	if t, ok := any(*new(R)).(tabular); ok {
		return t.outputSchema(), t.rowShape()
	}
	return schemas.ReflectOutput[R](), nil
}

// publish gives a result's two forms from its JSON encoding js (cleaned of
// invisible characters): structuredContent, and the text content, which is
// the compact JSON itself except for lists (a table, render.go).
func publish(res any, js []byte) (structured []byte, text string, err error) {
	if _, ok := res.(tabular); !ok {
		return js, string(js), nil
	}
	t, err := tableOf(js)
	if err != nil {
		return nil, "", err
	}
	if structured, err = json.Marshal(t); err != nil {
		return nil, "", err
	}
	return structured, t.text(), nil
}

// tableOf builds the table of a list result from its JSON encoding (already
// cleaned of invisible characters).
func tableOf(js []byte) (listTable, error) {
	var res struct {
		Count      int               `json:"count"`
		HasMore    bool              `json:"has_more"`
		NextCursor string            `json:"next_cursor"`
		Note       string            `json:"note"`
		Items      []json.RawMessage `json:"items"`
	}
	if err := json.Unmarshal(js, &res); err != nil {
		return listTable{}, err
	}
	t := listTable{Count: res.Count, HasMore: res.HasMore, NextCursor: res.NextCursor, Note: res.Note,
		Columns: []string{}, Rows: []tableRow{}}
	fields := make([]map[string]json.RawMessage, len(res.Items))
	for i, raw := range res.Items {
		var cells []cell
		flatten(raw, "", &cells)
		fields[i] = make(map[string]json.RawMessage, len(cells))
		prev := -1
		for _, c := range cells {
			fields[i][c.name] = dayCell(c.name, c.value)
			at := slices.Index(t.Columns, c.name)
			if at < 0 { // a field new to the table goes after its predecessor in this item
				at = prev + 1
				t.Columns = slices.Insert(t.Columns, at, c.name)
			}
			prev = at
		}
	}
	for _, f := range fields {
		row := make(tableRow, len(t.Columns))
		for j, name := range t.Columns {
			if v, ok := f[name]; ok {
				row[j] = v
			} else {
				row[j] = json.RawMessage("null")
			}
		}
		t.Rows = append(t.Rows, row)
	}
	return t, nil
}

// cell is one flattened field of an item: a dotted name and a JSON scalar or
// array.
type cell struct {
	name  string
	value json.RawMessage
}

// flatten appends the leaves of a JSON value, objects flattened into dotted
// names, in the encoding's field order. Arrays are leaves. JSON null and
// empty arrays are left out, like the omitempty fields they stand for.
func flatten(raw json.RawMessage, prefix string, out *[]cell) {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || string(raw) == "null" || string(raw) == "[]" {
		return
	}
	if raw[0] != '{' {
		*out = append(*out, cell{prefix, raw})
		return
	}
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
}

// dayCell turns an RFC 3339 time in a column named *_at into its UTC day;
// any other cell (raw API extras hold epoch numbers) is kept as it is.
func dayCell(column string, v json.RawMessage) json.RawMessage {
	if !strings.HasSuffix(column, "_at") || len(v) == 0 || v[0] != '"' {
		return v
	}
	var s string
	if json.Unmarshal(v, &s) != nil {
		return v
	}
	at, err := time.Parse(time.RFC3339, s)
	if err != nil {
		return v
	}
	day, _ := json.Marshal(at.UTC().Format(time.DateOnly))
	return day
}

// tableSchema is the output schema of a list tool whose items are T: the
// table's shape, with the columns T can produce in its description. The
// shape is the same for every list tool, so ShareShapes spells it out once.
func tableSchema(t reflect.Type) json.RawMessage {
	var doc map[string]any
	if err := json.Unmarshal(tableShape(), &doc); err != nil {
		panic(err)
	}
	doc["description"] = "Columns: " + strings.Join(columnNames(t, ""), ", ") + "."
	rows := doc["properties"].(map[string]any)["rows"].(map[string]any)
	rows["description"] = "One per item: cells in column order, null if absent. Dotted columns are nested fields, * any name, [] a list."
	raw, err := json.Marshal(doc)
	if err != nil {
		panic(err)
	}
	return raw
}

// tableShape is the reflected schema of listTable, the same for every list.
var tableShape = sync.OnceValue(schemas.ReflectOutput[listTable])

// columnNames lists the columns a struct type can produce, in field order.
func columnNames(t reflect.Type, prefix string) []string {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	var out []string
	for i := range t.NumField() {
		f := t.Field(i)
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if !f.IsExported() || name == "-" || name == "" {
			continue
		}
		name = prefix + name
		ft := f.Type
		for ft.Kind() == reflect.Pointer {
			ft = ft.Elem()
		}
		switch ft.Kind() {
		case reflect.Struct:
			out = append(out, columnNames(ft, name+".")...)
		case reflect.Map:
			out = append(out, name+".*")
		case reflect.Slice:
			out = append(out, name+"[]")
		default:
			out = append(out, name)
		}
	}
	return out
}
