package tools

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"
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

// Coverage says what an insight's figures rest on.
type Coverage struct {
	From      string `json:"from,omitempty" jsonschema_description:"Range start (ISO); absent = unbounded."`
	To        string `json:"to,omitempty" jsonschema_description:"Range end (ISO, inclusive); absent = unbounded."`
	ItemsSeen int    `json:"items_seen" jsonschema_description:"Items read, all lists."`
	Pages     int    `json:"pages"`
	Complete  bool   `json:"complete" jsonschema_description:"False when the page cap cut the walk short."`
	Note      string `json:"note,omitempty"`
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

// walker runs the walks of one insight call: shared page budget, progress
// per page, coverage bookkeeping.
type walker struct {
	ctx    context.Context
	call   *Call
	cap    int
	pages  int
	items  int
	capped string // what was being read when the cap stopped the walk
	oldest int64  // created_at of the oldest item seen in the capped walk
}

func (d Deps) pageCap() int {
	if d.InsightPageCap <= 0 {
		return DefaultInsightPageCap
	}
	return d.InsightPageCap
}

func newWalker(ctx context.Context, call *Call, cap int) *walker {
	return &walker{ctx: ctx, call: call, cap: cap}
}

// walk streams it into fn. It returns early, without error, when the page
// budget runs out with more to read (w.capped is then set), and with the
// context's error when the call is cancelled. created, when set, tracks the
// oldest item read so a capped result can say which part of the range it
// covers (lists come newest first).
func walk[T interface{ ItemKey() string }](w *walker, label string, it *client.Iterator[T], created func(T) int64, fn func(T)) error {
	if w.capped != "" {
		return nil
	}
	if w.pages >= w.cap {
		w.capped = label
		return nil
	}
	pageEnd, seen := -1, 0
	it.OnPage = func(pages, items int) {
		pageEnd = items
		w.pages++
		w.call.Progress(w.ctx, float64(w.pages), 0,
			fmt.Sprintf("%s: page %d, %d items (%d pages in all)", label, pages, items, w.pages))
	}
	var oldest int64
	for item, err := range it.Seq(w.ctx) {
		if err != nil {
			return fmt.Errorf("reading %s: %w", label, err)
		}
		seen++
		w.items++
		if created != nil {
			if c := created(item); oldest == 0 || c < oldest {
				oldest = c
			}
		}
		fn(item)
		if seen == pageEnd && w.pages >= w.cap {
			break // budget spent at a page boundary; HasMore says whether that cut anything
		}
	}
	// A walk can end on a page boundary with the budget spent yet nothing
	// left, which is complete.
	if err := w.ctx.Err(); err != nil {
		return err
	}
	if w.pages >= w.cap && it.HasMore() {
		w.capped, w.oldest = label, oldest
	}
	return nil
}

// coverage renders the walker's state for a result.
func (w *walker) coverage(r timeRange) Coverage {
	c := Coverage{From: isoMilli(r.min), To: isoMilli(r.max), ItemsSeen: w.items, Pages: w.pages, Complete: w.capped == ""}
	if w.capped != "" {
		c.Note = fmt.Sprintf("Incomplete: the cap of %d upstream pages per call was reached while reading %s", w.cap, w.capped)
		if w.oldest != 0 {
			c.Note += fmt.Sprintf("; figures cover only items created on or after %s", isoMilli(w.oldest))
		}
		c.Note += ". Narrow the range or filters and call again."
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
	err := walk(w, "partnerships", it, nil, func(p client.Partnership) {
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
