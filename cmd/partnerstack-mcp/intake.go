package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"sync"
	"time"

	"github.com/mark3labs/mcp-go/mcp"
	"github.com/mark3labs/mcp-go/server"

	"github.com/partnerstack-mcp/partnerstack-mcp/internal/jsonrpc"
)

// Bounds of the stdio intake.
const (
	// maxLine bounds one message (one line), like the HTTP body limit.
	maxLine = 1 << 20
	// stdioWorkers is mcp-go's pool of tool call workers; the intake hands
	// it at most that many calls at a time, so mcp-go's own queue stays
	// empty and its read loop never runs a call itself (it does when the
	// queue is full, and then reads nothing, not even a cancel, until the
	// call ends).
	stdioWorkers = 5
	// maxWaiting and maxWaitingBytes bound the tool calls waiting for a
	// worker; one more is answered "busy" at once.
	maxWaiting      = 100
	maxWaitingBytes = 16 << 20
	// maxAhead bounds the bytes read and not yet taken by mcp-go; past it
	// the intake stops reading stdin until mcp-go catches up.
	maxAhead = 4 << 20
)

// intake sits between stdin and mcp-go's stdio server. It reads stdin on
// its own, one line (message) at a time and at most maxLine long, and:
//   - answers itself what mcp-go would mishandle: a line over maxLine (read
//     to its end without keeping it), an id that is an object, array or
//     boolean, a tool call past maxWaiting;
//   - holds tool calls past stdioWorkers in its own queue, where a cancel
//     simply removes them, so a cancelled call never reaches the API;
//   - ties cancels to the calls handed to mcp-go through mcp-go's hooks
//     (see hook), so a cancel read before its call started still stops it;
//   - at end of input, reports io.EOF only once every request read has been
//     answered (or wait has passed), so a write piped in with `echo ... |`
//     is carried out rather than cancelled.
type intake struct {
	ctx    context.Context
	s      *server.MCPServer
	out    *answerWriter // stdout, for the answers the intake gives itself
	p      *pending
	wait   time.Duration
	logger *slog.Logger

	mu      sync.Mutex
	ready   [][]byte // lines for mcp-go, in order
	ahead   int      // bytes in ready
	waiting []waitingCall
	waitLen int                    // bytes in waiting
	handed  map[string]*handedCall // tool calls mcp-go has, by id key
	eof     bool
	wake    chan struct{} // a Read may go on
	room    chan struct{} // the reader may go on
}

type waitingCall struct {
	key  string
	line []byte
}

type handedCall struct{ started, cancelled bool }

func newIntake(ctx context.Context, s *server.MCPServer, out *answerWriter, p *pending, wait time.Duration, logger *slog.Logger) *intake {
	return &intake{ctx: ctx, s: s, out: out, p: p, wait: wait, logger: logger,
		handed: map[string]*handedCall{}, wake: make(chan struct{}, 1), room: make(chan struct{}, 1)}
}

func nudge(c chan struct{}) {
	select {
	case c <- struct{}{}:
	default:
	}
}

// pump reads stdin until its end; run it on its own goroutine.
func (in *intake) pump(stdin io.Reader) {
	br := bufio.NewReaderSize(stdin, 64<<10)
	for {
		line, tooLong, err := readLine(br)
		switch {
		case tooLong:
			in.logger.Warn("stdin: message over the line limit refused", "limit_bytes", maxLine)
			in.out.message(jsonrpc.Error(nil, mcp.INVALID_REQUEST, fmt.Sprintf("Invalid Request: message over %d bytes", maxLine)))
		case len(bytes.TrimSpace(line)) > 0:
			in.take(line)
		}
		if err != nil {
			in.mu.Lock()
			in.eof = true
			in.mu.Unlock()
			nudge(in.wake)
			return
		}
	}
}

// readLine reads one line without its newline; past maxLine it reads on to
// the end of the line but keeps nothing, and reports tooLong.
func readLine(br *bufio.Reader) (line []byte, tooLong bool, err error) {
	for {
		chunk, err := br.ReadSlice('\n')
		if !tooLong {
			if len(line)+len(chunk) > maxLine+1 { // +1: the newline
				line, tooLong = nil, true
			} else {
				line = append(line, chunk...)
			}
		}
		if errors.Is(err, bufio.ErrBufferFull) {
			continue
		}
		return bytes.TrimSuffix(line, []byte("\n")), tooLong, err
	}
}

func (in *intake) take(line []byte) {
	m, ok := jsonrpc.Peek(line)
	switch {
	case !ok: // mcp-go answers the parse error
	case m.BadID():
		in.out.message(jsonrpc.ErrInvalidID)
		return
	case m.IsCancel():
		if len(m.CancelID) > 0 && in.cancel(jsonrpc.Key(m.CancelID)) {
			return // the call never started: nothing to tell mcp-go
		}
	case m.IsRequest() && m.Method == string(mcp.MethodToolsCall):
		in.call(m.ID, line)
		return
	case m.IsRequest() && m.Method != string(mcp.MethodSubscriptionsListen): // a listen stream never ends by itself
		in.p.add(jsonrpc.Key(m.ID))
	}
	in.pass(line)
}

// pass queues a line for mcp-go, waiting while maxAhead bytes are queued.
func (in *intake) pass(line []byte) {
	in.mu.Lock()
	for in.ahead > maxAhead && in.ctx.Err() == nil {
		in.mu.Unlock()
		select {
		case <-in.room:
		case <-in.ctx.Done():
		}
		in.mu.Lock()
	}
	in.push(line)
	in.mu.Unlock()
}

// push queues a line for mcp-go. Called with mu held.
func (in *intake) push(line []byte) {
	in.ready = append(in.ready, append(line, '\n'))
	in.ahead += len(line) + 1
	nudge(in.wake)
}

// call hands a tool call to mcp-go if a worker is free, else queues it.
func (in *intake) call(id json.RawMessage, line []byte) {
	if refusal := in.queue(jsonrpc.Key(id), line); refusal != "" {
		code := -32000 // a server error: try again later
		if refusal == errIDInUse {
			code = mcp.INVALID_REQUEST
		}
		in.out.message(jsonrpc.Error(id, code, refusal)) // outside mu: the answer comes back through answered
	}
}

const errIDInUse = "Invalid Request: this id is already used by a call in flight"

// queue hands or queues a call and returns "", or why it is refused.
func (in *intake) queue(key string, line []byte) string {
	in.mu.Lock()
	defer in.mu.Unlock()
	_, inUse := in.handed[key]
	for _, w := range in.waiting {
		inUse = inUse || w.key == key
	}
	switch {
	case inUse:
		return errIDInUse
	case len(in.waiting) >= maxWaiting || in.waitLen+len(line) > maxWaitingBytes:
		return fmt.Sprintf("server busy: %d tool calls are already waiting; wait for answers before sending more", len(in.waiting))
	}
	in.p.add(key)
	if len(in.handed) < stdioWorkers && len(in.waiting) == 0 {
		in.handed[key] = &handedCall{}
		in.push(line)
	} else {
		in.waiting = append(in.waiting, waitingCall{key, line})
		in.waitLen += len(line)
	}
	return ""
}

// cancel applies a cancel for key and reports whether it settled it alone
// (the call was still waiting, so it is dropped and gets no answer).
func (in *intake) cancel(key string) bool {
	in.p.done(key) // a cancelled request may get no answer
	in.mu.Lock()
	defer in.mu.Unlock()
	for i, w := range in.waiting {
		if w.key == key {
			in.waiting = append(in.waiting[:i], in.waiting[i+1:]...)
			in.waitLen -= len(w.line)
			return true
		}
	}
	if h, ok := in.handed[key]; ok {
		h.cancelled = true // mcp-go, or the hooks if it has not started, stop it
	}
	return false
}

// answered frees the worker of an answered tool call for the next one waiting.
func (in *intake) answered(key string) {
	in.mu.Lock()
	defer in.mu.Unlock()
	if _, ok := in.handed[key]; !ok {
		return
	}
	delete(in.handed, key)
	for len(in.handed) < stdioWorkers && len(in.waiting) > 0 {
		next := in.waiting[0]
		in.waiting = in.waiting[1:]
		in.waitLen -= len(next.line)
		in.handed[next.key] = &handedCall{}
		in.push(next.line)
	}
}

// hook adds the intake to mcp-go's hooks. A call mcp-go has been handed may
// be cancelled before mcp-go registers it for cancellation, and mcp-go would
// then drop the cancel: a call cancelled before it starts is refused
// (OnRequestInitialization runs first), and one cancelled between that and
// its registration gets the cancel again once registered (BeforeCallTool
// runs after it).
func (in *intake) hook(h *server.Hooks) {
	h.AddOnRequestInitialization(func(_ context.Context, id any, _ any) error {
		in.mu.Lock()
		defer in.mu.Unlock()
		if c, ok := in.handed[anyKey(id)]; ok && c.cancelled {
			return errors.New("request cancelled before it started")
		}
		return nil
	})
	h.AddBeforeCallTool(func(ctx context.Context, id any, _ *mcp.CallToolRequest) {
		in.mu.Lock()
		c, ok := in.handed[anyKey(id)]
		cancelled := ok && c.cancelled
		if ok {
			c.started = true
		}
		in.mu.Unlock()
		if cancelled {
			cancel, _ := json.Marshal(map[string]any{"jsonrpc": "2.0", "method": jsonrpc.MethodCancelled,
				"params": map[string]any{"requestId": id}})
			in.s.HandleMessage(ctx, cancel)
		}
	})
}

func anyKey(id any) string {
	b, _ := json.Marshal(id)
	return jsonrpc.Key(b)
}

// Read gives mcp-go the lines the intake let through. At the end of input it
// reports io.EOF once every request read has been answered, or after wait.
func (in *intake) Read(b []byte) (int, error) {
	var deadline <-chan time.Time
	for {
		in.mu.Lock()
		if len(in.ready) > 0 {
			n := copy(b, in.ready[0])
			if in.ready[0] = in.ready[0][n:]; len(in.ready[0]) == 0 {
				in.ready = in.ready[1:]
			}
			in.ahead -= n
			in.mu.Unlock()
			nudge(in.room)
			return n, nil
		}
		eof := in.eof
		in.mu.Unlock()
		if eof {
			if in.p.count() == 0 {
				return 0, io.EOF
			}
			if deadline == nil {
				deadline = time.After(in.wait)
				in.logger.Debug("stdin closed: waiting for requests in flight", "pending", in.p.count())
			}
		}
		select {
		case <-in.wake:
		case <-in.p.changed:
		case <-deadline:
			in.logger.Debug("stdin closed: stopped waiting", "unanswered", in.p.count())
			return 0, io.EOF
		case <-in.ctx.Done():
			return 0, io.EOF
		}
	}
}
