package tools

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"log/slog"
	"reflect"
	"time"

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
	Args     string // canonical JSON of what was sent, clipped
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
	window time.Duration
	now    func() time.Time
	scope  func(context.Context) string
	store  dedupe.Store
	logger *slog.Logger
}

// newDedupeGuard returns nil (no guard) for a negative window; a nil store
// means a fresh in-process one.
func newDedupeGuard(window time.Duration, scope func(context.Context) string, store dedupe.Store, logger *slog.Logger) *dedupeGuard {
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
	return &dedupeGuard{window: window, now: time.Now, scope: scope, store: store, logger: logger}
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

// guarded wraps a write tool's handler with the guard.
func guarded[A, R any](g *dedupeGuard, s spec, fn handlerFunc[A, R]) handlerFunc[A, R] {
	if g == nil {
		return fn
	}
	return func(ctx context.Context, call *Call, args *A) (R, error) {
		d, ok := any(args).(deduped)
		if !ok || d.dryRun() {
			return fn(ctx, call, args)
		}
		canon, natural := fingerprintInput(args)
		scope := ""
		if g.scope != nil {
			scope = g.scope(ctx)
		}
		fp := sha256.Sum256([]byte(scope + "\x00" + s.name + "\x00" + natural + "\x00" + canon))
		if natural != "" { // the caller's own id decides alone
			fp = sha256.Sum256([]byte(scope + "\x00" + s.name + "\x00" + natural))
		}
		key := dedupe.Key{Scope: scope, Sum: fp}
		ent := dedupe.Entry{ID: reservationID(), At: g.now(), Args: clip(canon), Natural: natural, Outcome: dedupe.OutcomeInProgress}
		var zero R
		prev, err := g.store.Reserve(ctx, key, ent, g.window, d.dedupeArg().AllowDuplicate)
		if err != nil {
			g.logger.WarnContext(ctx, "duplicate-write guard: store not answering; write refused", "tool", s.name, "store", g.store.Kind(), "error", err)
			return zero, &GuardUnavailableError{Tool: s.name}
		}
		if prev != nil {
			return zero, &DuplicateError{Tool: s.name, Sent: prev.At, Args: prev.Args, Key: prev.Created,
				Outcome: prev.Outcome, Natural: prev.Natural, Window: g.window, FollowUp: followUp(s, args)}
		}
		res, err := fn(ctx, call, args)
		sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), settleTimeout)
		defer cancel()
		var serr error
		switch {
		case err == nil:
			ent.Outcome, ent.Created = dedupe.OutcomeCreated, resultKey(res)
			serr = g.store.Keep(sctx, key, ent)
		case client.IsOutcomeUnknown(err):
			ent.Outcome = dedupe.OutcomeUnknown
			serr = g.store.Keep(sctx, key, ent)
		default: // it provably did not write
			serr = g.store.Release(sctx, key, ent)
		}
		if serr != nil {
			// The reservation stays "in progress" until its window ends:
			// identical calls are refused meanwhile, the safe side.
			g.logger.WarnContext(ctx, "duplicate-write guard: outcome not recorded", "tool", s.name, "store", g.store.Kind(), "error", serr)
		}
		return res, err
	}
}

// fingerprintInput is the canonical JSON of the arguments without dry_run and
// allow_duplicate (the struct's field order is fixed, so equal arguments give
// equal text), and the natural key when the arguments have one.
func fingerprintInput(args any) (canon, natural string) {
	if n, ok := args.(naturalKeyer); ok {
		natural = n.naturalKey()
	}
	v := reflect.New(reflect.TypeOf(args).Elem())
	v.Elem().Set(reflect.ValueOf(args).Elem())
	c := v.Interface().(deduped)
	*c.dedupeArg() = DedupeArg{}
	if dr, ok := v.Interface().(interface{ dryRunArg() *DryRunArg }); ok {
		*dr.dryRunArg() = DryRunArg{}
	}
	raw, err := json.Marshal(v.Interface())
	if err != nil {
		raw = []byte(fmt.Sprintf("%#v", v.Elem().Interface()))
	}
	return string(raw), natural
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
