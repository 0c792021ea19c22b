package client

import (
	"context"
	"errors"
	"net"
	"net/http"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/go-resty/resty/v2"
)

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
			if errors.Is(err, resty.ErrResponseBodyTooLarge) {
				return false // the same answer again would be as large
			}
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
