package client

import (
	"context"
	"errors"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/go-resty/resty/v2"
)

// maxResponseBytes bounds what one response may make us read into memory.
const maxResponseBytes = 16 << 20

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
	if skip, err := c.captureDryRun(ctx, method, path, query, body); skip {
		return err
	}
	req := c.http.R().SetContext(ctx).AddRetryCondition(retryCondition(ctx, method, c.cfg.MaxRetryAfter))
	if len(query) > 0 {
		req.SetQueryParamsFromValues(query)
	}
	if body != nil {
		req.SetHeader("Content-Type", "application/json").SetBody(body)
	}
	start := time.Now()
	resp, err := req.Execute(method, path)

	attempts := 1
	if resp != nil && resp.Request != nil && resp.Request.Attempt > 0 {
		attempts = resp.Request.Attempt
	}
	status := 0
	if resp != nil && resp.RawResponse != nil {
		status = resp.StatusCode()
	}
	c.logger.DebugContext(ctx, "partnerstack request", "method", method, "path", path,
		"status", status, "attempts", attempts, "duration", time.Since(start))

	fail := &Error{Method: method, Path: path, StatusCode: status, Attempts: attempts}
	if err != nil {
		fail.Err = stripURL(err)
		switch {
		case isWrite(method) && !notSent(err):
			fail.Kind = KindOutcomeUnknown
		default:
			fail.Kind = KindTransport
		}
		return fail
	}
	raw := resp.Body()
	if status >= 400 {
		fail.Message = errorMessage(raw)
		fail.RetryAfter = parseRetryAfter(resp.Header().Get("Retry-After"))
		fail.Kind = KindAPI
		if isWrite(method) && status >= 500 {
			fail.Kind = KindOutcomeUnknown
		}
		return fail
	}
	if _, derr := decodeEnvelope(raw, out); derr != nil {
		fail.Err = derr
		fail.Kind = KindDecode
		if isWrite(method) {
			// A 2xx means the API processed the write; we just cannot read what it did.
			fail.Kind = KindOutcomeUnknown
		}
		return fail
	}
	return nil
}

// retryCondition is the money-safe retry policy. Reads retry on 429 (when the
// requested wait is within maxWait), 502/503/504 and transport errors. Writes
// retry only when the request provably was not processed: a 429, or a
// connection that failed before anything was sent. A per-attempt timeout
// counts as a transport error, retried for reads only.
func retryCondition(ctx context.Context, method string, maxWait time.Duration) resty.RetryConditionFunc {
	write := isWrite(method)
	return func(r *resty.Response, err error) bool {
		if ctx.Err() != nil { // the caller gave up; a per-attempt timeout is not this
			return false
		}
		if err != nil {
			if write {
				return notSent(err)
			}
			return true
		}
		if r == nil { // resty may call conditions without a response
			return false
		}
		switch r.StatusCode() {
		case http.StatusTooManyRequests:
			return parseRetryAfter(r.Header().Get("Retry-After")) <= maxWait
		case http.StatusBadGateway, http.StatusServiceUnavailable, http.StatusGatewayTimeout:
			return !write
		}
		return false
	}
}

// retryAfterDelay feeds Retry-After to resty's backoff; 0 means "use backoff".
func retryAfterDelay(_ *resty.Client, r *resty.Response) (time.Duration, error) {
	if r == nil || r.StatusCode() != http.StatusTooManyRequests {
		return 0, nil
	}
	return parseRetryAfter(r.Header().Get("Retry-After")), nil
}

// parseRetryAfter reads delta-seconds or an HTTP date; 0 when absent or invalid.
func parseRetryAfter(v string) time.Duration {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0
	}
	if s, err := strconv.Atoi(v); err == nil && s >= 0 {
		return time.Duration(s) * time.Second
	}
	if t, err := http.ParseTime(v); err == nil {
		if d := time.Until(t); d > 0 {
			return d.Round(time.Second)
		}
	}
	return 0
}

// notSent reports transport errors that happened before the request left:
// a failed dial (refused, DNS, unreachable). Anything later may have reached
// the server.
func notSent(err error) bool {
	var op *net.OpError
	if errors.As(err, &op) && op.Op == "dial" {
		return true
	}
	var dns *net.DNSError
	if errors.As(err, &dns) {
		return true
	}
	return errors.Is(err, syscall.ECONNREFUSED)
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
