package tools

import (
	"context"
	"errors"
	"fmt"
	"math"
	"reflect"
	"regexp"
	"strings"
	"unicode/utf8"

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
	return toolError(err, "")
}

// toolError is errorResult for a write tool: check names the follow-up that
// settles an unknown outcome, e.g. "list_transactions (customer_key=acme)".
// The text is cleaned of invisible characters: it can quote upstream text.
func toolError(err error, check string) *mcp.CallToolResult {
	return mcp.NewToolResultError(cleanText(describeFor(err, check)))
}

// followUpper is implemented by write arguments that can name the exact
// read which shows whether an unconfirmed write was applied.
type followUpper interface {
	followUp() string
}

// followUp names the check for a write tool's unknown outcome: the
// arguments' own hint, else the list tool of the tool's toolset.
func followUp(s spec, args any) string {
	if f, ok := args.(followUpper); ok {
		if h := f.followUp(); h != "" {
			return h
		}
	}
	if s.toolset == "" {
		return ""
	}
	return "list_" + s.toolset
}

// describe maps errors to actionable text. Client errors never contain keys.
func describe(err error) string { return describeFor(err, "") }

func describeFor(err error, check string) string {
	var ae *ArgError
	if errors.As(err, &ae) {
		return joinedText(err)
	}
	var de *DuplicateError
	if errors.As(err, &de) {
		return de.Error()
	}
	var ge *GuardUnavailableError
	if errors.As(err, &ge) {
		return ge.Error()
	}
	var gf *GuardFullError
	if errors.As(err, &gf) {
		return gf.Error()
	}
	var ue *UnconfirmedError
	if errors.As(err, &ue) {
		return ue.Error()
	}
	var ce *client.Error
	if errors.As(err, &ce) {
		return describeAPI(ce, check)
	}
	switch {
	case errors.Is(err, context.DeadlineExceeded):
		return "The call timed out before PartnerStack answered. Retry it; for a write, first check with " + checkOr(check) + " whether it was applied."
	case errors.Is(err, context.Canceled):
		return "The call was cancelled."
	}
	return "Internal error: " + clip(err.Error())
}

// keyArgError turns the client's refusal of an identifier (a blank or
// dot-segment key, which must never reach a URL path) into an argument error
// naming the argument that carried it.
func keyArgError(err error, args any) error {
	var ke *client.KeyError
	if !errors.As(err, &ke) {
		return err
	}
	return &ArgError{Field: fieldHolding(reflect.ValueOf(args), ke.Key), Problem: "'" + ke.Key + "' " + ke.Problem,
		Fix: "pass the key shown by the matching list or get tool"}
}

// fieldHolding is the JSON name of the first string argument in v (a
// pointer to an args struct; embedded structs included) whose value is s,
// or "" when none is: the key then came from PartnerStack data.
func fieldHolding(v reflect.Value, s string) string {
	for v.Kind() == reflect.Pointer && !v.IsNil() {
		v = v.Elem()
	}
	if v.Kind() != reflect.Struct {
		return ""
	}
	for i := range v.NumField() {
		f, fv := v.Type().Field(i), v.Field(i)
		if f.Anonymous {
			if name := fieldHolding(fv, s); name != "" {
				return name
			}
			continue
		}
		if fv.Kind() == reflect.Pointer && !fv.IsNil() {
			fv = fv.Elem()
		}
		if !f.IsExported() || fv.Kind() != reflect.String || fv.String() != s {
			continue
		}
		if name, _, _ := strings.Cut(f.Tag.Get("json"), ","); name != "" && name != "-" {
			return name
		}
	}
	return ""
}

func checkOr(check string) string {
	if check == "" {
		return "the matching list or get tool"
	}
	return check
}

// maxQuoted bounds upstream text quoted in an error (PartnerStack messages,
// decode errors): a hostile or broken upstream must not flood the model.
const maxQuoted = 300

func clip(s string) string {
	if len(s) <= maxQuoted {
		return s
	}
	cut := maxQuoted
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + "…"
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

func describeAPI(e *client.Error, check string) string {
	head := fmt.Sprintf("PartnerStack %s %s", e.Method, clip(e.Path))
	cause := "unknown cause"
	if e.Err != nil {
		cause = clip(e.Err.Error())
	}
	switch e.Kind {
	case client.KindOutcomeUnknown:
		return head + ": outcome unknown: the request was sent but no reliable answer came back, so it may or may not have been applied. It was not retried. " +
			"Check with " + checkOr(check) + " before sending it again."
	case client.KindTransport:
		switch {
		case errors.Is(e.Err, context.DeadlineExceeded):
			return head + ": the call ran out of time before PartnerStack answered. Retry, or ask for less (a smaller limit or date range)."
		case errors.Is(e.Err, context.Canceled):
			return "The call was cancelled."
		}
		return head + ": could not reach PartnerStack (" + cause + "). Retry later."
	case client.KindTooLarge:
		return head + ": " + strings.TrimPrefix(cause, client.ErrResponseTooLarge.Error()+": ") + " (nor fetched again). " +
			"Ask for less: a smaller limit, fewer fields or a narrower date range."
	case client.KindDecode:
		return head + ": PartnerStack sent an unreadable response (" + cause + "). Retry later."
	}
	if e.Method == "GET" && client.IsValidation(e) && cursorParam.MatchString(e.Message) {
		return (&ArgError{Field: "cursor", Problem: "PartnerStack did not accept it (" + clip(apiParamsAsArgs.Replace(e.Message)) + ")",
			Fix: "pass the next_cursor of an earlier result of this tool with the same filters, or leave cursor out to start at the first page"}).Error()
	}
	msg := fmt.Sprintf("%s failed with %d", head, e.StatusCode)
	if e.Message != "" {
		msg += ": " + clip(e.Message)
	}
	// The client's predicates classify the answer, so this file owns only
	// what to tell the model, not which statuses mean what.
	switch {
	case client.IsUnauthorized(e):
		return msg + ". Hint: the API keys are wrong, revoked or lack access; check PARTNERSTACK_PUBLIC_KEY and PARTNERSTACK_SECRET_KEY (or, when the server takes keys per request, the X-PartnerStack-Public-Key and X-PartnerStack-Secret-Key headers)."
	case client.IsNotFound(e):
		return msg + ". Hint: no object has the key '" + lastSegment(e.Path) + "'; find the right key with the matching list tool."
	case client.IsRateLimited(e):
		wait := "a little while"
		if e.RetryAfter > 0 {
			wait = fmt.Sprintf("%d s", int(math.Ceil(e.RetryAfter.Seconds())))
		}
		return msg + ". Hint: rate limited; retry after " + wait + "."
	case client.IsValidation(e):
		return msg + ". Hint: PartnerStack rejected the values; correct the named field and retry."
	case client.IsServerError(e):
		return msg + ". Hint: PartnerStack had a server error; retry later."
	}
	return msg + "."
}

// A list tool's cursor goes to the API as starting_after, which its
// messages name (inferred from the sandbox's messages: the live API's
// wording is not documented, so anything else falls through to the plain
// 400 above); callers know only the tool's argument names.
var (
	cursorParam     = regexp.MustCompile(`\b(starting_after|ending_before)\b`)
	apiParamsAsArgs = strings.NewReplacer("starting_after", "cursor", "ending_before", "cursor")
)

func lastSegment(path string) string {
	if i := strings.LastIndexByte(path, '/'); i >= 0 {
		return path[i+1:]
	}
	return path
}
