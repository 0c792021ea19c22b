package tools

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/partnerstack-mcp/partnerstack-mcp/client"
)

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
}

// apply copies the shared arguments onto the API's list options, validating dates.
func (a *ListArgs) apply(o *client.ListOptions) error {
	o.StartingAfter = a.Cursor
	var err error
	if o.MinCreated, err = parseTime("created_after", a.CreatedAfter, false); err != nil {
		return err
	}
	if o.MaxCreated, err = parseTime("created_before", a.CreatedBefore, true); err != nil {
		return err
	}
	if o.MinCreated != 0 && o.MaxCreated != 0 && o.MinCreated > o.MaxCreated {
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

// ListResult is the shape of every list tool's answer. HasMore and NextCursor
// are always present so a cut is never silent.
type ListResult[T any] struct {
	Items      []T    `json:"items"`
	Count      int    `json:"count"`
	HasMore    bool   `json:"has_more"`
	NextCursor string `json:"next_cursor,omitempty"`
	Note       string `json:"note,omitempty"`
}

// gather walks it until limit items are collected or the result would exceed
// the byte budget, projecting each item. It reports progress per page.
func gather[T interface{ ItemKey() string }, P any](ctx context.Context, call *Call, it *client.Iterator[T], limit, budget int, project func(T) P) (ListResult[P], error) {
	res := ListResult[P]{Items: []P{}}
	it.Max(limit)
	it.OnPage = func(pages, items int) {
		call.Progress(ctx, float64(min(items, limit)), float64(limit), fmt.Sprintf("page %d, %d items", pages, items))
	}
	size := 0
	var lastKey string
	for item, err := range it.Seq(ctx) {
		if err != nil {
			return res, err
		}
		p := project(item)
		b, err := json.Marshal(p)
		if err != nil {
			return res, err
		}
		if size+len(b) > budget && len(res.Items) > 0 {
			res.HasMore = true
			res.NextCursor = lastKey
			res.Note = fmt.Sprintf("Stopped at %d items to keep this result under %d bytes; call again with cursor for the rest.", len(res.Items), budget)
			res.Count = len(res.Items)
			return res, nil
		}
		size += len(b) + 1
		res.Items = append(res.Items, p)
		lastKey = item.ItemKey()
	}
	res.Count = len(res.Items)
	res.HasMore = it.HasMore()
	if res.HasMore {
		res.NextCursor = lastKey
	}
	return res, nil
}
