package httpserve

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net/http"
	"sync/atomic"

	"github.com/partnerstack-mcp/partnerstack-mcp/internal/jsonrpc"
)

// sseStreams bounds legacy SSE: the number of open streams, and per stream
// (session) the requests in flight. mcp-go answers each POST to /message
// with 202 at once and queues the call's answer for the stream, so without
// a bound one stream nobody reads lets every POST hold its answer in memory.
// A request's place is held until its answer is written to the stream, or
// the stream ends.
type sseStreams struct {
	max   int
	open  atomic.Int64
	calls *calls
}

type streamKey struct{}

// stream is one SSE stream's response writer. mcp-go writes each event with
// one Write; the answers it carries free their requests' places.
type stream struct {
	http.ResponseWriter
	calls   *calls
	session string // set by sessionID, in the handler's goroutine, before any write
}

func (s *stream) Write(p []byte) (int, error) {
	n, err := s.ResponseWriter.Write(p)
	if s.session != "" {
		for line := range bytes.Lines(p) {
			if data, ok := bytes.CutPrefix(line, []byte("data:")); ok {
				if id, ok := jsonrpc.AnswerID(bytes.TrimSpace(data)); ok {
					s.calls.end(s.session, jsonrpc.Key(id))
				}
			}
		}
	}
	return n, err
}

// Flush is what mcp-go needs to stream; Unwrap lets http.ResponseController
// reach the connection.
func (s *stream) Flush()                      { http.NewResponseController(s.ResponseWriter).Flush() }
func (s *stream) Unwrap() http.ResponseWriter { return s.ResponseWriter }

// sessionID is mcp-go's session id generator (server.WithSessionIDGenerator):
// it names the stream whose request it is called for, so its answers can be
// matched to its calls.
func (st *sseStreams) sessionID(ctx context.Context, _ *http.Request) (string, error) {
	var b [16]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read never fails on supported platforms
	id := hex.EncodeToString(b[:])
	if s, ok := ctx.Value(streamKey{}).(*stream); ok {
		s.session = id
		st.calls.open(id)
	}
	return id, nil
}

// streams wraps the GET /sse handler: 503 past max open streams.
func (st *sseStreams) streams(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet {
			next.ServeHTTP(w, r)
			return
		}
		if st.open.Add(1) > int64(st.max) {
			st.open.Add(-1)
			http.Error(w, fmt.Sprintf("too many SSE streams open (at most %d): close one or try again later", st.max), http.StatusServiceUnavailable)
			return
		}
		defer st.open.Add(-1)
		s := &stream{ResponseWriter: w, calls: st.calls}
		next.ServeHTTP(s, r.WithContext(context.WithValue(r.Context(), streamKey{}, s)))
		if s.session != "" {
			st.calls.close(s.session)
		}
	})
}

// messages wraps the POST /message handler: the intake of calls.admit for
// the stream the sessionId query names.
func (st *sseStreams) messages(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost {
			next.ServeHTTP(w, r)
			return
		}
		m, parsed := jsonrpc.Peek(bodyOf(r))
		if _, ok := st.calls.admit(w, r, m, parsed, r.URL.Query().Get("sessionId")); ok {
			next.ServeHTTP(w, r) // the place is freed when the answer reaches the stream
		}
	})
}
