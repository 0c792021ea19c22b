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

func TestParseConfig(t *testing.T) {
	tests := []struct {
		name  string
		args  []string
		env   map[string]string
		check func(t *testing.T, c config)
		err   string
	}{
		{"defaults", nil, nil, func(t *testing.T, c config) {
			if c.addr != "127.0.0.1:8181" || c.opts.Keys.PublicKey != sandbox.DefaultPublicKey || c.opts.Seed != 1 ||
				c.opts.Transactions != sandbox.DefaultTransactions || c.opts.Empty || len(c.faults) != 0 {
				t.Fatalf("%+v", c)
			}
		}, ""},
		{"env sets values", nil, map[string]string{"PARTNERSTACK_SANDBOX_ADDR": ":9", "PARTNERSTACK_SANDBOX_SEED": "42",
			"PARTNERSTACK_SANDBOX_EMPTY": "true", "PARTNERSTACK_SANDBOX_PUBLIC_KEY": "pk_env",
			"PARTNERSTACK_SANDBOX_FAULT": "rate_limit:every=2; server_error:times=1"}, func(t *testing.T, c config) {
			if c.addr != ":9" || c.opts.Seed != 42 || !c.opts.Empty || c.opts.Keys.PublicKey != "pk_env" || len(c.faults) != 2 ||
				c.faults[1].Kind != sandbox.FaultServerError {
				t.Fatalf("%+v", c)
			}
		}, ""},
		{"flags win over env", []string{"--addr", ":10", "--seed", "5", "--transactions", "100000", "--fault", "latency:latency=5ms",
			"--fault", "reset_after_write:route=POST /v2/transactions"},
			map[string]string{"PARTNERSTACK_SANDBOX_ADDR": ":9", "PARTNERSTACK_SANDBOX_SEED": "42", "PARTNERSTACK_SANDBOX_FAULT": "refuse"},
			func(t *testing.T, c config) {
				if c.addr != ":10" || c.opts.Seed != 5 || c.opts.Transactions != 100000 || len(c.faults) != 2 ||
					c.faults[1].Route != "POST /v2/transactions" {
					t.Fatalf("%+v", c)
				}
			}, ""},
		{"bad fault flag", []string{"--fault", "explode"}, nil, nil, "unknown kind"},
		{"bad fault env", nil, map[string]string{"PARTNERSTACK_SANDBOX_FAULT": "rate_limit:x"}, nil, "PARTNERSTACK_SANDBOX_FAULT"},
		{"bad seed", []string{"--seed", "x"}, nil, nil, "--seed"},
		{"bad empty", nil, map[string]string{"PARTNERSTACK_SANDBOX_EMPTY": "sure"}, nil, "PARTNERSTACK_SANDBOX_EMPTY"},
		{"same public keys", []string{"--public-key", "pk", "--test-public-key", "pk"}, nil, nil, "must differ"},
		{"stray argument", []string{"serve"}, nil, nil, "unexpected argument"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := parseConfig(tt.args, envMap(tt.env), io.Discard)
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) {
					t.Fatalf("err %v, want %q", err, tt.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			tt.check(t, c)
		})
	}
}

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
