#!/usr/bin/env bash
# No input may crash or hang `wasmbox validate`: thousands of truncated,
# bit-flipped and byte-inserted variants of the spec suite's modules must each
# end with exit 0 or 1. See tests/tools/fuzz_validate.c.
set -euo pipefail
build=$1
spec=$("$(dirname "$0")/../../conformance/suite_dir.sh" spec-testsuite) || { echo "fuzz_validate: no spec suite (set SPEC_DIR)"; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
out="$build/fuzz-out"; rm -rf "$out"; mkdir -p "$tmp/corpus" "$out"
for f in "$spec"/*.wast; do
  name=$(basename "$f" .wast)
  # the 7 files wabt 1.0.32 cannot read add nothing (one makes it abort)
  (wast2json "$f" -o "$tmp/corpus/$name.json" >/dev/null 2>&1 || true) 2>/dev/null
done
n=$(ls "$tmp/corpus"/*.wasm | wc -l)
[ "$n" -gt 1000 ] || { echo "fuzz_validate: only $n corpus modules"; exit 1; }
runs=${FUZZ_PROCESS_RUNS:-3000}
"$build/tests/tools/fuzz_validate" "$build/wasmbox" "$tmp/corpus" "$out" "$runs" "${FUZZ_INPROCESS_RUNS:-30000}"
