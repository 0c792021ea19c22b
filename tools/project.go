package tools

import (
	"bytes"
	"encoding/json"
	"slices"
	"strings"
	"time"
)

// Trimming helpers: every item a tool returns is a slim projection of the API
// object (keys, names, emails, status, money with currency, ISO dates; nested
// objects reduced to key+name); empty values are dropped by omitempty tags.

// isoTime renders epoch milliseconds as RFC 3339 UTC; 0 becomes "".
func isoTime(ms int64) string {
	if ms == 0 {
		return ""
	}
	return time.UnixMilli(ms).UTC().Format(time.RFC3339)
}

func isoTimePtr(ms *int64) string {
	if ms == nil {
		return ""
	}
	return isoTime(*ms)
}

// str dereferences an optional API string.
func str(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}

func fullName(first, last *string) string {
	return strings.TrimSpace(str(first) + " " + str(last))
}

// parseTime reads an ISO-8601 date ("2026-03-01") or date-time into epoch ms.
// A bare date used as an upper bound means the end of that day.
func parseTime(field, v string, endOfDay bool) (int64, error) {
	if v == "" {
		return 0, nil
	}
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04:05", "2006-01-02"} {
		t, err := time.Parse(layout, v)
		if err != nil {
			continue
		}
		if layout == "2006-01-02" && endOfDay {
			t = t.Add(24*time.Hour - time.Millisecond)
		}
		return t.UnixMilli(), nil
	}
	return 0, argErr(field, "'"+v+"' is not an ISO-8601 date", "use 2026-03-01 or 2026-03-01T12:00:00Z")
}

// extras picks the requested raw API fields of obj for the `fields` argument:
// each field's value as encoding/json renders obj, decoded into an any
// (numbers as float64); absent and null fields are left out.
func extras(obj any, fields []string) map[string]any {
	if len(fields) == 0 {
		return nil
	}
	raw, err := json.Marshal(obj)
	if err != nil {
		return nil
	}
	// Only the requested members are decoded: decoding the whole object into
	// a map took 3x the time and allocations (BenchmarkExtras).
	var out map[string]any
	eachMember(raw, func(key, value []byte) {
		name := key[1 : len(key)-1]
		if bytes.IndexByte(name, '\\') >= 0 { // an escaped key, never seen in practice
			var s string
			if json.Unmarshal(key, &s) != nil {
				return
			}
			name = []byte(s)
		}
		i := slices.IndexFunc(fields, func(f string) bool { return f == string(name) })
		if i < 0 {
			return
		}
		var v any
		if json.Unmarshal(value, &v) != nil || v == nil {
			delete(out, fields[i]) // a repeated key: the last one counts
			return
		}
		if out == nil {
			out = make(map[string]any, len(fields))
		}
		out[fields[i]] = v
	})
	if len(out) == 0 {
		return nil
	}
	return out
}

// eachMember calls fn with the quoted key and the value of each member of a
// JSON object as encoding/json writes it (compact, valid); it does nothing
// for anything else.
func eachMember(doc []byte, fn func(key, value []byte)) {
	if len(doc) < 2 || doc[0] != '{' {
		return
	}
	for i := 1; i < len(doc) && doc[i] == '"'; {
		k := stringEnd(doc, i)
		if k >= len(doc) || doc[k] != ':' {
			return
		}
		v := valueEnd(doc, k+1)
		fn(doc[i:k], doc[k+1:v])
		i = v + 1 // past the comma
	}
}

// stringEnd is the index just past the JSON string starting at doc[i].
func stringEnd(doc []byte, i int) int {
	for j := i + 1; j < len(doc); j++ {
		switch doc[j] {
		case '\\':
			j++
		case '"':
			return j + 1
		}
	}
	return len(doc)
}

// valueEnd is the index of the comma or closing bracket that ends the JSON
// value starting at doc[i].
func valueEnd(doc []byte, i int) int {
	depth := 0
	for j := i; j < len(doc); j++ {
		switch doc[j] {
		case '"':
			j = stringEnd(doc, j) - 1
		case '{', '[':
			depth++
		case '}', ']':
			if depth == 0 {
				return j
			}
			depth--
		case ',':
			if depth == 0 {
				return j
			}
		}
	}
	return len(doc)
}
