package tools

import (
	"context"
	"crypto/sha256"
	"fmt"
	"log/slog"
	"strconv"
	"strings"
	"time"

	"github.com/partnerstack-mcp/partnerstack-mcp/client"
	"github.com/partnerstack-mcp/partnerstack-mcp/tools/dedupe"
)

// The documented limits of report exports (PartnerStack's docs index): a
// report can be exported once every 2 hours, and one teammate email at
// most 20 times every 2 hours; the API answers 429 beyond. The server
// counts the exports it starts itself, so it can answer a call the API
// would refuse before asking it; exports started elsewhere (the
// dashboard, other integrations) only the API knows, and its 429 is
// answered with the same explanation.
//
// The bookkeeping is a dedupe.Store, the duplicate guard's memory kind: a
// report is one key held for 2 hours, an email 20 keys (slots), each
// export holding one. With the guard's Redis store the count is shared by
// every replica, as the API's is; otherwise it is this process's own
// bounded memory (dedupe.Memory, which expects one window per store, so it
// is never the guard's). A store that does not answer is logged and the
// export sent: the API enforces the limits anyway, so nothing is lost by
// failing open, unlike the guard's money writes.

const (
	exportWindow   = 2 * time.Hour
	exportsPerMail = 20
)

type exportLimits struct {
	store  dedupe.Store
	scope  func(context.Context) string
	now    func() time.Time
	logger *slog.Logger
}

func newExportLimits(d Deps) *exportLimits {
	l := &exportLimits{scope: d.DedupeScope, now: time.Now, logger: d.Logger}
	if l.logger == nil {
		l.logger = slog.New(slog.DiscardHandler)
	}
	if d.DedupeStore != nil && d.DedupeStore.Kind() != "memory" {
		l.store = d.DedupeStore
	} else {
		m := dedupe.NewMemory()
		m.Now = func() time.Time { return l.now() }
		l.store = m
	}
	return l
}

// exportClaim is what one export holds: its report key and an email slot.
type exportClaim struct {
	keys []dedupe.Key
	ent  dedupe.Entry
}

func (l *exportLimits) key(scope, kind, value string) dedupe.Key {
	return dedupe.Key{Scope: scope, Sum: sha256.Sum256([]byte(scope + "\x00report-export\x00" + kind + "\x00" + value))}
}

// reserve claims the report and one of the email's slots, or answers why
// the API would refuse. A nil claim with a nil error: no bookkeeping (the
// store did not answer).
func (l *exportLimits) reserve(ctx context.Context, report, email string) (*exportClaim, error) {
	scope := ""
	if l.scope != nil {
		scope = l.scope(ctx)
	}
	c := &exportClaim{ent: dedupe.Entry{ID: reservationID(), At: l.now(), Args: "report export", Outcome: dedupe.OutcomeInProgress}}
	rk := l.key(scope, "report", report)
	held, err := l.store.Reserve(ctx, rk, c.ent, exportWindow, false)
	if err != nil {
		l.unavailable(ctx, err)
		return nil, nil
	}
	if held != nil {
		return nil, l.reportHeld(report, held)
	}
	c.keys = append(c.keys, rk)
	var oldest time.Time
	for i := range exportsPerMail {
		k := l.key(scope, "email", strings.ToLower(email)+"\x00"+strconv.Itoa(i))
		held, err := l.store.Reserve(ctx, k, c.ent, exportWindow, false)
		if err != nil {
			l.unavailable(ctx, err)
			return c, nil
		}
		if held == nil {
			c.keys = append(c.keys, k)
			return c, nil
		}
		if oldest.IsZero() || held.At.Before(oldest) {
			oldest = held.At
		}
	}
	l.settle(ctx, c, nil, "")
	return nil, argErr("member_email", fmt.Sprintf("started %d exports through this server in the last 2 hours, PartnerStack's limit per teammate email", exportsPerMail),
		"use another teammate's member_email, or retry after "+oldest.Add(exportWindow).UTC().Format(time.RFC3339))
}

func (l *exportLimits) reportHeld(report string, held *dedupe.Entry) error {
	ago := l.now().Sub(held.At).Round(time.Minute)
	problem := fmt.Sprintf("'%s' was exported through this server (its replicas included) %s ago; PartnerStack allows one export per report every 2 hours", report, ago)
	again := held.At.Add(exportWindow).UTC().Format(time.RFC3339)
	fix := "start it again after " + again
	switch {
	case held.Created != "":
		fix = "read that export with get_report_export export_key " + held.Created + ", or " + fix
	case held.Outcome == dedupe.OutcomeUnknown:
		problem += " (that call's outcome is unknown, so the export may have started)"
	}
	return argErr("report_key", problem, fix)
}

// settle records what came of the export: kept for its window when it was
// (or may have been) started, released when it provably was not.
func (l *exportLimits) settle(ctx context.Context, c *exportClaim, err error, exportKey string) {
	if c == nil {
		return
	}
	sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), settleTimeout)
	defer cancel()
	ent := c.ent
	keep := true
	switch {
	case err == nil && exportKey != "":
		ent.Outcome, ent.Created = dedupe.OutcomeCreated, exportKey
	case err != nil && client.IsOutcomeUnknown(err):
		ent.Outcome = dedupe.OutcomeUnknown
	default:
		keep = false
	}
	for _, k := range c.keys {
		var serr error
		if keep {
			serr = l.store.Keep(sctx, k, ent)
		} else {
			serr = l.store.Release(sctx, k, ent)
		}
		if serr != nil {
			l.unavailable(ctx, serr)
			return
		}
	}
}

func (l *exportLimits) unavailable(ctx context.Context, err error) {
	l.logger.WarnContext(ctx, "report export limits: store not answering; the API's own limits apply", "store", l.store.Kind(), "error", err)
}

// rateLimited answers the API's 429 to an export: the limits, and that it
// counts exports this server cannot see.
func rateLimited(e *client.Error) error {
	when := "after the 2 hours"
	if e.RetryAfter > 0 {
		when = fmt.Sprintf("in %s", e.RetryAfter.Round(time.Second))
	}
	return argErr("report_key", fmt.Sprintf("PartnerStack refused the export (429: %s): a report can be exported once every 2 hours and each member_email 20 times every 2 hours, "+
		"counting exports started outside this server (the dashboard, other integrations), which it cannot see", clip(e.Message)),
		"retry "+when+", or use another teammate's member_email if that limit was reached")
}
