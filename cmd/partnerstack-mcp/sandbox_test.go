package main

import (
	"bufio"
	"bytes"
	"context"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/partnerstack-mcp/partnerstack-mcp/client"
	"github.com/partnerstack-mcp/partnerstack-mcp/client/sandbox"
	"github.com/partnerstack-mcp/partnerstack-mcp/internal/syncbuf"
)

// TestSandboxCommand serves the fake API over real HTTP and points the MCP
// CLI at it, the way CI points the third-party clients at a slow sandbox.
func TestSandboxCommand(t *testing.T) {
	noKeys(t)
	ctx, cancel := context.WithCancel(t.Context())
	var logs syncbuf.Buffer
	done := make(chan int, 1)
	go func() {
		done <- run(ctx, []string{"sandbox", "--addr", "127.0.0.1:0", "--fault", "latency:latency=300ms:route=GET /v2/groups"}, strings.NewReader(""), &bytes.Buffer{}, &logs)
	}()
	t.Cleanup(func() {
		cancel()
		select {
		case code := <-done:
			if code != 0 {
				t.Errorf("sandbox exited %d: %s", code, logs.String())
			}
		case <-time.After(10 * time.Second):
			t.Error("sandbox did not stop")
		}
	})
	baseURL := regexp.MustCompile(`base_url=(http://127\.0\.0\.1:\d+/api)`)
	var url string
	for deadline := time.Now().Add(5 * time.Second); url == "" && time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
		if m := baseURL.FindStringSubmatch(logs.String()); m != nil {
			url = m[1]
		}
	}
	if url == "" {
		t.Fatalf("sandbox did not log its address: %s", logs.String())
	}
	t.Setenv(client.EnvPublicKey, sandbox.DefaultPublicKey)
	t.Setenv(client.EnvSecretKey, sandbox.DefaultSecretKey)

	start := time.Now()
	code, out, errOut := runCLI(t, "call", "list_groups", "--base-url", url, "--log-level", "warn")
	if code != 0 || !strings.Contains(out, `"rows"`) {
		t.Fatalf("exit %d, stdout %q, stderr %q", code, out, errOut)
	}
	if took := time.Since(start); took < 300*time.Millisecond {
		t.Errorf("the latency fault did not apply: call took %v", took)
	}

	// The README's test-key path: with the test pair, a customer of the
	// built-in test partner gstest is created, marked as test data.
	t.Setenv(client.EnvPublicKey, sandbox.DefaultTestPublicKey)
	t.Setenv(client.EnvSecretKey, sandbox.DefaultTestSecretKey)
	code, out, errOut = runCLI(t, "call", "create_customer", "--base-url", url,
		"--args", `{"email":"ada@example.com","partner_key":"gstest","name":"Ada"}`)
	if code != 0 || !strings.Contains(out, `"partner_key":"gstest"`) || !strings.Contains(out, `"test":true`) {
		t.Fatalf("test keys and gstest: exit %d, stdout %q, stderr %q", code, out, errOut)
	}
}

func TestSandboxCommandRejectsBadFaults(t *testing.T) {
	code, _, errOut := runCLI(t, "sandbox", "--fault", "earthquake")
	if code != 2 || !strings.Contains(errOut, "unknown kind") {
		t.Fatalf("exit %d, stderr %q", code, errOut)
	}
}

// TestSandboxCommandsShareTheCommandLine builds the partnerstack-sandbox
// binary and gives it and `partnerstack-mcp sandbox` the same command line:
// both must offer the same flags (help text, defaults) and serve the same
// sandbox from the same flags, environment and faults.
func TestSandboxCommandsShareTheCommandLine(t *testing.T) {
	bin := filepath.Join(t.TempDir(), "partnerstack-sandbox")
	if out, err := exec.Command("go", "build", "-o", bin, "../partnerstack-sandbox").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	// usage drops the first line, which names the command.
	usage := func(help []byte) string {
		_, rest, _ := strings.Cut(string(help), "\n")
		return rest
	}

	t.Run("both list the same flags with the same defaults and help", func(t *testing.T) {
		var mcpHelp bytes.Buffer
		if code := run(t.Context(), []string{"sandbox", "-h"}, strings.NewReader(""), io.Discard, &mcpHelp); code != 0 {
			t.Fatalf("partnerstack-mcp sandbox -h: exit %d", code)
		}
		own, err := exec.Command(bin, "-h").CombinedOutput()
		if err != nil {
			t.Fatalf("partnerstack-sandbox -h: %v\n%s", err, own)
		}
		if got, want := usage(mcpHelp.Bytes()), usage(own); got != want {
			t.Fatalf("partnerstack-mcp sandbox -h:\n%s\npartnerstack-sandbox -h:\n%s", got, want)
		}
		for _, f := range []string{"addr", "public-key", "secret-key", "test-public-key", "test-secret-key", "seed", "transactions", "empty", "fault"} {
			if !regexp.MustCompile(`(?m)^  -` + f + `\b`).MatchString(mcpHelp.String()) {
				t.Errorf("help does not list -%s:\n%s", f, mcpHelp.String())
			}
		}
	})

	t.Run("the same flags, environment and faults serve the same sandbox", func(t *testing.T) {
		args := []string{"--addr", "127.0.0.1:0", "--public-key", "pk_shared", "--secret-key", "sk_shared",
			"--test-public-key", "pk_shared_test", "--test-secret-key", "sk_shared_test", "--seed", "7",
			"--fault", "rate_limit:route=GET /v2/deals"}
		t.Setenv("PARTNERSTACK_SANDBOX_TRANSACTIONS", "40") // the in-process command reads it; the binary inherits it

		ctx, cancel := context.WithCancel(t.Context())
		mcpOut, mcpW := io.Pipe()
		done := make(chan int, 1)
		go func() {
			done <- run(ctx, append([]string{"sandbox"}, args...), strings.NewReader(""), mcpW, io.Discard)
			mcpW.Close()
		}()
		cmd := exec.Command(bin, args...)
		cmd.Stderr = io.Discard
		ownOut, err := cmd.StdoutPipe()
		if err != nil {
			t.Fatal(err)
		}
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() {
			cancel()
			_ = cmd.Process.Signal(os.Interrupt)
			if err := cmd.Wait(); err != nil {
				t.Errorf("partnerstack-sandbox did not shut down cleanly: %v", err)
			}
			select {
			case code := <-done:
				if code != 0 {
					t.Errorf("partnerstack-mcp sandbox exited %d", code)
				}
			case <-time.After(10 * time.Second):
				t.Error("partnerstack-mcp sandbox did not stop")
			}
		})

		addr := regexp.MustCompile(`http://127\.0\.0\.1:\d+/api`)
		bases := map[string]string{}
		lines := map[string]string{}
		for name, r := range map[string]io.Reader{"partnerstack-mcp sandbox": mcpOut, "partnerstack-sandbox": ownOut} {
			line, err := bufio.NewReader(r).ReadString('\n')
			if err != nil {
				t.Fatalf("%s: no start line: %v", name, err)
			}
			go io.Copy(io.Discard, r)
			bases[name] = addr.FindString(line)
			lines[name] = addr.ReplaceAllString(line, "BASE")
			if bases[name] == "" || !strings.Contains(line, "sk_shared_test") {
				t.Fatalf("%s: start line %q lacks the base URL or the keys", name, line)
			}
		}
		if lines["partnerstack-mcp sandbox"] != lines["partnerstack-sandbox"] {
			t.Errorf("start lines differ: %q and %q", lines["partnerstack-mcp sandbox"], lines["partnerstack-sandbox"])
		}

		get := func(base, path, public, secret string) (int, string) {
			req, _ := http.NewRequest("GET", base+path, nil)
			req.SetBasicAuth(public, secret)
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			body, _ := io.ReadAll(resp.Body)
			return resp.StatusCode, string(body)
		}
		answers := map[string][]string{}
		for name, base := range bases {
			if code, _ := get(base, "/v2/groups", sandbox.DefaultPublicKey, sandbox.DefaultSecretKey); code != 401 {
				t.Errorf("%s: the default keys got %d, want 401 (--public-key ignored)", name, code)
			}
			if code, _ := get(base, "/v2/deals", "pk_shared", "sk_shared"); code != 429 {
				t.Errorf("%s: faulted GET /v2/deals got %d, want 429", name, code)
			}
			for _, path := range []string{"/v2/groups", "/v2/transactions?limit=250", "/v2/partnerships/gstest"} {
				code, body := get(base, path, "pk_shared", "sk_shared")
				if code != 200 {
					t.Fatalf("%s: GET %s: %d %s", name, path, code, body)
				}
				answers[name] = append(answers[name], body)
			}
			_, body := get(base, "/v2/transactions?limit=250", "pk_shared", "sk_shared")
			if n := strings.Count(body, `"key":"tran_`); n != 40 {
				t.Errorf("%s: %d transactions, want the 40 of PARTNERSTACK_SANDBOX_TRANSACTIONS", name, n)
			}
		}
		for i := range answers["partnerstack-sandbox"] {
			if answers["partnerstack-mcp sandbox"][i] != answers["partnerstack-sandbox"][i] {
				t.Errorf("answer %d differs between the two commands (different seed or data)", i)
			}
		}
	})
}
