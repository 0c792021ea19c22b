#!/usr/bin/env bash
# Builds a release into dist/ (or $DIST):
#   - one static binary per platform, built by scripts/build.sh (the release
#     build line, as in the Dockerfile): partnerstack-mcp_VERSION_OS_ARCH[.exe];
#   - one .mcpb bundle (Claude Desktop extension) per platform, whose
#     manifest.json declares only the platform of the binary inside:
#     partnerstack-mcp_VERSION_OS_ARCH.mcpb;
#   - SHA256SUMS over all of them.
#
#   scripts/release.sh v0.1.0                         # every platform
#   PLATFORMS="linux/amd64" scripts/release.sh v0.1.0 # some platforms
#
# VERSION defaults to manifest.json's. Packing needs the mcpb CLI
# (npm @anthropic-ai/mcpb): $MCPB, else mcpb on PATH; NO_BUNDLES=1 skips it.
set -euo pipefail
cd "$(dirname "$0")/.."

VERSION=${1:-v$(sed -nE 's/^  "version": "([^"]+)".*/\1/p' manifest.json | head -n1)}
DIST=${DIST:-dist}
PLATFORMS=${PLATFORMS:-linux/amd64 linux/arm64 darwin/amd64 darwin/arm64 windows/amd64 windows/arm64}
MCPB=${MCPB:-mcpb}
NAME=partnerstack-mcp

case "$VERSION" in
v[0-9]*.[0-9]*.[0-9]*) ;;
*) echo "release: version $VERSION: want vX.Y.Z" >&2; exit 2 ;;
esac
if [ -z "${NO_BUNDLES:-}" ] && ! command -v "${MCPB%% *}" >/dev/null; then
  echo "release: no mcpb CLI ($MCPB); install @anthropic-ai/mcpb with npm, set MCPB, or set NO_BUNDLES=1" >&2
  exit 2
fi

mkdir -p "$DIST"
DIST=$(cd "$DIST" && pwd)
STAGE=$(mktemp -d "${TMPDIR:-/tmp}/$NAME-release.XXXXXX")
trap 'rm -rf "$STAGE"' EXIT
artifacts=()

for platform in $PLATFORMS; do
  goos=${platform%/*} goarch=${platform#*/}
  exe=""
  [ "$goos" = windows ] && exe=.exe
  base=${NAME}_${VERSION}_${goos}_${goarch}
  echo "== $base"
  GOOS=$goos GOARCH=$goarch scripts/build.sh "$DIST/$base$exe" "$VERSION"
  artifacts+=("$base$exe")

  [ -n "${NO_BUNDLES:-}" ] && continue
  dir=$STAGE/$base
  mkdir -p "$dir/server" "$dir/assets"
  cp "$DIST/$base$exe" "$dir/server/$NAME$exe"
  cp assets/icon.png "$dir/assets/icon.png"
  go run ./internal/mcpbmanifest -goos "$goos" -version "$VERSION" <manifest.json >"$dir/manifest.json"
  $MCPB pack "$dir" "$DIST/$base.mcpb" >"$STAGE/$base.pack.log" 2>&1 || {
    cat "$STAGE/$base.pack.log" >&2
    echo "release: mcpb pack $base failed" >&2
    exit 1
  }
  artifacts+=("$base.mcpb")
done

(
  cd "$DIST"
  if command -v sha256sum >/dev/null; then
    sha256sum "${artifacts[@]}"
  else
    shasum -a 256 "${artifacts[@]}"
  fi
) >"$DIST/SHA256SUMS"
echo "== $DIST"
(cd "$DIST" && ls -l "${artifacts[@]}" SHA256SUMS)
