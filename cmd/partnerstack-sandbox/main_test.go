package main

import (
	"bufio"
	"context"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/partnerstack-mcp/partnerstack-mcp/client/sandbox"
)

func envMap(m map[string]string) func(string) string { return func(k string) string { return m[k] } }

func TestRunServesAndShutsDown(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	pr, pw := io.Pipe()
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"--addr", "127.0.0.1:0", "--empty", "--fault", "rate_limit:route=GET /v2/deals"}, envMap(nil), pw, io.Discard)
		pw.Close()
	}()
	line, err := bufio.NewReader(pr).ReadString('\n')
	if err != nil {
		t.Fatal(err)
	}
	go io.Copy(io.Discard, pr)
	if !strings.Contains(line, sandbox.DefaultPublicKey) || !strings.Contains(line, sandbox.DefaultTestSecretKey) {
		t.Fatalf("start line %q lacks the keys", line)
	}
	base := strings.Fields(line[strings.Index(line, "http://"):])[0]
	for path, want := range map[string]int{"/v2/partnerships/gstest": 200, "/v2/deals": 429} {
		req, _ := http.NewRequest("GET", base+path, nil)
		req.SetBasicAuth(sandbox.DefaultPublicKey, sandbox.DefaultSecretKey)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != want {
			t.Fatalf("%s: %d, want %d", path, resp.StatusCode, want)
		}
	}
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("run: %v", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("no shutdown")
	}
}
