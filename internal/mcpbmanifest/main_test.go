package main

import (
	"encoding/json"
	"os"
	"reflect"
	"strings"
	"testing"
)

type manifest struct {
	Version string `json:"version"`
	Icon    string `json:"icon"`
	Server  struct {
		EntryPoint string `json:"entry_point"`
		MCPConfig  struct {
			Command           string            `json:"command"`
			Env               map[string]string `json:"env"`
			PlatformOverrides map[string]any    `json:"platform_overrides"`
		} `json:"mcp_config"`
	} `json:"server"`
	Compatibility struct {
		Platforms []string `json:"platforms"`
	} `json:"compatibility"`
	Tools      []map[string]string `json:"tools"`
	UserConfig map[string]any      `json:"user_config"`
}

func TestForPlatform(t *testing.T) {
	raw, err := os.ReadFile("../../manifest.json")
	if err != nil {
		t.Fatal(err)
	}
	var root manifest
	if err := json.Unmarshal(raw, &root); err != nil {
		t.Fatal(err)
	}
	for goos, want := range map[string]struct{ platform, entry string }{
		"linux":   {"linux", "server/partnerstack-mcp"},
		"darwin":  {"darwin", "server/partnerstack-mcp"},
		"windows": {"win32", "server/partnerstack-mcp.exe"},
	} {
		out, err := forPlatform(raw, goos, "v1.2.3-rc.1")
		if err != nil {
			t.Fatalf("%s: %v", goos, err)
		}
		var m manifest
		if err := json.Unmarshal(out, &m); err != nil {
			t.Fatalf("%s: %v", goos, err)
		}
		if !reflect.DeepEqual(m.Compatibility.Platforms, []string{want.platform}) {
			t.Errorf("%s: platforms %v, want only %s", goos, m.Compatibility.Platforms, want.platform)
		}
		if m.Server.EntryPoint != want.entry || m.Server.MCPConfig.Command != "${__dirname}/"+want.entry || m.Server.MCPConfig.PlatformOverrides != nil {
			t.Errorf("%s: entry %q, command %q, overrides %v", goos, m.Server.EntryPoint, m.Server.MCPConfig.Command, m.Server.MCPConfig.PlatformOverrides)
		}
		if m.Version != "1.2.3-rc.1" {
			t.Errorf("%s: version %q", goos, m.Version)
		}
		// Everything else is the repository's manifest.
		if !reflect.DeepEqual(m.Tools, root.Tools) || !reflect.DeepEqual(m.UserConfig, root.UserConfig) ||
			!reflect.DeepEqual(m.Server.MCPConfig.Env, root.Server.MCPConfig.Env) || m.Icon != root.Icon {
			t.Errorf("%s: tools, user_config, env or icon changed", goos)
		}
	}
	for _, bad := range []struct{ goos, version string }{{"plan9", "v1.0.0"}, {"linux", "dev"}, {"linux", "1.0"}} {
		if _, err := forPlatform(raw, bad.goos, bad.version); err == nil {
			t.Errorf("%+v: accepted", bad)
		}
	}
}

// The release script builds like the Dockerfile (scripts/build.sh), for all
// six platforms, and packs with this command's manifests.
func TestReleaseScript(t *testing.T) {
	raw, err := os.ReadFile("../../scripts/release.sh")
	if err != nil {
		t.Fatal(err)
	}
	script := string(raw)
	for _, want := range []string{
		`GOOS=$goos GOARCH=$goarch scripts/build.sh "$DIST/$base$exe" "$VERSION"`,
		"linux/amd64", "linux/arm64", "darwin/amd64", "darwin/arm64", "windows/amd64", "windows/arm64",
		"go run ./internal/mcpbmanifest -goos", "pack", "SHA256SUMS", "assets/icon.png",
	} {
		if !strings.Contains(script, want) {
			t.Errorf("scripts/release.sh lacks %q", want)
		}
	}
}
