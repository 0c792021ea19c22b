package tools

import (
	"encoding/json"
	"fmt"
	"os"
	"slices"
	"strings"
	"testing"
)

// OpenAI strict mode, as the OpenAI Agents SDK (@openai/agents-core 0.20.0)
// converts an MCP tool for it. With convertSchemasToStrict, mcpToFunctionTool
// first defaults the root's type/properties/required, then runs
// assertOpenAIStrictToolSchemaPreservesOpenObjects and tool({strict: true}),
// whose prepareOpenAIStrictToolSchema checks the schema again and rewrites
// it: every property required, optional ones wrapped as anyOf [T, null]
// (nulls the model sends there are dropped before the call), objects closed.
// Any error there makes the SDK log "Error converting MCP schema to strict
// mode" and offer the tool non-strict. strictProblems mirrors those checks
// (dist/utils/strictToolSchema.mjs); .ci/frameworks.mjs runs the real one.

const maxStrictDepth = 100 // MAX_JSON_SCHEMA_DEPTH

// unsupportedStrictNormalizationKeywords: applicators the SDK refuses rather
// than half-interpret.
var strictUnsupported = []string{"$dynamicRef", "$recursiveRef", "additionalItems", "allOf", "contains",
	"contentSchema", "dependencies", "dependentRequired", "dependentSchemas", "else", "if", "maxContains",
	"minContains", "not", "oneOf", "patternProperties", "prefixItems", "propertyNames", "then",
	"unevaluatedItems", "unevaluatedProperties"}

// referenceMetadataKeywords: what may stand next to $ref (plus anyOf next to anyOf).
var strictRefSiblings = []string{"$anchor", "$comment", "$defs", "$id", "$ref", "$schema", "default", "deprecated",
	"description", "definitions", "examples", "readOnly", "title", "writeOnly"}

type nullability int

const (
	nullUnknown nullability = iota
	nullAllows
	nullDisallows
)

type strictCheck struct {
	root     map[string]any
	problems []string
}

func (c *strictCheck) fail(path, format string, a ...any) {
	c.problems = append(c.problems, path+": "+fmt.Sprintf(format, a...))
}

// strictProblems lists why the SDK would not convert an input schema (as
// published in tools/list) to strict mode; nil when it converts.
func strictProblems(published json.RawMessage) []string {
	var root map[string]any
	if err := json.Unmarshal(published, &root); err != nil {
		return []string{"not a JSON object: " + err.Error()}
	}
	// mcpToFunctionTool's defaults for the root; an empty schema is closed.
	if len(root) == 0 {
		root["additionalProperties"] = false
	}
	if _, ok := root["type"]; !ok {
		root["type"] = "object"
	}
	if _, ok := root["properties"]; !ok {
		root["properties"] = map[string]any{}
	}
	if _, ok := root["required"]; !ok {
		root["required"] = []any{}
	}
	c := &strictCheck{root: root}
	if d := depth(root); d > maxStrictDepth {
		c.fail("$", "nested %d deep, over %d", d, maxStrictDepth)
	}
	c.provider(root, "$", map[string]bool{})
	c.strict(root, "$", map[string]bool{})
	c.typeless(root, "$")
	return c.problems
}

// depth is the physical nesting of JSON objects and arrays, the root being 1.
func depth(node any) int {
	most := 0
	switch n := node.(type) {
	case map[string]any:
		for _, v := range n {
			most = max(most, depth(v))
		}
	case []any:
		for _, v := range n {
			most = max(most, depth(v))
		}
	default:
		return 0
	}
	return most + 1
}

// provider is validateOpenAIStrictProviderSchema: every schema location
// holds an object or a boolean, with no unsupported keyword, nested $id or
// unresolvable $ref.
func (c *strictCheck) provider(node any, path string, refs map[string]bool) {
	if _, ok := node.(bool); ok {
		return
	}
	m, ok := node.(map[string]any)
	if !ok {
		c.fail(path, "a schema node that is neither an object nor a boolean")
		return
	}
	if _, ok := m["$id"]; ok && path != "$" {
		c.fail(path, "nested $id")
	}
	for _, k := range strictUnsupported {
		if _, ok := m[k]; ok {
			c.fail(path, "unsupported keyword %s", k)
		}
	}
	if ref, ok := m["$ref"]; ok {
		target, ok := c.resolve(ref)
		switch {
		case !ok:
			c.fail(path, "unresolved or external $ref %v", ref)
		case !refs[ref.(string)]:
			refs[ref.(string)] = true
			c.provider(target, ref.(string), refs)
		}
	}
	if anyOf, ok := m["anyOf"]; ok {
		branches, ok := anyOf.([]any)
		if !ok || len(branches) == 0 {
			c.fail(path, "invalid anyOf")
		}
		for i, b := range branches {
			c.provider(b, fmt.Sprintf("%s.anyOf[%d]", path, i), refs)
		}
	}
	if props, ok := m["properties"].(map[string]any); ok {
		for _, k := range sortedKeys(props) {
			c.provider(props[k], path+"."+k, refs)
		}
	}
	c.eachItem(m, path, func(item any, p string) { c.provider(item, p, refs) })
	if ap, ok := m["additionalProperties"]; ok {
		c.provider(ap, path+".additionalProperties", refs)
	}
	c.eachDef(m, path, func(def any, p string) { c.provider(def, p, refs) })
}

// strict is validateOpenAIStrictJsonSchema with rejectOpenObjects and
// requireUnambiguousNormalization: no open object, $ref and anyOf without
// constraining siblings, anyOf branches without optional properties, and
// every optional property's nullability known.
func (c *strictCheck) strict(node any, path string, refs map[string]bool) {
	m, ok := node.(map[string]any)
	if !ok {
		return
	}
	if ref, ok := m["$ref"]; ok {
		for k := range m {
			if !slices.Contains(strictRefSiblings, k) {
				c.fail(path, "$ref with the sibling keyword %s", k)
			}
		}
		target, ok := c.resolve(ref)
		switch {
		case !ok:
			c.fail(path, "unresolved or external $ref %v", ref)
		case !refs[ref.(string)]:
			refs[ref.(string)] = true
			c.strict(target, ref.(string), refs)
		}
	}
	if anyOf, ok := m["anyOf"]; ok {
		branches, _ := anyOf.([]any)
		if len(branches) == 0 {
			c.fail(path, "invalid anyOf")
		}
		for k := range m {
			if k != "anyOf" && !slices.Contains(strictRefSiblings, k) {
				c.fail(path, "anyOf with the sibling keyword %s", k)
			}
		}
		for i, b := range branches {
			p := fmt.Sprintf("%s.anyOf[%d]", path, i)
			c.strict(b, p, refs)
			if c.needsNullStripping(b, map[string]bool{}) {
				c.fail(p, "an anyOf branch with optional object properties")
			}
		}
	}
	props, hasProps := m["properties"].(map[string]any)
	if hasObjectType(m) && m["additionalProperties"] != false {
		if _, apSet := m["additionalProperties"]; len(props) == 0 || apSet {
			c.fail(path, "an open object (additionalProperties is not false)")
		}
	}
	if hasProps && convertsProperties(m) {
		required := requiredSet(m)
		for _, k := range sortedKeys(props) {
			c.strict(props[k], path+"."+k, refs)
			if !required[k] && c.nullability(props[k], map[string]bool{}) == nullUnknown {
				c.fail(path+"."+k, "an optional property whose nullability is not explicit")
			}
		}
	}
	c.eachItem(m, path, func(item any, p string) { c.strict(item, p, refs) })
	c.eachDef(m, path, func(def any, p string) { c.strict(def, p, refs) })
}

// typeless is ensureStrictSchemaEntry's refusal of an object without a type
// that is not closed.
func (c *strictCheck) typeless(node any, path string) {
	m, ok := node.(map[string]any)
	if !ok {
		return
	}
	_, hasType := m["type"]
	_, hasAP := m["additionalProperties"]
	props, hasProps := m["properties"].(map[string]any)
	if !hasType && (hasProps || hasAP) && m["additionalProperties"] != false {
		c.fail(path, "a typeless open object")
	}
	for _, k := range sortedKeys(props) {
		c.typeless(props[k], path+"."+k)
	}
	if branches, ok := m["anyOf"].([]any); ok {
		for i, b := range branches {
			c.typeless(b, fmt.Sprintf("%s.anyOf[%d]", path, i))
		}
	}
	c.eachItem(m, path, c.typeless)
	c.eachDef(m, path, c.typeless)
}

// nullability is getJsonSchemaNullability: whether a schema accepts null,
// refuses it, or cannot be told (which the SDK refuses for an optional
// property, since it must know whether to add null).
func (c *strictCheck) nullability(node any, refs map[string]bool) nullability {
	switch n := node.(type) {
	case bool:
		if n {
			return nullAllows
		}
		return nullDisallows
	case map[string]any:
		if t, ok := n["type"]; ok {
			switch tt := t.(type) {
			case string:
				if tt != "null" {
					return nullDisallows
				}
			case []any:
				if !slices.Contains(tt, any("null")) {
					return nullDisallows
				}
			default:
				return nullUnknown
			}
		}
		if e, ok := n["enum"]; ok {
			values, ok := e.([]any)
			if !ok {
				return nullUnknown
			}
			if !slices.Contains(values, nil) {
				return nullDisallows
			}
		}
		if v, ok := n["const"]; ok && v != nil {
			return nullDisallows
		}
		if ref, ok := n["$ref"]; ok {
			s, isString := ref.(string)
			target, found := c.resolve(ref)
			if !isString || !found || refs[s] {
				return nullUnknown
			}
			refs[s] = true
			if r := c.nullability(target, refs); r != nullAllows {
				return r
			}
		}
		if anyOf, ok := n["anyOf"]; ok {
			branches, ok := anyOf.([]any)
			if !ok {
				return nullUnknown
			}
			all := true
			for _, b := range branches {
				switch c.nullability(b, refs) {
				case nullAllows:
					return nullAllows
				case nullUnknown:
					all = false
				}
			}
			if all {
				return nullDisallows
			}
			return nullUnknown
		}
		if _, hasType := n["type"]; !hasType {
			if _, ok := n["properties"].(map[string]any); ok {
				return nullDisallows
			}
		}
		return nullAllows
	}
	return nullUnknown
}

// needsNullStripping is jsonSchemaRequiresSyntheticNullStripping: whether
// the SDK would add null to an optional property somewhere inside.
func (c *strictCheck) needsNullStripping(node any, seen map[string]bool) bool {
	m, ok := node.(map[string]any)
	if !ok {
		return false
	}
	if ref, ok := m["$ref"].(string); ok {
		if seen[ref] {
			return false
		}
		seen[ref] = true
		target, _ := c.resolve(ref)
		return c.needsNullStripping(target, seen)
	}
	if branches, ok := m["anyOf"].([]any); ok {
		return slices.ContainsFunc(branches, func(b any) bool { return c.needsNullStripping(b, seen) })
	}
	if props, ok := m["properties"].(map[string]any); ok && convertsProperties(m) {
		required := requiredSet(m)
		for k, p := range props {
			if !required[k] && c.nullability(p, map[string]bool{}) == nullDisallows || c.needsNullStripping(p, seen) {
				return true
			}
		}
	}
	switch items := m["items"].(type) {
	case []any:
		return slices.ContainsFunc(items, func(i any) bool { return c.needsNullStripping(i, seen) })
	default:
		return c.needsNullStripping(items, seen)
	}
}

// resolve follows a local JSON pointer ("#", "#/$defs/x") within the root.
func (c *strictCheck) resolve(ref any) (any, bool) {
	s, ok := ref.(string)
	if !ok || !strings.HasPrefix(s, "#") {
		return nil, false
	}
	if s == "#" {
		return c.root, true
	}
	if !strings.HasPrefix(s, "#/") {
		return nil, false
	}
	var cur any = c.root
	for _, tok := range strings.Split(s[2:], "/") {
		tok = strings.ReplaceAll(strings.ReplaceAll(tok, "~1", "/"), "~0", "~")
		m, ok := cur.(map[string]any)
		if !ok {
			return nil, false
		}
		if cur, ok = m[tok]; !ok {
			return nil, false
		}
	}
	return cur, true
}

func (c *strictCheck) eachItem(m map[string]any, path string, fn func(any, string)) {
	switch items := m["items"].(type) {
	case nil:
	case []any:
		for i, it := range items {
			fn(it, fmt.Sprintf("%s.items[%d]", path, i))
		}
	default:
		fn(items, path+".items")
	}
}

func (c *strictCheck) eachDef(m map[string]any, path string, fn func(any, string)) {
	for _, key := range []string{"$defs", "definitions"} {
		if defs, ok := m[key].(map[string]any); ok {
			for _, k := range sortedKeys(defs) {
				fn(defs[k], path+"."+key+"."+k)
			}
		}
	}
}

func hasObjectType(m map[string]any) bool {
	switch t := m["type"].(type) {
	case string:
		return t == "object"
	case []any:
		return slices.Contains(t, any("object"))
	}
	return false
}

// convertsProperties is schemaConvertsObjectProperties.
func convertsProperties(m map[string]any) bool {
	_, typed := m["type"]
	return hasObjectType(m) || !typed
}

func requiredSet(m map[string]any) map[string]bool {
	set := map[string]bool{}
	if r, ok := m["required"].([]any); ok {
		for _, k := range r {
			set[fmt.Sprint(k)] = true
		}
	}
	return set
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// Every tool of every toolset converts to strict mode as published.
func TestEveryInputSchemaConvertsToOpenAIStrictMode(t *testing.T) {
	n := 0
	for _, w := range wireTools(t) {
		n++
		for _, p := range strictProblems(w.InputSchema) {
			t.Errorf("%s: OpenAI strict mode refuses %s", w.Name, p)
		}
	}
	if n != len(All(Deps{})) {
		t.Fatalf("checked %d tools of %d", n, len(All(Deps{})))
	}
}

// strictCasesFile holds schemas with the SDK's verdicts; .ci/frameworks.mjs
// (openai cases) checks the real converter agrees, so the mirror cannot
// drift from the SDK unnoticed.
const strictCasesFile = "testdata/strict-mode-cases.json"

// The mirror refuses what the SDK refuses and accepts what it accepts.
func TestStrictProblemsMirrorsTheSDK(t *testing.T) {
	raw, err := os.ReadFile(strictCasesFile)
	if err != nil {
		t.Fatal(err)
	}
	var cases struct {
		Refused, Accepted map[string]json.RawMessage
	}
	if err := json.Unmarshal(raw, &cases); err != nil {
		t.Fatal(err)
	}
	if len(cases.Refused) < 10 || len(cases.Accepted) < 5 {
		t.Fatalf("%s: %d refused and %d accepted cases", strictCasesFile, len(cases.Refused), len(cases.Accepted))
	}
	for name, schema := range cases.Refused {
		if p := strictProblems(schema); len(p) == 0 {
			t.Errorf("%s: accepted, but the SDK refuses it: %s", name, schema)
		}
	}
	for name, schema := range cases.Accepted {
		if p := strictProblems(schema); len(p) != 0 {
			t.Errorf("%s: refused (%v), but the SDK converts it: %s", name, p, schema)
		}
	}
}
