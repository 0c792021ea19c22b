#!/usr/bin/env bash
# Prepares a release build's module graph: .build/jsonschema-VERSION-PATCH, a
# copy of the JSON Schema validator module that go.mod selects with
# scripts/jsonschema-lazy.patch applied, and DIR/go.mod (with go.sum), a copy
# of go.mod that replaces the module with that copy, for go build -modfile.
# The repository's go.mod is not touched, so `go install` and `go run` keep the
# upstream module. The copy's path is the same on every run (the binary's
# build information names it), and it is made once per version and patch.
# Fails, naming the version, when the patch does not apply.
#
#   scripts/patch-deps.sh DIR    # prints DIR/go.mod
set -euo pipefail
dir=${1:?usage: scripts/patch-deps.sh DIR}
root=$(cd "$(dirname "$0")/.." && pwd)
patch=$root/scripts/jsonschema-lazy.patch
module=github.com/santhosh-tekuri/jsonschema/v6

cd "$root"
go mod download "$module"
read -r src version < <(go list -m -f '{{.Dir}} {{.Version}}' "$module")
sum=$(git hash-object "$patch" | cut -c1-12)
copy=.build/jsonschema-$version-$sum
if [ ! -d "$copy" ]; then
  mkdir -p .build
  stage=$(mktemp -d .build/stage.XXXXXX)
  cp -R "$src/." "$stage/"
  chmod -R u+w "$stage"
  if ! (cd "$stage" && git apply --whitespace=nowarn "$patch"); then
    rm -rf "$stage"
    echo "patch-deps: scripts/jsonschema-lazy.patch does not apply to $module $version; refresh it against that version (see its header)" >&2
    exit 1
  fi
  # Another build may have made it meanwhile: keep the first.
  mv -T "$stage" "$copy" 2>/dev/null || rm -rf "$stage"
fi
mkdir -p "$dir"
cp go.mod go.sum "$dir/"
go mod edit -modfile "$dir/go.mod" -replace "$module=./$copy"
echo "$dir/go.mod"
