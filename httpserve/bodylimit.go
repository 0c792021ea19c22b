package httpserve

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net/http"
	"time"
)

// bodyReadTimeout bounds reading one request body. It is applied per
// request instead of as http.Server.ReadTimeout because net/http cancels a
// request's context when ReadTimeout passes during a long response, which
// would cut SSE streams and long tool calls.
const bodyReadTimeout = 30 * time.Second

// limitBody reads the whole body under a deadline and the size limit before
// passing the request on, so mcp-go (which reads bodies with io.ReadAll)
// never holds more than max bytes: 413 over the limit, 400 if unreadable.
func limitBody(next http.Handler, max int64, refuse refuseFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Body != nil && r.Body != http.NoBody {
			if r.ContentLength > max {
				refuse(w, r, http.StatusRequestEntityTooLarge, fmt.Sprintf("request body over %d bytes", max))
				return
			}
			body, err := readBody(w, r, max)
			if err != nil {
				var mbe *http.MaxBytesError
				if errors.As(err, &mbe) {
					refuse(w, r, http.StatusRequestEntityTooLarge, fmt.Sprintf("request body over %d bytes", max))
				} else {
					refuse(w, r, http.StatusBadRequest, "request body could not be read")
				}
				return
			}
			r.Body = io.NopCloser(bytes.NewReader(body))
		}
		next.ServeHTTP(w, r)
	})
}

func readBody(w http.ResponseWriter, r *http.Request, max int64) ([]byte, error) {
	rc := http.NewResponseController(w)
	if rc.SetReadDeadline(time.Now().Add(bodyReadTimeout)) == nil {
		// Cleared afterwards: a deadline left on the connection would cancel
		// a streaming response's context when it passes.
		defer rc.SetReadDeadline(time.Time{})
	}
	return io.ReadAll(http.MaxBytesReader(w, r.Body, max))
}
