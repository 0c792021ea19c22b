package client

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"iter"
	"net/url"

	"github.com/google/go-querystring/query"
)

// MaxPageSize is the largest page the API serves.
const MaxPageSize = 250

// ListOptions are the paging, ordering and time filters every list accepts.
// Times are epoch milliseconds; nil means unset (0 is the epoch, a real
// bound: 1970-01-01T00:00:00Z).
type ListOptions struct {
	Limit         int    `url:"limit,omitempty"`          // 1..250; API default 10
	StartingAfter string `url:"starting_after,omitempty"` // key of the last item seen (forward)
	EndingBefore  string `url:"ending_before,omitempty"`  // key of the first item seen (backward)
	OrderBy       string `url:"order_by,omitempty"`       // created_at, -created_at, updated_at, -updated_at
	MinCreated    *int64 `url:"min_created,omitempty"`
	MaxCreated    *int64 `url:"max_created,omitempty"`
	MinUpdated    *int64 `url:"min_updated,omitempty"`
	MaxUpdated    *int64 `url:"max_updated,omitempty"`
}

// ListOpts lets the generic iterator read and move the cursor of any
// resource's options struct (each embeds ListOptions).
func (o *ListOptions) ListOpts() *ListOptions { return o }

// Validate catches what the API would reject, before a request is sent.
func (o *ListOptions) Validate() error {
	if o.Limit < 0 || o.Limit > MaxPageSize {
		return fmt.Errorf("limit must be between 1 and %d, got %d", MaxPageSize, o.Limit)
	}
	if o.StartingAfter != "" && o.EndingBefore != "" {
		return errors.New("starting_after and ending_before are mutually exclusive")
	}
	return nil
}

// lister is implemented by every resource's options struct.
type lister interface {
	ListOpts() *ListOptions
}

// Keyed is implemented by every listable object: the cursor is its key.
type Keyed interface {
	ItemKey() string
}

// Page is one page of a list: data.items and data.has_more.
type Page[T any] struct {
	Items   []T  `json:"items"`
	HasMore bool `json:"has_more"`
	Total   *int `json:"total,omitempty"` // sent by some lists (actions)
}

// orZero lets callers pass nil options.
func orZero[T any](p *T) *T {
	if p == nil {
		return new(T)
	}
	return p
}

// copyOf gives an iterator its own options to move the cursor in.
func copyOf[T any](p *T) *T {
	c := new(T)
	if p != nil {
		*c = *p
	}
	return c
}

func encodeQuery(opts any) (url.Values, error) {
	if opts == nil {
		return nil, nil
	}
	return query.Values(opts)
}

// listPage fetches one page of a list endpoint.
func listPage[T any](ctx context.Context, c *Client, path string, opts lister) (*Page[T], error) {
	if err := opts.ListOpts().Validate(); err != nil {
		return nil, err
	}
	q, err := encodeQuery(opts)
	if err != nil {
		return nil, err
	}
	var p Page[T]
	if err := c.do(ctx, "GET", path, q, nil, &p); err != nil {
		return nil, err
	}
	return &p, nil
}

// Iterator walks a list across pages. Create one with a service's All method,
// range over Seq once, then ask HasMore and Pages.
type Iterator[T Keyed] struct {
	fetch func(ctx context.Context) (*Page[T], error)
	opts  *ListOptions
	max   int
	size  int // page size of the next fetch; 0 until Seq starts

	// OnPage, when set, is called after each page with running totals.
	OnPage func(pages, items int)

	pages, items int
	more         bool
}

// allPages is every service's All: an iterator over list, with its own copy
// of opts (nil = none) whose cursor it moves.
func allPages[O any, PO interface {
	*O
	lister
}, T Keyed](opts *O, list func(context.Context, *O) (*Page[T], error)) *Iterator[T] {
	o := copyOf(opts)
	return &Iterator[T]{opts: PO(o).ListOpts(), fetch: func(ctx context.Context) (*Page[T], error) { return list(ctx, o) }}
}

// Max stops the walk after n items (0 = all). The page size is reduced so no
// more than needed is fetched.
func (it *Iterator[T]) Max(n int) *Iterator[T] { it.max = n; return it }

// SetPageSize changes the size of the pages fetched from now on (clamped to
// 1..MaxPageSize). A walk that re-filters client-side starts small, which is
// cheap when the API honours the filter, and grows once it sees it does not.
func (it *Iterator[T]) SetPageSize(n int) *Iterator[T] {
	it.size = min(max(n, 1), MaxPageSize)
	return it
}

// Pages is the number of pages fetched so far.
func (it *Iterator[T]) Pages() int { return it.pages }

// HasMore reports, after the walk stopped, whether the API holds items beyond
// the last one yielded (in the walk's direction).
func (it *Iterator[T]) HasMore() bool { return it.more }

// Seq yields every item in list order, fetching pages on demand (page size
// MaxPageSize unless the options set one). It stops on has_more=false, an
// empty page, the Max count, a cancelled ctx, or the consumer breaking out.
// A walk with EndingBefore set goes backwards, nearest item first.
// Errors are yielded once, last.
func (it *Iterator[T]) Seq(ctx context.Context) iter.Seq2[T, error] {
	return func(yield func(T, error) bool) {
		var zero T
		if it.size == 0 {
			it.size = cmp.Or(it.opts.Limit, MaxPageSize)
		}
		backward := it.opts.EndingBefore != ""
		for {
			if err := ctx.Err(); err != nil {
				yield(zero, err)
				return
			}
			it.opts.Limit = it.size
			if it.max > 0 && it.max-it.items < it.size {
				it.opts.Limit = it.max - it.items
			}
			page, err := it.fetch(ctx)
			if err != nil {
				yield(zero, err)
				return
			}
			it.pages++
			if it.OnPage != nil {
				it.OnPage(it.pages, it.items+len(page.Items))
			}
			it.more = page.HasMore && len(page.Items) > 0
			if len(page.Items) == 0 {
				return
			}
			items := page.Items
			for n := range items {
				i := n
				if backward { // walk away from the cursor: nearest item first
					i = len(items) - 1 - n
				}
				last := n == len(items)-1
				it.items++
				if !yield(items[i], nil) || (it.max > 0 && it.items >= it.max) {
					it.more = it.more || !last
					return
				}
			}
			if !page.HasMore {
				return
			}
			if backward {
				it.opts.EndingBefore = items[0].ItemKey()
			} else {
				it.opts.StartingAfter = items[len(items)-1].ItemKey()
			}
		}
	}
}
