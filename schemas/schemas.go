// Package schemas turns Go argument and result structs into MCP-friendly JSON
// schemas (inlined: no $ref, $defs, $id or $schema; strict objects), validates
// arguments against them with messages that name the field, and holds the
// generated schema files that tests keep in step with the code.
package schemas

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"reflect"
	"slices"
	"sort"
	"strings"
	"sync"

	"github.com/invopop/jsonschema"
	validator "github.com/santhosh-tekuri/jsonschema/v6"
	"github.com/santhosh-tekuri/jsonschema/v6/kind"
	"golang.org/x/text/language"
	"golang.org/x/text/message"
)

// Reflect builds the inlined JSON schema of T's JSON form. Struct tags follow
// invopop/jsonschema: `jsonschema:"minimum=1,enum=a,enum=b"` and
// `jsonschema_description:"..."`; fields without omitempty are required.
func Reflect[T any]() json.RawMessage {
	return ReflectType(reflect.TypeFor[T]())
}

// ReflectType is Reflect for a reflect.Type.
func ReflectType(t reflect.Type) json.RawMessage {
	r := &jsonschema.Reflector{DoNotReference: true, ExpandedStruct: true, Anonymous: true}
	s := r.ReflectFromType(t)
	s.Version = ""
	s.ID = ""
	raw, err := json.Marshal(s)
	if err != nil {
		// Only a programming error in a struct definition can get here.
		panic(fmt.Sprintf("schemas: cannot marshal schema of %s: %v", t, err))
	}
	return raw
}

// ReflectOutput builds a lean schema for a result type: types and structure
// only, without required lists or additionalProperties, and an object shape
// that repeats within the schema (a summary row used for groups, the total
// and the rest) is spelled out once and referred to by name after that.
// Output schemas are sent to the model in every tools/list, so every token
// counts; results are produced by our own code, so strictness there buys
// nothing.
func ReflectOutput[T any]() json.RawMessage {
	var doc map[string]any
	if err := json.Unmarshal(Reflect[T](), &doc); err != nil {
		panic(fmt.Sprintf("schemas: output schema of %s: %v", reflect.TypeFor[T](), err))
	}
	loosen(doc)
	seen := map[string]string{}
	dedupe(doc, "", seen)
	return marshal(doc)
}

func marshal(doc any) json.RawMessage {
	raw, err := json.Marshal(doc)
	if err != nil {
		panic(err)
	}
	return raw
}

func loosen(node any) {
	eachObject(node, func(n map[string]any) {
		delete(n, "required")
		if ap, ok := n["additionalProperties"].(bool); ok && !ap {
			delete(n, "additionalProperties")
		}
	})
}

// eachObject calls fn on every JSON object in a decoded document, parents first.
func eachObject(node any, fn func(map[string]any)) {
	switch n := node.(type) {
	case map[string]any:
		fn(n)
		for _, v := range n {
			eachObject(v, fn)
		}
	case []any:
		for _, v := range n {
			eachObject(v, fn)
		}
	}
}

// elemPath names the elements of the array at path: "groups items", and
// "items" for a list's items.
func elemPath(path string) string {
	if path == "" || strings.HasSuffix(path, "items") {
		return path
	}
	return path + " items"
}

// ShapeKey identifies an object schema's shape: its JSON without the
// description, "" when the node is not an object with properties.
func ShapeKey(node any) string {
	m, ok := node.(map[string]any)
	if !ok || m["properties"] == nil {
		return ""
	}
	bare := make(map[string]any, len(m))
	for k, v := range m {
		if k != "description" {
			bare[k] = v
		}
	}
	return string(marshal(bare))
}

// collapse turns an object schema into a one-line reference to a shape
// described elsewhere, keeping its own description first. An empty ref
// leaves a bare object: its meaning is given elsewhere (server instructions).
func collapse(m map[string]any, ref string) {
	desc, _ := m["description"].(string)
	clear(m)
	m["type"] = "object"
	if desc != "" && ref != "" {
		ref = desc + " " + ref
	} else if desc != "" {
		ref = desc
	}
	if ref != "" {
		m["description"] = ref
	}
}

// dedupe walks properties in name order so the first occurrence of a shape
// is stable; later occurrences refer to it.
func dedupe(node any, path string, seen map[string]string) {
	m, ok := node.(map[string]any)
	if !ok {
		return
	}
	if key := ShapeKey(m); key != "" && path != "" {
		if first, ok := seen[key]; ok {
			collapse(m, "Same fields as "+first+".")
			return
		}
		seen[key] = path
	}
	if items, ok := m["items"]; ok {
		dedupe(items, elemPath(path), seen)
	}
	props, _ := m["properties"].(map[string]any)
	names := make([]string, 0, len(props))
	for n := range props {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		dedupe(props[n], strings.TrimPrefix(path+"."+n, "."), seen)
	}
}

// DescribeOnce rewrites a set of output schemas, in order, so that an object
// shape with at least three properties is spelled out only where it first
// appears: later occurrences (in the same or a later schema, the root
// included) become {"type":"object","description":"Same fields as <name>
// <path>."}. refs may preset descriptions for shapes that are explained
// elsewhere; it is extended as shapes are found.
func DescribeOnce(names []string, outputs []json.RawMessage, refs map[string]string) []json.RawMessage {
	res := make([]json.RawMessage, len(outputs))
	for i, raw := range outputs {
		var doc any
		if err := json.Unmarshal(raw, &doc); err != nil {
			panic(fmt.Sprintf("schemas: DescribeOnce %s: %v", names[i], err))
		}
		var walk func(node any, path string)
		walk = func(node any, path string) {
			m, ok := node.(map[string]any)
			if !ok {
				return
			}
			if key := ShapeKey(m); key != "" {
				if ref, ok := refs[key]; ok {
					collapse(m, ref)
					return
				}
				if props, _ := m["properties"].(map[string]any); len(props) >= 3 {
					where := path
					if where == "" {
						where = "result"
					}
					refs[key] = "Same fields as " + names[i] + " " + where + "."
				}
			}
			if items, ok := m["items"]; ok {
				walk(items, elemPath(path))
			}
			props, _ := m["properties"].(map[string]any)
			for _, n := range slices.Sorted(maps.Keys(props)) {
				walk(props[n], strings.TrimPrefix(path+"."+n, "."))
			}
		}
		walk(doc, "")
		res[i] = marshal(doc)
	}
	return res
}

// StringCap is the length limit most string arguments share. Published
// leaves it out of tools/list (the server instructions state it once);
// validation still enforces it.
const StringCap = 255

// dateCap bounds ISO-8601 date arguments; also enforced, not published.
const dateCap = 40

// Published returns an input schema as sent to clients: the shared string
// caps and empty required lists are left out, because every tools/list pays
// for them in model context. Validate against the full schema, never this.
func Published(schema json.RawMessage) json.RawMessage {
	var doc any
	if err := json.Unmarshal(schema, &doc); err != nil {
		panic(fmt.Sprintf("schemas: published form: %v", err))
	}
	eachObject(doc, func(n map[string]any) {
		if v, ok := n["maxLength"].(float64); ok && (v == StringCap || v == dateCap) {
			delete(n, "maxLength")
		}
		if r, ok := n["required"].([]any); ok && len(r) == 0 {
			delete(n, "required")
		}
	})
	raw, err := json.Marshal(doc)
	if err != nil {
		panic(err)
	}
	return raw
}

// Properties lists the top-level property names of an object schema, sorted.
func Properties(schema json.RawMessage) []string {
	var s struct {
		Properties map[string]json.RawMessage `json:"properties"`
	}
	_ = json.Unmarshal(schema, &s)
	names := make([]string, 0, len(s.Properties))
	for n := range s.Properties {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

var printer = message.NewPrinter(language.English)

// Validator checks argument documents against one compiled schema.
type Validator struct {
	schema *validator.Schema
}

// NewValidator compiles a schema produced by Reflect.
func NewValidator(schema json.RawMessage) (*Validator, error) {
	doc, err := validator.UnmarshalJSON(bytes.NewReader(schema))
	if err != nil {
		return nil, err
	}
	c := validator.NewCompiler()
	c.DefaultDraft(validator.Draft2020)
	c.AssertFormat() // "format": "email" is an assertion here, not a hint
	c.RegisterFormat(emailFormat)
	if err := c.AddResource("mem://args.json", doc); err != nil {
		return nil, err
	}
	s, err := c.Compile("mem://args.json")
	if err != nil {
		return nil, err
	}
	return &Validator{schema: s}, nil
}

// emailFormat is the validator's own "email" format plus what it lets
// through: an address with nothing before the @ ("@b.com").
var emailFormat = &validator.Format{Name: "email", Validate: func(v any) error {
	if s, ok := v.(string); ok && strings.HasPrefix(s, "@") {
		return errors.New("nothing before the @")
	}
	err := libraryEmail().Validate(v)
	for ve, ok := err.(*validator.ValidationError); ok; ve, ok = err.(*validator.ValidationError) {
		if f, isFormat := ve.ErrorKind.(*kind.Format); isFormat {
			return f.Err // the library's reason, e.g. "missing @"
		}
		if len(ve.Causes) == 0 {
			break
		}
		err = ve.Causes[0]
	}
	return err
}}

// libraryEmail is a schema of the validator library's built-in "email"
// format alone, which emailFormat extends (the library exports the check
// only through a schema). Compiled on first use: compiling any schema first
// compiles the library's meta-schemas (see Warm).
var libraryEmail = sync.OnceValue(func() *validator.Schema {
	c := validator.NewCompiler()
	c.AssertFormat()
	if err := c.AddResource("mem://email.json", map[string]any{"format": "email"}); err != nil {
		panic(err)
	}
	return c.MustCompile("mem://email.json")
})

// Warm compiles, in the background and once per process, what the first
// validator would otherwise compile during a call: the validator library's
// meta-schemas (about 14 ms, 1.7 MB). The release build compiles them on
// first use instead of before main
// (scripts/patches/jsonschema-lazy-meta-schemas.patch), so the server calls
// this once a client has its tool list; with the upstream library it costs
// nothing.
func Warm() { warmOnce.Do(func() { go validator.NewCompiler() }) }

var warmOnce sync.Once

// Problem is one way an argument document breaks its schema.
type Problem struct {
	Field   string // dotted path, e.g. "amount" or "events.0"; "" for the document
	Message string // what is wrong, e.g. "got string, want integer"
}

// Validate returns every problem found (nil when the document is valid).
// doc must come from validator.UnmarshalJSON semantics (json.Number numbers).
func (v *Validator) Validate(doc any) []Problem {
	err := v.schema.Validate(doc)
	if err == nil {
		return nil
	}
	ve, ok := err.(*validator.ValidationError)
	if !ok {
		return []Problem{{Message: err.Error()}}
	}
	var out []Problem
	var walk func(e *validator.ValidationError)
	walk = func(e *validator.ValidationError) {
		if len(e.Causes) == 0 {
			switch k := e.ErrorKind.(type) {
			case *kind.Required:
				for _, name := range k.Missing {
					out = append(out, Problem{Field: joinField(e.InstanceLocation, name), Message: "is required"})
				}
				return
			case *kind.AdditionalProperties:
				for _, name := range k.Properties {
					out = append(out, Problem{Field: joinField(e.InstanceLocation, name), Message: "is not a known argument"})
				}
				return
			}
			out = append(out, Problem{
				Field:   strings.Join(e.InstanceLocation, "."),
				Message: e.ErrorKind.LocalizedString(printer),
			})
			return
		}
		for _, c := range e.Causes {
			walk(c)
		}
	}
	walk(ve)
	sort.SliceStable(out, func(i, j int) bool { return out[i].Field < out[j].Field })
	return out
}

func joinField(loc []string, name string) string {
	return strings.Join(append(append([]string{}, loc...), name), ".")
}

// ParseDocument decodes raw JSON arguments the way the validator expects.
func ParseDocument(raw []byte) (any, error) {
	return validator.UnmarshalJSON(bytes.NewReader(raw))
}
