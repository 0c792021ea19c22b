package client

import (
	"bytes"
	"encoding/json"
	"errors"
	"math"
	"strconv"
	"strings"
)

// Lenient decoding for the values no source types firmly. A number where a
// string was expected (or the reverse) in one of them must not fail a whole
// page of results, so these types read what they can and drop the rest:
//   - Stats (partnership stats): value types unverified (API notes, section
//     10 row 11); integers, floats and numeric strings are read as int64.
//   - Switches (group features): booleans, "true"/"false" and 0/1.
//   - Flag: a boolean that may arrive as a string (the documented webhook
//     sample has "archived": "false").
//   - the archived flag: vendor schemas do not show it and the Partner API
//     calls it is_archived (row 13), so every object with one reads both
//     `archived` and `is_archived` (decodeArchived).

// Stats are a partnership's UPPER_SNAKE counters; money in cents. A value
// that is not a number (or a numeric string) is left out.
type Stats map[string]int64

// UnmarshalJSON reads each value as leniently as readInt allows.
func (s *Stats) UnmarshalJSON(b []byte) error {
	var raw map[string]json.RawMessage
	if json.Unmarshal(b, &raw) != nil || raw == nil {
		*s = nil // not an object (or null): the stats are lost, not the page
		return nil
	}
	out := make(Stats, len(raw))
	for k, v := range raw {
		if n, ok := readInt(v); ok {
			out[k] = n
		}
	}
	*s = out
	return nil
}

// Switches are a group's feature flags. A value that is neither a boolean, a
// boolean string nor a number is left out.
type Switches map[string]bool

// UnmarshalJSON reads each value as leniently as readBool allows.
func (s *Switches) UnmarshalJSON(b []byte) error {
	var raw map[string]json.RawMessage
	if json.Unmarshal(b, &raw) != nil || raw == nil {
		*s = nil
		return nil
	}
	out := make(Switches, len(raw))
	for k, v := range raw {
		if t, ok := readBool(v); ok {
			out[k] = t
		}
	}
	*s = out
	return nil
}

// Flag is a boolean that also accepts "true"/"false" strings and numbers;
// anything else (null included) reads as false.
type Flag bool

// UnmarshalJSON never fails.
func (f *Flag) UnmarshalJSON(b []byte) error {
	t, _ := readBool(b)
	*f = Flag(t)
	return nil
}

// scalar is v's text, unquoted when it is a JSON string.
func scalar(v []byte) string {
	s := string(bytes.TrimSpace(v))
	if len(s) > 0 && s[0] == '"' {
		if uq, err := strconv.Unquote(s); err == nil {
			return strings.TrimSpace(uq)
		}
	}
	return s
}

func readInt(v json.RawMessage) (int64, bool) {
	s := scalar(v)
	if n, err := strconv.ParseInt(s, 10, 64); err == nil {
		return n, true
	}
	if f, err := strconv.ParseFloat(s, 64); err == nil && !math.IsInf(f, 0) && !math.IsNaN(f) &&
		math.Abs(f) < math.MaxInt64 {
		return int64(math.Round(f)), true
	}
	return 0, false
}

func readBool(v []byte) (bool, bool) {
	s := scalar(v)
	if t, err := strconv.ParseBool(s); err == nil {
		return t, true
	}
	if f, err := strconv.ParseFloat(s, 64); err == nil {
		return f != 0, true
	}
	return false, false
}

// The archived flag of every object that has one is read by an UnmarshalJSON
// of this shape: the object's own fields decode through a method-less copy
// of its type, and the two spellings, declared at the outer level, shadow its
// `archived` field (the shallower field wins in encoding/json), so one pass
// reads both, leniently:
//
//	aux := struct {
//		*plain
//		Archived   Flag `json:"archived"`
//		IsArchived Flag `json:"is_archived"`
//	}{plain: (*plain)(x)}
//
// archivedOf folds the two into the object's bool.
func archivedOf(archived, isArchived Flag) bool { return bool(archived || isArchived) }

func (p *Partnership) UnmarshalJSON(b []byte) error {
	type plain Partnership
	aux := struct {
		*plain
		Archived   Flag `json:"archived"`
		IsArchived Flag `json:"is_archived"`
	}{plain: (*plain)(p)}
	err := json.Unmarshal(b, &aux)
	p.Archived = archivedOf(aux.Archived, aux.IsArchived)
	return err
}

func (c *Customer) UnmarshalJSON(b []byte) error {
	type plain Customer
	aux := struct {
		*plain
		Archived   Flag `json:"archived"`
		IsArchived Flag `json:"is_archived"`
	}{plain: (*plain)(c)}
	err := json.Unmarshal(b, &aux)
	c.Archived = archivedOf(aux.Archived, aux.IsArchived)
	return err
}

func (t *Transaction) UnmarshalJSON(b []byte) error {
	type plain Transaction
	aux := struct {
		*plain
		Archived   Flag `json:"archived"`
		IsArchived Flag `json:"is_archived"`
	}{plain: (*plain)(t)}
	err := json.Unmarshal(b, &aux)
	t.Archived = archivedOf(aux.Archived, aux.IsArchived)
	return err
}

func (d *Deal) UnmarshalJSON(b []byte) error {
	type plain Deal
	aux := struct {
		*plain
		Archived   Flag `json:"archived"`
		IsArchived Flag `json:"is_archived"`
	}{plain: (*plain)(d)}
	err := json.Unmarshal(b, &aux)
	d.Archived = archivedOf(aux.Archived, aux.IsArchived)
	return err
}

func (l *Lead) UnmarshalJSON(b []byte) error {
	type plain Lead
	aux := struct {
		*plain
		Archived   Flag `json:"archived"`
		IsArchived Flag `json:"is_archived"`
	}{plain: (*plain)(l)}
	err := json.Unmarshal(b, &aux)
	l.Archived = archivedOf(aux.Archived, aux.IsArchived)
	return err
}

func (g *Group) UnmarshalJSON(b []byte) error {
	type plain Group
	aux := struct {
		*plain
		Archived   Flag `json:"archived"`
		IsArchived Flag `json:"is_archived"`
	}{plain: (*plain)(g)}
	err := json.Unmarshal(b, &aux)
	g.Archived = archivedOf(aux.Archived, aux.IsArchived)
	return err
}

func (w *Webhook) UnmarshalJSON(b []byte) error {
	type plain Webhook
	aux := struct {
		*plain
		Archived   Flag `json:"archived"`
		IsArchived Flag `json:"is_archived"`
	}{plain: (*plain)(w)}
	err := json.Unmarshal(b, &aux)
	w.Archived = archivedOf(aux.Archived, aux.IsArchived)
	return err
}

func (a *Action) UnmarshalJSON(b []byte) error {
	type plain Action
	aux := struct {
		*plain
		Archived   Flag `json:"archived"`
		IsArchived Flag `json:"is_archived"`
	}{plain: (*plain)(a)}
	err := json.Unmarshal(b, &aux)
	a.Archived = archivedOf(aux.Archived, aux.IsArchived)
	return err
}

// Items is a list that arrives whole, not paged, in a shape no source shows
// (sales-cycle stages, referral links): data as a bare array, or as an
// object holding the array in items, are both read; anything else is a
// decode error, so a caller can tell "no items" from "unreadable".
type Items[T any] []T

// UnmarshalJSON reads an array, or an object's items array.
func (l *Items[T]) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if len(b) > 0 && b[0] == '{' {
		var obj struct {
			Items *[]T `json:"items"`
		}
		if err := json.Unmarshal(b, &obj); err != nil {
			return err
		}
		if obj.Items == nil {
			return errors.New("an object without items where a list was expected")
		}
		*l = *obj.Items
		return nil
	}
	var arr []T
	if err := json.Unmarshal(b, &arr); err != nil {
		return err
	}
	*l = arr
	return nil
}
