package tools

import (
	"context"
	"encoding/json"
	"errors"

	"github.com/partnerstack-mcp/partnerstack-mcp/client"
)

// DryRunArg is embedded in every write tool's arguments.
type DryRunArg struct {
	DryRun bool `json:"dry_run,omitempty"` // explained once, in the server instructions
}

func (a *DryRunArg) dryRun() bool          { return a.DryRun }
func (a *DryRunArg) dryRunArg() *DryRunArg { return a }

// Preview is the request a dry run would have sent (never with credentials).
type Preview struct {
	Method string `json:"method"`
	URL    string `json:"url"`
	// Body is the request body byte for byte (json.RawMessage is copied as
	// it is); arguments cannot carry the characters results are cleaned of.
	Body json.RawMessage `json:"body,omitempty"`
}

// WriteResult is the answer of every write tool: the written object, or the
// preview of a dry run.
type WriteResult[T any] struct {
	Result  *T       `json:"result,omitempty"`
	DryRun  *Preview `json:"dry_run,omitempty"`
	Message string   `json:"message,omitempty"`
}

// write runs send (a client write) for real or as a dry run, and projects the
// object the API returned.
func write[T, P any](ctx context.Context, dry bool, send func(context.Context) (*T, error), project func(T) P) (WriteResult[P], error) {
	if dry {
		p, err := dryRun(ctx, func(ctx context.Context) error { _, err := send(ctx); return err })
		return WriteResult[P]{DryRun: p, Message: "Dry run: nothing was sent."}, err
	}
	obj, err := send(ctx)
	if err != nil {
		return WriteResult[P]{}, err
	}
	out := project(*obj)
	return WriteResult[P]{Result: &out}, nil
}

// DoneResult answers archive and delete tools.
type DoneResult struct {
	Key     string   `json:"key,omitempty"`
	Message string   `json:"message"`
	DryRun  *Preview `json:"dry_run,omitempty"`
}

// remove runs an archive or delete for real or as a dry run.
func remove(ctx context.Context, dry bool, key, done string, send func(context.Context) error) (DoneResult, error) {
	if dry {
		p, err := dryRun(ctx, send)
		return DoneResult{Key: key, DryRun: p, Message: "Dry run: nothing was sent."}, err
	}
	if err := send(ctx); err != nil {
		return DoneResult{}, err
	}
	return DoneResult{Key: key, Message: done}, nil
}

func dryRun(ctx context.Context, send func(context.Context) error) (*Preview, error) {
	dctx, prep := client.DryRun(ctx)
	err := send(dctx)
	if !errors.Is(err, client.ErrDryRun) {
		if err == nil {
			err = errors.New("dry run: the write path did not reach the client")
		}
		return nil, err
	}
	return &Preview{Method: prep.Method, URL: prep.URL, Body: prep.Body}, nil
}

// UnconfirmedError reports a write the API accepted whose effect, read
// back, is not what was asked: the request relied on something undocumented
// (an inferred body) that the API may have ignored. The message says what
// is true now.
type UnconfirmedError struct{ Msg string }

func (e *UnconfirmedError) Error() string { return e.Msg }
