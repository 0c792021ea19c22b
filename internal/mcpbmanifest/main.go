// Command mcpbmanifest writes the manifest.json of a one-platform .mcpb
// bundle from the repository's manifest.json: the release's version, only
// the platform whose binary the bundle holds, and that binary's name there.
// scripts/release.sh runs it for each bundle:
//
//	go run ./internal/mcpbmanifest -goos windows -version v0.1.0 <manifest.json >bundle/manifest.json
package main

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"regexp"
	"strings"
)

func main() {
	goos := flag.String("goos", "", "GOOS of the bundle's binary: linux, darwin or windows")
	version := flag.String("version", "", "release version, vX.Y.Z or X.Y.Z (a -prerelease is kept)")
	flag.Parse()
	raw, err := io.ReadAll(os.Stdin)
	if err == nil {
		raw, err = forPlatform(raw, *goos, *version)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "mcpbmanifest:", err)
		os.Exit(1)
	}
	os.Stdout.Write(raw)
}

// mcpbPlatform maps GOOS to the manifest's platform names (Node's process.platform).
var mcpbPlatform = map[string]string{"linux": "linux", "darwin": "darwin", "windows": "win32"}

var semver = regexp.MustCompile(`^\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$`)

// forPlatform rewrites the manifest for a bundle holding one binary.
func forPlatform(raw []byte, goos, version string) ([]byte, error) {
	platform, ok := mcpbPlatform[goos]
	if !ok {
		return nil, fmt.Errorf("-goos %q: want linux, darwin or windows", goos)
	}
	version = strings.TrimPrefix(version, "v")
	if !semver.MatchString(version) {
		return nil, fmt.Errorf("-version %q: want a semantic version such as v1.2.3", version)
	}
	var m map[string]any
	if err := json.Unmarshal(raw, &m); err != nil {
		return nil, fmt.Errorf("manifest.json: %w", err)
	}
	srv, _ := m["server"].(map[string]any)
	cfg, _ := srv["mcp_config"].(map[string]any)
	entry, _ := srv["entry_point"].(string)
	if cfg == nil || entry == "" {
		return nil, errors.New("manifest.json has no server.entry_point and server.mcp_config")
	}
	if goos == "windows" && !strings.HasSuffix(entry, ".exe") {
		entry += ".exe"
	}
	srv["entry_point"] = entry
	// One binary, so one command: no overrides for platforms it lacks.
	cfg["command"] = "${__dirname}/" + entry
	delete(cfg, "platform_overrides")
	m["version"] = version
	compat, _ := m["compatibility"].(map[string]any)
	if compat == nil {
		compat = map[string]any{}
		m["compatibility"] = compat
	}
	compat["platforms"] = []string{platform}
	out, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return nil, err
	}
	return append(out, '\n'), nil
}
