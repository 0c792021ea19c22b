// Package toolflags turns a tool's input JSON schema (the one tools/list
// serves) into command-line flags, so that every tool is callable as
// `call TOOL --partner-key p --limit 5` with no per-tool code: it defines
// the flags, collects their values into the tool's JSON arguments by the
// schema's types, renames argument errors to the flags as typed, and writes
// the tool's help. Values are not validated here: the tool's own handler
// does it, so the command line and MCP give the same answers.
package toolflags

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// Arg is one property of a tool's input schema, as the command line sees it.
type Arg struct {
	Name        string // the schema's name (snake_case)
	Type        string // the schema's type: string, integer, number, boolean, array, object; "" when it has none or several
	Items       string // an array's element type
	Required    bool
	Description string
	Enum        []string // allowed values (of the elements, for an array)
	Default     string   // the schema's default, as JSON; "" when none
	Format      string
	Min, Max    string // a number's bounds, as JSON; "" when none
	// Pair names the two fields a KEY=VALUE value fills: an object's key and
	// value, or the two required string fields of an array's objects
	// ({"key":..,"value":..}). Empty when the argument takes no KEY=VALUE.
	Pair [2]string
}

// Flag is the kebab-case spelling the help shows (--partner-key).
func (a *Arg) Flag() string { return "--" + kebab(a.Name) }

func kebab(s string) string { return strings.ReplaceAll(s, "_", "-") }

// Set is the flags of one tool and the values given to them.
type Set struct {
	Tool string
	Args []*Arg // sorted by name

	values map[string][]string // per argument, every value given, in order
	typed  map[string]string   // per argument, the spelling last typed (--partner_key)
	inJSON map[string]bool     // the arguments --args gave and no flag replaced
}

// schemaNode is what the flags need of a JSON schema.
type schemaNode struct {
	Type                 json.RawMessage        `json:"type"`
	Description          string                 `json:"description"`
	Enum                 []any                  `json:"enum"`
	Default              json.RawMessage        `json:"default"`
	Format               string                 `json:"format"`
	Minimum              json.RawMessage        `json:"minimum"`
	Maximum              json.RawMessage        `json:"maximum"`
	Items                *schemaNode            `json:"items"`
	Properties           map[string]*schemaNode `json:"properties"`
	Required             []string               `json:"required"`
	AdditionalProperties json.RawMessage        `json:"additionalProperties"`
}

func (n *schemaNode) typeName() string {
	if n == nil {
		return ""
	}
	var t string
	if json.Unmarshal(n.Type, &t) != nil {
		return "" // several types, or none: the value is read as JSON when it parses
	}
	return t
}

// New reads a tool's input schema, an object schema with properties.
func New(tool string, schema json.RawMessage) (*Set, error) {
	var root schemaNode
	if err := json.Unmarshal(schema, &root); err != nil {
		return nil, fmt.Errorf("toolflags: schema of %s: %w", tool, err)
	}
	s := &Set{Tool: tool, values: map[string][]string{}, typed: map[string]string{}}
	for name, p := range root.Properties {
		a := &Arg{Name: name, Type: p.typeName(), Required: slices.Contains(root.Required, name),
			Description: p.Description, Enum: enumStrings(p.Enum), Format: p.Format,
			Min: string(p.Minimum), Max: string(p.Maximum)}
		if len(p.Default) > 0 {
			a.Default = string(p.Default)
		}
		switch a.Type {
		case "array":
			a.Items = p.Items.typeName()
			if p.Items != nil {
				a.Enum = enumStrings(p.Items.Enum)
				if a.Items == "object" {
					a.Pair = pairOf(p.Items)
				}
			}
		case "object":
			a.Pair = [2]string{"key", "value"} // a map: KEY=VALUE adds one entry
		}
		s.Args = append(s.Args, a)
	}
	slices.SortFunc(s.Args, func(x, y *Arg) int { return strings.Compare(x.Name, y.Name) })
	return s, nil
}

func enumStrings(vs []any) []string {
	var out []string
	for _, v := range vs {
		out = append(out, fmt.Sprint(v))
	}
	return out
}

// pairOf: objects of exactly two required string fields take KEY=VALUE,
// filling them in the order the schema requires them (struct order).
func pairOf(items *schemaNode) [2]string {
	if len(items.Properties) != 2 || len(items.Required) != 2 {
		return [2]string{}
	}
	for _, name := range items.Required {
		if items.Properties[name].typeName() != "string" {
			return [2]string{}
		}
	}
	return [2]string{items.Required[0], items.Required[1]}
}

// Define registers every argument on fs under both spellings, snake_case
// and kebab-case. A name fs already has (a server flag) is a conflict the
// catalogue must not have; Define reports it rather than shadow either.
func (s *Set) Define(fs *flag.FlagSet) error {
	for _, a := range s.Args {
		spellings := []string{a.Name}
		if k := kebab(a.Name); k != a.Name {
			spellings = append(spellings, k)
		}
		for _, sp := range spellings {
			if fs.Lookup(sp) != nil {
				return fmt.Errorf("toolflags: %s's argument %s clashes with the flag --%s", s.Tool, a.Name, sp)
			}
			fs.Var(&value{set: s, arg: a, spelling: "--" + sp}, sp, a.Description)
		}
	}
	return nil
}

// value is one spelling of one argument's flag.
type value struct {
	set      *Set
	arg      *Arg
	spelling string
}

func (v *value) String() string { return "" }

func (v *value) IsBoolFlag() bool { return v.arg.Type == "boolean" }

func (v *value) Set(s string) error {
	if v.arg.Pair != ([2]string{}) && !strings.HasPrefix(strings.TrimSpace(s), "{") && !strings.Contains(s, "=") {
		return fmt.Errorf("want %s=%s (or a JSON object)", strings.ToUpper(v.arg.Pair[0]), strings.ToUpper(v.arg.Pair[1]))
	}
	name := v.arg.Name
	v.set.values[name] = append(v.set.values[name], s)
	v.set.typed[name] = v.spelling
	return nil
}

// Given reports whether any flag of the tool was given.
func (s *Set) Given() bool { return len(s.values) > 0 }

// Arguments lays the flags' values over base (the --args object, nil for
// none): a flag replaces that argument entirely. Each value takes the
// schema's type when it reads as one; otherwise it is sent as the string
// typed, and the tool's validation names what is wrong with it.
func (s *Set) Arguments(base map[string]any) map[string]any {
	out := map[string]any{}
	s.inJSON = map[string]bool{}
	for k, v := range base {
		out[k] = v
		s.inJSON[k] = s.values[k] == nil
	}
	for _, a := range s.Args {
		vals, ok := s.values[a.Name]
		if !ok {
			continue
		}
		switch a.Type {
		case "array":
			var items []any
			for _, v := range vals {
				if a.Items == "object" {
					items = append(items, objectValue(a, v, nil))
					continue
				}
				for _, part := range strings.Split(v, ",") {
					items = append(items, scalar(a.Items, strings.TrimSpace(part)))
				}
			}
			out[a.Name] = items
		case "object":
			obj := map[string]any{}
			for _, v := range vals {
				objectValue(a, v, obj)
			}
			out[a.Name] = obj
		default:
			out[a.Name] = scalar(a.Type, vals[len(vals)-1])
		}
	}
	return out
}

// objectValue reads a JSON object, or KEY=VALUE: into obj (a map argument)
// when obj is given, else as one {pair[0]: KEY, pair[1]: VALUE} element.
func objectValue(a *Arg, v string, obj map[string]any) any {
	if strings.HasPrefix(strings.TrimSpace(v), "{") {
		var m map[string]any
		if err := decodeJSON(v, &m); err != nil {
			return v // not JSON after all: validation says it is no object
		}
		for k, x := range m {
			if obj != nil {
				obj[k] = x
			}
		}
		return m
	}
	if obj == nil && a.Pair == ([2]string{}) {
		return v // objects of other shapes come as JSON; validation says this is none
	}
	k, val, _ := strings.Cut(v, "=")
	if obj != nil {
		obj[k] = val
		return obj
	}
	return map[string]any{a.Pair[0]: k, a.Pair[1]: val}
}

// scalar converts one typed value to the schema's type when it reads as one.
func scalar(typ, v string) any {
	switch typ {
	case "integer", "number":
		var n json.Number
		if decodeJSON(v, &n) == nil {
			return n
		}
	case "boolean":
		if v == "" {
			return true // a bare --flag
		}
		if b, err := strconv.ParseBool(v); err == nil {
			return b
		}
	case "string":
	default: // no single type: JSON if it parses
		var x any
		if decodeJSON(v, &x) == nil {
			return x
		}
	}
	return v
}

// decodeJSON decodes exactly one JSON value, numbers kept exact.
func decodeJSON(s string, v any) error {
	dec := json.NewDecoder(strings.NewReader(s))
	dec.UseNumber()
	if err := dec.Decode(v); err != nil {
		return err
	}
	if dec.More() {
		return errors.New("trailing data")
	}
	return nil
}

// Typed is the flag the user typed for an argument ("" when none was).
func (s *Set) Typed(name string) string { return s.typed[name] }

// Rename rewrites the tool's argument errors ("invalid argument
// 'partner_key': ...", also 'metadata.0.key'; see tools.ArgError) to name
// the flag: as typed, or in kebab-case for one not given when flags were
// used. An argument that came from --args keeps its JSON name, and so does
// every one when no flag was given. Call it after Arguments.
func (s *Set) Rename(text string) string {
	const lead = "invalid argument '"
	for _, a := range s.Args {
		flag := s.typed[a.Name]
		if flag == "" && (s.inJSON[a.Name] || !s.Given()) {
			continue
		}
		if flag == "" {
			flag = a.Flag()
		}
		text = strings.ReplaceAll(text, lead+a.Name+"'", lead+flag+"'")
		text = strings.ReplaceAll(text, lead+a.Name+".", lead+flag+".")
	}
	return text
}

// Names lists the flags in kebab-case, for error messages.
func (s *Set) Names() []string {
	var names []string
	for _, a := range s.Args {
		names = append(names, a.Flag())
	}
	return names
}
