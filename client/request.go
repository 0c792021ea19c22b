package client

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"time"

	"github.com/go-resty/resty/v2"
)

// DefaultMaxResponseBytes bounds what one response may make us read into
// memory (Config.MaxResponseBytes); a larger answer is an error of
// KindTooLarge (or, for a write, outcome unknown).
const DefaultMaxResponseBytes = 16 << 20

func isWrite(method string) bool {
	return method != http.MethodGet && method != http.MethodHead
}

// do sends one logical request (with the retry policy) and decodes the
// envelope's data into out (nil to ignore it). path is below the base URL,
// e.g. "/v2/partnerships".
func (c *Client) do(ctx context.Context, method, path string, query url.Values, body, out any) error {
	if ctx == nil {
		ctx = context.Background()
	}
	// The body is encoded once, here: these bytes are what a dry run shows,
	// what the duplicate guard fingerprints and what is sent.
	var raw []byte
	if body != nil {
		var err error
		if raw, err = json.Marshal(body); err != nil {
			return fmt.Errorf("partnerstack: %s %s: encoding the request body: %w", method, path, err)
		}
	}
	if isWrite(method) {
		u := c.cfg.BaseURL + path
		if len(query) > 0 {
			u += "?" + query.Encode()
		}
		if err := beforeWrite(ctx, PreparedRequest{Method: method, URL: u, Body: raw}); err != nil {
			return err
		}
	}
	route := routeTemplate(path)
	ctx, span := c.tel.start(ctx, method, route)
	start := time.Now()
	status, attempts := 0, 1
	var fail *Error // nil on success
	defer func() { c.tel.end(ctx, span, start, method, route, status, attempts, fail) }()

	req := c.http.R().SetContext(ctx).AddRetryCondition(retryCondition(ctx, method, c.cfg.MaxRetryAfter))
	if len(query) > 0 {
		req.SetQueryParamsFromValues(query)
	}
	if raw != nil {
		req.SetHeader("Content-Type", "application/json").SetBody(raw)
	}
	resp, err := req.Execute(method, path)

	if resp != nil && resp.Request != nil && resp.Request.Attempt > 0 {
		attempts = resp.Request.Attempt
	}
	if resp != nil && resp.RawResponse != nil {
		status = resp.StatusCode()
	}
	if c.logger.Enabled(ctx, slog.LevelDebug) { // off by default: skip building the attributes
		c.logger.DebugContext(ctx, "partnerstack request", "method", method, "path", path,
			"status", status, "attempts", attempts, "duration", time.Since(start))
	}

	fail = &Error{Method: method, Path: path, StatusCode: status, Attempts: attempts}
	if err != nil {
		fail.Err = stripURL(err)
		switch {
		case errors.Is(err, resty.ErrResponseBodyTooLarge):
			fail.Err, fail.Kind = tooLarge(c.cfg.MaxResponseBytes), KindTooLarge
			if isWrite(method) {
				fail.Kind = KindOutcomeUnknown
			}
		case isWrite(method) && !notSent(err):
			fail.Kind = KindOutcomeUnknown
		default:
			fail.Kind = KindTransport
		}
		return fail
	}
	answer := resp.Body()
	if status >= 300 { // redirects are not followed (see New), so a 3xx is an answer we cannot use
		fail.Message = errorMessage(answer)
		fail.RetryAfter = parseRetryAfter(resp.Header().Get("Retry-After"))
		fail.Kind = KindAPI
		if isWrite(method) && status >= 500 {
			fail.Kind = KindOutcomeUnknown
		}
		return fail
	}
	if _, derr := decodeEnvelope(answer, out); derr != nil {
		fail.Err = derr
		fail.Kind = KindDecode
		if isWrite(method) {
			// A 2xx means the API processed the write; we just cannot read what it did.
			fail.Kind = KindOutcomeUnknown
		}
		return fail
	}
	fail = nil
	return nil
}

// stripURL drops the *url.Error wrapper, whose text repeats the full URL;
// our Error already says method and path.
func stripURL(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		return ue.Err
	}
	return err
}
