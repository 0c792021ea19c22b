package httpserve

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net/http"
	"time"
)

// limitBody reads the whole body under a deadline (timeout) and the size
// limit before passing the request on, so mcp-go (which reads bodies with
// io.ReadAll) never holds more than max bytes: 413 over the limit, 400 if
// unreadable or late. The deadline is set per request instead of as
// http.Server.ReadTimeout because net/http cancels a request's context when
// ReadTimeout passes during a long response, which would cut SSE streams and
// long tool calls.
func limitBody(next http.Handler, max int64, timeout time.Duration, refuse refuseFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Body != nil && r.Body != http.NoBody {
			if r.ContentLength > max {
				refuse(w, r, http.StatusRequestEntityTooLarge, fmt.Sprintf("request body over %d bytes", max))
				return
			}
			body, err := readBody(w, r, max, timeout)
			if err != nil {
				var mbe *http.MaxBytesError
				if errors.As(err, &mbe) {
					refuse(w, r, http.StatusRequestEntityTooLarge, fmt.Sprintf("request body over %d bytes", max))
				} else {
					refuse(w, r, http.StatusBadRequest, "request body could not be read")
				}
				return
			}
			r.Body = &bufferedBody{Reader: bytes.NewReader(body), b: body}
		}
		next.ServeHTTP(w, r)
	})
}

func readBody(w http.ResponseWriter, r *http.Request, max int64, timeout time.Duration) ([]byte, error) {
	rc := http.NewResponseController(w)
	deadline := rc.SetReadDeadline(time.Now().Add(timeout)) == nil
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, max))
	if err == nil && deadline {
		// Cleared only after a whole body: a deadline left on the connection
		// would cancel a streaming response's context when it passes. After a
		// failed read it stays (the refusal closes the connection).
		rc.SetReadDeadline(time.Time{})
	}
	return body, err
}

// bufferedBody is a request body limitBody has read in full; the handlers
// behind it peek at the message through bodyOf without copying it.
type bufferedBody struct {
	*bytes.Reader
	b []byte
}

func (*bufferedBody) Close() error { return nil }

// bodyOf is the request's whole body as limitBody read it, nil if there is none.
func bodyOf(r *http.Request) []byte {
	if b, ok := r.Body.(*bufferedBody); ok {
		return b.b
	}
	return nil
}
