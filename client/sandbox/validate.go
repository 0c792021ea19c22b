package sandbox

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/mail"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Request bodies are checked against a small schema and fail with
// JSON-Schema-style messages, like the live API ("'target_type' is a required
// property"). Check order: malformed JSON, required properties (schema
// order), unexpected properties, then each field's type and constraints
// (schema order). The first problem is reported.
//
// Under the strict profile a body keeps only its documented fields: any
// other property (unknown, or marked undocumented in the schema) is dropped
// without an error, and fields documented as required are enforced even
// where the default profile is lenient (requiredStrict).

type ftype int

const (
	tString ftype = iota
	tInt
	tBool
	tObject
	tStrings // array of strings
	tArray   // array of anything
)

var typeNames = map[ftype]string{tString: "string", tInt: "integer", tBool: "boolean", tObject: "object", tStrings: "array", tArray: "array"}

type field struct {
	name     string
	typ      ftype
	required bool
	// requiredStrict: documented as required but left optional by the
	// default profile (its users rely on that); the strict profile insists.
	requiredStrict bool
	// undocumented: accepted by the default profile only; strict ignores it.
	undocumented bool
	nullable     bool
	minLen       int   // strings
	maxLen       int   // strings; 0 = no limit
	exactLen     int   // strings
	min, max     int64 // integers, when min < max
	enum         []string
	email        bool
	url          bool
}

type schema []field

// body is a validated request body.
type body map[string]json.RawMessage

// decodeBody parses and validates raw against sc, as the strict profile
// does when strict is set.
func decodeBody(raw []byte, sc schema, strict bool) (body, *apiError) {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 {
		raw = []byte("{}") // Emulator choice: an empty body is an empty object
	}
	var b body
	if err := json.Unmarshal(raw, &b); err != nil || b == nil {
		var probe any
		if json.Unmarshal(raw, &probe) == nil {
			return nil, badRequest("Request body must be a JSON object")
		}
		return nil, badRequest("Request body is not valid JSON")
	}
	for _, f := range sc {
		if (f.required || strict && f.requiredStrict) && !b.has(f.name) {
			return nil, badRequest(fmt.Sprintf("'%s' is a required property", f.name))
		}
	}
	if strict {
		// Inferred: the API may ignore what it does not document rather than
		// reject it (only "required" messages were seen live); ignoring is
		// the case a client cannot notice, so strict takes it.
		for k := range b {
			if i := slices.IndexFunc(sc, func(f field) bool { return f.name == k }); i < 0 || sc[i].undocumented {
				delete(b, k)
			}
		}
	}
	var extra []string
	for k := range b {
		if !slices.ContainsFunc(sc, func(f field) bool { return f.name == k }) {
			extra = append(extra, k)
		}
	}
	if len(extra) > 0 {
		// Emulator choice: unknown fields are rejected (the live API rejected
		// an unrecognised field on POST /v2/actions).
		slices.Sort(extra)
		quoted := make([]string, len(extra))
		for i, e := range extra {
			quoted[i] = "'" + e + "'"
		}
		verb := "was"
		if len(extra) > 1 {
			verb = "were"
		}
		return nil, badRequest(fmt.Sprintf("Additional properties are not allowed (%s %s unexpected)", strings.Join(quoted, ", "), verb))
	}
	for _, f := range sc {
		if v, ok := b[f.name]; ok {
			if err := checkField(f, v); err != nil {
				return nil, err
			}
		}
	}
	return b, nil
}

func checkField(f field, v json.RawMessage) *apiError {
	if string(v) == "null" {
		if f.nullable {
			return nil
		}
		return typeErr(f)
	}
	switch f.typ {
	case tString:
		var s string
		if json.Unmarshal(v, &s) != nil {
			return typeErr(f)
		}
		n := utf8.RuneCountInString(s)
		switch {
		case f.exactLen > 0 && n != f.exactLen:
			return badRequest(fmt.Sprintf("'%s' must be %d characters", f.name, f.exactLen))
		case n < f.minLen:
			if f.minLen == 1 {
				return badRequest(fmt.Sprintf("'%s' should be non-empty", f.name))
			}
			return badRequest(fmt.Sprintf("'%s' is too short (minimum %d characters)", f.name, f.minLen))
		case f.maxLen > 0 && n > f.maxLen:
			return badRequest(fmt.Sprintf("'%s' is too long (maximum %d characters)", f.name, f.maxLen))
		case f.enum != nil && !slices.Contains(f.enum, s):
			return badRequest(fmt.Sprintf("'%s' must be one of: %s", f.name, strings.Join(f.enum, ", ")))
		case f.email && !validEmail(s):
			return badRequest(fmt.Sprintf("'%s' is not a valid email address", f.name))
		case f.url && !validURL(s):
			return badRequest(fmt.Sprintf("'%s' is not a valid URL", f.name))
		}
	case tInt:
		n, err := strconv.ParseInt(string(v), 10, 64)
		if err != nil {
			return typeErr(f)
		}
		if f.min < f.max && (n < f.min || n > f.max) {
			if f.max == maxInt {
				return badRequest(fmt.Sprintf("'%s' must be at least %d", f.name, f.min))
			}
			return badRequest(fmt.Sprintf("'%s' must be between %d and %d", f.name, f.min, f.max))
		}
	case tBool:
		if string(v) != "true" && string(v) != "false" {
			return typeErr(f)
		}
	case tObject:
		if v[0] != '{' {
			return typeErr(f)
		}
	case tArray:
		if v[0] != '[' {
			return typeErr(f)
		}
	case tStrings:
		var s []string
		if v[0] != '[' || json.Unmarshal(v, &s) != nil {
			if v[0] == '[' {
				return badRequest(fmt.Sprintf("'%s' items must be of type 'string'", f.name))
			}
			return typeErr(f)
		}
	}
	return nil
}

const maxInt = int64(^uint64(0) >> 1)

func typeErr(f field) *apiError {
	t := "'" + typeNames[f.typ] + "'"
	if f.nullable {
		t += ", 'null'"
	}
	return badRequest(fmt.Sprintf("'%s' is not of type %s", f.name, t))
}

func validEmail(s string) bool {
	a, err := mail.ParseAddress(s)
	return err == nil && a.Address == s && strings.Contains(s[strings.LastIndex(s, "@"):], ".")
}

func validURL(s string) bool {
	u, err := url.Parse(s)
	return err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != ""
}

// ---- typed getters; only call after decodeBody succeeded ----

func (b body) has(k string) bool { _, ok := b[k]; return ok }

// given reports a present, non-null value.
func (b body) given(k string) bool { v, ok := b[k]; return ok && string(v) != "null" }

func (b body) str(k string) string {
	var s string
	_ = json.Unmarshal(b[k], &s)
	return s
}

// strp returns nil for absent or null.
func (b body) strp(k string) *string {
	if !b.given(k) {
		return nil
	}
	s := b.str(k)
	return &s
}

func (b body) int(k string) int64 {
	n, _ := strconv.ParseInt(string(b[k]), 10, 64)
	return n
}

func (b body) intp(k string) *int64 {
	if !b.given(k) {
		return nil
	}
	n := b.int(k)
	return &n
}

func (b body) boolp(k string) *bool {
	if !b.given(k) {
		return nil
	}
	v := string(b[k]) == "true"
	return &v
}

func (b body) strings(k string) []string {
	var s []string
	_ = json.Unmarshal(b[k], &s)
	if s == nil {
		s = []string{}
	}
	return s
}

// object decodes an object field with json.Number numbers; keys are returned
// sorted for deterministic field order.
func (b body) object(k string) (map[string]any, []string) {
	if !b.given(k) {
		return nil, nil
	}
	d := json.NewDecoder(bytes.NewReader(b[k]))
	d.UseNumber()
	var m map[string]any
	_ = d.Decode(&m)
	keys := make([]string, 0, len(m))
	for key := range m {
		keys = append(keys, key)
	}
	slices.Sort(keys)
	return m, keys
}

// fieldValues reads the custom-field inputs: "fields" ([{api_name, value}]),
// then "meta" and "field_data" objects. All end up in the fields list.
func (b body) fieldValues() (map[string]any, []string, *apiError) {
	values := map[string]any{}
	var order []string
	add := func(k string, v any) {
		if _, seen := values[k]; !seen {
			order = append(order, k)
		}
		values[k] = v
	}
	if b.given("fields") {
		d := json.NewDecoder(bytes.NewReader(b["fields"]))
		d.UseNumber()
		var items []map[string]any
		if d.Decode(&items) != nil {
			return nil, nil, badRequest("'fields' items must be objects with 'api_name' and 'value'")
		}
		for _, it := range items {
			name, _ := it["api_name"].(string)
			if name == "" {
				return nil, nil, badRequest("'fields' items must be objects with 'api_name' and 'value'")
			}
			add(name, it["value"])
		}
	}
	for _, k := range []string{"meta", "field_data"} {
		m, keys := b.object(k)
		for _, key := range keys {
			add(key, m[key])
		}
	}
	return values, order, nil
}
