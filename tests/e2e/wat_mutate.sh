#!/usr/bin/env bash
# Mutated spec scripts (2.0 and 3.0) through the text-format reader (tests/tools/wat_mutate.c,
# the fuzz target's checks): no crash, no hang, an error with a line and
# column every time, the wasm2wat round trip for what it accepts.
# WAT_MUTATIONS per file (default 20), WAT_MUTATE_SEED for another seed.
set -u
build=$1
dir=$("$(dirname "$0")/../../conformance/suite_dir.sh" spec-testsuite) || dir=
[ -n "$dir" ] || { echo "wat_mutate: no spec test suite next to the repository"; exit 1; }
dir3=$("$(dirname "$0")/../../conformance/suite_dir.sh" spec-testsuite-3.0) || dir3=
[ -n "$dir3" ] || { echo "wat_mutate: no 3.0 spec test suite next to the repository"; exit 1; }
# both suites: the 3.0 scripts hold the 3.0 text (typed references, GC types,
# memory64, multiple memories, tags, SIMD constants)
mapfile -t files < <({ find "$dir" -maxdepth 1 -name '*.wast'; find "$dir3" -name '*.wast'; } | LC_ALL=C sort)
timeout 600 "$build/tests/tools/wat_mutate" "${files[@]}"
