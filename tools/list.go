package tools

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/partnerstack-mcp/partnerstack-mcp/client"
)

// The list mechanism. Every list tool walks a client iterator through
// gather, which projects and trims the items, and applies the tool's
// filters again here: an undocumented filter (evidence.go) may be ignored
// by the API, so each returned item is checked against it and the walk goes
// on until `limit` matching items are found, within a page cap and the byte
// budget. The cursor always resumes exactly after the last item *scanned*,
// matching or not, so nothing is skipped or repeated.

// ListResult is the shape of every list tool's answer. HasMore and NextCursor
// are always present so a cut is never silent.
type ListResult[T any] struct {
	Items      []T    `json:"items"`
	Count      int    `json:"count"`
	HasMore    bool   `json:"has_more"`
	NextCursor string `json:"next_cursor,omitempty"`
	Note       string `json:"note,omitempty"`
}

// DefaultListScanPages bounds the upstream pages one re-filtered list call
// reads when Deps.ListScanPages is 0 (20 pages of 250 = 5,000 items).
const DefaultListScanPages = 20

// listed is what gather needs of an API object: its cursor key and
// created_at (every object embeds client.Base).
type listed interface {
	client.Keyed
	Created() int64
}

// filter is one list argument as the mechanism applies it: the argument's
// name and the rule classing the API parameter it is sent as. Tools build
// their filters once, when they are built, so a missing rule fails at start.
type filter[T any] struct {
	arg  string
	rule *rule
}

func listFilter[T any](resource, param, arg string) filter[T] {
	return filter[T]{arg: arg, rule: lookupRule(resource, kindFilter, param)}
}

// check is an active filter: the test of one item. It reads only documented
// response fields.
type check[T any] struct {
	filter[T]
	match func(T) bool
}

// on returns the filter's check when the argument was given, else nil.
func (f filter[T]) on(given bool, match func(T) bool) *check[T] {
	if !given {
		return nil
	}
	return &check[T]{f, match}
}

// gather walks it until a.limit() items matching every check are collected,
// the byte budget is reached or, when a check is undocumented, the page cap
// is. created_at is checked against the arguments' range too (documented,
// and free to check). It reports progress per page.
func gather[T listed, P any](ctx context.Context, call *Call, d Deps, it *client.Iterator[T], a *ListArgs, project func(T) P, checks ...*check[T]) (ListResult[P], error) {
	res := ListResult[P]{Items: []P{}}
	limit, budget := a.limit(), d.budget()
	active := make([]*check[T], 0, len(checks))
	var refiltered []string
	for _, c := range checks {
		if c != nil {
			active = append(active, c)
			if !c.rule.documented {
				refiltered = append(refiltered, c.arg)
			}
		}
	}
	match := func(item T) bool {
		if !a.created.contains(item.Created()) {
			return false
		}
		for _, c := range active {
			if !c.match(item) {
				return false
			}
		}
		return true
	}
	scan := len(refiltered) > 0
	if scan {
		// Pages of `limit` cost nothing extra when the API honours the
		// filters; the first dropped item grows them to the maximum.
		it.SetPageSize(min(limit, client.MaxPageSize))
	} else {
		it.Max(limit)
	}
	pageEnd, seen, dropped := -1, 0, 0
	it.OnPage = func(pages, items int) {
		pageEnd = items
		if scan { // progress counts items read: matches may not grow every page
			call.Progress(ctx, float64(items), 0, fmt.Sprintf("page %d, %d items read, %d matching so far", pages, items, len(res.Items)))
			return
		}
		call.Progress(ctx, float64(min(items, limit)), float64(limit), fmt.Sprintf("page %d, %d items", pages, items))
	}
	meter := newResultMeter(budget)
	capped, stopped := false, false
	var lastScanned string
	for item, err := range it.Seq(ctx) {
		if err != nil {
			return res, err
		}
		seen++
		pageDone := seen == pageEnd
		ok := match(item)
		switch {
		case len(res.Items) >= limit && ok:
			// Full, and reading on through the page already fetched found
			// another match: has_more is certain.
			res.HasMore, stopped = true, true
		case !ok:
			if dropped == 0 {
				it.SetPageSize(client.MaxPageSize)
			}
			dropped++
		default:
			p := project(item)
			b, err := json.Marshal(p)
			if err != nil {
				return res, err
			}
			if !meter.add(b, len(res.Items) == 0) {
				res.HasMore, stopped = true, true
				res.Note = fmt.Sprintf("Stopped at %d items to keep this result under %d bytes; call again with cursor for the rest.", len(res.Items), budget)
				break
			}
			res.Items = append(res.Items, p)
		}
		if stopped {
			break
		}
		lastScanned = item.ItemKey()
		if !pageDone || !it.HasMore() {
			continue
		}
		// At a page's end another page follows; fetch it only if needed
		// and allowed.
		if len(res.Items) >= limit {
			res.HasMore, stopped = true, true
			break
		}
		if scan && it.Pages() >= d.listScanPages() {
			res.HasMore, capped, stopped = true, true, true
			break
		}
	}
	if !stopped {
		res.HasMore = it.HasMore()
	}
	res.Count = len(res.Items)
	if res.HasMore {
		res.NextCursor = lastScanned
	}
	// Say what the filtering here cost when it did anything; the budget
	// note, when set, says why the walk stopped first.
	switch {
	case capped:
		res.Note = fmt.Sprintf("Read %s (%d items), %d matching, then stopped at the page cap: PartnerStack does not document filtering by %s, so every item is checked here. Call again with cursor to read on, or narrow created_after/created_before.",
			pagesText(it.Pages()), seen, len(res.Items), listOf(refiltered))
	case dropped > 0:
		res.Note = strings.TrimSpace(fmt.Sprintf("%s Filtered here: read %s (%d items) for %d matching.", res.Note, pagesText(it.Pages()), seen, len(res.Items)))
	}
	return res, nil
}

func pagesText(n int) string {
	if n == 1 {
		return "1 page"
	}
	return fmt.Sprintf("%d pages", n)
}

// listOf names arguments in a sentence ("a", "a and b", "a, b and c").
func listOf(args []string) string {
	if len(args) == 1 {
		return args[0]
	}
	return strings.Join(args[:len(args)-1], ", ") + " and " + args[len(args)-1]
}

// whole answers a list the API returns in one piece, not paged (stages,
// referral links): every item, projected, within the byte budget. A cut is
// said in the note; such a list has no cursor to resume from.
func whole[T, P any](d Deps, items []T, project func(T) P) (ListResult[P], error) {
	res := ListResult[P]{Items: []P{}}
	meter := newResultMeter(d.budget())
	for _, it := range items {
		p := project(it)
		b, err := json.Marshal(p)
		if err != nil {
			return res, err
		}
		if !meter.add(b, len(res.Items) == 0) {
			res.HasMore = true
			res.Note = fmt.Sprintf("Stopped at %d of %d items to keep this result under %d bytes.", len(res.Items), len(items), d.budget())
			break
		}
		res.Items = append(res.Items, p)
	}
	res.Count = len(res.Items)
	return res, nil
}
