package tools

import "encoding/json"

// The result budget (Deps.ResultBudget) bounds every form of a list result:
// its structuredContent (the JSON of the items plus the fields around
// them) and its text content (the table of render.go). The table can be the
// larger by far: its columns are the union of every item's flattened
// fields, so items whose metadata keys all differ make every row carry
// every other item's columns as empty cells. gather asks a resultMeter,
// item by item, whether the next one still fits both forms.

// resultReserve is kept free of items for what surrounds them: the count,
// has_more and next_cursor line or fields (a cursor is at most 255 bytes,
// escaped at most twice that) and a note; a quarter of small budgets.
const resultReserve = 1024

// resultMeter sizes a list result as items are added.
type resultMeter struct {
	budget int

	jsonBytes int // the items' JSON, with a separator each

	// The text table: column names and their header separators, one row
	// per item with a separator between cells, and the cells' text.
	cols                       map[string]bool
	colBytes, rows, valueBytes int
}

func newResultMeter(budget int) *resultMeter {
	return &resultMeter{budget: budget - min(resultReserve, budget/4), cols: map[string]bool{}}
}

// add counts item (its JSON encoding) in and reports whether the result
// still fits the budget with it; when it does not, nothing was counted,
// unless force is set (the first item is always returned, so a walk moves on).
func (m *resultMeter) add(item json.RawMessage, force bool) bool {
	var cells []cell
	flatten(item, "", &cells)
	newCols, colBytes, valueBytes := 0, 0, 0
	seen := map[string]bool{}
	for _, c := range cells {
		valueBytes += len(c.value)
		if !m.cols[c.name] && !seen[c.name] {
			seen[c.name] = true
			newCols++
			colBytes += len(c.name) + 1 // the name and its separator (or the line's end)
		}
	}
	cols := len(m.cols) + newCols
	rows := m.rows + 1
	// Each row has cols-1 separators and a line break: cols bytes.
	text := m.colBytes + colBytes + rows*cols + m.valueBytes + valueBytes
	js := m.jsonBytes + len(item) + 1
	if !force && (text > m.budget || js > m.budget) {
		return false
	}
	for name := range seen {
		m.cols[name] = true
	}
	m.colBytes += colBytes
	m.rows, m.valueBytes, m.jsonBytes = rows, m.valueBytes+valueBytes, js
	return true
}
