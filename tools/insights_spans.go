package tools

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"time"

	"github.com/partnerstack-mcp/partnerstack-mcp/client"
)

// Parallel walking over created_at sub-ranges ("spans"). A walk starts as
// one span (the asked range) or the spans a resume token left. Workers take
// spans, newest first, and read each newest first, as the lists come. When
// a worker would otherwise idle, the next page to finish splits its span's
// unread rest into equal-time pieces (dense spans split again and again).
//
// Exactness does not rest on how the API reads the bounds, which no source
// documents (inclusive or exclusive):
//   - spans are disjoint inclusive millisecond ranges that together cover
//     the asked range, and each item is kept only by the span whose range
//     holds its created_at, filtered client-side;
//   - a span's query asks one millisecond wider on each side, so either
//     reading of min_created/max_created returns all of its items;
//   - a span being read continues with the documented cursor (starting_after
//     the last item), so items sharing a millisecond are neither skipped nor
//     repeated; the keys read at the span's current edge are kept as a safety
//     net against an API that repeats one (bounded: maxSeen).
//
// Splitting relies on the documented order, newest first: a span whose
// lower part was given away ends at the first older item. An item out of
// that order fails the walk rather than risk a wrong figure.

// pending is the unread part of a span: items created in [Min, Max]
// (inclusive; 0 = unbounded) and, once a read of it began, the cursor that
// continues it. It is what a resume token carries.
type pending struct {
	Min int64   `json:"a,omitempty"`
	Max int64   `json:"b,omitempty"`
	Cur *cursor `json:"c,omitempty"`

	last int64 // created_at of the last item read (for the order check); 0 = none yet
}

// cursor continues a span's read: the query's bounds as first sent, the key
// of the last item read, and the keys read created exactly at Max.
type cursor struct {
	QMin  int64    `json:"a,omitempty"`
	QMax  int64    `json:"b,omitempty"`
	After string   `json:"k"`
	Seen  []string `json:"s,omitempty"`
}

const maxSeen = 32

// query is the next page request of p.
func (p *pending) query() pageQuery {
	if p.Cur != nil {
		return pageQuery{min: p.Cur.QMin, max: p.Cur.QMax, after: p.Cur.After}
	}
	q := pageQuery{}
	if p.Min != 0 {
		q.min = p.Min - 1
	}
	if p.Max != 0 {
		q.max = p.Max + 1
	}
	return q
}

// newer orders spans for taking: the one with the newest upper bound first.
func newer(a, b *pending) bool {
	if a.Max == 0 || b.Max == 0 {
		return a.Max == 0 && b.Max != 0
	}
	return a.Max > b.Max
}

// spanWalk is one list being walked.
type spanWalk[T client.Keyed] struct {
	w       *walker
	label   string
	list    pageFunc[T]
	created func(T) int64
	fn      func(T)
	// floor, when set, is the oldest created_at still needed (it may only
	// rise); older items and spans are skipped. Called under w.mu.
	floor func() int64

	// Under w.mu:
	queue  []*pending // spans waiting for a worker
	active int        // spans being read
	idle   int        // workers waiting for a span
	hint   int64      // oldest created_at in range (probe); 0 = unknown
	lookup bool       // read by every call, not resumed (walkLookup)
	// wantProbe: a worker should ask where the data starts (probe) before
	// taking a span; lookups ask only once their list proves longer than a
	// page, walks at once.
	wantProbe, lazyProbe bool
	bounds               timeRange
	// blind: the API answered items outside a query's time bounds, so it
	// ignores them; splitting would make every piece read from the top.
	blind bool
	err   error // a failure that ends the call
}

// run reads spans with the walker's workers until all are read or the call
// stops; it returns what is left unread.
func (sw *spanWalk[T]) run(spans []*pending) ([]*pending, error) {
	w := sw.w
	sw.queue = slices.Clone(spans)
	ctx, cancel := context.WithCancel(w.ctx)
	defer cancel()
	stopWake := context.AfterFunc(ctx, func() {
		w.mu.Lock()
		w.cond.Broadcast()
		w.mu.Unlock()
	})
	defer stopWake()
	// The probe helps a walk that does not know where its data starts.
	probe := w.conc > 1 && sw.hint == 0 &&
		(len(spans) == 1 && spans[0].Cur == nil || slices.ContainsFunc(spans, func(p *pending) bool { return p.Min == 0 }))
	sw.bounds, sw.wantProbe = outline(spans), probe && !sw.lazyProbe
	sw.lazyProbe = probe && sw.lazyProbe
	var wg sync.WaitGroup
	for range w.conc {
		wg.Go(func() {
			for {
				p, probe := sw.take(ctx)
				var err error
				switch {
				case probe:
					err = sw.probe(ctx, sw.bounds)
				case p != nil:
					err = sw.read(ctx, p)
				default:
					return
				}
				if err != nil {
					cancel()
				}
			}
		})
	}
	wg.Wait()
	w.mu.Lock()
	defer w.mu.Unlock()
	if sw.err != nil {
		return nil, sw.err
	}
	if err := w.parent.Err(); errors.Is(err, context.Canceled) {
		return nil, err
	}
	if len(sw.queue) > 0 {
		w.expired(sw.label) // spans left: the deadline ended the walk, if nothing else did
	}
	return sw.queue, nil
}

// take waits for a span to read, or the probe to make; neither when the
// walk is over or must stop.
func (sw *spanWalk[T]) take(ctx context.Context) (*pending, bool) {
	w := sw.w
	w.mu.Lock()
	defer w.mu.Unlock()
	for {
		if sw.err != nil || w.stopped != "" || ctx.Err() != nil {
			return nil, false
		}
		if sw.wantProbe {
			sw.wantProbe = false
			return nil, true
		}
		if len(sw.queue) > 0 {
			i := 0
			for j, p := range sw.queue {
				if newer(p, sw.queue[i]) {
					i = j
				}
			}
			p := sw.queue[i]
			sw.queue = slices.Delete(sw.queue, i, i+1)
			if sw.floor != nil && p.Max != 0 && p.Max < sw.floor() {
				continue // nothing in it is needed any more
			}
			sw.active++
			return p, false
		}
		if sw.active == 0 {
			return nil, false
		}
		sw.idle++
		w.cond.Wait()
		sw.idle--
	}
}

// read reads p page by page until it is done, or the call stops (p goes
// back to the queue, still unread from where it stopped), or fails.
func (sw *spanWalk[T]) read(ctx context.Context, p *pending) error {
	w := sw.w
	for {
		w.mu.Lock()
		if sw.err != nil || w.expired(sw.label) || ctx.Err() != nil || !w.mayFetch(sw.label) {
			sw.requeue(p)
			w.mu.Unlock()
			return nil
		}
		w.mu.Unlock()

		q := p.query()
		start := time.Now()
		items, more, err := sw.list(ctx, q)

		w.mu.Lock()
		if err != nil {
			if err = w.failed(sw.label, err); err != nil && sw.err == nil && ctx.Err() == nil {
				sw.err = err
			}
			sw.requeue(p)
			w.mu.Unlock()
			return err
		}
		w.fetched(sw.label, len(items), time.Since(start), len(sw.queue)+sw.active)
		w.progressed = w.progressed || !sw.lookup
		done, err := sw.fold(p, q, items, more)
		if err != nil {
			sw.err = err
			sw.requeue(p)
			w.mu.Unlock()
			return err
		}
		if done {
			sw.active--
			w.cond.Broadcast()
			w.mu.Unlock()
			return nil
		}
		if sw.lazyProbe { // the list is longer than a page: worth knowing where it starts
			sw.lazyProbe, sw.wantProbe = false, true
			w.cond.Broadcast()
		}
		sw.split(p, items)
		w.mu.Unlock()
	}
}

// requeue puts p back unread (under mu).
func (sw *spanWalk[T]) requeue(p *pending) {
	sw.queue = append(sw.queue, p)
	sw.active--
	sw.w.cond.Broadcast()
}

// fold feeds one page of p to fn (under mu) and moves p past it; done when
// p has nothing left to read.
func (sw *spanWalk[T]) fold(p *pending, q pageQuery, items []T, more bool) (done bool, err error) {
	var floor int64
	if sw.floor != nil {
		floor = sw.floor()
	}
	edge, seen := p.Max, []string(nil)
	if p.Cur != nil {
		seen = p.Cur.Seen
	}
	for _, x := range items {
		c := sw.created(x)
		if p.last != 0 && c > p.last {
			return false, fmt.Errorf("reading %s: PartnerStack listed an item created at %s after one created at %s, "+
				"against its documented newest-first order, so no figure built on the walk can be trusted; try again later",
				sw.label, isoMilli(c), isoMilli(p.last))
		}
		p.last = c
		if (q.max != 0 && c > q.max) || (q.min != 0 && c < q.min) {
			sw.blind = true
		}
		switch {
		case p.Max != 0 && c > p.Max:
			continue // another span's, or read before the cursor
		case p.Cur != nil && c == p.Max && slices.Contains(p.Cur.Seen, x.ItemKey()):
			continue // the safety net: read already
		case p.Min != 0 && c < p.Min, floor != 0 && c < floor:
			return true, nil // the rest is older: another span's, or not needed
		}
		sw.fn(x)
		if c != edge {
			edge, seen = c, nil
		}
		if len(seen) < maxSeen {
			seen = append(seen, x.ItemKey())
		}
	}
	if !more || len(items) == 0 {
		return true, nil
	}
	// The rest of p is what follows the page's last item in list order:
	// created at or before it.
	last := sw.created(items[len(items)-1])
	if p.Max == 0 || last < p.Max {
		if last != edge {
			seen = nil
		}
		p.Max = last
	}
	if p.Cur == nil {
		p.Cur = &cursor{QMin: q.min, QMax: q.max}
	}
	p.Cur.After, p.Cur.Seen = items[len(items)-1].ItemKey(), slices.Clone(seen)
	return false, nil
}

// split gives the older part of p's unread rest to idle workers (under mu):
// the rest is cut into equal-time pieces, one per idle worker plus the one
// p keeps (the newest, which its cursor continues into), but no more pieces
// than the rest holds pages by the density of the page just read.
func (sw *spanWalk[T]) split(p *pending, items []T) {
	if sw.idle == 0 || len(sw.queue) > 0 || len(items) == 0 || sw.blind {
		return
	}
	hi := p.Max
	lo := p.Min
	if sw.hint != 0 && sw.hint <= hi && sw.hint > lo {
		lo = sw.hint
	}
	if sw.floor != nil {
		lo = max(lo, sw.floor())
	}
	width := sw.created(items[0]) - sw.created(items[len(items)-1]) + 1
	if width <= 0 {
		width = 1
	}
	if lo == 0 {
		// No known start: keep about four pages' width and give away
		// everything older, which splits the same way when read.
		m := hi - 4*width + 1
		if m <= 1 {
			return
		}
		sw.queue = append(sw.queue, &pending{Min: p.Min, Max: m - 1})
		p.Min = m
		sw.w.cond.Broadcast()
		return
	}
	if hi-lo < 1 {
		return
	}
	pages := float64(len(items)) / float64(width) * float64(hi-lo+1) / float64(client.MaxPageSize)
	parts := int64(min(sw.idle+1, int(pages/2))) // two pages each at least: a piece costs a partial page
	parts = min(parts, hi-lo+1)
	if parts < 2 {
		return
	}
	step := (hi - lo + 1) / parts
	for i := range parts - 1 {
		a, b := lo+i*step, lo+(i+1)*step-1
		if i == 0 {
			a = p.Min // the oldest piece keeps p's own bound: nothing below the hint is lost
		}
		sw.queue = append(sw.queue, &pending{Min: a, Max: b})
	}
	p.Min = lo + (parts-1)*step
	sw.w.cond.Broadcast()
}

// outline is the range spans cover together (0 = unbounded).
func outline(spans []*pending) timeRange {
	var r timeRange
	for i, p := range spans {
		if i == 0 || p.Min < r.min {
			r.min = p.Min
		}
		if i == 0 || p.Max == 0 || (r.max != 0 && p.Max > r.max) {
			r.max = p.Max
		}
	}
	return r
}

// probe asks for the oldest item in r (order_by=created_at, limit 1), so
// the first splits know where the data starts. Only a hint: an API that
// ignores the order answers the newest, which split then ignores.
func (sw *spanWalk[T]) probe(ctx context.Context, r timeRange) error {
	w := sw.w
	w.mu.Lock()
	ok := w.mayFetch(sw.label)
	w.mu.Unlock()
	if !ok {
		return nil
	}
	q := (&pending{Min: r.min, Max: r.max}).query()
	q.asc, q.limit = true, 1
	start := time.Now()
	items, _, err := sw.list(ctx, q)
	w.mu.Lock()
	defer w.mu.Unlock()
	if err != nil {
		if err = w.failed(sw.label, err); err != nil && sw.err == nil && ctx.Err() == nil {
			sw.err = err
		}
		return err
	}
	w.fetched(sw.label, len(items), time.Since(start), len(sw.queue)+sw.active)
	if len(items) == 1 {
		if c := sw.created(items[0]); r.contains(c) {
			sw.hint = c
		}
	}
	return nil
}
