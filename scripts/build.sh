#!/usr/bin/env bash
# The release build, the one place its flags live (README, Dockerfile,
# scripts/release.sh and BenchmarkStartup all run it): a static binary
# (CGO_ENABLED=0), trimmed paths, -tags grpcnotrace, the version stamped, and
# two dependencies patched to start faster (scripts/patches/, applied by
# scripts/patch-deps.sh through go build -modfile). GOOS and GOARCH pick the
# platform as for go build.
#
#   scripts/build.sh bin/partnerstack-mcp v0.1.0
set -euo pipefail
out=${1:?usage: scripts/build.sh OUTPUT [VERSION]}
version=${2:-dev}
case "$out" in /*) ;; *) out=$PWD/$out ;; esac
root=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/partnerstack-mcp-build.XXXXXX")
trap 'rm -rf "$work"' EXIT

modfile=$("$root/scripts/patch-deps.sh" "$work")
cd "$root"
CGO_ENABLED=0 go build -trimpath -tags grpcnotrace -modfile "$modfile" \
  -ldflags "-s -w -X github.com/partnerstack-mcp/partnerstack-mcp.Version=${version}" \
  -o "$out" ./cmd/partnerstack-mcp
