package client

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
)

// Object fields every PartnerStack object carries.
type Base struct {
	Key       string `json:"key"`
	CreatedAt int64  `json:"created_at"` // epoch ms
	UpdatedAt int64  `json:"updated_at"` // epoch ms
}

// ItemKey is the object's cursor for pagination.
func (b Base) ItemKey() string { return b.Key }

// Created is the object's created_at (epoch ms), which list time filters
// and the tools' client-side checks of them read.
func (b Base) Created() int64 { return b.CreatedAt }

// Ref is a nested object reduced to its identity, as the API embeds them.
type Ref struct {
	Key  string `json:"key"`
	Name string `json:"name,omitempty"`
}

// FieldData is one custom or built-in form field value.
type FieldData struct {
	APIName  string `json:"api_name,omitempty"`
	Name     string `json:"name,omitempty"`
	Value    any    `json:"value,omitempty"`
	Type     string `json:"type,omitempty"`
	ReadOnly bool   `json:"read_only,omitempty"`
}

// KeyError refuses an identifier that cannot name one object in a URL path.
// Path escaping leaves "." and ".." as they are, and any proxy that
// normalises paths (RFC 3986 section 5.2.4) reads /v2/customers/.. as /v2:
// another endpoint. Such keys, and keys that are blank, are never sent.
type KeyError struct {
	Key     string // the identifier as given
	Problem string // what is wrong with it
}

func (e *KeyError) Error() string {
	return fmt.Sprintf("partnerstack: identifier %q %s", e.Key, e.Problem)
}

// CheckKey refuses, with a *KeyError, an identifier no object can have (a
// blank or dot-segment key), so a lookup that would not put it in a path
// refuses it as a path would.
func CheckKey(id string) error {
	switch strings.TrimSpace(id) {
	case "":
		return &KeyError{Key: id, Problem: "is empty"}
	case ".", "..":
		return &KeyError{Key: id, Problem: "is a dot-segment, which a URL path reads as the current or parent path, not as a key"}
	}
	return nil
}

// objectPath is the one place an identifier enters a URL path: the
// collection path, a slash and the escaped identifier, which therefore is
// always exactly one segment below the collection.
func objectPath(collection, id string) (string, error) {
	if err := CheckKey(id); err != nil {
		return "", err
	}
	return collection + "/" + url.PathEscape(id), nil
}

func getObject[T any](ctx context.Context, c *Client, collection, id string) (*T, error) {
	path, err := objectPath(collection, id)
	if err != nil {
		return nil, err
	}
	var out T
	if err := c.do(ctx, http.MethodGet, path, nil, nil, &out); err != nil {
		return nil, err
	}
	return &out, nil
}

// writeObject sends a POST or PATCH whose response data is the object.
func writeObject[T any](ctx context.Context, c *Client, method, path string, body any) (*T, error) {
	var out T
	if err := c.do(ctx, method, path, nil, body, &out); err != nil {
		return nil, err
	}
	return &out, nil
}

// writeMaybe sends a write whose answer is not documented: the object when
// the data decodes as one, else a zero T (its Key empty), which callers
// take as "read it back".
func writeMaybe[T any](ctx context.Context, c *Client, method, path string, body any) (*T, error) {
	var out maybe[T]
	if err := c.do(ctx, method, path, nil, body, &out); err != nil {
		return nil, err
	}
	return &out.v, nil
}

// patchObject updates one object by identifier.
func patchObject[T any](ctx context.Context, c *Client, collection, id string, body any) (*T, error) {
	path, err := objectPath(collection, id)
	if err != nil {
		return nil, err
	}
	return writeObject[T](ctx, c, http.MethodPatch, path, body)
}

// deleteObject archives or deletes one object; the API answers {message,status}.
func deleteObject(ctx context.Context, c *Client, collection, id string) error {
	path, err := objectPath(collection, id)
	if err != nil {
		return err
	}
	return c.do(ctx, http.MethodDelete, path, nil, nil, nil)
}
