package tools

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"reflect"
	"slices"
	"strconv"
	"strings"

	"github.com/invopop/jsonschema"

	"github.com/partnerstack-mcp/partnerstack-mcp/schemas"
)

// The reflected schemas of every tool, generated into schemacache_gen.go.
// Reflecting them (invopop/jsonschema and the JSON passes of package
// schemas) was over half of start-up, and they follow from the Go types
// alone. A tool whose argument or result types changed since the file was
// written (its signature differs) is reflected at start-up as before, so a
// stale entry costs time but is never served; TestSchemaCache fails until
// the file matches the code. Rewrite it with:
//
//	UPDATE_GOLDEN=1 go test ./tools -run TestSchemaCache

// reflected is what newTool needs of a tool's schemas at start-up. The
// enforced input schema is left out: the validator is built on first use.
type reflected struct {
	Signature string
	Input     json.RawMessage // published form (schemas.Published)
	Output    json.RawMessage // before ShareShapes
	RowShape  json.RawMessage // a list's item schema; nil for other tools
}

// schemasOf returns the schemas of a tool taking A and answering R: the
// cached ones when its types are unchanged, else freshly reflected.
func schemasOf[A, R any](name string) (got reflected, fresh func() reflected) {
	sig := signature(reflect.TypeFor[A](), reflect.TypeFor[R]())
	fresh = func() reflected {
		out, row := outputSchemaOf[R]()
		return reflected{Signature: sig, Input: schemas.Published(schemas.Reflect[A]()), Output: out, RowShape: row}
	}
	if c, ok := cached(name); ok && c.Signature == sig {
		return c, fresh
	}
	return fresh(), fresh
}

// cacheEntry is one tool's line of schemaCache.
type cacheEntry struct {
	Name string
	reflected
}

// cached looks name up in schemaCache. The cache is a slice sorted by name,
// not a map: the compiler lays a slice literal of constants out in the
// binary, where a map (and each []byte in it) would be built by package
// init, about 5% of start-up.
func cached(name string) (reflected, bool) {
	i, ok := slices.BinarySearchFunc(schemaCache, name, func(e cacheEntry, name string) int { return strings.Compare(e.Name, name) })
	if !ok {
		return reflected{}, false
	}
	return schemaCache[i].reflected, true
}

// previewKey is the cache entry of the dry-run preview's shape, which
// ShareShapes refers to; no tool has that name.
const previewKey = "(dry-run preview)"

func previewSchemas() (reflected, func() reflected) { return schemasOf[struct{}, Preview](previewKey) }

// signature fingerprints what reflection reads of the types: every field's
// name, tags and type, recursively, and which types shape their own schema.
// It runs for every tool at start-up, so it only reads type metadata.
func signature(types ...reflect.Type) string {
	h := sha256.New()
	b := make([]byte, 0, 4096) // flushed into h when full
	var seen []reflect.Type
	var walk func(t reflect.Type)
	walk = func(t reflect.Type) {
		if len(b) > 3072 {
			h.Write(b)
			b = b[:0]
		}
		// A named type's name without its type arguments (the fields say
		// the rest; generic instantiations have very long names).
		name, _, _ := strings.Cut(t.Name(), "[")
		b = append(b, name...)
		b = append(b, 0, byte(t.Kind()))
		if slices.Contains(seen, t) {
			return
		}
		seen = append(seen, t)
		// (Value receivers only, like tableRow's: reflect.PointerTo would
		// search every type of the binary.)
		if t.Implements(ownSchema) {
			b = append(b, 'o')
		}
		switch t.Kind() {
		case reflect.Pointer, reflect.Slice, reflect.Array:
			walk(t.Elem())
		case reflect.Map:
			walk(t.Key())
			walk(t.Elem())
		case reflect.Struct:
			for i := range t.NumField() {
				f := t.Field(i)
				b = append(b, '{')
				b = append(b, f.Name...)
				b = append(b, 0)
				b = append(b, f.Tag...)
				b = strconv.AppendBool(append(b, 0), f.Anonymous)
				walk(f.Type)
				b = append(b, '}')
			}
		}
	}
	for _, t := range types {
		walk(t)
		b = append(b, '\n')
	}
	h.Write(b)
	return hex.EncodeToString(h.Sum(nil)[:12])
}

// ownSchema is implemented by types that give invopop their own schema
// (tableRow).
var ownSchema = reflect.TypeFor[interface{ JSONSchema() *jsonschema.Schema }]()
