package e2e_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/partnerstack-mcp/partnerstack-mcp/client/sandbox"
	"github.com/partnerstack-mcp/partnerstack-mcp/internal/syncbuf"
)

// served is the real binary serving MCP over HTTP or SSE on a loopback port.
type served struct {
	base string // http://127.0.0.1:PORT
	cmd  *exec.Cmd
	log  *syncbuf.Buffer
}

var servingURL = regexp.MustCompile(`url=(http://127\.0\.0\.1:\d+)/`)

// serveBinary starts the built server on 127.0.0.1:0 with args (and extra
// environment), waits until it serves, and stops it when the test ends.
func serveBinary(t *testing.T, env []string, args ...string) *served {
	t.Helper()
	cmd := exec.Command(binary(t), append([]string{"--addr", "127.0.0.1:0"}, args...)...)
	cmd.Env = append(append(os.Environ(), "PARTNERSTACK_PUBLIC_KEY=", "PARTNERSTACK_SECRET_KEY="), env...)
	s := &served{cmd: cmd, log: &syncbuf.Buffer{}}
	cmd.Stderr = s.log
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan struct{})
	go func() { cmd.Wait(); close(exited) }()
	t.Cleanup(func() {
		cmd.Process.Signal(syscall.SIGTERM)
		select {
		case <-exited:
		case <-time.After(10 * time.Second):
			cmd.Process.Kill()
			<-exited
		}
	})
	for deadline := time.Now().Add(20 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		if m := servingURL.FindStringSubmatch(s.log.String()); m != nil {
			s.base = m[1]
			return s
		}
		select {
		case <-exited:
			t.Fatalf("server exited:\n%s", s.log)
		default:
		}
	}
	t.Fatalf("server did not start:\n%s", s.log)
	return nil
}

// rssMiB is the server's resident memory (VmRSS) in MiB.
func (s *served) rssMiB(t *testing.T) float64 {
	t.Helper()
	status, err := os.ReadFile("/proc/" + strconv.Itoa(s.cmd.Process.Pid) + "/status")
	if err != nil {
		t.Skipf("no /proc here: %v", err)
	}
	for line := range strings.Lines(string(status)) {
		if f := strings.Fields(line); len(f) >= 2 && f[0] == "VmRSS:" {
			kib, _ := strconv.Atoi(f[1])
			return float64(kib) / 1024
		}
	}
	t.Fatal("no VmRSS in /proc status")
	return 0
}

// upstream serves a fresh sandbox on a loopback port for the binary to call
// (--base-url), with the given faults; env and args point the binary at it.
func upstream(t *testing.T, faults ...sandbox.Fault) (sb *sandbox.Sandbox, env, args []string) {
	t.Helper()
	sb = sandbox.New(sandbox.Options{})
	for _, f := range faults {
		sb.AddFault(f)
	}
	ts := httptest.NewServer(sb)
	t.Cleanup(ts.Close)
	return sb, []string{"PARTNERSTACK_PUBLIC_KEY=" + sandbox.DefaultPublicKey, "PARTNERSTACK_SECRET_KEY=" + sandbox.DefaultSecretKey},
		[]string{"--base-url", ts.URL + "/api"}
}

// upstreamCalls counts the requests the sandbox saw whose path starts with prefix.
func upstreamCalls(sb *sandbox.Sandbox, prefix string) int {
	n := 0
	for _, r := range sb.Requests() {
		if strings.HasPrefix(r.Path, prefix) {
			n++
		}
	}
	return n
}

// rawReply is one HTTP answer, its body read (an SSE body up to its first
// message event).
type rawReply struct {
	status int
	header http.Header
	body   string
}

// post sends one JSON-RPC message to u with the given headers.
func post(t *testing.T, c *http.Client, u, body string, headers ...string) rawReply {
	t.Helper()
	r, err := postErr(c, u, body, headers...)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func postErr(c *http.Client, u, body string, headers ...string) (rawReply, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, u, strings.NewReader(body))
	if err != nil {
		return rawReply{}, err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "application/json, text/event-stream")
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	resp, err := c.Do(req)
	if err != nil {
		return rawReply{}, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(io.LimitReader(resp.Body, 4<<20))
	if err != nil {
		return rawReply{}, err
	}
	if strings.HasPrefix(resp.Header.Get("Content-Type"), "text/event-stream") {
		b = lastSSEData(b)
	}
	return rawReply{resp.StatusCode, resp.Header, string(b)}, nil
}

// lastSSEData is the data of the last event of an SSE body (the answer).
func lastSSEData(b []byte) []byte {
	var last []byte
	sc := bufio.NewScanner(bytes.NewReader(b))
	sc.Buffer(nil, 8<<20)
	for sc.Scan() {
		if d, ok := bytes.CutPrefix(sc.Bytes(), []byte("data:")); ok {
			last = bytes.Clone(bytes.TrimSpace(d))
		}
	}
	return last
}

// rpcAnswer is a JSON-RPC answer of a tool call.
type rpcAnswer struct {
	ID     json.RawMessage `json:"id"`
	Result *struct {
		IsError bool `json:"isError"`
		Content []struct {
			Text string `json:"text"`
		} `json:"content"`
	} `json:"result"`
	Error *struct {
		Code    int    `json:"code"`
		Message string `json:"message"`
	} `json:"error"`
}

func decodeAnswer(t *testing.T, body string) rpcAnswer {
	t.Helper()
	var a rpcAnswer
	if err := json.Unmarshal([]byte(body), &a); err != nil {
		t.Fatalf("not a JSON-RPC answer: %v: %q", err, body)
	}
	return a
}

// text is the answer's first text content, or its error message.
func (a rpcAnswer) text() string {
	switch {
	case a.Error != nil:
		return "error " + strconv.Itoa(a.Error.Code) + ": " + a.Error.Message
	case a.Result != nil && len(a.Result.Content) > 0:
		return a.Result.Content[0].Text
	}
	return ""
}
