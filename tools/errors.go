package tools

import (
	"context"
	"errors"
	"fmt"
	"math"
	"net/http"
	"strings"

	"github.com/mark3labs/mcp-go/mcp"

	"github.com/partnerstack-mcp/partnerstack-mcp/client"
)

// ArgError is a bad argument: which one, what is wrong, how to fix it.
type ArgError struct {
	Field   string
	Problem string
	Fix     string
}

func (e *ArgError) Error() string {
	var b strings.Builder
	b.WriteString("invalid argument")
	if e.Field != "" {
		b.WriteString(" '" + e.Field + "'")
	}
	b.WriteString(": " + e.Problem)
	if e.Fix != "" {
		b.WriteString(". Fix: " + e.Fix)
	}
	return b.String()
}

func argErr(field, problem, fix string) error {
	return &ArgError{Field: field, Problem: problem, Fix: fix}
}

// errorResult turns any handler error into an isError tool result whose text
// tells the model what happened and what to do next.
func errorResult(err error) *mcp.CallToolResult {
	return mcp.NewToolResultError(describe(err))
}

// describe maps errors to actionable text. Client errors never contain keys.
func describe(err error) string {
	var ae *ArgError
	if errors.As(err, &ae) {
		return joinedText(err)
	}
	var ce *client.Error
	if errors.As(err, &ce) {
		return describeAPI(ce)
	}
	switch {
	case errors.Is(err, context.DeadlineExceeded):
		return "The call timed out before PartnerStack answered. Retry it; for a write, first check with the matching list tool whether it was applied."
	case errors.Is(err, context.Canceled):
		return "The call was cancelled."
	case errors.Is(err, client.ErrEmptyKey):
		return "invalid argument: an identifier was empty. Fix: pass the key shown by the list or get tool."
	}
	return "Internal error: " + err.Error()
}

// joinedText renders errors.Join of ArgErrors one per line.
func joinedText(err error) string {
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		var lines []string
		for _, e := range j.Unwrap() {
			lines = append(lines, e.Error())
		}
		return strings.Join(lines, "\n")
	}
	return err.Error()
}

func describeAPI(e *client.Error) string {
	head := fmt.Sprintf("PartnerStack %s %s", e.Method, e.Path)
	switch e.Kind {
	case client.KindOutcomeUnknown:
		return head + ": outcome unknown: the request was sent but no reliable answer came back, so it may or may not have been applied. It was not retried. " +
			"Check with the matching list or get tool before sending it again."
	case client.KindTransport:
		return head + ": could not reach PartnerStack (" + e.Err.Error() + "). Retry later."
	case client.KindDecode:
		return head + ": PartnerStack sent an unreadable response (" + e.Err.Error() + "). Retry later."
	}
	msg := fmt.Sprintf("%s failed with %d", head, e.StatusCode)
	if e.Message != "" {
		msg += ": " + e.Message
	}
	switch e.StatusCode {
	case http.StatusUnauthorized, http.StatusForbidden:
		return msg + ". Hint: the API keys are wrong, revoked or lack access; check PARTNERSTACK_PUBLIC_KEY and PARTNERSTACK_SECRET_KEY."
	case http.StatusNotFound:
		return msg + ". Hint: no object has the key '" + lastSegment(e.Path) + "'; find the right key with the matching list tool."
	case http.StatusTooManyRequests:
		wait := "a little while"
		if e.RetryAfter > 0 {
			wait = fmt.Sprintf("%d s", int(math.Ceil(e.RetryAfter.Seconds())))
		}
		return msg + ". Hint: rate limited; retry after " + wait + "."
	case http.StatusBadRequest:
		return msg + ". Hint: PartnerStack rejected the values; correct the named field and retry."
	}
	if e.StatusCode >= 500 {
		return msg + ". Hint: PartnerStack had a server error; retry later."
	}
	return msg + "."
}

func lastSegment(path string) string {
	if i := strings.LastIndexByte(path, '/'); i >= 0 {
		return path[i+1:]
	}
	return path
}
