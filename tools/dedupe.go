package tools

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"time"

	"go.opentelemetry.io/otel/metric"

	"github.com/partnerstack-mcp/partnerstack-mcp/client"
	"github.com/partnerstack-mcp/partnerstack-mcp/tools/dedupe"
)

// The duplicate-write guard. A model that did not see (or did not believe) a
// write's answer tends to send the same call again, and for money-moving
// tools that means a second payment, reward or action. The guard remembers
// each successful or outcome-unknown call of those tools for a window and
// refuses an identical one unless the caller says allow_duplicate: true.
// The memory itself is a dedupe.Store.

// DefaultDedupeWindow is how long a write is remembered when Deps.DedupeWindow is 0.
const DefaultDedupeWindow = 10 * time.Minute

// DedupeArg is embedded in the arguments of every guarded write tool.
type DedupeArg struct {
	AllowDuplicate bool `json:"allow_duplicate,omitempty" jsonschema_description:"true: send even if an identical call was made in the last minutes."`
}

func (a *DedupeArg) dedupeArg() *DedupeArg { return a }

// deduped is implemented by guarded tools' arguments (through DedupeArg and
// DryRunArg). naturalKeyer optionally names the write by the caller's own id.
type deduped interface {
	dedupeArg() *DedupeArg
	dryRun() bool
}

type naturalKeyer interface {
	naturalKey() string
}

// DuplicateError refuses a call identical to a recent one.
type DuplicateError struct {
	Tool     string
	Sent     time.Time
	Args     string // the request that was sent (method, path, body), clipped
	Key      string // key of the object the earlier call created, if known
	Outcome  string // "created", "unknown" or "in progress"
	Natural  string // the caller's own id that matched, when that was the match
	Window   time.Duration
	FollowUp string
}

func (e *DuplicateError) Error() string {
	ago := time.Since(e.Sent).Round(time.Second)
	what := "An identical " + e.Tool + " call"
	if e.Natural != "" {
		what = "A " + e.Tool + " call with the same " + e.Natural
	}
	s := fmt.Sprintf("Refused as a likely duplicate: %s was sent %s ago (%s) with %s", what, ago,
		e.Sent.UTC().Format(time.RFC3339), e.Args)
	switch e.Outcome {
	case "created":
		s += "; it succeeded"
		if e.Key != "" {
			s += " and created key " + e.Key
		}
		s += ". Nothing was sent now."
	case "in progress":
		s += "; it is still in progress. Nothing was sent now."
	default:
		s += "; its outcome is unknown. Nothing was sent now. Check with " + checkOr(e.FollowUp) + " whether it was applied."
	}
	return s + fmt.Sprintf(" If a second, separate write is really intended, call again with allow_duplicate: true. (Identical calls are refused for %s.)", e.Window)
}

// dedupeGuard decides; its store (package tools/dedupe) remembers: this
// process's memory by default, or Redis/Valkey shared by every replica.
type dedupeGuard struct {
	window  time.Duration
	now     func() time.Time
	scope   func(context.Context) string
	store   dedupe.Store
	logger  *slog.Logger
	metrics guardMetrics
}

// newDedupeGuard returns nil (no guard) for a negative window; a nil store
// means a fresh in-process one.
func newDedupeGuard(window time.Duration, scope func(context.Context) string, store dedupe.Store, logger *slog.Logger, meters metric.MeterProvider) *dedupeGuard {
	if window < 0 {
		return nil
	}
	if window == 0 {
		window = DefaultDedupeWindow
	}
	if store == nil {
		store = dedupe.NewMemory()
	}
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	return &dedupeGuard{window: window, now: time.Now, scope: scope, store: store, logger: logger, metrics: newGuardMetrics(meters)}
}

// GuardUnavailableError refuses a money write because the guard's shared
// store does not answer: without it the server cannot tell whether another
// replica just sent the same write (fail closed).
type GuardUnavailableError struct{ Tool string }

func (e *GuardUnavailableError) Error() string {
	return "Refused: " + e.Tool + " was not sent because the duplicate-write guard's shared store is not answering, " +
		"so this server cannot make sure the same write was not just sent by another replica. Nothing was sent. " +
		"Retry in a minute; reads still work. If it persists, the server's operator must check the store (--dedupe-store)."
}

// GuardFullError refuses a money write of a caller new to the guard while
// its memory holds the most callers it keeps (dedupe.DefaultMaxScopes):
// making room would forget another caller's recent writes.
type GuardFullError struct{ Tool string }

func (e *GuardFullError) Error() string {
	return "Refused: " + e.Tool + " was not sent because the duplicate-write guard already remembers recent writes of as many " +
		"callers as it can hold, and making room would forget another caller's writes. Nothing was sent. Retry in a few " +
		"minutes, when older writes have expired; reads still work. The server's operator can move the guard to a shared store."
}

// settleTimeout bounds recording a write's outcome. It runs on a context
// freed from the call's deadline: a call that timed out must still be
// remembered as sent.
const settleTimeout = 2 * time.Second

// reservationID tells one reservation from any other under the same key.
func reservationID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// guarded wraps a write tool's handler with the guard. The handler runs
// with a write check (client.WithWriteCheck), so the guard sees each write
// as it is about to be sent, after the tool has normalised it: it reserves
// the write's fingerprint there, or refuses the write before it leaves.
func guarded[A, R any](g *dedupeGuard, s spec, fn handlerFunc[A, R]) handlerFunc[A, R] {
	if g == nil {
		return fn
	}
	return func(ctx context.Context, call *Call, args *A) (R, error) {
		d, ok := any(args).(deduped)
		if !ok || d.dryRun() {
			return fn(ctx, call, args)
		}
		natural := ""
		if n, ok := any(args).(naturalKeyer); ok {
			natural = n.naturalKey()
		}
		scope := ""
		if g.scope != nil {
			scope = g.scope(ctx)
		}
		type claim struct {
			key dedupe.Key
			ent dedupe.Entry
		}
		var claims []claim
		check := func(p client.PreparedRequest) error {
			key := dedupe.Key{Scope: scope, Sum: writeFingerprint(scope, s.name, natural, p)}
			ent := dedupe.Entry{ID: reservationID(), At: g.now(), Args: clip(p.Method + " " + requestPath(p.URL) + " " + string(p.Body)),
				Natural: natural, Outcome: dedupe.OutcomeInProgress}
			prev, err := g.store.Reserve(ctx, key, ent, g.window, d.dedupeArg().AllowDuplicate)
			switch {
			case errors.Is(err, dedupe.ErrFull):
				g.metrics.refused(ctx, s.name, "full")
				return &GuardFullError{Tool: s.name}
			case err != nil:
				g.logger.WarnContext(ctx, "duplicate-write guard: store not answering; write refused", "tool", s.name, "store", g.store.Kind(), "error", err)
				g.metrics.storeError(ctx, "reserve")
				g.metrics.refused(ctx, s.name, "store_unavailable")
				return &GuardUnavailableError{Tool: s.name}
			case prev != nil:
				g.metrics.refused(ctx, s.name, "duplicate")
				return &DuplicateError{Tool: s.name, Sent: prev.At, Args: prev.Args, Key: prev.Created,
					Outcome: prev.Outcome, Natural: prev.Natural, Window: g.window, FollowUp: followUp(s, args)}
			}
			g.metrics.reserved(ctx, s.name)
			claims = append(claims, claim{key, ent})
			return nil
		}
		res, err := fn(client.WithWriteCheck(ctx, check), call, args)
		if len(claims) == 0 { // nothing was sent: refused, or failed before the write
			return res, err
		}
		sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), settleTimeout)
		defer cancel()
		for _, c := range claims {
			var serr error
			op := "keep"
			switch ent := c.ent; {
			case err == nil:
				ent.Outcome, ent.Created = dedupe.OutcomeCreated, resultKey(res)
				serr = g.store.Keep(sctx, c.key, ent)
			case client.IsOutcomeUnknown(err):
				ent.Outcome = dedupe.OutcomeUnknown
				serr = g.store.Keep(sctx, c.key, ent)
			default: // it provably did not write
				op = "release"
				serr = g.store.Release(sctx, c.key, ent)
			}
			if serr != nil {
				g.metrics.storeError(ctx, op)
				// The reservation stays "in progress" until its window ends:
				// identical calls are refused meanwhile, the safe side.
				g.logger.WarnContext(ctx, "duplicate-write guard: outcome not recorded", "tool", s.name, "store", g.store.Kind(), "error", serr)
			}
		}
		return res, err
	}
}

// writeFingerprint names one write for the guard: the request exactly as it
// is sent (method, URL and body bytes). The client encodes bodies
// canonically (struct fields in a fixed order, map keys sorted) after the
// tool has normalised the values (currency upper-cased, dates as epoch ms,
// metadata in one form), so every spelling of one write gives one
// fingerprint. When the caller named the write with its own id (a
// transaction key), that id decides alone. The scope is covered too, so no
// caller's fingerprint can equal another's.
func writeFingerprint(scope, tool, natural string, p client.PreparedRequest) [32]byte {
	if natural != "" {
		return sha256.Sum256([]byte(scope + "\x00" + tool + "\x00" + natural))
	}
	h := sha256.New()
	for _, part := range []string{scope, tool, p.Method, p.URL} {
		h.Write([]byte(part))
		h.Write([]byte{0})
	}
	h.Write(p.Body)
	var sum [32]byte
	h.Sum(sum[:0])
	return sum
}

// requestPath is the path of a prepared request's URL (the base URL is
// the server's, the same for every call, and not worth repeating).
func requestPath(raw string) string {
	if u, err := url.Parse(raw); err == nil {
		return u.Path
	}
	return raw
}

// resultKey reads result.key from a write tool's answer.
func resultKey(res any) string {
	raw, err := json.Marshal(res)
	if err != nil {
		return ""
	}
	var r struct {
		Result struct {
			Key string `json:"key"`
		} `json:"result"`
	}
	_ = json.Unmarshal(raw, &r)
	return r.Result.Key
}
