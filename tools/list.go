package tools

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/partnerstack-mcp/partnerstack-mcp/client"
)

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
func gather[T client.Keyed, P any](ctx context.Context, call *Call, it *client.Iterator[T], limit, budget int, project func(T) P) (ListResult[P], error) {
	res := ListResult[P]{Items: []P{}}
	it.Max(limit)
	it.OnPage = func(pages, items int) {
		call.Progress(ctx, float64(min(items, limit)), float64(limit), fmt.Sprintf("page %d, %d items", pages, items))
	}
	meter := newResultMeter(budget)
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
		if !meter.add(b, len(res.Items) == 0) {
			res.HasMore = true
			res.NextCursor = lastKey
			res.Note = fmt.Sprintf("Stopped at %d items to keep this result under %d bytes; call again with cursor for the rest.", len(res.Items), budget)
			res.Count = len(res.Items)
			return res, nil
		}
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
