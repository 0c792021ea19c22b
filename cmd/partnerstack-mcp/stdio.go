package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"sync"
	"time"

	"github.com/mark3labs/mcp-go/server"

	"github.com/partnerstack-mcp/partnerstack-mcp/httpserve"
)

func serve(ctx context.Context, in *invocation) error {
	o := in.opts
	logger, err := newLogger(o.logLevel, in.stderr)
	if err != nil {
		return err
	}
	a, err := build(o, logger)
	if err != nil {
		return err
	}
	defer a.close()
	a.checkStore(ctx, o, logger)
	if err := a.serveMetrics(ctx, o, logger); err != nil {
		return err
	}
	s := a.server
	if o.transport != transportStdio {
		return httpserve.Serve(ctx, s, httpserve.Options{
			Transport:             o.transport,
			Addr:                  o.addr,
			Token:                 o.httpToken,
			AllowedOrigins:        splitList(o.allowedOrigins),
			Stateless:             o.stateless,
			PerRequestCredentials: o.perRequestCredentials,
			BodyTimeout:           o.bodyTimeout,
			MaxSessions:           o.maxSessions,
			MaxSSEStreams:         o.maxSSEStreams,
			MaxSessionCalls:       o.maxSessionCalls,
			Ready:                 a.store.Ping,
			Logger:                logger,
		})
	}
	return serveStdio(ctx, s, in.stdin, in.stdout, o.callTimeout, logger)
}

// serveStdio serves MCP on stdin/stdout (logs go to stderr). When stdin
// closes, mcp-go cancels every request still running, so a write piped in
// with `echo ... |` would end as "outcome unknown". The pending tracker holds
// back the end of input until every request read has been answered, for at
// most the call timeout (each call ends by then) plus a little to write.
func serveStdio(ctx context.Context, s *server.MCPServer, stdin io.Reader, stdout io.Writer, callTimeout time.Duration, logger *slog.Logger) error {
	p := newPending()
	stdio := server.NewStdioServer(s)
	stdio.SetErrorLogger(slog.NewLogLogger(logger.Handler(), slog.LevelError))
	r := &drainingReader{ctx: ctx, r: stdin, p: p, wait: callTimeout + 2*time.Second, logger: logger}
	err := stdio.Listen(ctx, r, answerWriter{stdout, p})
	if err != nil && (errors.Is(err, context.Canceled) || errors.Is(err, io.EOF)) {
		return nil
	}
	return err
}

// pending is the set of request ids read from stdin and not yet answered.
type pending struct {
	mu      sync.Mutex
	ids     map[string]bool
	changed chan struct{} // receives after each answer
}

func newPending() *pending {
	return &pending{ids: map[string]bool{}, changed: make(chan struct{}, 1)}
}

func (p *pending) add(id string) {
	p.mu.Lock()
	p.ids[id] = true
	p.mu.Unlock()
}

func (p *pending) done(id string) {
	p.mu.Lock()
	delete(p.ids, id)
	p.mu.Unlock()
	select {
	case p.changed <- struct{}{}:
	default:
	}
}

func (p *pending) count() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return len(p.ids)
}

// wait returns when no request is pending, ctx ends or the timeout passes.
func (p *pending) wait(ctx context.Context, timeout time.Duration) int {
	deadline := time.NewTimer(timeout)
	defer deadline.Stop()
	for {
		n := p.count()
		if n == 0 {
			return 0
		}
		select {
		case <-p.changed:
		case <-ctx.Done():
			return n
		case <-deadline.C:
			return n
		}
	}
}

// maxTrackedLine bounds the partial line kept to find a request's id; a
// longer line is passed through untracked.
const maxTrackedLine = 8 << 20

// drainingReader passes stdin through, noting the id of every request on a
// complete line; at end of input it waits for their answers before it
// reports io.EOF.
type drainingReader struct {
	ctx    context.Context
	r      io.Reader
	p      *pending
	wait   time.Duration
	logger *slog.Logger

	line    []byte
	tooLong bool
	eof     bool
	drained bool
}

func (d *drainingReader) Read(b []byte) (int, error) {
	if d.eof {
		return 0, d.drain()
	}
	n, err := d.r.Read(b)
	d.scan(b[:n])
	if errors.Is(err, io.EOF) {
		d.eof = true
		if n > 0 {
			return n, nil // let the server read these lines before the end
		}
		return 0, d.drain()
	}
	return n, err
}

func (d *drainingReader) drain() error {
	if !d.drained && d.p.count() > 0 {
		d.drained = true // wait once, however often the end is read
		start := time.Now()
		left := d.p.wait(d.ctx, d.wait)
		d.logger.Debug("stdin closed: waited for requests in flight", "took", time.Since(start).String(), "unanswered", left)
	}
	return io.EOF
}

func (d *drainingReader) scan(b []byte) {
	for len(b) > 0 {
		i := bytes.IndexByte(b, '\n')
		if i < 0 {
			d.keep(b)
			return
		}
		d.keep(b[:i])
		if !d.tooLong {
			d.track(d.line)
		}
		d.line, d.tooLong = d.line[:0], false
		b = b[i+1:]
	}
}

func (d *drainingReader) keep(b []byte) {
	if d.tooLong || len(d.line)+len(b) > maxTrackedLine {
		d.line, d.tooLong = d.line[:0], true
		return
	}
	d.line = append(d.line, b...)
}

// track notes a request (method and id) as pending; a cancellation
// notification settles its request, which may get no answer.
func (d *drainingReader) track(line []byte) {
	var msg struct {
		ID     json.RawMessage `json:"id"`
		Method string          `json:"method"`
		Params struct {
			RequestID json.RawMessage `json:"requestId"`
		} `json:"params"`
	}
	if json.Unmarshal(line, &msg) != nil || msg.Method == "" {
		return
	}
	switch {
	case msg.Method == "notifications/cancelled" && msg.Params.RequestID != nil:
		d.p.done(idKey(msg.Params.RequestID))
	case msg.ID != nil && msg.Method != "subscriptions/listen": // a listen stream never ends by itself
		d.p.add(idKey(msg.ID))
	}
}

// answerWriter passes the server's messages to stdout and settles the
// request each answer belongs to, after it is written. mcp-go writes each
// message with one Write.
type answerWriter struct {
	w io.Writer
	p *pending
}

func (a answerWriter) Write(b []byte) (int, error) {
	n, err := a.w.Write(b)
	if id, ok := answerID(b); ok {
		a.p.done(id)
	}
	return n, err
}

// answerID returns the id of a JSON-RPC response (result or error). mcp-go
// writes jsonrpc and id first, so the result itself is rarely read.
func answerID(msg []byte) (string, bool) {
	dec := json.NewDecoder(bytes.NewReader(msg))
	if t, err := dec.Token(); err != nil || t != json.Delim('{') {
		return "", false
	}
	var id json.RawMessage
	answer := false
	for dec.More() {
		key, err := dec.Token()
		if err != nil {
			return "", false
		}
		switch key {
		case "method":
			return "", false // a request or notification of the server's
		case "result", "error":
			answer = true
			if id != nil {
				return idKey(id), true
			}
		case "id":
			if dec.Decode(&id) != nil {
				return "", false
			}
			if answer {
				return idKey(id), true
			}
			continue
		}
		var skip json.RawMessage
		if dec.Decode(&skip) != nil {
			return "", false
		}
	}
	return "", false
}

// idKey makes equal ids equal keys: 7 and 7.0 stay distinct, as JSON-RPC
// compares them, but whitespace does not matter.
func idKey(raw json.RawMessage) string {
	var b bytes.Buffer
	if json.Compact(&b, raw) != nil {
		return string(raw)
	}
	return b.String()
}
