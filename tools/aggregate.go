package tools

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"

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

// Coverage says what an insight's figures rest on.
type Coverage struct {
	From      string `json:"from,omitempty" jsonschema_description:"Range start (ISO); absent = unbounded."`
	To        string `json:"to,omitempty" jsonschema_description:"Range end (ISO, inclusive); absent = unbounded."`
	ItemsSeen int    `json:"items_seen" jsonschema_description:"Items read, all lists."`
	Pages     int    `json:"pages"`
	Complete  bool   `json:"complete" jsonschema_description:"False when the page cap cut the walk short."`
	Unread    []span `json:"unread,omitempty" jsonschema_description:"created_at spans not (fully) read."`
	Note      string `json:"note,omitempty"`
}

// span is an inclusive ISO time span; an empty end is unbounded.
type span struct {
	From string `json:"from,omitempty"`
	To   string `json:"to,omitempty"`
}

// timeRange is an inclusive created_at window in epoch ms; 0 = unbounded.
type timeRange struct{ min, max int64 }

// parseRange reads the from/to arguments; a bare-date `to` means that day's end.
func parseRange(from, to string) (timeRange, error) {
	var r timeRange
	var err error
	if r.min, err = parseTime("from", from, false); err != nil {
		return r, err
	}
	if r.max, err = parseTime("to", to, true); err != nil {
		return r, err
	}
	if r.min != 0 && r.max != 0 && r.min > r.max {
		return r, argErr("from", "is later than to", "swap the two dates")
	}
	return r, nil
}

// contains filters client-side too: the real API may ignore a time filter.
func (r timeRange) contains(ms int64) bool {
	return (r.min == 0 || ms >= r.min) && (r.max == 0 || ms <= r.max)
}

func (r timeRange) apply(o *client.ListOptions) {
	o.MinCreated, o.MaxCreated = r.min, r.max
}

// split cuts a bounded range into n adjacent, non-overlapping inclusive
// windows that cover it exactly (newest first). Unbounded or tiny ranges
// stay whole.
func (r timeRange) split(n int) []timeRange {
	if n <= 1 || r.min == 0 || r.max == 0 || r.max-r.min+1 < int64(n) {
		return []timeRange{r}
	}
	width := r.max - r.min + 1
	out := make([]timeRange, n)
	for i := range n {
		out[n-1-i] = timeRange{r.min + width*int64(i)/int64(n), r.min + width*int64(i+1)/int64(n) - 1}
	}
	return out
}

func (r timeRange) span() span { return span{isoMilli(r.min), isoMilli(r.max)} }

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

// coverage renders the walker's state for a result.
func (w *walker) coverage(r timeRange) Coverage {
	w.mu.Lock()
	defer w.mu.Unlock()
	c := Coverage{From: isoMilli(r.min), To: isoMilli(r.max), ItemsSeen: w.items, Pages: w.pages, Complete: len(w.capped) == 0}
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

// isoMilli is isoTime keeping milliseconds when there are any, so a range
// bound such as the end of a day (23:59:59.999) reads exactly.
func isoMilli(ms int64) string {
	if ms == 0 {
		return ""
	}
	return time.UnixMilli(ms).UTC().Format(time.RFC3339Nano)
}

// partnerInfo is one partnership as the insights show it.
type partnerInfo struct {
	Key, PartnerKey, Name, Email, GroupKey, GroupName string
}

// directory maps partnership keys and partner keys to partners; built by one
// walk over the partnerships (archived included: they still have history).
type directory struct {
	byKey, byPartnerKey map[string]*partnerInfo
	groupNames          map[string]string
}

func loadDirectory(w *walker, c *client.Client) (*directory, error) {
	d := &directory{byKey: map[string]*partnerInfo{}, byPartnerKey: map[string]*partnerInfo{}, groupNames: map[string]string{}}
	it := c.Partnerships.All(&client.PartnershipListOptions{IncludeArchived: true})
	err := walk(w.ctx, w, "partnerships", timeRange{}, it, nil, func(p client.Partnership) {
		info := &partnerInfo{Key: p.Key, PartnerKey: p.PartnerKey, Name: fullName(p.FirstName, p.LastName), Email: p.Email}
		if p.Group != nil {
			info.GroupKey, info.GroupName = p.Group.Key, p.Group.Name
			d.groupNames[p.Group.Key] = p.Group.Name
		}
		d.byKey[p.Key] = info
		if p.PartnerKey != "" {
			d.byPartnerKey[p.PartnerKey] = info
		}
	})
	return d, err
}

// resolve names the partner of an item from what the item carries
// (partnership key, partner key, group key; any may be empty) completed by
// the directory. A nil directory resolves from the item alone. The item's
// own group wins: deals and leads record the group they were made in.
func (d *directory) resolve(key, partnerKey, groupKey string) partnerInfo {
	info := partnerInfo{Key: key, PartnerKey: partnerKey}
	if d != nil {
		p := d.byKey[key]
		if p == nil && partnerKey != "" {
			p = d.byPartnerKey[partnerKey]
		}
		if p != nil {
			info = *p
		}
	}
	if groupKey != "" && groupKey != info.GroupKey {
		info.GroupKey, info.GroupName = groupKey, ""
		if d != nil {
			info.GroupName = d.groupNames[groupKey]
		}
	}
	return info
}

// partnerFilter is the partner_key/group_key filter of an insight, applied
// client-side whether or not the API honoured it.
type partnerFilter struct{ partnerKey, groupKey string }

func (f partnerFilter) match(p partnerInfo) bool {
	return (f.partnerKey == "" || p.PartnerKey == f.partnerKey) && (f.groupKey == "" || p.GroupKey == f.groupKey)
}

// money is an amount per currency (ISO code -> cents); currencies never mix.
type money map[string]int64

func (m money) add(cur string, cents int64) { m[cur] += cents }

func (m money) merge(o money) {
	for k, v := range o {
		m[k] += v
	}
}

// ranked is a row that can be ordered by its figures.
type ranked interface {
	rankKey() (primary int64, count int, name string)
}

// topN orders rows by rank (largest first, then count, then name) and
// splits them into the first n and the rest (n <= 0 keeps all).
func topN[R ranked](rows []R, n int) (kept, rest []R) {
	slices.SortFunc(rows, func(a, b R) int {
		pa, ca, na := a.rankKey()
		pb, cb, nb := b.rankKey()
		if c := cmp.Compare(pb, pa); c != 0 {
			return c
		}
		if c := cmp.Compare(cb, ca); c != 0 {
			return c
		}
		return cmp.Compare(na, nb)
	})
	if n <= 0 || len(rows) <= n {
		return rows, nil
	}
	return rows[:n], rows[n:]
}

// bucket names a created_at time for the day/week/month dimensions (UTC;
// ISO weeks such as 2026-W09).
func bucket(dim string, ms int64) string {
	t := time.UnixMilli(ms).UTC()
	switch dim {
	case "day":
		return t.Format("2006-01-02")
	case "week":
		y, wk := t.ISOWeek()
		return fmt.Sprintf("%04d-W%02d", y, wk)
	case "month":
		return t.Format("2006-01")
	}
	return ""
}

func isTimeDim(dim string) bool { return dim == "day" || dim == "week" || dim == "month" }

// dealStatus derives a deal's status: the API has none, only stages.
func dealStatus(d client.Deal) string {
	if d.Archived {
		return "archived"
	}
	stage := normalizeStage(str(d.Stage))
	switch {
	case stage == "closed won":
		return "won"
	case stage == "closed lost", strings.TrimSpace(str(d.LostReason)) != "":
		return "lost"
	}
	return "open"
}

func normalizeStage(s string) string {
	s = strings.ToLower(strings.TrimSpace(s))
	s = strings.NewReplacer("_", " ", "-", " ").Replace(s)
	return strings.Join(strings.Fields(s), " ")
}

func orNone(s string) string {
	if s == "" {
		return "(none)"
	}
	return s
}
