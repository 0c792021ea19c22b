package main

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"sync"
	"time"

	"github.com/mark3labs/mcp-go/server"

	"github.com/partnerstack-mcp/partnerstack-mcp/httpserve"
	"github.com/partnerstack-mcp/partnerstack-mcp/internal/jsonrpc"
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

// serveStdio serves MCP on stdin/stdout (logs go to stderr) through the
// intake (intake.go), which bounds and orders what mcp-go reads: see there
// for the line limit, cancels of waiting calls, and the end of input. The
// wait at the end is at most the call timeout (each call ends by then) plus
// a little to write.
func serveStdio(ctx context.Context, s *server.MCPServer, stdin io.Reader, stdout io.Writer, callTimeout time.Duration, logger *slog.Logger) error {
	p := newPending()
	out := &answerWriter{w: stdout, p: p}
	in := newIntake(ctx, s, out, p, callTimeout+2*time.Second, logger)
	out.answered = in.answered
	if h := s.GetHooks(); h != nil {
		in.hook(h)
	} else {
		return errors.New("stdio: the MCP server has no hooks to tie cancels to calls (build it with server.WithHooks)")
	}
	stdio := server.NewStdioServer(s)
	stdio.SetErrorLogger(slog.NewLogLogger(logger.Handler(), slog.LevelError))
	server.WithWorkerPoolSize(stdioWorkers)(stdio)
	go in.pump(stdin)
	err := stdio.Listen(ctx, in, out)
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

// answerWriter is stdout: it passes the server's messages on, one Write each
// (mcp-go writes each message with one Write, and the intake's own answers
// go through message), and settles the request each answer belongs to once
// it is written.
type answerWriter struct {
	mu       sync.Mutex
	w        io.Writer
	p        *pending
	answered func(key string)
}

func (a *answerWriter) Write(b []byte) (int, error) {
	a.mu.Lock()
	n, err := a.w.Write(b)
	a.mu.Unlock()
	if id, ok := answerKey(b); ok {
		a.p.done(id)
		if a.answered != nil {
			a.answered(id)
		}
	}
	return n, err
}

// message writes one JSON-RPC message of the intake's own.
func (a *answerWriter) message(msg []byte) {
	_, _ = a.Write(append(msg, '\n'))
}

// answerKey is the id key (jsonrpc.Key) of a JSON-RPC answer.
func answerKey(msg []byte) (string, bool) {
	id, ok := jsonrpc.AnswerID(msg)
	if !ok {
		return "", false
	}
	return jsonrpc.Key(id), true
}
