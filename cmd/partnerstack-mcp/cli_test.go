package main

import (
	"encoding/json"
	"flag"
	"slices"
	"strings"
	"testing"

	"github.com/partnerstack-mcp/partnerstack-mcp/client"
	"github.com/partnerstack-mcp/partnerstack-mcp/internal/mcptest"
	"github.com/partnerstack-mcp/partnerstack-mcp/tools"
)

// oneLine fails unless stderr is exactly one line starting with the
// program's name and containing every want.
func oneLine(t *testing.T, stderr string, want ...string) {
	t.Helper()
	lines := strings.Split(strings.TrimRight(stderr, "\n"), "\n")
	if len(lines) != 1 || !strings.HasPrefix(lines[0], "partnerstack-mcp: ") {
		t.Fatalf("want one line on stderr, got:\n%s", stderr)
	}
	for _, w := range want {
		if !strings.Contains(lines[0], w) {
			t.Errorf("stderr %q lacks %q", lines[0], w)
		}
	}
}

func TestFlagsBeforeOrAfterTheCommand(t *testing.T) {
	noKeys(t)
	for _, args := range [][]string{
		{"--sandbox", "call", "list_groups"},
		{"call", "list_groups", "--sandbox"},
		{"call", "--sandbox", "list_groups"},
		{"--log-level", "warn", "--sandbox", "call", "--args", `{"limit":2}`, "list_groups"},
		{"--args={\"limit\":2}", "--sandbox", "call", "list_groups"},
	} {
		code, out, errOut := runCLI(t, args...)
		var res map[string]any
		if code != 0 || json.Unmarshal([]byte(out), &res) != nil || len(mcptest.Items(res)) == 0 {
			t.Errorf("%q: exit %d, stdout %q, stderr %q; want the groups", args, code, out, errOut)
		}
	}
	code, out, errOut := runCLI(t, "--read-only", "tools")
	if code != 0 || !strings.HasPrefix(out, "TOOL") || strings.Contains(out, " write ") {
		t.Errorf("--read-only tools: exit %d, stderr %q, stdout:\n%s", code, errOut, out)
	}
	// A flag's value is never taken for the command.
	if code, _, errOut := runCLI(t, "--toolsets", "call", "--sandbox", "tools"); code != 1 || !strings.Contains(errOut, `unknown toolset "call"`) {
		t.Errorf("--toolsets call tools: exit %d, stderr %q", code, errOut)
	}
}

func TestHelp(t *testing.T) {
	noKeys(t)
	for _, args := range [][]string{{"help"}, {"--help"}, {"-h"}, {"--sandbox", "--help"}} {
		code, out, errOut := runCLI(t, args...)
		if code != 0 || errOut != "" {
			t.Fatalf("%q: exit %d, stderr %q", args, code, errOut)
		}
		for _, c := range commands {
			if !strings.Contains(out, "  "+c.name+" ") {
				t.Errorf("%q: help does not list the command %s", args, c.name)
			}
			if fs := ownFlags(c); fs != nil {
				fs.VisitAll(func(f *flag.Flag) {
					if !strings.Contains(out, c.name+" --"+f.Name) {
						t.Errorf("%q: help does not list %s --%s", args, c.name, f.Name)
					}
				})
			}
		}
		serverFlags().VisitAll(func(f *flag.Flag) {
			if !strings.Contains(out, "--"+f.Name) || !strings.Contains(out, envName(f.Name)) {
				t.Errorf("%q: help does not list --%s with %s", args, f.Name, envName(f.Name))
			}
		})
		for _, env := range []string{client.EnvPublicKey, client.EnvSecretKey} {
			if !strings.Contains(out, env) {
				t.Errorf("%q: help does not name %s", args, env)
			}
		}
	}
	for _, args := range [][]string{{"help", "call"}, {"call", "--help"}, {"--help", "call"}} {
		code, out, _ := runCLI(t, args...)
		if code != 0 || !strings.HasPrefix(out, "Usage: partnerstack-mcp call TOOL") || !strings.Contains(out, "--args JSON") ||
			!strings.Contains(out, "PARTNERSTACK_SANDBOX") || !strings.Contains(out, "Exit codes: 0") {
			t.Errorf("%q: exit %d, help:\n%s", args, code, out)
		}
	}
	code, out, _ := runCLI(t, "help", "sandbox")
	if code != 0 || !strings.Contains(out, "--fault") || strings.Contains(out, "PARTNERSTACK_TRANSPORT") {
		t.Errorf("help sandbox: exit %d:\n%s", code, out)
	}
}

// TestSlips: every small mistake answers with one line that says what to do,
// and the documented exit code (2 for the command line, 1 for configuration).
func TestSlips(t *testing.T) {
	valid := "serve, tools, call, sandbox, version, help"
	tests := []struct {
		name string
		env  map[string]string // set on top of no keys
		args []string
		code int
		want []string
	}{
		{"an unknown command names the valid ones", nil, []string{"tool"}, 2, []string{`unknown command "tool"`, valid}},
		{"a tool name without call says how to call it", nil, []string{"--sandbox", "list_groups"}, 2, []string{valid, "partnerstack-mcp call list_groups"}},
		{"help for an unknown command", nil, []string{"help", "tool"}, 2, []string{`unknown command "tool"`, valid}},
		{"a stray argument to serve names the commands", nil, []string{"serve", "now"}, 2, []string{`unexpected argument "now"`, valid}},
		{"a stray argument to tools", nil, []string{"tools", "all"}, 2, []string{`unexpected argument "all"`, "tools takes no arguments"}},
		{"a stray argument to call", nil, []string{"call", "list_groups", "limit=5", "--sandbox"}, 2, []string{`unexpected argument "limit=5"`, "--args '{"}},
		{"a boolean flag with a separate value", nil, []string{"--read-only", "true"}, 2, []string{"--read-only=true"}},
		{"call without a tool", nil, []string{"call", "--sandbox"}, 2, []string{"usage: partnerstack-mcp call TOOL"}},
		{"an unknown flag suggests the close one", nil, []string{"--sandbox", "--tolsets", "all"}, 2, []string{"unknown flag --tolsets", "did you mean --toolsets?"}},
		{"a bad flag value shows a valid one", nil, []string{"--timeout", "30", "--sandbox", "call", "list_groups"}, 2, []string{"-timeout", `"30"`, "30s"}},
		{"a bad env duration shows a valid one", map[string]string{"PARTNERSTACK_TIMEOUT": "30"}, []string{"--sandbox", "call", "list_groups"}, 1, []string{`PARTNERSTACK_TIMEOUT="30"`, "30s"}},
		{"a bad env boolean shows a valid one", map[string]string{"PARTNERSTACK_SANDBOX": "yes"}, []string{"tools"}, 1, []string{`PARTNERSTACK_SANDBOX="yes"`, "true or false"}},
		{"a bad env number shows a valid one", map[string]string{"PARTNERSTACK_RESULT_BUDGET": "16k"}, []string{"tools"}, 1, []string{`PARTNERSTACK_RESULT_BUDGET="16k"`, "whole number, such as 16384"}},
		{"no keys names both", nil, []string{"call", "list_groups"}, 1, []string{client.EnvPublicKey + " and " + client.EnvSecretKey + " are not set", "--sandbox"}},
		{"a missing secret key is named", map[string]string{client.EnvPublicKey: "pk_x"}, []string{}, 1, []string{client.EnvSecretKey + " is not set", "--sandbox"}},
		{"a missing public key is named", map[string]string{client.EnvSecretKey: "sk_x"}, []string{"call", "list_groups"}, 1, []string{client.EnvPublicKey + " is not set", "--sandbox"}},
		{"the toolsets given are kept in the hint", nil, []string{"--sandbox", "--toolsets", "groups", "call", "list_deals"}, 2, []string{"toolset deals", "--toolsets groups,deals"}},
		{"a write under --read-only says so", nil, []string{"--sandbox", "--read-only", "call", "create_customer"}, 2, []string{"create_customer changes data", "--read-only"}},
		{"a tool excluded by the environment names the variable", map[string]string{"PARTNERSTACK_EXCLUDE_TOOLS": "list_groups"}, []string{"--sandbox", "call", "list_groups"}, 2, []string{"PARTNERSTACK_EXCLUDE_TOOLS"}},
		{"a misspelt tool gets the close name", nil, []string{"--sandbox", "call", "list_group"}, 2, []string{`unknown tool "list_group"`, "did you mean list_groups?"}},
		{"--args that are not an object", nil, []string{"--sandbox", "call", "list_groups", "--args", "limit=5"}, 2, []string{"--args must be a JSON object"}},
		{"version takes nothing", nil, []string{"version", "now"}, 2, []string{`unexpected argument "now"`}},
	}
	// With toolsets chosen, a tool outside them says how to add its toolset
	// (without a choice, call reaches every toolset: TestCallReachesOptInToolsets).
	for _, tl := range tools.All(tools.Deps{}) {
		if tl.OptIn && slices.Contains(tools.DefaultToolsets(), tl.Toolset) {
			tests = append(tests, struct {
				name string
				env  map[string]string
				args []string
				code int
				want []string
			}{"an opt-in tool of a default toolset says how to enable it", nil, []string{"--sandbox", "--toolsets", "default", "call", tl.Def.Name}, 2,
				[]string{"opt-in tool of the toolset " + string(tl.Toolset), "--toolsets default," + string(tl.Toolset)}})
			break
		}
	}
	for _, tl := range tools.All(tools.Deps{}) {
		if !slices.Contains(tools.DefaultToolsets(), tl.Toolset) {
			tests = append(tests, struct {
				name string
				env  map[string]string
				args []string
				code int
				want []string
			}{"a tool of an opt-in toolset says how to enable it", nil, []string{"--sandbox", "--toolsets", "default", "call", tl.Def.Name}, 2,
				[]string{"toolset " + string(tl.Toolset), "--toolsets default," + string(tl.Toolset)}})
			break
		}
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			noKeys(t)
			for k, v := range tt.env {
				t.Setenv(k, v)
			}
			code, out, errOut := runCLI(t, tt.args...)
			if code != tt.code || out != "" {
				t.Errorf("exit %d (want %d), stdout %q", code, tt.code, out)
			}
			oneLine(t, errOut, tt.want...)
		})
	}
}

func TestBaseURLChecks(t *testing.T) {
	noKeys(t)
	t.Setenv(client.EnvPublicKey, "pk_fake")
	t.Setenv(client.EnvSecretKey, "sk_fake")
	form := "https://HOST/api or https://HOST/api/v2"
	tests := []struct {
		url  string
		want []string
	}{
		{"http://api.example.com/api", []string{"plain http", "--allow-insecure-base-url"}},
		{"http://10.1.2.3:8080/api/v2", []string{"plain http", "--allow-insecure-base-url"}},
		{"https://api.example.com/", []string{"path must be /api or /api/v2", form}},
		{"https://api.example.com/v2", []string{"path must be /api or /api/v2", form}},
		{"https://api.example.com/api/v1", []string{"path must be /api or /api/v2", form}},
		{"https://ps_user:hunter2@api.example.com/api", []string{"must not hold a user or password"}},
		{"https://api.example.com/api?secret=hunter2", []string{"must not have a query"}},
		{"https://api.example.com/api#hunter2", []string{"must not have a query or fragment"}},
		{"ps_user:hunter2@api.example.com/api", []string{"not an absolute http(s) URL", form}},
		{"ftp://api.example.com/api", []string{"not an absolute http(s) URL"}},
	}
	for _, tt := range tests {
		for _, viaEnv := range []bool{false, true} {
			args := []string{"call", "list_groups"}
			source := "--base-url"
			if viaEnv {
				t.Setenv(client.EnvBaseURL, tt.url)
				source = client.EnvBaseURL
			} else {
				t.Setenv(client.EnvBaseURL, "")
				args = append(args, "--base-url", tt.url)
			}
			code, _, errOut := runCLI(t, args...)
			if code != 1 {
				t.Errorf("%s %s: exit %d, want 1", source, tt.url, code)
			}
			oneLine(t, errOut, append(tt.want, source)...)
			for _, secret := range []string{"hunter2", "ps_user", "secret="} {
				if strings.Contains(errOut, secret) {
					t.Errorf("%s %s: the error echoes %q: %s", source, tt.url, secret, errOut)
				}
			}
		}
	}
	t.Setenv(client.EnvBaseURL, "")
	// Accepted: https, loopback http, and plain http when allowed. `tools`
	// builds the server on the URL and sends nothing (test traffic stays on
	// loopback).
	for _, args := range [][]string{
		{"--base-url", "https://api.example.com/api/v2/"},
		{"--base-url", "http://localhost:1/api"},
		{"--base-url", "http://127.0.0.1:1/api"},
		{"--base-url", "http://[::1]:1/api"},
		{"--base-url", "http://api.example.com/api", "--allow-insecure-base-url"},
	} {
		code, out, errOut := runCLI(t, append([]string{"tools"}, args...)...)
		if code != 0 || !strings.HasPrefix(out, "TOOL") {
			t.Errorf("%q: exit %d, stderr %q; want the URL accepted", args, code, errOut)
		}
	}
	t.Setenv("PARTNERSTACK_ALLOW_INSECURE_BASE_URL", "true")
	if code, _, errOut := runCLI(t, "tools", "--base-url", "http://api.example.com/api"); code != 0 {
		t.Errorf("PARTNERSTACK_ALLOW_INSECURE_BASE_URL=true: exit %d, stderr %q", code, errOut)
	}
}

func TestEditDistance(t *testing.T) {
	for _, tt := range []struct {
		a, b string
		want int
	}{{"", "", 0}, {"abc", "", 3}, {"list_group", "list_groups", 1}, {"kitten", "sitting", 3}, {"tolsets", "toolsets", 1}} {
		if got := editDistance(tt.a, tt.b); got != tt.want {
			t.Errorf("editDistance(%q, %q) = %d, want %d", tt.a, tt.b, got, tt.want)
		}
	}
}
