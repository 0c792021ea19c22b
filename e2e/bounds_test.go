package e2e_test

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"
)

// openSSE opens an SSE stream and returns the message URL its endpoint event
// names; the stream stays open, unread, until the test ends. Its socket has
// a small receive buffer, so what the server sends is not hidden in the
// kernel for long.
func openSSE(t *testing.T, base string) (string, *http.Response) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, base+"/sse", nil)
	dialer := &net.Dialer{Control: func(_, _ string, c syscall.RawConn) error {
		return c.Control(func(fd uintptr) { syscall.SetsockoptInt(int(fd), syscall.SOL_SOCKET, syscall.SO_RCVBUF, 4096) })
	}}
	client := &http.Client{Transport: &http.Transport{DialContext: dialer.DialContext}}
	t.Cleanup(client.CloseIdleConnections)
	resp, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { resp.Body.Close() })
	if resp.StatusCode != http.StatusOK {
		return "", resp
	}
	rd := bufio.NewReader(resp.Body)
	for {
		line, err := rd.ReadString('\n')
		if err != nil {
			t.Fatalf("no endpoint event: %v", err)
		}
		if p, ok := strings.CutPrefix(strings.TrimSpace(line), "data:"); ok {
			u, err := url.Parse(base + "/sse")
			if err != nil {
				t.Fatal(err)
			}
			msg, err := u.Parse(strings.TrimSpace(p)) // absolute, or relative to the stream
			if err != nil {
				t.Fatal(err)
			}
			return msg.String(), resp
		}
	}
}

// One SSE stream that is never read, and a flood of calls posted for it:
// before the fix every POST got 202 and its answer waited in memory (2,000
// calls of list_partnerships took RSS from ~20 to ~150 MiB); now calls past
// the per-session bound are refused with 429 and memory stays flat.
func TestSSEUnreadStreamCannotHoldUnboundedCalls(t *testing.T) {
	_, env, args := upstream(t)
	srv := serveBinary(t, append(env, "PARTNERSTACK_MAX_SESSION_CALLS=8"), append(args, "--transport", "sse")...)
	msgURL, _ := openSSE(t, srv.base)
	before := srv.rssMiB(t)

	const posts = 2000
	var accepted, refused atomic.Int32
	var wg sync.WaitGroup
	next := make(chan int)
	for range 8 {
		wg.Go(func() {
			c := &http.Client{}
			for id := range next {
				body := fmt.Sprintf(`{"jsonrpc":"2.0","id":%d,"method":"tools/call","params":{"name":"list_partnerships","arguments":{"limit":500}}}`, id)
				r, err := postErr(c, msgURL, body)
				switch {
				case err != nil:
					t.Errorf("post %d: %v", id, err)
				case r.status == http.StatusAccepted:
					accepted.Add(1)
				case r.status == http.StatusTooManyRequests && strings.Contains(r.body, "in flight"):
					refused.Add(1)
				default:
					t.Errorf("post %d: %d %q", id, r.status, r.body)
				}
			}
		})
	}
	for id := range posts {
		next <- id + 1
	}
	close(next)
	wg.Wait()
	time.Sleep(500 * time.Millisecond) // let accepted calls finish and queue their answers
	after := srv.rssMiB(t)
	t.Logf("%d calls accepted, %d refused; RSS %.1f -> %.1f MiB", accepted.Load(), refused.Load(), before, after)
	// The bound of 8, plus the answers the kernel's socket buffers took off
	// the server's hands (a few MiB, so some dozens of these answers).
	if accepted.Load() > 400 {
		t.Errorf("%d of %d calls accepted for a stream nobody reads", accepted.Load(), posts)
	}
	if after-before > 40 {
		t.Errorf("RSS grew %.1f MiB for one unread stream", after-before)
	}
}

// The number of SSE streams is bounded: one past the bound gets 503 with a
// short reason, and a closed stream frees its place.
func TestSSEStreamsAreBounded(t *testing.T) {
	_, env, args := upstream(t)
	srv := serveBinary(t, append(env, "PARTNERSTACK_MAX_SSE_STREAMS=3"), append(args, "--transport", "sse")...)
	var open []*http.Response
	for range 3 {
		_, resp := openSSE(t, srv.base)
		open = append(open, resp)
	}
	_, resp := openSSE(t, srv.base)
	if resp.StatusCode == http.StatusOK {
		t.Fatal("a 4th stream was opened past a bound of 3")
	}
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusServiceUnavailable || !strings.Contains(string(body), "SSE streams") {
		t.Fatalf("a 4th stream past a bound of 3: %d %q", resp.StatusCode, body)
	}
	open[0].Body.Close()
	for deadline := time.Now().Add(5 * time.Second); ; time.Sleep(50 * time.Millisecond) {
		if _, resp := openSSE(t, srv.base); resp.StatusCode == http.StatusOK {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("a closed stream did not free its place")
		}
	}
}

const initialize = `{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-11-25","capabilities":{},"clientInfo":{"name":"e2e","version":"0"}}}`

// Sessions past the cap are evicted and release what they hold at once:
// before the fix an evicted session stayed registered in mcp-go until its
// idle sweep an hour later, so 6,000 initializes grew RSS by ~70 MiB
// whatever the cap. Now memory stays near the cap's worth, and the evicted
// ids answer 404.
func TestSessionCapBoundsMemory(t *testing.T) {
	_, env, args := upstream(t)
	srv := serveBinary(t, append(env, "PARTNERSTACK_MAX_SESSIONS=200"), append(args, "--transport", "http")...)
	c := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 8}}
	first := post(t, c, srv.base+"/mcp", initialize).header.Get("Mcp-Session-Id")
	before := srv.rssMiB(t)
	const sessions = 6000
	var wg sync.WaitGroup
	next := make(chan struct{})
	for range 8 {
		wg.Go(func() {
			for range next {
				if r, err := postErr(c, srv.base+"/mcp", initialize); err != nil || r.header.Get("Mcp-Session-Id") == "" {
					t.Errorf("initialize: %v %d %s", err, r.status, r.body)
				}
			}
		})
	}
	for range sessions {
		next <- struct{}{}
	}
	close(next)
	wg.Wait()
	after := srv.rssMiB(t)
	t.Logf("%d initializes: RSS %.1f -> %.1f MiB", sessions, before, after)
	if after-before > 25 {
		t.Errorf("RSS grew %.1f MiB over %d initializes with a cap of 200 sessions", after-before, sessions)
	}
	r := post(t, c, srv.base+"/mcp", `{"jsonrpc":"2.0","id":2,"method":"tools/list"}`, "Mcp-Session-Id", first, "Mcp-Protocol-Version", "2025-11-25")
	if r.status != http.StatusNotFound {
		t.Errorf("an evicted session answered %d, want 404: %.200s", r.status, r.body)
	}
}

// Silent clients that send one byte of a body and then nothing get their
// 400 when the body deadline passes, and the connection is closed with it.
// Before the fix net/http went on draining the body with no deadline, so
// every such socket stayed open for good.
func TestSilentBodiesAreCutOff(t *testing.T) {
	_, env, args := upstream(t)
	srv := serveBinary(t, append(env, "PARTNERSTACK_BODY_TIMEOUT=1s"), append(args, "--transport", "http")...)
	addr := strings.TrimPrefix(srv.base, "http://")
	const clients = 50
	var wg sync.WaitGroup
	for i := range clients {
		wg.Go(func() {
			conn, err := net.Dial("tcp", addr)
			if err != nil {
				t.Error(err)
				return
			}
			defer conn.Close()
			fmt.Fprintf(conn, "POST /mcp HTTP/1.1\r\nHost: %s\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{", addr)
			conn.SetReadDeadline(time.Now().Add(6 * time.Second))
			got, err := io.ReadAll(conn) // returns at EOF: the server closed the socket
			if err != nil {
				t.Errorf("client %d: the socket is still open after %q: %v", i, firstLine(got), err)
				return
			}
			if !strings.HasPrefix(string(got), "HTTP/1.1 400") || !strings.Contains(string(got), "Connection: close") {
				t.Errorf("client %d: %q", i, got)
			}
		})
	}
	wg.Wait()
}

func firstLine(b []byte) string {
	s, _, _ := strings.Cut(string(b), "\r\n")
	return s
}
