// Package schemas turns Go argument and result structs into MCP-friendly JSON
// schemas (inlined: no $ref, $defs, $id or $schema; strict objects), validates
// arguments against them with messages that name the field, and holds the
// generated schema files that tests keep in step with the code.
package schemas

import (
	"bytes"
	"encoding/json"
	"fmt"
	"reflect"
	"sort"
	"strings"

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
// only, without required lists or additionalProperties. Output schemas are
// sent to the model in every tools/list, so every token counts; results are
// produced by our own code, so strictness there buys nothing.
func ReflectOutput[T any]() json.RawMessage {
	var doc map[string]any
	if err := json.Unmarshal(Reflect[T](), &doc); err != nil {
		panic(fmt.Sprintf("schemas: output schema of %s: %v", reflect.TypeFor[T](), err))
	}
	loosen(doc)
	raw, err := json.Marshal(doc)
	if err != nil {
		panic(err)
	}
	return raw
}

func loosen(node any) {
	switch n := node.(type) {
	case map[string]any:
		delete(n, "required")
		if ap, ok := n["additionalProperties"].(bool); ok && !ap {
			delete(n, "additionalProperties")
		}
		for _, v := range n {
			loosen(v)
		}
	case []any:
		for _, v := range n {
			loosen(v)
		}
	}
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
	if err := c.AddResource("mem://args.json", doc); err != nil {
		return nil, err
	}
	s, err := c.Compile("mem://args.json")
	if err != nil {
		return nil, err
	}
	return &Validator{schema: s}, nil
}

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
