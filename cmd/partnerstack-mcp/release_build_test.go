package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
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

// Every documented or scripted release build sets the tags, so the size
// and start-up figures in the README are those of the binaries we ship.
func TestEveryReleaseBuildLineSetsTheTags(t *testing.T) {
	root := filepath.Join("..", "..")
	buildLine := regexp.MustCompile(`go build -trimpath|"build", "-trimpath"`)
	for _, file := range []string{"README.md", "Dockerfile", "scripts/release.sh", "e2e/perf/bench_test.go"} {
		b, err := os.ReadFile(filepath.Join(root, file))
		if err != nil {
			t.Fatal(err)
		}
		found := false
		for line := range strings.Lines(string(b)) {
			if !buildLine.MatchString(line) {
				continue
			}
			found = true
			if !strings.Contains(line, "-tags "+releaseTags) && !strings.Contains(line, `"-tags", "`+releaseTags+`"`) {
				t.Errorf("%s: a build line without -tags %s: %s", file, releaseTags, strings.TrimSpace(line))
			}
		}
		if !found {
			t.Errorf("%s: no go build line found", file)
		}
	}
}
