package client

import (
	"context"
	"encoding/json"
	"errors"
)

// ErrDryRun is returned by every write made with a DryRun context: the
// request was built by the normal code path, recorded, and not sent.
var ErrDryRun = errors.New("partnerstack: dry run, request not sent")

// PreparedRequest is a write exactly as it is (or would be) sent: Body holds
// the bytes that go on the wire. It never holds credentials (they travel
// only in the Authorization header, which is not recorded).
type PreparedRequest struct {
	Method string          `json:"method"`
	URL    string          `json:"url"`
	Body   json.RawMessage `json:"body,omitempty"`
}

type dryRunKey struct{}

type writeCheckKey struct{}

// DryRun returns a context under which writes are recorded into the returned
// PreparedRequest instead of being sent. Reads are still sent.
func DryRun(ctx context.Context) (context.Context, *PreparedRequest) {
	p := &PreparedRequest{}
	return context.WithValue(ctx, dryRunKey{}, p), p
}

// WithWriteCheck returns a context under which check sees every write just
// before it is sent, as it will be sent; a non-nil error stops the write and
// is returned as it is. The duplicate-write guard fingerprints requests here.
func WithWriteCheck(ctx context.Context, check func(PreparedRequest) error) context.Context {
	return context.WithValue(ctx, writeCheckKey{}, check)
}

// beforeWrite is the last step before a write leaves: a dry run records p
// and stops it (ErrDryRun); a write check may refuse it.
func beforeWrite(ctx context.Context, p PreparedRequest) error {
	if rec, ok := ctx.Value(dryRunKey{}).(*PreparedRequest); ok {
		*rec = p
		return ErrDryRun
	}
	if check, ok := ctx.Value(writeCheckKey{}).(func(PreparedRequest) error); ok {
		return check(p)
	}
	return nil
}
