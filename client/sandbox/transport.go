package sandbox

import (
	"bytes"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"syscall"
)

// Client returns an *http.Client whose transport calls the sandbox directly:
// no socket, any host. It honours the request context, including during
// injected latency. A reset_after_write fault becomes a transport error after
// the write was applied; a refuse fault becomes a "connection refused" error
// with nothing applied. Both wrap the matching syscall errno, so
// errors.Is(err, syscall.ECONNRESET) / syscall.ECONNREFUSED work.
func (s *Sandbox) Client() *http.Client {
	return &http.Client{Transport: transport{s}}
}

type transport struct{ s *Sandbox }

func (t transport) RoundTrip(req *http.Request) (*http.Response, error) {
	if req.Body != nil {
		defer req.Body.Close()
	}
	if err := req.Context().Err(); err != nil {
		return nil, err
	}
	out := t.s.handle(req)
	switch out.abort {
	case abortReset:
		return nil, &net.OpError{Op: "read", Net: "tcp", Err: os.NewSyscallError("read", syscall.ECONNRESET)}
	case abortRefuse:
		return nil, &net.OpError{Op: "dial", Net: "tcp", Err: os.NewSyscallError("connect", syscall.ECONNREFUSED)}
	case abortCtx:
		return nil, out.err
	}
	h := http.Header{}
	for k, v := range out.header {
		h[k] = v
	}
	h.Set("Content-Type", out.contentType)
	return &http.Response{
		Status:        fmt.Sprintf("%d %s", out.status, http.StatusText(out.status)),
		StatusCode:    out.status,
		Proto:         "HTTP/1.1",
		ProtoMajor:    1,
		ProtoMinor:    1,
		Header:        h,
		Body:          io.NopCloser(bytes.NewReader(out.body)),
		ContentLength: int64(len(out.body)),
		Request:       req,
	}, nil
}
