package schemas

import (
	"encoding/json"
	"fmt"
)

// Optionals records which properties of an object schema are optional, at
// every level (nested objects, array items), so null can be read as "not
// given" for them. A model in OpenAI strict function-calling mode must send
// every property and sends null for those it does not use; some adapters
// pass that on unchanged.
type Optionals struct {
	optional map[string]bool
	props    map[string]*Optionals
	items    *Optionals
}

// OptionalsOf reads a schema produced by Reflect.
func OptionalsOf(schema json.RawMessage) *Optionals {
	var doc any
	if err := json.Unmarshal(schema, &doc); err != nil {
		panic(fmt.Sprintf("schemas: optionals: %v", err))
	}
	return optionalsOf(doc)
}

func optionalsOf(node any) *Optionals {
	m, ok := node.(map[string]any)
	if !ok {
		return nil
	}
	o := &Optionals{items: optionalsOf(m["items"])}
	props, _ := m["properties"].(map[string]any)
	if len(props) > 0 {
		required := map[string]bool{}
		if r, ok := m["required"].([]any); ok {
			for _, name := range r {
				if s, ok := name.(string); ok {
					required[s] = true
				}
			}
		}
		o.optional = map[string]bool{}
		o.props = map[string]*Optionals{}
		for name, p := range props {
			o.optional[name] = !required[name]
			if sub := optionalsOf(p); sub != nil {
				o.props[name] = sub
			}
		}
	}
	if o.items == nil && o.props == nil {
		return nil
	}
	return o
}

// DropNulls deletes, in place, every null that an optional property holds
// in a parsed argument document, and reports whether it deleted any. A null
// for a required property stays, so validation names the field.
func (o *Optionals) DropNulls(doc any) bool {
	if o == nil {
		return false
	}
	dropped := false
	switch d := doc.(type) {
	case map[string]any:
		for name, v := range d {
			if v == nil {
				if o.optional[name] {
					delete(d, name)
					dropped = true
				}
				continue
			}
			if o.props[name].DropNulls(v) {
				dropped = true
			}
		}
	case []any:
		for _, v := range d {
			if o.items.DropNulls(v) {
				dropped = true
			}
		}
	}
	return dropped
}
