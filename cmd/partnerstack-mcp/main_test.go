package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"

	partnerstackmcp "github.com/partnerstack-mcp/partnerstack-mcp"
	"github.com/partnerstack-mcp/partnerstack-mcp/client"
	"github.com/partnerstack-mcp/partnerstack-mcp/internal/mcptest"
	"github.com/partnerstack-mcp/partnerstack-mcp/telemetry"
	"github.com/partnerstack-mcp/partnerstack-mcp/tools"
)

// runCLI runs the command in-process, as main would, and returns its exit
// code, stdout and stderr.
func runCLI(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	code := run(t.Context(), args, strings.NewReader(""), &stdout, &stderr)
	return code, stdout.String(), stderr.String()
}

// noKeys clears the key variables so a developer's own keys never reach a test.
func noKeys(t *testing.T) {
	t.Setenv(client.EnvPublicKey, "")
	t.Setenv(client.EnvSecretKey, "")
	t.Setenv(client.EnvBaseURL, "")
}

// toolNames lists, sorted, the catalogue's tools in the given toolsets (every
// tool when none is given).
func toolNames(toolsets ...tools.ToolsetID) []string {
	var names []string
	for _, tl := range tools.All(tools.Deps{}) {
		if len(toolsets) == 0 || slices.Contains(toolsets, tl.Toolset) {
			names = append(names, tl.Def.Name)
		}
	}
	slices.Sort(names)
	return names
}

// optIn says whether the named tool is an opt-in tool of its toolset.
func optIn(name string) bool {
	for _, tl := range tools.All(tools.Deps{}) {
		if tl.Def.Name == name {
			return tl.OptIn
		}
	}
	return false
}

func TestToolsCommand(t *testing.T) {
	noKeys(t)
	t.Run("the table lists the default tools with their access, without keys", func(t *testing.T) {
		code, out, errOut := runCLI(t, "tools")
		if code != 0 {
			t.Fatalf("exit %d, stderr: %s", code, errOut)
		}
		lines := strings.Split(strings.TrimSpace(out), "\n")
		if !strings.HasPrefix(lines[0], "TOOL") {
			t.Fatalf("no header line: %q", lines[0])
		}
		var names []string
		for _, l := range lines[1:] {
			f := strings.Fields(l)
			if len(f) < 3 || (f[1] != "read" && f[1] != "write") {
				t.Fatalf("malformed line %q", l)
			}
			names = append(names, f[0])
		}
		slices.Sort(names)
		if want := slices.DeleteFunc(toolNames(tools.DefaultToolsets()...), optIn); !slices.Equal(names, want) {
			t.Fatalf("tools listed:\n%v\nwant:\n%v", names, want)
		}
	})
	t.Run("--json is tools/list JSON with an input schema per tool", func(t *testing.T) {
		code, out, errOut := runCLI(t, "tools", "--json", "--toolsets", "all")
		if code != 0 {
			t.Fatalf("exit %d, stderr: %s", code, errOut)
		}
		var res struct {
			Tools []struct {
				Name        string          `json:"name"`
				Description string          `json:"description"`
				InputSchema json.RawMessage `json:"inputSchema"`
			} `json:"tools"`
		}
		if err := json.Unmarshal([]byte(out), &res); err != nil {
			t.Fatalf("not JSON: %v\n%s", err, out)
		}
		var names []string
		for _, tl := range res.Tools {
			names = append(names, tl.Name)
			var schema map[string]any
			if err := json.Unmarshal(tl.InputSchema, &schema); err != nil || schema["type"] != "object" {
				t.Errorf("%s: inputSchema %s is not an object schema", tl.Name, tl.InputSchema)
			}
			if tl.Description == "" {
				t.Errorf("%s: no description", tl.Name)
			}
		}
		slices.Sort(names)
		if want := toolNames(); !slices.Equal(names, want) {
			t.Fatalf("tools listed:\n%v\nwant:\n%v", names, want)
		}
	})
	t.Run("--read-only lists only read tools", func(t *testing.T) {
		code, out, _ := runCLI(t, "tools", "--read-only")
		if code != 0 || strings.Contains(out, " write ") || !strings.Contains(out, "list_partnerships") {
			t.Fatalf("exit %d, output:\n%s", code, out)
		}
	})
}

func TestCallCommand(t *testing.T) {
	noKeys(t)
	t.Run("a read against the sandbox prints the result and exits 0", func(t *testing.T) {
		code, out, errOut := runCLI(t, "call", "list_partnerships", "--args", `{"limit":3}`, "--sandbox", "--log-level", "warn")
		if code != 0 {
			t.Fatalf("exit %d, stderr: %s", code, errOut)
		}
		var res struct {
			Rows  [][]any `json:"rows"`
			Count int     `json:"count"`
		}
		if err := json.Unmarshal([]byte(out), &res); err != nil || res.Count != 3 || len(res.Rows) != 3 {
			t.Fatalf("want 3 partners as JSON, got (%v):\n%s", err, out)
		}
	})
	t.Run("a write against the sandbox prints the created object and exits 0", func(t *testing.T) {
		// gstest takes only test-key customers, so use a real demo partner.
		_, out, _ := runCLI(t, "call", "list_partnerships", "--args", `{"limit":1}`, "--sandbox", "--log-level", "warn")
		var list map[string]any
		err := json.Unmarshal([]byte(out), &list)
		items := mcptest.Items(list)
		if err != nil || len(items) == 0 || items[0]["partner_key"] == nil {
			t.Fatalf("no demo partner (%v): %s", err, out)
		}
		args := `{"email":"ada@example.com","partner_key":"` + items[0]["partner_key"].(string) + `","name":"Ada"}`
		code, out, errOut := runCLI(t, "call", "create_customer", "--args", args, "--sandbox", "--log-level", "warn")
		if code != 0 {
			t.Fatalf("exit %d, stderr: %s", code, errOut)
		}
		if !strings.Contains(out, `"email":"ada@example.com"`) || !strings.Contains(out, `"key":"cus_`) {
			t.Fatalf("no created customer in:\n%s", out)
		}
	})
	t.Run("a write with dry_run shows the request", func(t *testing.T) {
		args := `{"email":"ada@example.com","partner_key":"gstest","dry_run":true}`
		code, out, errOut := runCLI(t, "call", "create_customer", "--args", args, "--sandbox", "--log-level", "warn")
		if code != 0 || !strings.Contains(out, "POST") {
			t.Fatalf("exit %d, stdout:\n%s\nstderr:\n%s", code, out, errOut)
		}
	})
	t.Run("a tool error exits 1 with the tool's text on stderr", func(t *testing.T) {
		code, out, errOut := runCLI(t, "call", "list_partnerships", "--args", `{"limit":0}`, "--sandbox", "--log-level", "warn")
		if code != 1 || out != "" || !strings.Contains(errOut, "limit") {
			t.Fatalf("exit %d, stdout %q, stderr %q", code, out, errOut)
		}
	})
	t.Run("an unknown key exits 1 and says how to find the right one", func(t *testing.T) {
		code, _, errOut := runCLI(t, "call", "get_partnership", "--args", `{"key":"part_missing"}`, "--sandbox", "--log-level", "warn")
		if code != 1 || !strings.Contains(errOut, "not found") {
			t.Fatalf("exit %d, stderr %q", code, errOut)
		}
	})
	t.Run("an unknown tool is a usage error (exit 2)", func(t *testing.T) {
		code, _, errOut := runCLI(t, "call", "no_such_tool", "--sandbox", "--log-level", "warn")
		if code != 2 || !strings.Contains(errOut, "no_such_tool") {
			t.Fatalf("exit %d, stderr %q", code, errOut)
		}
	})
	t.Run("--args that are not a JSON object are a usage error (exit 2)", func(t *testing.T) {
		for _, bad := range []string{`[1]`, `null`, `{"limit":`} {
			code, _, errOut := runCLI(t, "call", "list_groups", "--args", bad, "--sandbox", "--log-level", "warn")
			if code != 2 || !strings.Contains(errOut, "--args must be a JSON object") {
				t.Errorf("--args %s: exit %d, stderr %q", bad, code, errOut)
			}
		}
	})
	t.Run("no tool name is a usage error", func(t *testing.T) {
		if code, _, errOut := runCLI(t, "call"); code != 2 || !strings.Contains(errOut, "usage") {
			t.Fatalf("exit %d, stderr %q", code, errOut)
		}
	})
}

func TestStartupErrors(t *testing.T) {
	noKeys(t)
	t.Setenv(client.EnvPublicKey, "pk_fake")
	t.Setenv(client.EnvSecretKey, "sk_fake")
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"an unknown toolset names the valid ones", []string{"--toolsets", "partners"}, `unknown toolset "partners"; valid: `},
		{"an unknown tool is refused", []string{"--tools", "list_partners"}, `unknown tool "list_partners"`},
		{"an unknown transport is refused", []string{"--transport", "websocket"}, `--transport "websocket"`},
		{"a bad environment value names the variable", []string{"--log-level", "warn"}, "PARTNERSTACK_READ_ONLY"},
		{"a bad dedupe store URL is one line without its password", []string{"--dedupe-store", "redis://u:pw-Secret1@cache:port/0"}, "--dedupe-store: "},
		{"an unknown dedupe store names the forms", []string{"--dedupe-store", "memcached://cache:11211"}, "use memory or redis://"},
		{"an unknown sandbox profile is refused", []string{"--sandbox", "--sandbox-profile", "lenient"}, `--sandbox-profile: unknown sandbox profile "lenient"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if strings.Contains(tt.want, "READ_ONLY") {
				t.Setenv("PARTNERSTACK_READ_ONLY", "maybe")
			}
			code, out, errOut := runCLI(t, tt.args...)
			if code != 1 || out != "" {
				t.Fatalf("exit %d, stdout %q", code, out)
			}
			lines := strings.Split(strings.TrimSpace(errOut), "\n")
			if len(lines) != 1 || !strings.HasPrefix(lines[0], "partnerstack-mcp: ") || !strings.Contains(lines[0], tt.want) || strings.Contains(errOut, "pw-Secret1") {
				t.Fatalf("want one line with %q, got:\n%s", tt.want, errOut)
			}
		})
	}
	t.Run("missing keys suggest --sandbox", func(t *testing.T) {
		noKeys(t)
		code, _, errOut := runCLI(t)
		if code != 1 || !strings.Contains(errOut, client.EnvPublicKey) || !strings.Contains(errOut, "--sandbox") {
			t.Fatalf("exit %d, stderr %q", code, errOut)
		}
	})
}

func TestVersion(t *testing.T) {
	for _, args := range [][]string{{"--version"}, {"-version"}, {"version"}} {
		code, out, errOut := runCLI(t, args...)
		want := partnerstackmcp.Name + " " + partnerstackmcp.Version + "\n"
		if code != 0 || out != want || errOut != "" {
			t.Errorf("%v: exit %d, stdout %q (want %q), stderr %q", args, code, out, want, errOut)
		}
	}
}

// TestPackagingEnvVars keeps the env var names in server.json and
// manifest.json equal to ones the binary reads: the client's keys or a
// flag's PARTNERSTACK_* twin. Secrets must be exactly the two keys.
func TestPackagingEnvVars(t *testing.T) {
	known := map[string]bool{client.EnvPublicKey: true, client.EnvSecretKey: true, client.EnvBaseURL: true,
		telemetry.EnvOTLPEndpoint: true}
	fs := flag.NewFlagSet("flags", flag.ContinueOnError)
	(&options{}).register(fs)
	fs.VisitAll(func(f *flag.Flag) { known[envName(f.Name)] = true })
	secrets := []string{client.EnvPublicKey, client.EnvSecretKey}

	var reg struct {
		Packages []struct {
			EnvironmentVariables []struct {
				Name       string `json:"name"`
				IsSecret   bool   `json:"isSecret"`
				IsRequired bool   `json:"isRequired"`
			} `json:"environmentVariables"`
		} `json:"packages"`
	}
	readJSON(t, "../../server.json", &reg)
	if len(reg.Packages) == 0 {
		t.Fatal("server.json has no packages")
	}
	for _, p := range reg.Packages {
		var gotSecrets []string
		for _, v := range p.EnvironmentVariables {
			if !known[v.Name] {
				t.Errorf("server.json: %s is not read by the binary", v.Name)
			}
			if v.IsSecret {
				gotSecrets = append(gotSecrets, v.Name)
				if !v.IsRequired {
					t.Errorf("server.json: %s should be required", v.Name)
				}
			}
		}
		slices.Sort(gotSecrets)
		if !slices.Equal(gotSecrets, secrets) {
			t.Errorf("server.json: secret variables %v, want %v", gotSecrets, secrets)
		}
	}

	var man struct {
		Server struct {
			MCPConfig struct {
				Env map[string]string `json:"env"`
			} `json:"mcp_config"`
		} `json:"server"`
		UserConfig map[string]struct {
			Type      string `json:"type"`
			Sensitive bool   `json:"sensitive"`
			Required  bool   `json:"required"`
		} `json:"user_config"`
	}
	readJSON(t, "../../manifest.json", &man)
	ref := regexp.MustCompile(`^\$\{user_config\.([a-z_]+)\}$`)
	used := map[string]bool{}
	var gotSecrets []string
	for name, val := range man.Server.MCPConfig.Env {
		if !known[name] {
			t.Errorf("manifest.json: %s is not read by the binary", name)
		}
		m := ref.FindStringSubmatch(val)
		if m == nil {
			t.Errorf("manifest.json: %s=%q is not a ${user_config.*} reference", name, val)
			continue
		}
		uc, ok := man.UserConfig[m[1]]
		if !ok {
			t.Errorf("manifest.json: %s refers to missing user_config %q", name, m[1])
			continue
		}
		used[m[1]] = true
		if uc.Sensitive {
			gotSecrets = append(gotSecrets, name)
			if !uc.Required || uc.Type != "string" {
				t.Errorf("manifest.json: user_config %q should be a required string", m[1])
			}
		}
	}
	slices.Sort(gotSecrets)
	if !slices.Equal(gotSecrets, secrets) {
		t.Errorf("manifest.json: sensitive variables %v, want %v", gotSecrets, secrets)
	}
	for k := range man.UserConfig {
		if !used[k] {
			t.Errorf("manifest.json: user_config %q is never passed to the server", k)
		}
	}
}

func readJSON(t *testing.T, path string, v any) {
	t.Helper()
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(raw, v); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
}
