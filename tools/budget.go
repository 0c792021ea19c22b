package tools

import "encoding/json"

// The result budget (Deps.ResultBudget) bounds every form of a list result:
// its structuredContent and its text content, both the one table of
// table.go. A table can be far larger than its items: its columns are the
// union of every item's flattened fields, and every row has a cell in every
// column (null, or an empty text cell), so items whose metadata keys all
// differ make each row carry every other item's columns. gather asks a
// resultMeter, item by item, whether the next one still fits both forms.

// resultReserve is kept free of items for what surrounds them: the count,
// has_more and next_cursor line or fields (a cursor is at most 255 bytes,
// escaped at most twice that) and a note; a quarter of small budgets.
const resultReserve = 1024

// resultMeter sizes a list result's table as items are added, exactly as
// tableOf, listTable.text and json.Marshal lay it out.
type resultMeter struct {
	budget int

	cols       map[string]bool
	nameText   int // Σ len(name): the text header
	nameJSON   int // Σ len("name") + 1 (a comma): the columns array
	rows       int
	present    int // cells holding a value
	valueText  int // Σ text of those cells
	valueJSON  int // Σ JSON of those cells
	textBytes  int // the last sizes computed, for tests
	tableBytes int
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
	next := *m
	fresh := map[string]bool{}
	for _, c := range cells {
		v := dayCell(c.name, c.value)
		next.present++
		next.valueJSON += len(v)
		next.valueText += len(textCell(v))
		if !m.cols[c.name] && !fresh[c.name] {
			fresh[c.name] = true
			quoted, _ := json.Marshal(c.name)
			next.nameText += len(c.name)
			next.nameJSON += len(quoted) + 1
		}
	}
	next.rows++
	cols := len(m.cols) + len(fresh)
	// Text: the header (names, cols-1 separators, a line break), then per
	// row cols-1 separators and a line break.
	next.textBytes = next.nameText + cols + next.rows*cols + next.valueText
	// JSON: "columns":[...] (names with a comma between) and
	// "rows":[[...],...]: per row brackets and cols-1 commas, a comma
	// between rows, and "null" in every empty cell.
	next.tableBytes = len(`"columns":[],"rows":[]`) + next.nameJSON - 1 + next.rows*(cols+2) - 1 +
		next.valueJSON + 4*(next.rows*cols-next.present)
	if !force && (next.textBytes > m.budget || next.tableBytes > m.budget) {
		return false
	}
	next.cols = m.cols
	for name := range fresh {
		next.cols[name] = true
	}
	*m = next
	return true
}
