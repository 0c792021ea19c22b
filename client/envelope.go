package client

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
)

// envelope is PartnerStack's wrapper around every response:
// {"data": ..., "message": "...", "status": 200}. Errors carry no data.
// Data decodes straight into the caller's value, in the same pass as the
// envelope: no intermediate copy of the data bytes.
type envelope struct {
	Data    dataField       `json:"data"`
	Message string          `json:"message"`
	Status  json.RawMessage `json:"status"` // an integer in practice; tolerated as anything
}

// dataField decodes "data" into out (when set) and notes whether it held
// anything but null.
type dataField struct {
	out     any
	present bool
}

func (d *dataField) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		return nil
	}
	d.present = true
	if d.out == nil {
		return nil
	}
	if err := json.Unmarshal(b, d.out); err != nil {
		return &dataError{err}
	}
	return nil
}

// dataError marks a data shape mismatch, as opposed to a broken envelope.
type dataError struct{ err error }

func (e *dataError) Error() string { return e.err.Error() }
func (e *dataError) Unwrap() error { return e.err }

// decodeEnvelope parses a 2xx body and unmarshals data into out (when out is
// not nil). It returns the envelope message.
func decodeEnvelope(body []byte, out any) (string, error) {
	if len(bytes.TrimSpace(body)) == 0 {
		return "", errors.New("empty body where a JSON envelope was expected")
	}
	env := envelope{Data: dataField{out: out}}
	if err := json.Unmarshal(body, &env); err != nil {
		var de *dataError
		if errors.As(err, &de) {
			return env.Message, fmt.Errorf("data does not match the expected shape: %w", describeJSONError(de.err))
		}
		return "", fmt.Errorf("body is not a JSON envelope: %w", describeJSONError(err))
	}
	if _, optional := out.(optionalData); out != nil && !optional && !env.Data.present {
		return env.Message, errors.New("envelope has no data")
	}
	return env.Message, nil
}

// errorMessage extracts PartnerStack's message from an error body, best effort:
// a non-JSON error page yields a short, printable excerpt instead.
func errorMessage(body []byte) string {
	var env struct {
		Message string `json:"message"`
		Error   string `json:"error"`
	}
	if json.Unmarshal(body, &env) == nil {
		if env.Message != "" {
			return env.Message
		}
		return env.Error
	}
	return ""
}

// describeJSONError keeps decode errors short; the raw body is never echoed
// because it is untrusted and may be large.
func describeJSONError(err error) error {
	var syn *json.SyntaxError
	if errors.As(err, &syn) {
		if strings.Contains(syn.Error(), "unexpected end") {
			return errors.New("truncated JSON")
		}
		return fmt.Errorf("invalid JSON at byte %d", syn.Offset)
	}
	var typ *json.UnmarshalTypeError
	if errors.As(err, &typ) {
		// Value quotes the offending literal for numbers ("number 1e999"),
		// which a hostile body can make megabytes long.
		value := typ.Value
		if len(value) > 40 {
			value = value[:40] + "..."
		}
		return fmt.Errorf("field %q has JSON type %s, want %s", clipField(typ.Field), value, typ.Type)
	}
	return err
}

// clipField bounds a JSON field path in an error; nesting is attacker-chosen.
func clipField(f string) string {
	if len(f) > 80 {
		return f[:80] + "..."
	}
	return f
}

// optionalData marks an out value whose data may be absent or of another
// shape: the answer of a write no source documents. Its reader checks
// what it got (and reads the object back when it got nothing).
type optionalData interface{ optionalData() }

// maybe holds the data of such an answer: the object when data decodes as
// one, the zero value when it is absent, null or of another shape.
type maybe[T any] struct{ v T }

func (*maybe[T]) optionalData() {}

// UnmarshalJSON keeps what decodes and drops the rest.
func (m *maybe[T]) UnmarshalJSON(b []byte) error {
	if json.Unmarshal(b, &m.v) != nil {
		var zero T
		m.v = zero
	}
	return nil
}
