package tools

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"

	"github.com/partnerstack-mcp/partnerstack-mcp/client"
)

// Streaming aggregation for the insight tools. Items are folded into
// per-group accumulators as the iterator yields them, so a call holds one
// page plus its groups in memory, never the rows. Every walk of one call
// shares a page budget; reaching it ends the walk early and the result says
// it is incomplete instead of passing a partial figure off as the whole.

// DefaultInsightPageCap bounds the upstream pages one insight call may fetch
// (400 pages of 250 = 100k items).
const DefaultInsightPageCap = 400

// DefaultInsightWindows is how many time windows of a bounded range are
// fetched in parallel.
const DefaultInsightWindows = 4

// walker runs the walks of one insight call: a page budget shared by all of
// them, progress per page, coverage bookkeeping, and the lock that makes the
// aggregation safe when windows are read in parallel.
type walker struct {
	ctx     context.Context
	call    *Call
	cap     int
	windows int

	mu       sync.Mutex // guards the fields below; fn callbacks run under it
	reserved int        // pages promised to a fetch
	pages    int        // pages fetched
	items    int
	capped   []string    // what was being read when the budget ran out
	unread   []timeRange // created_at spans left (partly) unread
	// conflicts counts transactions whose own partnership_key disagreed
	// with their customer's partner (attribution.go).
	conflicts int
}

// attributed records how a transaction was attributed; call it from a walk
// callback (under mu).
func (w *walker) attributed(how attributedBy) {
	if how == customerOverrode {
		w.conflicts++
	}
}

func newWalker(ctx context.Context, call *Call, d Deps) *walker {
	return &walker{ctx: ctx, call: call, cap: d.pageCap(), windows: d.windows()}
}

// reserve takes one page from the budget before it is fetched, so parallel
// windows never overshoot the cap.
func (w *walker) reserve() bool {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.reserved >= w.cap {
		return false
	}
	w.reserved++
	return true
}

func (w *walker) fetched(label string, pages, items int) {
	w.mu.Lock()
	defer w.mu.Unlock() // held while notifying so progress only ever grows
	w.pages++
	w.call.Progress(w.ctx, float64(w.pages), 0,
		fmt.Sprintf("%s: page %d, %d items (%d pages in all)", label, pages, items, w.pages))
}

// cut records that the budget stopped a walk over r. Lists come newest
// first, so what is left is r's start up to the oldest item read (inclusive:
// items sharing that millisecond may be unread).
func (w *walker) cut(label string, r timeRange, read int, oldest int64, ranged bool) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if !slices.Contains(w.capped, label) {
		w.capped = append(w.capped, label)
	}
	if ranged {
		if read > 0 {
			r.max = oldest
		}
		w.unread = append(w.unread, r)
	}
}

// walk streams one iterator into fn, keeping items whose created_at is in r
// (created nil: keep all, as for the partner directory). It stops without
// error when the page budget runs out with more to read, and with the
// context's error when the call is cancelled.
func walk[T client.Keyed](ctx context.Context, w *walker, label string, r timeRange, it *client.Iterator[T], created func(T) int64, fn func(T)) error {
	ranged := created != nil
	if !w.reserve() {
		w.cut(label, r, 0, 0, ranged)
		return nil
	}
	pageEnd, seen := -1, 0
	it.OnPage = func(pages, items int) {
		pageEnd = items
		w.fetched(label, pages, items)
	}
	var oldest int64
	for item, err := range it.Seq(ctx) {
		if err != nil {
			return fmt.Errorf("reading %s: %w", label, err)
		}
		seen++
		keep := true
		if ranged {
			c := created(item)
			if seen == 1 || c < oldest {
				oldest = c
			}
			keep = r.contains(c)
		}
		w.mu.Lock()
		w.items++
		if keep {
			fn(item)
		}
		w.mu.Unlock()
		// At a page's end the iterator knows whether another follows; it
		// is fetched only if the budget allows.
		if seen == pageEnd && it.HasMore() && !w.reserve() {
			w.cut(label, r, seen, oldest, ranged)
			break
		}
	}
	return ctx.Err()
}

// walkRange reads r through list, in parallel windows when r is bounded.
// Each window keeps only its own items, so the windows' results add up
// exactly even if the API ignored the time filters; fn runs under the
// walker's lock.
func walkRange[T client.Keyed](w *walker, label string, r timeRange, list func(timeRange) *client.Iterator[T], created func(T) int64, fn func(T)) error {
	wins := r.split(w.windows)
	if len(wins) == 1 {
		return walk(w.ctx, w, label, r, list(r), created, fn)
	}
	ctx, cancel := context.WithCancel(w.ctx)
	defer cancel()
	errs := make([]error, len(wins))
	var wg sync.WaitGroup
	for i, win := range wins {
		wg.Go(func() {
			if errs[i] = walk(ctx, w, label, win, list(win), created, fn); errs[i] != nil {
				cancel() // one failure ends the call: no partial figure
			}
		})
	}
	wg.Wait()
	if err := w.ctx.Err(); err != nil {
		return err
	}
	for _, err := range errs {
		if err != nil && !errors.Is(err, context.Canceled) {
			return err
		}
	}
	return nil
}

// lister turns a service's All method and base options into the iterator
// factory walkRange wants: one iterator per time window.
func lister[O any, PO interface {
	*O
	ListOpts() *client.ListOptions
}, T client.Keyed](all func(PO) *client.Iterator[T], base O) func(timeRange) *client.Iterator[T] {
	return func(r timeRange) *client.Iterator[T] {
		o := base
		r.apply(PO(&o).ListOpts())
		return all(&o)
	}
}

// complete reports whether every walk so far read to its end.
func (w *walker) complete() bool {
	w.mu.Lock()
	defer w.mu.Unlock()
	return len(w.capped) == 0
}

// coverage renders the walker's state for a result.
func (w *walker) coverage(r timeRange) Coverage {
	w.mu.Lock()
	defer w.mu.Unlock()
	c := Coverage{From: isoMilli(r.min), To: isoMilli(r.max), ItemsSeen: w.items, Pages: w.pages, Complete: len(w.capped) == 0,
		Conflicts: w.conflicts}
	if !c.Complete {
		slices.SortFunc(w.unread, func(a, b timeRange) int { return cmp.Compare(a.min, b.min) })
		for _, u := range w.unread {
			c.Unread = append(c.Unread, u.span())
		}
		c.Note = fmt.Sprintf("Incomplete: the cap of %d upstream pages per call was reached while reading %s",
			w.cap, strings.Join(w.capped, " and "))
		if len(c.Unread) > 0 {
			c.Note += "; items created in the unread spans are missing from the figures"
		}
		c.Note += ". Narrow the range or filters (or query the unread spans) and call again."
	}
	return c
}
