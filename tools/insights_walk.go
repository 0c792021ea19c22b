package tools

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/partnerstack-mcp/partnerstack-mcp/client"
)

// Streaming aggregation for the insight tools. A walk reads one list over a
// created_at range with several workers, each on its own sub-range
// (insights_spans.go), and folds every page into the tool's accumulators as
// it arrives: a call holds the pages in flight plus its groups, never the
// rows. The walker bounds the whole call: a time budget before the call's
// deadline, an optional page cap, and the API's throttling. Whichever ends
// it first, the call answers with what it read, marked incomplete, and a
// resume token (insights_resume.go) that continues exactly there.

// Defaults of the insight settings in Deps.
const (
	// DefaultInsightConcurrency is how many pages one insight call reads at
	// once: what a well-behaved client sends one account.
	DefaultInsightConcurrency = 6
	// DefaultInsightBudget is how long an insight reads before it answers
	// with what it has: safely inside the 60 s hosts such as claude.ai give
	// a tool call.
	DefaultInsightBudget = 50 * time.Second
)

// Why a walk stopped before its end.
const (
	stopBudget   = "budget"
	stopCap      = "page cap"
	stopThrottle = "throttled"
	stopAPI      = "api error"
)

// walker runs the walks of one insight call: the budget and deadline they
// share, progress, the bookkeeping of coverage and the resume state. Its
// lock also serialises the tools' fold callbacks, so accumulators need no
// locking of their own.
type walker struct {
	ctx    context.Context // the walks': ends at hardEnd
	parent context.Context // the call's
	cancel context.CancelFunc
	call   *Call
	d      Deps
	conc   int
	cap    int
	// Pages start only before softEnd; pages in flight may finish until
	// hardEnd, a margin before the call's deadline. Zero: none.
	softEnd, hardEnd time.Time
	budget           time.Duration

	mu         sync.Mutex // guards the fields below; fold callbacks run under it
	cond       *sync.Cond // a span was queued or finished, or the walk stopped
	reserved   int        // pages promised to a fetch this call
	pages      int        // pages fetched this call
	items      int
	pageDur    time.Duration // moving average of one page's round trip
	lastNote   time.Time     // last progress notification
	stopped    string        // why the call stopped early; "" while it may go on
	stopErr    error         // the API error behind stopThrottle or stopAPI
	stopList   string        // the list being read when it stopped
	cutShort   string        // a lookup (not resumable) that did not finish
	progressed bool          // a page of a walk (not a lookup) was read
	// Resume (insights_resume.go): the tool and arguments a token binds,
	// the accumulators it carries, the state it brought, and the spans each
	// walk of this call leaves.
	tool    string
	bind    []byte
	carried map[string]any
	prior   resumeState
	resumed bool
	next    map[string][]*pending
	hints   map[string]int64 // per walk: where its data starts (probe)
	order   []string         // walks, in the order they ran
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
	w := &walker{parent: ctx, call: call, d: d, conc: d.insightConcurrency(), cap: d.InsightPageCap, budget: d.insightBudget()}
	w.cond = sync.NewCond(&w.mu)
	now := time.Now()
	if dl, ok := ctx.Deadline(); ok {
		// Leave the answer time to be built and sent before the deadline.
		w.hardEnd = dl.Add(-min(2*time.Second, dl.Sub(now)/10))
	}
	if w.budget > 0 {
		w.softEnd = now.Add(w.budget)
		if w.hardEnd.IsZero() {
			w.hardEnd = w.softEnd.Add(10 * time.Second)
		}
	}
	if w.softEnd.IsZero() || w.softEnd.After(w.hardEnd) {
		w.softEnd = w.hardEnd
	}
	w.ctx, w.cancel = ctx, func() {}
	if !w.hardEnd.IsZero() {
		w.ctx, w.cancel = context.WithDeadline(ctx, w.hardEnd)
	}
	return w
}

// mayFetch takes one page from the call's allowance; false stops the call
// (the reason is recorded). Called under mu.
func (w *walker) mayFetch(list string) bool {
	if w.stopped != "" {
		return false
	}
	if w.cap > 0 && w.reserved >= w.cap {
		w.stop(stopCap, list, nil)
		return false
	}
	if !w.softEnd.IsZero() {
		now := time.Now()
		if !now.Before(w.softEnd) || now.Add(w.pageDur*3/2).After(w.hardEnd) {
			w.stop(stopBudget, list, nil)
			return false
		}
	}
	w.reserved++
	return true
}

// expired stops the call when the walk's deadline has passed (under mu):
// pages may end between two fetches, so a worker checks before each.
func (w *walker) expired(list string) bool {
	if w.ctx.Err() == nil {
		return false
	}
	w.stop(stopBudget, list, nil)
	return true
}

// stop ends the call early, keeping the first reason. Called under mu.
func (w *walker) stop(why, list string, err error) {
	if w.stopped == "" {
		w.stopped, w.stopList, w.stopErr = why, list, err
	}
	w.cond.Broadcast()
}

// halted reports whether no further walk may start: the call stopped, or
// a lookup the walks need did not finish.
func (w *walker) halted() bool {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.stopped != "" || w.cutShort != ""
}

// complete reports whether every walk so far read to its end.
func (w *walker) complete() bool { return !w.halted() }

// progressEvery spaces progress notifications so they stay readable when
// several workers finish pages at once.
const progressEvery = 500 * time.Millisecond

// fetched records a page (under mu): counts, the page-time estimate the
// deadline check uses, and a progress notification (held under the lock so
// progress only ever grows).
func (w *walker) fetched(label string, items int, took time.Duration, left int) {
	w.pages++
	w.items += items
	if w.pageDur == 0 {
		w.pageDur = took
	} else {
		w.pageDur = (3*w.pageDur + took) / 4
	}
	now := time.Now()
	if w.pages > 1 && now.Sub(w.lastNote) < progressEvery {
		return
	}
	w.lastNote = now
	msg := fmt.Sprintf("%s: %d pages, %d items read", label, w.prior.Pages+w.pages, w.prior.Items+w.items)
	if left > 0 {
		msg += fmt.Sprintf(", %d spans in progress or queued", left)
	}
	w.call.Progress(w.parent, float64(w.pages), 0, msg)
}

// failed sorts an error met while reading list (under mu): the call's own
// end is returned as is; the walk's deadline, throttling and transient API
// failures stop the call with what it has (resumable); anything else is
// returned, to fail the call.
func (w *walker) failed(list string, err error) error {
	switch {
	case errors.Is(w.parent.Err(), context.Canceled):
		return w.parent.Err() // the caller gave up: no answer is wanted
	case w.ctx.Err() != nil: // the walk's deadline (or the call's own) passed mid-page
		w.stop(stopBudget, list, nil)
	case errors.Is(err, context.Canceled):
		return err // another worker failed and cancelled the walk
	case client.IsRateLimited(err):
		w.stop(stopThrottle, list, err)
	case client.IsServerError(err), isTransport(err):
		w.stop(stopAPI, list, err)
	default:
		return fmt.Errorf("reading %s: %w", list, err)
	}
	return nil
}

func isTransport(err error) bool {
	var e *client.Error
	return errors.As(err, &e) && e.Kind == client.KindTransport
}

// cut records that a lookup did not finish: the walks after it cannot run.
func (w *walker) cut(label string) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.cutShort == "" {
		w.cutShort = label
	}
}

// pageQuery is one page request of a span: its created_at bounds as sent
// (0 = none), the cursor, and the order (asc: oldest first, for the probe).
type pageQuery struct {
	min, max int64
	after    string
	asc      bool
	limit    int
}

// pageFunc fetches one page of a list.
type pageFunc[T client.Keyed] func(ctx context.Context, q pageQuery) (items []T, more bool, err error)

// lister turns a service's All method and base options into the page
// fetcher the walks want.
func lister[O any, PO interface {
	*O
	ListOpts() *client.ListOptions
}, T client.Keyed](all func(PO) *client.Iterator[T], base O) pageFunc[T] {
	return func(ctx context.Context, q pageQuery) ([]T, bool, error) {
		o := base
		lo := PO(&o).ListOpts()
		lo.MinCreated, lo.MaxCreated, lo.StartingAfter, lo.Limit = nil, nil, q.after, q.limit
		if q.min != 0 { // 0: open (spansOf)
			lo.MinCreated = &q.min
		}
		if q.max != 0 {
			lo.MaxCreated = &q.max
		}
		if q.asc {
			lo.OrderBy = "created_at"
		}
		it := all(&o)
		n := -1
		it.OnPage = func(_, items int) { n = items }
		var items []T
		for x, err := range it.Seq(ctx) {
			if err != nil {
				return nil, false, err
			}
			items = append(items, x)
			if len(items) == n { // one page only
				break
			}
		}
		return items, it.HasMore(), nil
	}
}

// walkRange reads r through list in parallel spans, keeping the items whose
// created_at is in r, and folds them with fn (under the walker's lock). With
// a resume token it reads only what the token left. When the call must stop
// it returns nil with the unread spans recorded for the next token; an error
// means the call failed (or was cancelled).
func walkRange[T client.Keyed](w *walker, label string, r timeRange, list pageFunc[T], created func(T) int64, fn func(T)) error {
	return walkSpans(w, label, r, list, created, fn, nil)
}

// walkSpans is walkRange with a floor: items older than floor() are not
// needed (floor may only rise; it is called under the walker's lock).
func walkSpans[T client.Keyed](w *walker, label string, r timeRange, list pageFunc[T], created func(T) int64, fn func(T), floor func() int64) error {
	if w.next == nil {
		w.next = map[string][]*pending{}
	}
	w.order = append(w.order, label)
	spans := w.spansFor(label, r)
	if w.halted() {
		w.next[label] = spans
		return nil
	}
	sw := &spanWalk[T]{w: w, label: label, list: list, created: created, fn: fn, floor: floor}
	sw.hint = w.prior.Hints[label]
	left, err := sw.run(spans)
	if err != nil {
		return err
	}
	if sw.hint != 0 {
		if w.hints == nil {
			w.hints = map[string]int64{}
		}
		w.hints[label] = sw.hint
	}
	if left == nil {
		left = []*pending{}
	}
	w.next[label] = left
	return nil
}

// walkLookup reads a whole list the way walkRange does, for what a call
// needs before its walks (the partner directory, the customers map). A
// lookup is not resumable: every call reads it again; one that does not
// finish stops the call before its walks.
func walkLookup[T client.Keyed](w *walker, label string, list pageFunc[T], created func(T) int64, fn func(T)) error {
	if w.halted() {
		return nil
	}
	sw := &spanWalk[T]{w: w, label: label, list: list, created: created, fn: fn, lookup: true, lazyProbe: true}
	left, err := sw.run([]*pending{{}})
	if err == nil && len(left) > 0 {
		w.cut(label)
	}
	return err
}
