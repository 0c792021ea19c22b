package sandboxcli

import (
	"io"
	"strings"
	"testing"

	"github.com/partnerstack-mcp/partnerstack-mcp/client/sandbox"
)

func envMap(m map[string]string) func(string) string { return func(k string) string { return m[k] } }

func TestParseConfig(t *testing.T) {
	tests := []struct {
		name  string
		args  []string
		env   map[string]string
		check func(t *testing.T, c Config)
		err   string
	}{
		{"defaults", nil, nil, func(t *testing.T, c Config) {
			if c.Addr != "127.0.0.1:8181" || c.Options.Keys.PublicKey != sandbox.DefaultPublicKey || c.Options.Seed != 1 ||
				c.Options.Transactions != sandbox.DefaultTransactions || c.Options.Empty || len(c.Faults) != 0 {
				t.Fatalf("%+v", c)
			}
		}, ""},
		{"env sets values", nil, map[string]string{"PARTNERSTACK_SANDBOX_ADDR": ":9", "PARTNERSTACK_SANDBOX_SEED": "42",
			"PARTNERSTACK_SANDBOX_EMPTY": "true", "PARTNERSTACK_SANDBOX_PUBLIC_KEY": "pk_env",
			"PARTNERSTACK_SANDBOX_FAULT": "rate_limit:every=2; server_error:times=1"}, func(t *testing.T, c Config) {
			if c.Addr != ":9" || c.Options.Seed != 42 || !c.Options.Empty || c.Options.Keys.PublicKey != "pk_env" || len(c.Faults) != 2 ||
				c.Faults[1].Kind != sandbox.FaultServerError {
				t.Fatalf("%+v", c)
			}
		}, ""},
		{"flags win over env", []string{"--addr", ":10", "--seed", "5", "--transactions", "100000", "--fault", "latency:latency=5ms",
			"--fault", "reset_after_write:route=POST /v2/transactions"},
			map[string]string{"PARTNERSTACK_SANDBOX_ADDR": ":9", "PARTNERSTACK_SANDBOX_SEED": "42", "PARTNERSTACK_SANDBOX_FAULT": "refuse"},
			func(t *testing.T, c Config) {
				if c.Addr != ":10" || c.Options.Seed != 5 || c.Options.Transactions != 100000 || len(c.Faults) != 2 ||
					c.Faults[1].Route != "POST /v2/transactions" {
					t.Fatalf("%+v", c)
				}
			}, ""},
		{"bad fault flag", []string{"--fault", "explode"}, nil, nil, "unknown kind"},
		{"bad fault env", nil, map[string]string{"PARTNERSTACK_SANDBOX_FAULT": "rate_limit:x"}, nil, "PARTNERSTACK_SANDBOX_FAULT"},
		{"bad seed", []string{"--seed", "x"}, nil, nil, "--seed"},
		{"strict profile from env", nil, map[string]string{"PARTNERSTACK_SANDBOX_PROFILE": "strict"}, func(t *testing.T, c Config) {
			if c.Options.Profile != sandbox.ProfileStrict {
				t.Fatalf("profile %q", c.Options.Profile)
			}
		}, ""},
		{"profile flag wins over env", []string{"--sandbox-profile", "default"}, map[string]string{"PARTNERSTACK_SANDBOX_PROFILE": "strict"},
			func(t *testing.T, c Config) {
				if c.Options.Profile != sandbox.ProfileDefault {
					t.Fatalf("profile %q", c.Options.Profile)
				}
			}, ""},
		{"bad profile", []string{"--sandbox-profile", "lenient"}, nil, nil, "--sandbox-profile"},
		{"bad empty", nil, map[string]string{"PARTNERSTACK_SANDBOX_EMPTY": "sure"}, nil, "PARTNERSTACK_SANDBOX_EMPTY"},
		{"same public keys", []string{"--public-key", "pk", "--test-public-key", "pk"}, nil, nil, "must differ"},
		{"stray argument", []string{"serve"}, nil, nil, "unexpected argument"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := Parse("partnerstack-sandbox", tt.args, envMap(tt.env), io.Discard)
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
