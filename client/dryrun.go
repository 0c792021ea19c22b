package client

import (
	"context"
	"encoding/json"
	"errors"
	"net/url"
)

// ErrDryRun is returned by every write made with a DryRun context: the
// request was built by the normal code path, recorded, and not sent.
var ErrDryRun = errors.New("partnerstack: dry run, request not sent")

// PreparedRequest is what a write would send. It never holds credentials
// (they travel only in the Authorization header, which is not recorded).
type PreparedRequest struct {
	Method string          `json:"method"`
	URL    string          `json:"url"`
	Body   json.RawMessage `json:"body,omitempty"`
}

type dryRunKey struct{}

// DryRun returns a context under which writes are recorded into the returned
// PreparedRequest instead of being sent. Reads are still sent.
func DryRun(ctx context.Context) (context.Context, *PreparedRequest) {
	p := &PreparedRequest{}
	return context.WithValue(ctx, dryRunKey{}, p), p
}

// captureDryRun records a write when ctx asks for a dry run; it reports
// whether the request must not be sent.
func (c *Client) captureDryRun(ctx context.Context, method, path string, query url.Values, body any) (bool, error) {
	p, ok := ctx.Value(dryRunKey{}).(*PreparedRequest)
	if !ok || !isWrite(method) {
		return false, nil
	}
	p.Method = method
	p.URL = c.cfg.BaseURL + path
	if len(query) > 0 {
		p.URL += "?" + query.Encode()
	}
	if body != nil {
		raw, err := json.Marshal(body)
		if err != nil {
			return true, err
		}
		p.Body = raw
	}
	return true, ErrDryRun
}
