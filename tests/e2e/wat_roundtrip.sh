#!/usr/bin/env bash
# wasm2wat and the reader, round trip: every module of both spec suites
# (2.0 and 3.0) that the engine validates, as the reader wrote it, printed
# as text and read back must give the same bytes; modules given as bytes
# in the scripts ((module binary ...)) must read back to a module that
# validates and does not change on a second round (tests/tools/wat_roundtrip.c).
set -u
build=$1
runner=$build/spec_runner
rt=$build/tests/tools/wat_roundtrip
found=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for suite in spec-testsuite spec-testsuite-3.0; do
  dir=$("$(dirname "$0")/../../conformance/suite_dir.sh" "$suite") || dir=
  [ -n "$dir" ] || { echo "wat_roundtrip: no $suite next to the repository"; exit 1; }
  while IFS= read -r f; do
    out=$tmp/$suite/$(echo "${f#"$dir"/}" | sed 's|/|__|g; s|\.wast$||')
    mkdir -p "$out"
    "$runner" --write-modules "$out" "$f" >/dev/null 2>&1
    found=$((found + 1))
  done < <(find "$dir" -name '*.wast' | LC_ALL=C sort)
done
lists=()
for d in "$tmp"/*/*; do lists+=(-b "$d/binary.txt"); done
mapfile -t modules < <(find "$tmp" -name '*.wasm' | LC_ALL=C sort)
"$rt" "${lists[@]}" "${modules[@]}" >"$tmp/out" || { grep FAIL "$tmp/out" | head -20; tail -1 "$tmp/out"; exit 1; }
tail -1 "$tmp/out"
# both suites have hundreds of modules that validate: a run that checked few is broken
exact=$(sed -n 's/^wat_roundtrip: \([0-9]*\) the same bytes.*/\1/p' "$tmp/out")
[ "${exact:-0}" -ge 2000 ] || { echo "wat_roundtrip: only ${exact:-0} modules checked ($found files)"; exit 1; }
