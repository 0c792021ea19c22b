package tools

import (
	"cmp"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/partnerstack-mcp/partnerstack-mcp/client"
)

// What an insight's result says about its own reading: the lists and spans
// read and unread, why a call stopped early, and how to continue.

// coverage renders what the call read for its result, with the resume
// token when it stopped early, and releases the walker.
func (w *walker) coverage(r timeRange) Coverage {
	w.cancel()
	w.mu.Lock()
	defer w.mu.Unlock()
	c := Coverage{From: r.from(), To: r.to(), ItemsSeen: w.prior.Items + w.items,
		Pages: w.prior.Pages + w.pages, Complete: w.stopped == "" && w.cutShort == "", Conflicts: w.prior.Confl + w.conflicts}
	for _, left := range w.next {
		c.Complete = c.Complete && len(left) == 0 // never complete with a span unread, whatever stopped it
	}
	if c.Complete {
		return c
	}
	var read []string
	for _, label := range w.order {
		done, unread := splitCoverage(label, r, w.next[label])
		c.Unread = append(c.Unread, unread...)
		for _, s := range done {
			read = append(read, fmt.Sprintf("%s %s..%s", s.List, cmp.Or(s.From, "start"), cmp.Or(s.To, "now")))
		}
	}
	tok, err := w.token()
	c.ResumeToken = tok
	c.Note = "Incomplete: " + w.stopReason()
	if len(read) > 0 {
		c.Note += "; read in full: " + strings.Join(read, ", ")
	}
	if len(c.Unread) > 0 {
		c.Note += "; items created in the unread spans are missing from the figures"
	}
	switch {
	case err != nil:
		c.Note += ". " + err.Error()
	case !w.progressed:
		c.Note += ". This call read nothing new: what it must look up every time took its whole allowance; raise --insights-budget (or the page cap) rather than calling again."
	case tok == "":
		c.Note += ". The figures so far are too many to carry in a resume token: narrow the range or the breakdown and call again."
	default:
		c.Note += ". Call again with resume_token and the same arguments to continue; the figures then cover all calls."
	}
	return c
}

// stopReason says why the call stopped early (under mu).
func (w *walker) stopReason() string {
	var why string
	switch w.stopped {
	case stopBudget:
		why = "the call's time budget ran out"
		if w.budget > 0 {
			why = fmt.Sprintf("the call's time budget (%s, --insights-budget, within the call timeout) ran out", w.budget)
		}
	case stopCap:
		why = fmt.Sprintf("the cap of %d upstream pages per call was reached", w.cap)
	case stopThrottle:
		why = "PartnerStack throttled the account (429)"
		var e *client.Error
		if errors.As(w.stopErr, &e) && e.RetryAfter > 0 {
			why += fmt.Sprintf("; it asks to wait %s before calling again", e.RetryAfter)
		}
	case stopAPI:
		why = fmt.Sprintf("PartnerStack did not answer (%v)", w.stopErr)
	default:
		why = "the walk ended early"
	}
	if w.stopList != "" {
		why += " while reading " + w.stopList
	}
	if w.cutShort != "" {
		why += fmt.Sprintf("; the %s lookup did not finish, so this call read nothing after it", w.cutShort)
	}
	return why
}

// splitCoverage lists, for one walk, the parts of r read and unread, given
// the spans left (ISO, newest first, adjacent unread spans merged).
func splitCoverage(label string, r timeRange, left []*pending) (read, unread []span) {
	spans := slices.Clone(left)
	slices.SortFunc(spans, func(a, b *pending) int {
		if newer(a, b) {
			return -1
		}
		if newer(b, a) {
			return 1
		}
		return 0
	})
	var merged []timeRange
	for _, p := range spans {
		if n := len(merged); n > 0 && merged[n-1].min != 0 && p.Max != 0 && p.Max+1 >= merged[n-1].min {
			merged[n-1].min = p.Min
			continue
		}
		merged = append(merged, timeRange{min: p.Min, max: p.Max})
	}
	top, open := r.max, true // the newest instant not yet accounted for; open: not below the range
	for _, u := range merged {
		if u.max != 0 && (top == 0 || top > u.max) {
			read = append(read, span{label, isoMilli(u.max + 1), isoMilli(top)})
		}
		unread = append(unread, span{label, isoMilli(u.min), isoMilli(u.max)})
		if u.min == 0 || (r.min != 0 && u.min <= r.min) {
			open = false
			break
		}
		top = u.min - 1
	}
	if open && (r.min == 0 || top == 0 || top >= r.min) {
		read = append(read, span{label, isoMilli(r.min), isoMilli(top)})
	}
	return read, unread
}
