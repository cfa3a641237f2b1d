#!/usr/bin/env bash
# The text-format reader's bytes against wabt's, module by module: every
# module of every 2.0 spec file that wast2json (the reference program on this
# machine) converts is written by both (spec_runner --write-modules, the
# modules in script order, as wast2json numbers its files) and compared
# byte for byte. Text modules wast2json keeps as text (malformed ones) are
# not compared; conformance/ checks that our reader refuses them.
set -u
build=$1
runner=$build/spec_runner
# Where wabt and our reader may differ, each with why.
allowed="select.wast:324" # wabt 1.0.32 writes `select (result)` as a plain select (0x1B); the spec's is 0x1C with no types
spec_dir=$("$(dirname "$0")/../../conformance/suite_dir.sh" spec-testsuite) || spec_dir=
if [ -z "$spec_dir" ] || [ ! -d "$spec_dir" ]; then
  echo "wat_bytes: no spec test suite (set SPEC_DIR)"; exit 1
fi
for tool in wast2json jq; do
  command -v $tool >/dev/null || { echo "wat_bytes: $tool not found (.ci/install-deps installs it)"; exit 1; }
done
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
same=0 differ=0 files=0
for wast in "$spec_dir"/*.wast; do
  name=$(basename "$wast")
  base=${name%.wast}
  mkdir -p "$tmp/$base/ours" "$tmp/$base/wabt"
  # wast2json cannot read seven files (conformance/README.md): nothing to compare
  # (in a subshell that outlives it, its stderr thrown away: wast2json aborts
  # on comments.wast, and bash would say so)
  (wast2json "$wast" -o "$tmp/$base/wabt/$base.json"; exit $?) >/dev/null 2>&1 || continue
  "$runner" --profile 2.0 --write-modules "$tmp/$base/ours" "$wast" >/dev/null 2>&1
  files=$((files + 1))
  n=0
  while IFS=$'\t' read -r file type line; do
    ours=$tmp/$base/ours/m$n.wasm
    n=$((n + 1))
    [ "$type" = text ] && continue
    if cmp -s "$tmp/$base/wabt/$file" "$ours"; then
      same=$((same + 1))
    elif [[ " $allowed " == *" $name:$line "* ]]; then
      same=$((same + 1))
    else
      echo "FAIL $name:$line: our bytes differ from wast2json's $file"
      differ=$((differ + 1))
    fi
  done < <(jq -r '.commands[] | select(.filename) | [.filename, (.module_type // "binary"), .line] | @tsv' \
             "$tmp/$base/wabt/$base.json")
  rm -rf "$tmp/$base"
done
echo "wat_bytes: $files files, $same modules the same as wabt's, $differ differ"
[ "$files" -ge 83 ] || { echo "wat_bytes: only $files files compared (83 convert)"; exit 1; }
[ "$differ" -eq 0 ] || exit 1
