package tools

import (
	"container/list"
	"context"
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"reflect"
	"sync"
	"time"

	"github.com/partnerstack-mcp/partnerstack-mcp/client"
)

// The duplicate-write guard. A model that did not see (or did not believe) a
// write's answer tends to send the same call again, and for money-moving
// tools that means a second payment, reward or action. The guard remembers
// each successful or outcome-unknown call of those tools for a window and
// refuses an identical one unless the caller says allow_duplicate: true.

// DefaultDedupeWindow is how long a write is remembered when Deps.DedupeWindow is 0.
const DefaultDedupeWindow = 10 * time.Minute

// maxDedupeEntries bounds the guard's memory; the oldest entries go first.
const maxDedupeEntries = 10_000

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

// dedupeGuard is the guard's memory: fingerprint -> entry, plus the entries
// in the order they were written, for expiry and the size cap. Safe for
// concurrent use.
type dedupeGuard struct {
	window time.Duration
	max    int
	now    func() time.Time
	scope  func(context.Context) string

	mu      sync.Mutex
	entries map[[32]byte]*list.Element
	order   *list.List // of *dedupeEntry, oldest first
}

type dedupeEntry struct {
	fp      [32]byte
	at      time.Time
	args    string
	natural string
	key     string
	outcome string
}

// newDedupeGuard returns nil (no guard) for a negative window.
func newDedupeGuard(window time.Duration, scope func(context.Context) string) *dedupeGuard {
	if window < 0 {
		return nil
	}
	if window == 0 {
		window = DefaultDedupeWindow
	}
	return &dedupeGuard{window: window, max: maxDedupeEntries, now: time.Now, scope: scope,
		entries: map[[32]byte]*list.Element{}, order: list.New()}
}

// expire drops entries older than the window and, past the cap, the oldest.
// Callers hold g.mu.
func (g *dedupeGuard) expire(now time.Time) {
	for e := g.order.Front(); e != nil; e = g.order.Front() {
		ent := e.Value.(*dedupeEntry)
		if now.Sub(ent.at) < g.window && g.order.Len() < g.max {
			return
		}
		g.order.Remove(e)
		delete(g.entries, ent.fp)
	}
}

// reserve claims fp for a call about to be sent. Without allow it refuses
// when fp is remembered; the claim shows as "in progress" to identical calls
// made meanwhile. It returns the claim, to settle once the outcome is known.
func (g *dedupeGuard) reserve(fp [32]byte, args, natural string, allow bool) (*dedupeEntry, *dedupeEntry) {
	g.mu.Lock()
	defer g.mu.Unlock()
	now := g.now()
	g.expire(now)
	if el, ok := g.entries[fp]; ok {
		if !allow {
			prev := *el.Value.(*dedupeEntry)
			return nil, &prev
		}
		g.order.Remove(el)
		delete(g.entries, fp)
	}
	ent := &dedupeEntry{fp: fp, at: now, args: args, natural: natural, outcome: "in progress"}
	g.entries[fp] = g.order.PushBack(ent)
	return ent, nil
}

// settle records how a claimed call ended: remembered when it succeeded or
// its outcome is unknown, forgotten otherwise (it provably did not write).
func (g *dedupeGuard) settle(ent *dedupeEntry, remember bool, outcome, key string) {
	g.mu.Lock()
	defer g.mu.Unlock()
	el, ok := g.entries[ent.fp]
	if !ok || el.Value.(*dedupeEntry) != ent {
		return // expired, evicted or replaced by an allow_duplicate call
	}
	if !remember {
		g.order.Remove(el)
		delete(g.entries, ent.fp)
		return
	}
	ent.outcome, ent.key = outcome, key
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
		ent, prev := g.reserve(fp, clip(canon), natural, d.dedupeArg().AllowDuplicate)
		if prev != nil {
			var zero R
			return zero, &DuplicateError{Tool: s.name, Sent: prev.at, Args: prev.args, Key: prev.key,
				Outcome: prev.outcome, Natural: prev.natural, Window: g.window, FollowUp: followUp(s, args)}
		}
		res, err := fn(ctx, call, args)
		switch {
		case err == nil:
			g.settle(ent, true, "created", resultKey(res))
		case client.IsOutcomeUnknown(err):
			g.settle(ent, true, "unknown", "")
		default:
			g.settle(ent, false, "", "")
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
