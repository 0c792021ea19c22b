package tools

import (
	"bytes"
	"compress/flate"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"strings"
)

// Resume tokens. An insight that stops early hands out a token holding
// everything the next call needs to go on as if it had never stopped: the
// figures so far (the tool's accumulators) and, per list, the spans still
// unread with their cursors. The next call with the token and the same
// arguments reads only those, so no page is read twice and the last call's
// figures are exactly those of one uninterrupted walk.
//
// The token is deflated JSON, base64url, and an HMAC-SHA256 over the tool,
// its arguments and the state, keyed from the account's API keys (and the
// caller's, with per-request credentials): tampering, a token of another
// tool, other arguments or another account are refused. It holds figures
// the caller has already seen, nothing else; being signed, not encrypted,
// it is readable by whoever holds it.

// resumeArgs is embedded in every insight's arguments (through rangeArgs).
type resumeArgs struct {
	ResumeToken string `json:"resume_token,omitempty" jsonschema:"maxLength=32768"` // explained in the server instructions
}

func (a *resumeArgs) token() *string { return &a.ResumeToken }

type resumable interface{ token() *string }

// maxTokenBytes keeps a token well inside the 64 KiB a call's arguments may
// take; a state too big for it is not resumable (the note says so).
const maxTokenBytes = 32 << 10

// resumeState is what a token carries.
type resumeState struct {
	V     int                        `json:"v"`
	Calls int                        `json:"n"`           // calls so far
	Pages int                        `json:"p"`           // pages read by them
	Items int                        `json:"i"`           // items read by them
	Confl int                        `json:"x,omitempty"` // attribution conflicts met by them
	Walks map[string][]*pending      `json:"w,omitempty"` // per list: spans left; [] when done; absent when not begun
	Hints map[string]int64           `json:"h,omitempty"` // per list: the oldest created_at (probe), so it is asked once
	Carry map[string]json.RawMessage `json:"s,omitempty"` // the tool's accumulators
}

const resumeVersion = 1

// resume binds the walker to tool and its arguments and registers the
// accumulators a token carries (name -> pointer, JSON-encodable). With a
// token in args it restores them and the lists' unread spans; a token that
// fails its checks is an argument error.
func (w *walker) resume(tool string, args resumable, carry map[string]any) error {
	tok := *args.token()
	if len(tok) > maxTokenBytes {
		return argErr("resume_token", fmt.Sprintf("is %d bytes; a token is at most %d", len(tok), maxTokenBytes),
			"send the token exactly as the last result gave it")
	}
	*args.token() = ""
	bind, err := json.Marshal(args)
	*args.token() = tok
	if err != nil {
		return fmt.Errorf("internal error: arguments could not be encoded: %w", err)
	}
	w.tool, w.bind, w.carried = tool, bind, carry
	w.next = map[string][]*pending{}
	if tok == "" {
		return nil
	}
	bad := func(problem string) error {
		return argErr("resume_token", problem,
			"send the token exactly as the last result gave it, with the same other arguments, or call without it to start over")
	}
	body, mac, ok := strings.Cut(tok, ".")
	raw, err1 := base64.RawURLEncoding.DecodeString(body)
	sum, err2 := base64.RawURLEncoding.DecodeString(mac)
	if !ok || err1 != nil || err2 != nil {
		return bad("is not a resume token")
	}
	if !hmac.Equal(sum, w.sign(raw)) {
		return bad("does not belong to this tool and these arguments (or was altered)")
	}
	plain, err := io.ReadAll(io.LimitReader(flate.NewReader(bytes.NewReader(raw)), 1<<20))
	var st resumeState
	if err != nil || json.Unmarshal(plain, &st) != nil || st.V != resumeVersion {
		return bad("comes from another version of this server")
	}
	for name, ptr := range carry {
		v, ok := st.Carry[name]
		if !ok || json.Unmarshal(v, ptr) != nil {
			return bad("comes from another version of this server")
		}
	}
	for _, spans := range st.Walks {
		for _, p := range spans {
			if p == nil || (p.Min != 0 && p.Max != 0 && p.Min > p.Max) {
				return bad("holds an invalid span")
			}
		}
	}
	w.prior, w.resumed = st, true
	return nil
}

// sign is the token's MAC over the tool, its arguments and the state.
func (w *walker) sign(state []byte) []byte {
	var key []byte
	if w.d.Client != nil {
		key = w.d.Client.SigningKey("insights resume token")
	}
	if w.d.DedupeScope != nil {
		if s := w.d.DedupeScope(w.parent); s != "" {
			m := hmac.New(sha256.New, key)
			m.Write([]byte(s))
			key = m.Sum(nil)
		}
	}
	m := hmac.New(sha256.New, key)
	for _, part := range [][]byte{[]byte(w.tool), w.bind, state} {
		fmt.Fprintf(m, "%d:", len(part))
		m.Write(part)
	}
	return m.Sum(nil)[:18]
}

// spansFor is where walk label starts: the spans a token left, or all of r.
func (w *walker) spansFor(label string, r timeRange) []*pending {
	if w.resumed {
		if spans, ok := w.prior.Walks[label]; ok {
			out := make([]*pending, len(spans))
			for i, p := range spans {
				c := *p
				out[i] = &c
			}
			return out
		}
	}
	return spansOf(r)
}

// spansOf is r as the one span a fresh walk starts with. Spans write an
// open bound as 0, so a set bound is mapped onto that encoding here, the one
// place a range becomes spans. Inferred, not documented: every item's
// created_at is after the epoch (PartnerStack keeps creation times in ms
// since 1970, and no account predates it); so a lower bound at or before
// the epoch keeps every item, as an open one does, and an upper bound
// before 1 ms keeps none: the walk has nothing to read.
func spansOf(r timeRange) []*pending {
	if r.hasMax && r.max < 1 {
		return []*pending{}
	}
	var p pending
	if r.hasMin && r.min > 0 {
		p.Min = r.min
	}
	if r.hasMax {
		p.Max = r.max
	}
	return []*pending{&p}
}

// token encodes the state for the next call; "" when it would be too big.
func (w *walker) token() (string, error) {
	st := resumeState{V: resumeVersion, Calls: w.prior.Calls + 1, Pages: w.prior.Pages + w.pages,
		Items: w.prior.Items + w.items, Confl: w.prior.Confl + w.conflicts, Walks: map[string][]*pending{}, Hints: map[string]int64{}, Carry: map[string]json.RawMessage{}}
	if w.resumed {
		maps.Copy(st.Walks, w.prior.Walks)
		maps.Copy(st.Hints, w.prior.Hints)
	}
	maps.Copy(st.Walks, w.next)
	maps.Copy(st.Hints, w.hints)
	for name, ptr := range w.carried {
		v, err := json.Marshal(ptr)
		if err != nil {
			return "", fmt.Errorf("internal error: %s could not be encoded: %w", name, err)
		}
		st.Carry[name] = v
	}
	plain, err := json.Marshal(st)
	if err != nil {
		return "", fmt.Errorf("internal error: resume state could not be encoded: %w", err)
	}
	var buf bytes.Buffer
	fw, _ := flate.NewWriter(&buf, flate.BestCompression)
	fw.Write(plain)
	fw.Close()
	tok := base64.RawURLEncoding.EncodeToString(buf.Bytes()) + "." + base64.RawURLEncoding.EncodeToString(w.sign(buf.Bytes()))
	if len(tok) > maxTokenBytes {
		return "", nil
	}
	return tok, nil
}
