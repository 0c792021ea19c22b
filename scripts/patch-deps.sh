#!/usr/bin/env bash
# Prepares a release build's module graph. Each scripts/patches/*.patch names
# its module on a "Module:" line; this makes .build/NAME-VERSION-HASH, a copy
# of that module at the version go.mod selects with the patch applied, and
# DIR/go.mod (with go.sum), a copy of go.mod that replaces each module with its
# copy, for go build -modfile. The repository's go.mod is not touched, so
# `go install` and `go run` build the upstream modules. A copy's path is the
# same on every run (the binary's build information names it) and it is made
# once per version and patch. Fails, naming the module and version, when a
# patch does not apply.
#
#   scripts/patch-deps.sh DIR    # prints DIR/go.mod
set -euo pipefail
dir=${1:?usage: scripts/patch-deps.sh DIR}
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
mkdir -p "$dir"
dir=$(cd "$dir" && pwd)
cp go.mod go.sum "$dir/"

for patch in "$root"/scripts/patches/*.patch; do
  module=$(sed -nE 's/^Module: ([^[:space:]]+)$/\1/p' "$patch" | head -n1)
  [ -n "$module" ] || { echo "patch-deps: $patch names no Module:" >&2; exit 1; }
  go mod download "$module"
  read -r src version < <(go list -m -f '{{.Dir}} {{.Version}}' "$module")
  copy=.build/$(basename "$patch" .patch)-$version-$(git hash-object "$patch" | cut -c1-12)
  if [ ! -d "$copy" ]; then
    mkdir -p .build
    stage=$(mktemp -d .build/stage.XXXXXX)
    cp -R "$src/." "$stage/"
    chmod -R u+w "$stage"
    if ! (cd "$stage" && git apply --whitespace=nowarn "$patch"); then
      rm -rf "$stage"
      echo "patch-deps: scripts/patches/$(basename "$patch") does not apply to $module $version; refresh it against that version (see its header)" >&2
      exit 1
    fi
    # Another build may have made it meanwhile: keep the first.
    if [ -d "$copy" ] || ! mv "$stage" "$copy" 2>/dev/null; then
      rm -rf "$stage"
    fi
  fi
  go mod edit -modfile "$dir/go.mod" -replace "$module=./$copy"
done
echo "$dir/go.mod"
