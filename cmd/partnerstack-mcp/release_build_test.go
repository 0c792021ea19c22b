package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// releaseTags are the build tags of every release build. grpcnotrace keeps
// gRPC's request tracing (golang.org/x/net/trace) out of the binary: its init
// registers HTML template pages, and a reachable text/template makes the
// linker keep every exported method of every type (go-redis alone has
// thousands), 32.8 MB instead of 22.5 (10^6 bytes, 2026-12-02). We never enable gRPC tracing; the
// OTLP gRPC exporter works the same without it.
const releaseTags = "grpcnotrace"

// The release build does not link golang.org/x/net/trace, and a build
// without the tag does (else the tag has stopped mattering and can go).
func TestReleaseBuildLeavesOutGRPCTracing(t *testing.T) {
	if testing.Short() {
		t.Skip("runs go list")
	}
	deps := func(args ...string) []string {
		out, err := exec.Command("go", append(append([]string{"list", "-deps"}, args...), ".")...).Output()
		if err != nil {
			t.Skipf("go list: %v", err)
		}
		return strings.Fields(string(out))
	}
	const trace = "golang.org/x/net/trace"
	if slices.Contains(deps("-tags", releaseTags), trace) {
		t.Errorf("the release build (-tags %s) links %s", releaseTags, trace)
	}
	if !slices.Contains(deps(), trace) {
		t.Errorf("a build without -tags %s no longer links %s: drop the tag from the build lines", releaseTags, trace)
	}
}

// scripts/build.sh holds the one release build line, with its tags and
// flags, and every documented or scripted release build runs it, so the size
// and start-up figures in the README are those of the binaries we ship.
func TestEveryReleaseBuildRunsTheBuildScript(t *testing.T) {
	root := filepath.Join("..", "..")
	read := func(file string) string {
		b, err := os.ReadFile(filepath.Join(root, file))
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	script := read("scripts/build.sh")
	for _, want := range []string{"CGO_ENABLED=0 go build -trimpath -tags " + releaseTags + " -modfile", `-ldflags "-s -w -X github.com/partnerstack-mcp/partnerstack-mcp.Version=${version}"`, "./cmd/partnerstack-mcp", "scripts/patch-deps.sh"} {
		if !strings.Contains(script, want) {
			t.Errorf("scripts/build.sh lacks %q", want)
		}
	}
	buildLine := regexp.MustCompile(`go build -trimpath|"build", "-trimpath"`)
	for _, file := range []string{"README.md", "Dockerfile", "scripts/release.sh", "e2e/perf/bench_test.go"} {
		text := read(file)
		if !strings.Contains(text, "scripts/build.sh") {
			t.Errorf("%s does not run scripts/build.sh", file)
		}
		for line := range strings.Lines(text) {
			// The README quotes the script's line to explain it.
			if buildLine.MatchString(line) && !strings.Contains(line, "`scripts/build.sh` is the release build") && !strings.Contains(line, "run: `CGO_ENABLED=0 go build") {
				t.Errorf("%s: a release build line of its own (run scripts/build.sh): %s", file, strings.TrimSpace(line))
			}
		}
	}
}

// The release build compiles the JSON Schema validator's meta-schemas on
// first use (scripts/patches/jsonschema-lazy-meta-schemas.patch), where a
// plain build compiles them in the package's init, before main; and the
// shipped binary still validates, formats included. If a plain build stops
// paying at init, the upstream module has the fix: drop the patch.
func TestReleaseBuildCompilesMetaSchemasOnFirstUse(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary twice")
	}
	dir := t.TempDir()
	release, plain := filepath.Join(dir, "release"), filepath.Join(dir, "plain")
	build := exec.Command("scripts/build.sh", release, "v0.0.1")
	build.Dir = filepath.Join("..", "..")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("scripts/build.sh: %v\n%s", err, out)
	}
	if out, err := exec.Command("go", "build", "-o", plain, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	initAllocs := func(bin string) int {
		cmd := exec.Command(bin, "version")
		cmd.Env = append(os.Environ(), "GODEBUG=inittrace=1")
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		if err := cmd.Run(); err != nil {
			t.Fatalf("%s version: %v", bin, err)
		}
		// init github.com/santhosh-tekuri/jsonschema/v6 @2.1 ms, 0.15 ms clock, 9512 bytes, 159 allocs
		m := regexp.MustCompile(`(?m)^init github\.com/santhosh-tekuri/jsonschema/v6 @.*, (\d+) allocs$`).FindStringSubmatch(stderr.String())
		if m == nil {
			t.Fatalf("%s: no init line for the validator in:\n%s", bin, stderr.String())
		}
		n, _ := strconv.Atoi(m[1])
		return n
	}
	if got := initAllocs(release); got > 1000 {
		t.Errorf("the release build's validator init makes %d allocations: the meta-schemas compile before main", got)
	}
	if got := initAllocs(plain); got < 10000 {
		t.Errorf("a plain build's validator init makes only %d allocations: upstream compiles the meta-schemas lazily now: drop its patch in scripts/patches", got)
	}
	for _, bin := range []string{release, plain} {
		cmd := exec.Command(bin, "--sandbox", "call", "create_partnership", "--args", `{"email":"nope","first_name":"A","last_name":"B"}`)
		out, err := cmd.CombinedOutput()
		if code := cmd.ProcessState.ExitCode(); code != 1 || !strings.Contains(string(out), "'nope' is not valid email: missing @") {
			t.Errorf("%s: a bad email answered %d (%v): %s", filepath.Base(bin), code, err, out)
		}
		cmd = exec.Command(bin, "--sandbox", "call", "list_groups", "--args", `{"limit":1}`)
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Errorf("%s: list_groups: %v: %s", filepath.Base(bin), err, out)
		}
	}
}
