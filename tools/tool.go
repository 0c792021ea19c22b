// Package tools defines every MCP tool of the server: one file per resource
// group, each tool an args struct, a short handler and annotations. The
// mechanisms they share (typed tool construction, list gathering, trimming,
// error mapping, dry runs) live once in this package.
package tools

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync"

	"github.com/mark3labs/mcp-go/mcp"
	"github.com/mark3labs/mcp-go/server"

	"github.com/partnerstack-mcp/partnerstack-mcp/schemas"
)

// Tool is one registered tool: its MCP definition plus what the server needs
// to filter it (toolset, opt-in, read-only).
type Tool struct {
	Toolset ToolsetID
	// OptIn tools are offered only when their toolset is named in
	// --toolsets (or all), never by default: the rarer operations of a
	// family, kept out of the default tools/list and its token budget.
	OptIn   bool
	Def     mcp.Tool
	Handler server.ToolHandlerFunc

	rowShape json.RawMessage           // a list tool's item schema (table.go), for ShareShapes
	argsOf   func() (argSchema, error) // the compiled input schema, built on first use
	fresh    func() reflected          // the schemas reflected now, bypassing schemacache.json
}

// ReadOnly reports whether the tool never changes PartnerStack data.
func (t Tool) ReadOnly() bool {
	return t.Def.Annotations.ReadOnlyHint != nil && *t.Def.Annotations.ReadOnlyHint
}

// spec is the data part of a tool definition.
type spec struct {
	name, title, description, toolset string
	hints                             effect // the MCP hints follow from it (hints.go)
	optIn                             bool   // Tool.OptIn
	// guard, when set, refuses a repeat of a recent identical write (dedupe.go).
	guard *dedupeGuard
}

// validatable args check rules a schema cannot express (exactly one of, dates).
type validatable interface {
	validate() error
}

// respelled args still accept an earlier spelling of an argument that the
// published schema no longer shows: respell rewrites the parsed arguments to
// the published form before validation, so both spellings are checked, and
// fingerprinted for the duplicate guard, alike.
type respelled interface {
	respell(doc map[string]any) bool
}

// argSchema is what decoding needs of a tool's input schema.
type argSchema struct {
	validator *schemas.Validator
	valid     []string           // property names, for "not a known argument"
	optionals *schemas.Optionals // whose null means "not given"
	enforced  json.RawMessage    // the full input schema; Def holds the published form
}

// handlerFunc is a tool's logic: typed args in, a result struct out. Return
// an *ArgError for bad input or any client error; both become tool errors.
type handlerFunc[A, R any] func(ctx context.Context, call *Call, args *A) (R, error)

// newTool builds the MCP definition from A and R (schemas reflected once, at
// start-up) and wraps fn with decoding, validation and result rendering.
func newTool[A, R any](s spec, fn handlerFunc[A, R]) Tool {
	sc, fresh := schemasOf[A, R](s.name) // schemacache.go
	// The full input schema is reflected and its validator compiled on the
	// tool's first call, once: doing it for every tool was a third of
	// start-up, a session uses a few tools, and it costs that first call
	// well under a millisecond. TestEveryInputSchemaCompiles keeps a broken
	// schema from reaching users.
	argsOf := sync.OnceValues(func() (argSchema, error) {
		in := schemas.Reflect[A]()
		v, err := schemas.NewValidator(in)
		if err != nil {
			return argSchema{}, fmt.Errorf("internal error: the input schema of %s does not compile: %w", s.name, err)
		}
		return argSchema{validator: v, valid: schemas.Properties(in), optionals: schemas.OptionalsOf(in), enforced: in}, nil
	})
	if s.guard != nil {
		fn = guarded(s.guard, s, fn)
	}

	def := mcp.NewToolWithRawSchema(s.name, s.description, sc.Input)
	def.Title = s.title
	def.RawOutputSchema = sc.Output
	def.Annotations = wireHints(s.title, s.hints)

	handler := func(ctx context.Context, req mcp.CallToolRequest) (*mcp.CallToolResult, error) {
		as, err := argsOf()
		if err != nil {
			return errorResult(err), nil
		}
		args, argErr := decodeArgs[A](rawArguments(req), as)
		if argErr != nil {
			return errorResult(argErr), nil
		}
		call := newCall(ctx, req)
		res, err := fn(ctx, call, args)
		call.settle(ctx)
		if err != nil {
			err = keyArgError(err, args)
			if s.hints == readOnly {
				return errorResult(err), nil
			}
			return toolError(err, followUp(s, args)), nil
		}
		return structuredResult(res)
	}
	return Tool{Toolset: ToolsetID(s.toolset), OptIn: s.optIn, Def: def, Handler: handler, rowShape: sc.RowShape, argsOf: argsOf, fresh: fresh}
}

// rawArguments returns the call's arguments as JSON, preserving big integers.
func rawArguments(req mcp.CallToolRequest) []byte {
	if len(req.Params.RawArguments) > 0 {
		return req.Params.RawArguments
	}
	if req.Params.Arguments == nil {
		return []byte("{}")
	}
	raw, err := json.Marshal(req.Params.Arguments)
	if err != nil {
		return []byte("null")
	}
	return raw
}

// MaxArgumentBytes bounds one call's arguments; nothing legitimate comes close.
const MaxArgumentBytes = 64 << 10

// decodeArgs validates raw arguments against the schema and decodes them
// strictly. Every problem is reported at once, each naming its argument.
// null for an optional argument, at any depth, means "not given": this is
// the one place that reads it so, for every tool.
func decodeArgs[A any](raw []byte, s argSchema) (*A, error) {
	if len(raw) > MaxArgumentBytes {
		return nil, &ArgError{Problem: fmt.Sprintf("arguments are %d bytes; the limit is %d", len(raw), MaxArgumentBytes),
			Fix: "send shorter values"}
	}
	if trimmed := bytes.TrimSpace(raw); len(trimmed) == 0 || string(trimmed) == "null" {
		raw = []byte("{}")
	}
	doc, err := schemas.ParseDocument(raw)
	if err != nil {
		return nil, &ArgError{Problem: "arguments are not valid JSON", Fix: "send a JSON object"}
	}
	obj, ok := doc.(map[string]any)
	if !ok {
		return nil, &ArgError{Problem: "arguments must be a JSON object", Fix: "send an object of named arguments"}
	}
	if err := refuseInvisible(doc, ""); err != nil { // paths as the caller spelled them
		return nil, err
	}
	args := new(A)
	changed := s.optionals.DropNulls(obj)
	if r, ok := any(args).(respelled); ok && r.respell(obj) {
		changed = true
	}
	if problems := s.validator.Validate(doc); len(problems) > 0 {
		return nil, problemsError(problems, s.valid)
	}
	if changed {
		// Numbers are json.Number here, so re-encoding keeps them exact.
		if raw, err = json.Marshal(obj); err != nil {
			return nil, &ArgError{Problem: "arguments could not be re-encoded: " + err.Error(), Fix: "send plain JSON values"}
		}
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	if err := dec.Decode(args); err != nil {
		return nil, &ArgError{Problem: err.Error(), Fix: "check the argument types against the tool's input schema"}
	}
	if c, ok := any(args).(validatable); ok {
		if err := c.validate(); err != nil {
			return nil, err
		}
	}
	return args, nil
}

func problemsError(problems []schemas.Problem, valid []string) error {
	var errs []error
	for _, p := range problems {
		e := &ArgError{Field: p.Field, Problem: p.Message}
		switch p.Message {
		case "is not a known argument":
			e.Fix = "valid arguments are: " + strings.Join(valid, ", ")
		case "is required":
			e.Fix = "add it"
		default:
			// A null property left after decoding dropped the optional ones
			// is a required one (a null array element is not a property).
			last := p.Field[strings.LastIndex(p.Field, ".")+1:]
			if _, index := strconv.Atoi(last); strings.HasPrefix(p.Message, "got null,") && index != nil {
				e.Fix = "it is required: send a value (null means not given)"
				break
			}
			e.Fix = "see the tool's input schema"
		}
		errs = append(errs, e)
	}
	if len(errs) == 1 {
		return errs[0]
	}
	return errors.Join(errs...)
}

// structuredResult renders a result as structuredContent plus text for
// clients that only read text: compact JSON, or for lists one table in both
// (table.go). Invisible characters are stripped from every string first
// (sanitize.go): upstream text is untrusted.
func structuredResult(res any) (*mcp.CallToolResult, error) {
	js, err := json.Marshal(res)
	if err == nil {
		var structured []byte
		var text string
		if structured, text, err = publish(res, cleanJSON(js)); err == nil {
			return &mcp.CallToolResult{
				Content:           []mcp.Content{mcp.NewTextContent(text)},
				StructuredContent: json.RawMessage(structured),
			}, nil
		}
	}
	return errorResult(fmt.Errorf("internal error: result could not be encoded: %w", err)), nil
}
