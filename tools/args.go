package tools

import (
	"fmt"
	"time"

	"github.com/partnerstack-mcp/partnerstack-mcp/client"
)

// Argument types that more than one resource's tools take, and the parsing
// of the dates and times agents pass. The arguments of a single mechanism
// stay with it (DryRunArg in write.go, DedupeArg in dedupe.go), those of a
// single tool with the tool.

// List defaults and bounds, as promised in every list tool's schema.
const (
	defaultListLimit = 25
	maxListLimit     = 500
)

// ListArgs are the arguments every list tool shares.
type ListArgs struct {
	// The meaning of these four is explained once, in the server instructions.
	Limit         int    `json:"limit,omitempty" jsonschema:"minimum=1,maximum=500,default=25"`
	Cursor        string `json:"cursor,omitempty" jsonschema:"maxLength=255"`
	CreatedAfter  string `json:"created_after,omitempty" jsonschema:"maxLength=40"`
	CreatedBefore string `json:"created_before,omitempty" jsonschema:"maxLength=40"`

	created timeRange // set by apply; gather checks every item against it
}

// apply copies the shared arguments onto the API's list options, validating dates.
func (a *ListArgs) apply(o *client.ListOptions) error {
	o.StartingAfter = a.Cursor
	var err error
	if o.MinCreated, err = parseBound("created_after", a.CreatedAfter, false); err != nil {
		return err
	}
	if o.MaxCreated, err = parseBound("created_before", a.CreatedBefore, true); err != nil {
		return err
	}
	if a.created = rangeOf(o.MinCreated, o.MaxCreated); a.created.inverted() {
		return argErr("created_after", "is later than created_before", "swap the two dates")
	}
	return nil
}

func (a *ListArgs) limit() int {
	if a.Limit <= 0 {
		return defaultListLimit
	}
	return a.Limit
}

// keyArgs names one object by a key a list tool showed (the get tools).
type keyArgs struct {
	Key string `json:"key" jsonschema:"minLength=1,maxLength=255"`
}

// archiveArgs name, by key, the one object an archive or delete tool removes.
type archiveArgs struct {
	Key string `json:"key" jsonschema:"minLength=1,maxLength=255"`
	DryRunArg
}

// CustomerRef names a customer by exactly one identifier that results show;
// the customer, transaction and action tools all take it.
type CustomerRef struct {
	CustomerKey         string `json:"customer_key,omitempty" jsonschema:"maxLength=255" jsonschema_description:"Your customer key (customer_key in results)."`
	CustomerInternalKey string `json:"customer_internal_key,omitempty" jsonschema:"maxLength=255" jsonschema_description:"PartnerStack's key (cus_..., key in results)."`
	CustomerEmail       string `json:"customer_email,omitempty" jsonschema:"format=email,maxLength=255"`
}

func (r *CustomerRef) check() error {
	n := 0
	for _, v := range []string{r.CustomerKey, r.CustomerInternalKey, r.CustomerEmail} {
		if v != "" {
			n++
		}
	}
	if n != 1 {
		return argErr("customer_key", fmt.Sprintf("%d customer identifiers given", n),
			"pass exactly one of customer_key, customer_internal_key, customer_email")
	}
	return nil
}

// parseTime reads an ISO-8601 date ("2026-03-01") or date-time into epoch ms.
// A bare date used as an upper bound means the end of that day.
func parseTime(field, v string, endOfDay bool) (int64, error) {
	if v == "" {
		return 0, nil
	}
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04:05", "2006-01-02"} {
		t, err := time.Parse(layout, v)
		if err != nil {
			continue
		}
		if layout == "2006-01-02" && endOfDay {
			t = t.Add(24*time.Hour - time.Millisecond)
		}
		return t.UnixMilli(), nil
	}
	return 0, argErr(field, "'"+v+"' is not an ISO-8601 date", "use 2026-03-01 or 2026-03-01T12:00:00Z")
}

// parseBound is parseTime for an optional bound: nil when v is empty, so
// the epoch (0 ms) is a bound like any other, never "no bound".
func parseBound(field, v string, endOfDay bool) (*int64, error) {
	if v == "" {
		return nil, nil
	}
	ms, err := parseTime(field, v, endOfDay)
	if err != nil {
		return nil, err
	}
	return &ms, nil
}

// checkDate accepts YYYY-MM-DD, the API's format for calendar dates.
func checkDate(field, v string) error {
	if v == "" {
		return nil
	}
	if _, err := time.Parse("2006-01-02", v); err != nil {
		return argErr(field, "'"+v+"' is not a YYYY-MM-DD date", "use e.g. 2026-12-31")
	}
	return nil
}
