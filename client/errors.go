package client

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"time"
)

// ErrorKind tells callers what went wrong without parsing text.
type ErrorKind int

const (
	// KindAPI: PartnerStack answered with a non-2xx status.
	KindAPI ErrorKind = iota + 1
	// KindOutcomeUnknown: a write (POST/PATCH/DELETE) was sent but no trustworthy
	// answer came back (timeout, reset, 5xx, unreadable body). It may or may not
	// have been applied, so it was not retried; check before sending it again.
	KindOutcomeUnknown
	// KindTransport: a read failed below HTTP (after any retries).
	KindTransport
	// KindDecode: a 2xx read response was not the expected JSON envelope.
	KindDecode
	// KindTooLarge: a read's answer exceeded the response cap (16 MiB) and
	// was not read; it is not fetched again. A write's is KindOutcomeUnknown.
	KindTooLarge
)

// ErrResponseTooLarge is wrapped by the cause (Error.Err) of every answer
// that exceeded the response cap.
var ErrResponseTooLarge = errors.New("response too large")

// tooLarge is the cause of an answer over limit bytes.
func tooLarge(limit int) error {
	size := fmt.Sprintf("%d KiB", limit>>10)
	if limit >= 1<<20 && limit%(1<<20) == 0 {
		size = fmt.Sprintf("%d MiB", limit>>20)
	}
	return fmt.Errorf("%w: the answer was larger than %s and was not read", ErrResponseTooLarge, size)
}

func (k ErrorKind) String() string {
	switch k {
	case KindAPI:
		return "api"
	case KindOutcomeUnknown:
		return "outcome_unknown"
	case KindTransport:
		return "transport"
	case KindDecode:
		return "decode"
	case KindTooLarge:
		return "too_large"
	}
	return "unknown"
}

// Error is the one error type the client returns for request failures.
// Its text never contains keys or the Authorization header.
type Error struct {
	Kind       ErrorKind
	Method     string
	Path       string        // request path below the base URL, without query
	StatusCode int           // 0 when no HTTP response was received
	Message    string        // PartnerStack's message, when it sent one
	RetryAfter time.Duration // from Retry-After, when given
	Attempts   int           // attempts made, including retries
	Err        error         // underlying cause (transport, decode, context)
}

func (e *Error) Error() string {
	where := e.Method + " " + e.Path
	switch e.Kind {
	case KindAPI:
		s := fmt.Sprintf("partnerstack: %s: %d %s", where, e.StatusCode, http.StatusText(e.StatusCode))
		if e.Message != "" {
			s += ": " + e.Message
		}
		if e.RetryAfter > 0 {
			s += fmt.Sprintf(" (retry after %s)", e.RetryAfter)
		}
		return s
	case KindOutcomeUnknown:
		cause := "no response"
		if e.StatusCode != 0 {
			cause = fmt.Sprintf("%d %s", e.StatusCode, http.StatusText(e.StatusCode))
		}
		if e.Err != nil {
			cause += ": " + e.Err.Error()
		}
		return fmt.Sprintf("partnerstack: %s: outcome unknown, the write may or may not have been applied (%s)", where, cause)
	case KindDecode:
		return fmt.Sprintf("partnerstack: %s: unreadable response (status %d): %v", where, e.StatusCode, e.Err)
	case KindTooLarge:
		return fmt.Sprintf("partnerstack: %s: %v", where, e.Err)
	default:
		return fmt.Sprintf("partnerstack: %s: %v", where, e.Err)
	}
}

func (e *Error) Unwrap() error { return e.Err }

func asError(err error) (*Error, bool) {
	var e *Error
	ok := errors.As(err, &e)
	return e, ok
}

func hasStatus(err error, code int) bool {
	e, ok := asError(err)
	return ok && e.Kind == KindAPI && e.StatusCode == code
}

// IsNotFound reports a 404 from the API.
func IsNotFound(err error) bool { return hasStatus(err, http.StatusNotFound) }

// IsUnauthorized reports a 401 or 403: wrong, revoked or insufficient keys.
func IsUnauthorized(err error) bool {
	return hasStatus(err, http.StatusUnauthorized) || hasStatus(err, http.StatusForbidden)
}

// IsRateLimited reports a 429 that survived the retry policy.
func IsRateLimited(err error) bool { return hasStatus(err, http.StatusTooManyRequests) }

// IsValidation reports a 400: the API rejected the request's content.
func IsValidation(err error) bool { return hasStatus(err, http.StatusBadRequest) }

// IsOutcomeUnknown reports a write whose effect could not be confirmed.
func IsOutcomeUnknown(err error) bool {
	e, ok := asError(err)
	return ok && e.Kind == KindOutcomeUnknown
}

// IsCanceled reports a request stopped by its context (cancelled or deadline).
func IsCanceled(err error) bool {
	return errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded)
}

// IsTooLarge reports an answer that exceeded the response cap (on a write,
// also IsOutcomeUnknown: the write was answered, so it was applied).
func IsTooLarge(err error) bool { return errors.Is(err, ErrResponseTooLarge) }

// IsServerError reports a 5xx from the API on a read (a write's 5xx is
// outcome unknown, see IsOutcomeUnknown).
func IsServerError(err error) bool {
	e, ok := asError(err)
	return ok && e.Kind == KindAPI && e.StatusCode >= 500
}
