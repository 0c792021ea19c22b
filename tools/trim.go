package tools

import (
	"encoding/json"
	"strings"
	"time"
)

// Trimming helpers: every item a tool returns is a slim projection of the API
// object (keys, names, emails, status, money with currency, ISO dates; nested
// objects reduced to key+name); empty values are dropped by omitempty tags.

// ref is a nested object reduced to key and name.
type ref struct {
	Key  string `json:"key"`
	Name string `json:"name,omitempty"`
}

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

// extras picks the requested raw API fields of obj for the `fields` argument.
func extras(obj any, fields []string) map[string]any {
	if len(fields) == 0 {
		return nil
	}
	raw, err := json.Marshal(obj)
	if err != nil {
		return nil
	}
	var all map[string]any
	if json.Unmarshal(raw, &all) != nil {
		return nil
	}
	out := make(map[string]any, len(fields))
	for _, f := range fields {
		if v, ok := all[f]; ok && v != nil {
			out[f] = v
		}
	}
	if len(out) == 0 {
		return nil
	}
	return out
}
