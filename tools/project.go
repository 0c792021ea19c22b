package tools

import (
	"encoding/json"
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
