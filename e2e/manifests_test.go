package e2e_test

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	partnerstackmcp "github.com/partnerstack-mcp/partnerstack-mcp"
	"github.com/partnerstack-mcp/partnerstack-mcp/tools"

	"github.com/partnerstack-mcp/partnerstack-mcp/internal/golden"
)

// The packaging files (server.json for the MCP registry, manifest.json for a
// Claude Desktop .mcpb bundle, the Dockerfile) describe this server from the
// outside; these tests keep them from drifting away from the code.

type registryServer struct {
	Schema      string `json:"$schema"`
	Name        string `json:"name"`
	Description string `json:"description"`
	Version     string `json:"version"`
	Packages    []struct {
		RegistryType string `json:"registryType"`
		Identifier   string `json:"identifier"`
		Transport    struct {
			Type string `json:"type"`
		} `json:"transport"`
	} `json:"packages"`
}

type bundleTool struct {
	Name        string `json:"name"`
	Description string `json:"description"`
}

type bundleManifest struct {
	ManifestVersion string `json:"manifest_version"`
	Name            string `json:"name"`
	Version         string `json:"version"`
	Description     string `json:"description"`
	Server          struct {
		Type       string `json:"type"`
		EntryPoint string `json:"entry_point"`
		MCPConfig  struct {
			Command string   `json:"command"`
			Args    []string `json:"args"`
		} `json:"mcp_config"`
	} `json:"server"`
	Tools []bundleTool `json:"tools"`
}

func readJSONFile(t *testing.T, path string, v any) []byte {
	t.Helper()
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(raw, v); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return raw
}

// catalogue is the full tool list as the bundle manifest states it.
func catalogue() []bundleTool {
	var out []bundleTool
	for _, t := range tools.All(tools.Deps{}) {
		out = append(out, bundleTool{Name: t.Def.Name, Description: t.Def.Description})
	}
	return out
}

var manifestTools = regexp.MustCompile(`(?s)\n  "tools": \[.*?\n  \],\n`)

// TestManifestTools keeps manifest.json's tool list equal to the server's;
// `UPDATE_GOLDEN=1 go test ./e2e -run TestManifestTools` rewrites it.
func TestManifestTools(t *testing.T) {
	var m bundleManifest
	raw := readJSONFile(t, filepath.Join(repo, "manifest.json"), &m)
	want := catalogue()
	if golden.Update() {
		list, err := json.MarshalIndent(want, "  ", "  ")
		if err != nil {
			t.Fatal(err)
		}
		if !manifestTools.Match(raw) {
			t.Fatal(`manifest.json has no top-level "tools": [...] block to rewrite`)
		}
		out := manifestTools.ReplaceAllLiteral(raw, []byte("\n  \"tools\": "+string(list)+",\n"))
		if err := os.WriteFile(filepath.Join(repo, "manifest.json"), out, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	got, _ := json.Marshal(m.Tools)
	exp, _ := json.Marshal(want)
	if !bytes.Equal(got, exp) {
		t.Fatalf("manifest.json tools differ from the server's; run: UPDATE_GOLDEN=1 go test ./e2e -run TestManifestTools\ngot:  %s\nwant: %s", got, exp)
	}
}

func TestPackagingMetadata(t *testing.T) {
	var reg registryServer
	readJSONFile(t, filepath.Join(repo, "server.json"), &reg)
	var m bundleManifest
	readJSONFile(t, filepath.Join(repo, "manifest.json"), &m)

	if !strings.HasPrefix(reg.Schema, "https://static.modelcontextprotocol.io/schemas/") {
		t.Errorf("server.json $schema %q is not an MCP registry schema", reg.Schema)
	}
	if !regexp.MustCompile(`^io\.github\.[a-zA-Z0-9-]+/[a-zA-Z0-9._-]+$`).MatchString(reg.Name) || !strings.HasSuffix(reg.Name, "/"+partnerstackmcp.Name) {
		t.Errorf("server.json name %q should be io.github.<owner>/%s", reg.Name, partnerstackmcp.Name)
	}
	if n := len(reg.Description); n == 0 || n > 100 {
		t.Errorf("server.json description is %d characters; the registry allows 1-100", n)
	}
	semver := regexp.MustCompile(`^\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$`)
	if !semver.MatchString(reg.Version) || m.Version != reg.Version {
		t.Errorf("versions: server.json %q, manifest.json %q; want the same semver", reg.Version, m.Version)
	}
	if len(reg.Packages) == 0 {
		t.Fatal("server.json lists no packages")
	}
	for _, p := range reg.Packages {
		if p.Transport.Type != "stdio" {
			t.Errorf("package %s: transport %q, want stdio (the binary's default)", p.Identifier, p.Transport.Type)
		}
		if p.RegistryType == "oci" && !strings.HasSuffix(p.Identifier, ":"+reg.Version) {
			t.Errorf("OCI package %s should be tagged with the version %s", p.Identifier, reg.Version)
		}
	}

	if m.ManifestVersion == "" || m.Name != partnerstackmcp.Name || m.Description == "" {
		t.Errorf("manifest.json: manifest_version %q, name %q (want %q), description %q", m.ManifestVersion, m.Name, partnerstackmcp.Name, m.Description)
	}
	if m.Server.Type != "binary" || m.Server.EntryPoint != "server/"+partnerstackmcp.Name || m.Server.MCPConfig.Command != "${__dirname}/"+m.Server.EntryPoint {
		t.Errorf("manifest.json server: type %q, entry_point %q, command %q", m.Server.Type, m.Server.EntryPoint, m.Server.MCPConfig.Command)
	}

	docker, err := os.ReadFile(filepath.Join(repo, "Dockerfile"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(docker), `io.modelcontextprotocol.server.name="`+reg.Name+`"`) {
		t.Errorf("Dockerfile should carry LABEL io.modelcontextprotocol.server.name=%q for the registry", reg.Name)
	}
}

// dockerInstructions returns the Dockerfile's instructions with line
// continuations joined and comments dropped.
func dockerInstructions(t *testing.T) []string {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join(repo, "Dockerfile"))
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	var cur strings.Builder
	for _, line := range strings.Split(string(raw), "\n") {
		trimmed := strings.TrimSpace(line)
		if cur.Len() == 0 && (trimmed == "" || strings.HasPrefix(trimmed, "#")) {
			continue
		}
		if strings.HasSuffix(trimmed, "\\") {
			cur.WriteString(strings.TrimSuffix(trimmed, "\\") + " ")
			continue
		}
		cur.WriteString(trimmed)
		out = append(out, cur.String())
		cur.Reset()
	}
	return out
}

func TestDockerfile(t *testing.T) {
	ins := dockerInstructions(t)
	var froms, stages [][]string // each stage's instructions
	for _, in := range ins {
		if strings.HasPrefix(strings.ToUpper(in), "FROM ") {
			froms = append(froms, strings.Fields(in))
			stages = append(stages, nil)
		}
		if len(stages) > 0 {
			stages[len(stages)-1] = append(stages[len(stages)-1], in)
		}
	}
	if len(froms) < 2 {
		t.Fatalf("want a multi-stage build, got %d FROM lines", len(froms))
	}
	if !strings.HasPrefix(froms[0][1], "golang:1.26") {
		t.Errorf("builder image %q, want golang:1.26", froms[0][1])
	}
	final := froms[len(froms)-1][1]
	if final != "scratch" && !strings.HasPrefix(final, "gcr.io/distroless/static") {
		t.Errorf("runtime image %q, want scratch or distroless/static", final)
	}

	// The release build line itself (static, trimmed, tags, stamped) is
	// scripts/build.sh's, checked in cmd/partnerstack-mcp.
	if build := findInstruction(ins, "scripts/build.sh"); !strings.HasPrefix(build, "RUN scripts/build.sh /out/") || !strings.Contains(build, "${VERSION}") {
		t.Errorf("the build step should be RUN scripts/build.sh /out/... \"${VERSION}\": %q", build)
	}

	var user, entrypoint string
	for _, in := range stages[len(stages)-1] {
		kw, rest, _ := strings.Cut(in, " ")
		switch strings.ToUpper(kw) {
		case "USER":
			user = rest
		case "ENTRYPOINT":
			entrypoint = rest
		}
	}
	if uid, _, _ := strings.Cut(user, ":"); uid == "" || uid == "root" || uid == "0" {
		t.Errorf("the runtime stage must run as a non-root USER, got %q", user)
	}
	if !strings.HasPrefix(entrypoint, `["`) || !strings.Contains(entrypoint, partnerstackmcp.Name) {
		t.Errorf("ENTRYPOINT %q should run the binary in exec form", entrypoint)
	}

	secret := regexp.MustCompile(`(?i)(KEY|SECRET|TOKEN|PASSWORD)`)
	for _, in := range ins {
		kw, rest, _ := strings.Cut(in, " ")
		if k := strings.ToUpper(kw); (k == "ENV" || k == "ARG") && secret.MatchString(rest) {
			t.Errorf("secrets must come from the environment at run time, not %s %s", k, rest)
		}
	}
}

func findInstruction(ins []string, substr string) string {
	for _, in := range ins {
		if strings.Contains(in, substr) {
			return in
		}
	}
	return ""
}

// TestDockerBuildCommand runs the Dockerfile's own build step here (no
// docker engine needed) and checks the binary reports the stamped version.
func TestDockerBuildCommand(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	goBin, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go toolchain on PATH")
	}
	build := findInstruction(dockerInstructions(t), "scripts/build.sh")
	cmdline, ok := strings.CutPrefix(build, "RUN ")
	if !ok {
		t.Fatalf("the build step is not a RUN: %s", build)
	}
	out := filepath.Join(t.TempDir(), partnerstackmcp.Name)
	cmdline = strings.ReplaceAll(cmdline, "/out/"+partnerstackmcp.Name, out)
	cmd := exec.Command("sh", "-c", cmdline)
	cmd.Dir = repo
	cmd.Env = append(os.Environ(), "VERSION=v9.9.9-docker", "PATH="+filepath.Dir(goBin)+":"+os.Getenv("PATH"))
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("%s: %v\n%s", cmdline, err, b)
	}
	got, err := exec.Command(out, "--version").Output()
	if err != nil {
		t.Fatal(err)
	}
	if want := partnerstackmcp.Name + " v9.9.9-docker\n"; string(got) != want {
		t.Fatalf("--version printed %q, want %q", got, want)
	}
}
