package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/partnerstack-mcp/partnerstack-mcp/client"
	"github.com/partnerstack-mcp/partnerstack-mcp/client/sandbox"
	"github.com/partnerstack-mcp/partnerstack-mcp/internal/mcptest"
)

var (
	binOnce sync.Once
	binPath string
	binErr  error
)

// binary builds the command once per test run, for tests that drive it as
// a host does: a separate process on real pipes.
func binary(t *testing.T) string {
	t.Helper()
	if testing.Short() {
		t.Skip("builds the binary")
	}
	binOnce.Do(func() {
		dir, err := os.MkdirTemp("", "partnerstack-mcp-bin")
		if err != nil {
			binErr = err
			return
		}
		binPath = filepath.Join(dir, "partnerstack-mcp")
		out, err := exec.Command("go", "build", "-o", binPath, ".").CombinedOutput()
		if err != nil {
			binErr = fmt.Errorf("go build: %v\n%s", err, out)
		}
	})
	if binErr != nil {
		t.Fatal(binErr)
	}
	return binPath
}

func TestMain(m *testing.M) {
	code := m.Run()
	if binPath != "" {
		os.RemoveAll(filepath.Dir(binPath))
	}
	os.Exit(code)
}

// pipeSession writes lines to the binary's stdin, closes it (as `echo ... |`
// does), and returns every message it answered and how long it ran.
func pipeSession(t *testing.T, env []string, args []string, lines ...string) (map[string]json.RawMessage, time.Duration) {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), 60*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, binary(t), args...)
	cmd.Env = append(os.Environ(), env...)
	cmd.Stdin = strings.NewReader(strings.Join(lines, "\n") + "\n")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	start := time.Now()
	out, err := cmd.Output()
	took := time.Since(start)
	if err != nil {
		t.Fatalf("%v: %v\nstderr:\n%s", args, err, stderr.String())
	}
	answers := map[string]json.RawMessage{}
	sc := bufio.NewScanner(bytes.NewReader(out))
	sc.Buffer(nil, 16<<20)
	for sc.Scan() {
		var msg struct {
			ID json.RawMessage `json:"id"`
		}
		if err := json.Unmarshal(sc.Bytes(), &msg); err != nil {
			t.Fatalf("stdout holds a line that is not JSON-RPC: %q", sc.Text())
		}
		if msg.ID != nil {
			answers[string(msg.ID)] = append(json.RawMessage(nil), sc.Bytes()...)
		}
	}
	return answers, took
}

const (
	initLine        = `{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"pipe","version":"1"}}}`
	initializedLine = `{"jsonrpc":"2.0","method":"notifications/initialized"}`
)

func createCustomerLine(id int, partnerKey, email string) string {
	return fmt.Sprintf(`{"jsonrpc":"2.0","id":%d,"method":"tools/call","params":{"name":"create_customer","arguments":{"email":%q,"partner_key":%q,"name":"Pipe"}}}`, id, email, partnerKey)
}

// demoPartner is a partner key of the demo data (the gstest partner takes
// only test-key customers).
func demoPartner(t *testing.T) string {
	t.Helper()
	noKeys(t)
	_, out, _ := runCLI(t, "call", "list_partnerships", "--args", `{"limit":1}`, "--sandbox")
	var list map[string]any
	err := json.Unmarshal([]byte(out), &list)
	items := mcptest.Items(list)
	if err != nil || len(items) == 0 {
		t.Fatalf("no demo partner (%v): %s", err, out)
	}
	key, _ := items[0]["partner_key"].(string)
	return key
}

// TestStdioEndOfInputFinishesCalls: a write piped in and followed by the end
// of stdin is carried out and answered, not cancelled as "outcome unknown".
func TestStdioEndOfInputFinishesCalls(t *testing.T) {
	partner := demoPartner(t)
	t.Run("embedded sandbox, echo | binary", func(t *testing.T) {
		answers, _ := pipeSession(t, nil, []string{"--sandbox", "--log-level", "warn"},
			initLine, initializedLine, createCustomerLine(2, partner, "pipe@example.com"))
		if a := string(answers["1"]); !strings.Contains(a, `"serverInfo"`) || !strings.Contains(a, `"icons":[{"src":"data:image/svg+xml;base64,`) {
			t.Errorf("no initialize answer with the icon: %.300s", a)
		}
		assertCreated(t, answers["2"], "pipe@example.com")
	})

	// A slow API keeps the calls in flight when stdin ends.
	api := startSandboxProcess(t, "latency:latency=800ms:route=POST /v2/customers")
	keys := []string{client.EnvPublicKey + "=" + sandbox.DefaultPublicKey, client.EnvSecretKey + "=" + sandbox.DefaultSecretKey}
	t.Run("calls in flight at end of input finish and are answered", func(t *testing.T) {
		answers, took := pipeSession(t, keys, []string{"--base-url", api, "--log-level", "warn"},
			initLine, initializedLine,
			createCustomerLine(2, partner, "slow1@example.com"),
			createCustomerLine(3, partner, "slow2@example.com"))
		assertCreated(t, answers["2"], "slow1@example.com")
		assertCreated(t, answers["3"], "slow2@example.com")
		if took < 800*time.Millisecond {
			t.Errorf("ran %v, shorter than the API's latency: the calls cannot have been waited for", took)
		}
	})
	t.Run("the wait is bounded by the call timeout, and the call still answers", func(t *testing.T) {
		slow := startSandboxProcess(t, "latency:latency=30s:route=POST /v2/customers")
		answers, took := pipeSession(t, keys, []string{"--base-url", slow, "--log-level", "warn", "--call-timeout", "300ms"},
			initLine, initializedLine, createCustomerLine(2, partner, "late@example.com"))
		if took > 10*time.Second {
			t.Errorf("ran %v; the wait should end after the call timeout", took)
		}
		if a := string(answers["2"]); !strings.Contains(a, `"isError":true`) {
			t.Errorf("want the call's timeout as a tool error, got %s", a)
		}
	})
}

func assertCreated(t *testing.T, answer json.RawMessage, email string) {
	t.Helper()
	var res struct {
		Result struct {
			IsError           bool `json:"isError"`
			StructuredContent struct {
				Result struct {
					Key   string `json:"key"`
					Email string `json:"email"`
				} `json:"result"`
			} `json:"structuredContent"`
		} `json:"result"`
	}
	if err := json.Unmarshal(answer, &res); err != nil || res.Result.IsError ||
		res.Result.StructuredContent.Result.Email != email || !strings.HasPrefix(res.Result.StructuredContent.Result.Key, "cus_") {
		t.Errorf("want the created customer %s, got (%v) %s", email, err, answer)
	}
}

// startSandboxProcess runs `partnerstack-mcp sandbox` with a fault and
// returns its base URL.
func startSandboxProcess(t *testing.T, fault string) string {
	t.Helper()
	cmd := exec.Command(binary(t), "sandbox", "--addr", "127.0.0.1:0", "--fault", fault)
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
	})
	found := make(chan string, 1)
	go func() {
		re := regexp.MustCompile(`base_url=(http://127\.0\.0\.1:\d+/api)`)
		sc := bufio.NewScanner(stderr)
		for sc.Scan() {
			if m := re.FindStringSubmatch(sc.Text()); m != nil {
				found <- m[1]
				break
			}
		}
		_, _ = io.Copy(io.Discard, stderr)
	}()
	select {
	case url := <-found:
		return url
	case <-time.After(15 * time.Second):
		t.Fatal("the sandbox did not print its address")
		return ""
	}
}

func TestAnswerID(t *testing.T) {
	for _, tt := range []struct {
		msg, id string
		ok      bool
	}{
		{`{"jsonrpc":"2.0","id":7,"result":{}}`, "7", true},
		{`{"jsonrpc":"2.0","id":"a b","error":{"code":-32601,"message":"x"}}`, `"a b"`, true},
		{`{"result":{"id":9},"jsonrpc":"2.0","id":8}`, "8", true},
		{`{"jsonrpc":"2.0","id":3,"method":"sampling/createMessage","params":{}}`, "", false},
		{`{"jsonrpc":"2.0","method":"notifications/progress","params":{"id":1}}`, "", false},
		{"not json\n", "", false},
	} {
		id, ok := answerKey([]byte(tt.msg))
		if id != tt.id || ok != tt.ok {
			t.Errorf("answerKey(%s) = %q, %v; want %q, %v", tt.msg, id, ok, tt.id, tt.ok)
		}
	}
}
