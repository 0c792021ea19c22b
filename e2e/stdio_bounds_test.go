package e2e_test

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/partnerstack-mcp/partnerstack-mcp/client/sandbox"
	"github.com/partnerstack-mcp/partnerstack-mcp/internal/syncbuf"
)

// stdioProc is the built binary serving MCP over real pipes, its answers
// collected by id as they come.
type stdioProc struct {
	cmd   *exec.Cmd
	stdin io.WriteCloser
	log   *syncbuf.Buffer

	mu      sync.Mutex
	answers map[string]json.RawMessage
	nullIDs []json.RawMessage // errors answered with id null
	arrived chan struct{}
}

func startStdio(t *testing.T, env []string, args ...string) *stdioProc {
	t.Helper()
	cmd := exec.Command(binary(t), args...)
	cmd.Env = append(append(os.Environ(), "PARTNERSTACK_PUBLIC_KEY=", "PARTNERSTACK_SECRET_KEY="), env...)
	p := &stdioProc{cmd: cmd, log: &syncbuf.Buffer{}, answers: map[string]json.RawMessage{}, arrived: make(chan struct{}, 1)}
	cmd.Stderr = p.log
	var err error
	if p.stdin, err = cmd.StdinPipe(); err != nil {
		t.Fatal(err)
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() {
		sc := bufio.NewScanner(stdout)
		sc.Buffer(nil, 16<<20)
		for sc.Scan() {
			var m struct {
				ID     json.RawMessage `json:"id"`
				Method string          `json:"method"`
			}
			if json.Unmarshal(sc.Bytes(), &m) != nil || m.Method != "" {
				continue
			}
			p.mu.Lock()
			if m.ID == nil || string(m.ID) == "null" {
				p.nullIDs = append(p.nullIDs, append(json.RawMessage(nil), sc.Bytes()...))
			} else {
				p.answers[string(m.ID)] = append(json.RawMessage(nil), sc.Bytes()...)
			}
			p.mu.Unlock()
			select {
			case p.arrived <- struct{}{}:
			default:
			}
		}
	}()
	t.Cleanup(func() {
		p.stdin.Close()
		done := make(chan struct{})
		go func() { cmd.Wait(); close(done) }()
		select {
		case <-done:
		case <-time.After(15 * time.Second):
			cmd.Process.Kill()
			<-done
		}
	})
	p.send(t, `{"jsonrpc":"2.0","id":"init","method":"initialize","params":{"protocolVersion":"2025-11-25","capabilities":{},"clientInfo":{"name":"e2e","version":"0"}}}`)
	p.await(t, `"init"`, 10*time.Second)
	p.send(t, `{"jsonrpc":"2.0","method":"notifications/initialized"}`)
	return p
}

func (p *stdioProc) send(t *testing.T, lines ...string) {
	t.Helper()
	if _, err := io.WriteString(p.stdin, strings.Join(lines, "\n")+"\n"); err != nil {
		t.Fatalf("write to stdin: %v\n%s", err, p.log)
	}
}

// await waits for the answer to id (as JSON, e.g. `7` or `"a"`).
func (p *stdioProc) await(t *testing.T, id string, within time.Duration) json.RawMessage {
	t.Helper()
	deadline := time.After(within)
	for {
		p.mu.Lock()
		a, ok := p.answers[id]
		p.mu.Unlock()
		if ok {
			return a
		}
		select {
		case <-p.arrived:
		case <-deadline:
			t.Fatalf("no answer to %s within %s\n%s", id, within, p.log)
		}
	}
}

func (p *stdioProc) nullIDErrors() []json.RawMessage {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]json.RawMessage(nil), p.nullIDs...)
}

// vm reads a /proc status field (VmRSS, VmHWM) of the process, in MiB.
func (p *stdioProc) vm(t *testing.T, field string) float64 {
	t.Helper()
	status, err := os.ReadFile("/proc/" + strconv.Itoa(p.cmd.Process.Pid) + "/status")
	if err != nil {
		t.Skipf("no /proc here: %v", err)
	}
	for line := range strings.Lines(string(status)) {
		if f := strings.Fields(line); len(f) >= 2 && f[0] == field+":" {
			kib, _ := strconv.Atoi(f[1])
			return float64(kib) / 1024
		}
	}
	t.Fatalf("no %s in /proc status", field)
	return 0
}

func listGroups(id int) string {
	return fmt.Sprintf(`{"jsonrpc":"2.0","id":%d,"method":"tools/call","params":{"name":"list_groups","arguments":{}}}`, id)
}

func cancelOf(id int) string {
	return fmt.Sprintf(`{"jsonrpc":"2.0","method":"notifications/cancelled","params":{"requestId":%d}}`, id)
}

// Calls cancelled as they are sent never reach the API once they wait for a
// worker, and the read loop stays responsive. Before the fix a cancel for a
// call waiting in mcp-go's queue was dropped (15 of 20 such calls made their
// full upstream request), and once the queue was full the read loop ran
// calls itself, so a ping after 150 cancelled calls waited 16 s.
func TestStdioCancelsReachWaitingCalls(t *testing.T) {
	sb, env, args := upstream(t, sandbox.Fault{Kind: sandbox.FaultLatency, Latency: 700 * time.Millisecond, Route: "GET /v2/groups"})
	p := startStdio(t, env, append(args, "--log-level", "warn")...)

	t.Run("20 calls each cancelled as it is sent", func(t *testing.T) {
		for id := 1; id <= 20; id++ {
			p.send(t, listGroups(id), cancelOf(id))
		}
		time.Sleep(2 * time.Second) // 700 ms per call: a call that ran would have ended by now
		var ran []int
		for _, r := range sb.Requests() {
			if strings.HasPrefix(r.Path, "/api/v2/groups") {
				ran = append(ran, r.Status)
			}
		}
		t.Logf("upstream requests of the 20 cancelled calls: %v", ran)
		// At most the calls a worker had already started reach the API, and
		// those are abandoned (499), never carried out.
		if len(ran) > 5 {
			t.Errorf("%d of 20 cancelled calls reached the API (statuses %v)", len(ran), ran)
		}
		for _, s := range ran {
			if s != 499 {
				t.Errorf("a cancelled call ran to the end upstream (status %d; all: %v)", s, ran)
				break
			}
		}
	})
	t.Run("a ping after 150 cancelled calls is answered at once", func(t *testing.T) {
		for id := 100; id < 250; id++ {
			p.send(t, listGroups(id), cancelOf(id))
		}
		start := time.Now()
		p.send(t, `{"jsonrpc":"2.0","id":"ping","method":"ping"}`)
		p.await(t, `"ping"`, 20*time.Second)
		if took := time.Since(start); took > time.Second {
			t.Errorf("the ping waited %s behind cancelled calls", took)
		}
	})
	t.Run("a call sent after them all is carried out", func(t *testing.T) {
		p.send(t, listGroups(999))
		a := p.await(t, "999", 20*time.Second)
		if !strings.Contains(string(a), `"count`) || strings.Contains(string(a), `"isError":true`) {
			t.Errorf("the call after the cancelled ones: %.300s", a)
		}
	})
}

// A line is bounded at 1 MiB (the HTTP body limit): a longer one is answered
// with a JSON-RPC error without being held in memory, and the session goes
// on. Before the fix a 50 MiB line took RSS to about 250 MiB.
func TestStdioLineIsBounded(t *testing.T) {
	_, env, args := upstream(t)
	p := startStdio(t, env, append(args, "--log-level", "warn")...)
	huge := `{"jsonrpc":"2.0","id":"huge","method":"tools/call","params":{"name":"list_groups","arguments":{"pad":"` +
		strings.Repeat("x", 50<<20) + `"}}}`
	p.send(t, huge, `{"jsonrpc":"2.0","id":"after","method":"ping"}`)
	p.await(t, `"after"`, 30*time.Second)
	peak := p.vm(t, "VmHWM")
	t.Logf("peak RSS %.1f MiB after a 50 MiB line", peak)
	if peak > 80 {
		t.Errorf("a 50 MiB line took peak RSS to %.1f MiB", peak)
	}
	errs := p.nullIDErrors()
	if len(errs) != 1 || !strings.Contains(string(errs[0]), `"code":-32600`) || !strings.Contains(string(errs[0]), "over 1048576 bytes") {
		t.Errorf("want one invalid-request error for the long line, got %s", errs)
	}
	p.mu.Lock()
	_, served := p.answers[`"huge"`]
	p.mu.Unlock()
	if served {
		t.Error("the over-long message was served")
	}
}

// Ids that are objects, arrays or booleans get -32600 with id null, and are
// never served.
func TestStdioBadIDsAreInvalidRequests(t *testing.T) {
	_, env, args := upstream(t)
	p := startStdio(t, env, append(args, "--log-level", "warn")...)
	ids := []string{`{"a":1}`, `[1]`, `true`, `false`}
	for _, id := range ids {
		p.send(t, `{"jsonrpc":"2.0","id":`+id+`,"method":"tools/list"}`)
	}
	p.send(t, `{"jsonrpc":"2.0","id":"after","method":"ping"}`)
	p.await(t, `"after"`, 10*time.Second)
	time.Sleep(100 * time.Millisecond)
	errs := p.nullIDErrors()
	if len(errs) != len(ids) {
		t.Fatalf("%d null-id errors for %d bad ids: %s", len(errs), len(ids), errs)
	}
	for _, e := range errs {
		if !strings.Contains(string(e), `"code":-32600`) {
			t.Errorf("not an invalid-request error: %s", e)
		}
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, id := range ids {
		if a, ok := p.answers[id]; ok {
			t.Errorf("id %s was served: %.200s", id, a)
		}
	}
}

// Past 100 tool calls waiting for a worker, one more is answered "busy" at
// once instead of being queued without end.
func TestStdioWaitingCallsAreBounded(t *testing.T) {
	_, env, args := upstream(t, sandbox.Fault{Kind: sandbox.FaultLatency, Latency: 5 * time.Second, Route: "GET /v2/groups"})
	p := startStdio(t, env, append(args, "--log-level", "warn")...)
	for id := 1; id <= 110; id++ {
		p.send(t, listGroups(id))
	}
	for id := 106; id <= 110; id++ { // 5 running, 100 waiting
		if a := p.await(t, strconv.Itoa(id), 5*time.Second); !strings.Contains(string(a), "server busy") {
			t.Errorf("call %d past the bound: %.200s", id, a)
		}
	}
	for id := 1; id <= 105; id++ {
		p.send(t, cancelOf(id))
	}
}
