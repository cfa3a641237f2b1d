#!/usr/bin/env bash
# Runs each cmocka unit-test binary; fails if any fails. A binary that exits
# 77, or in which cmocka skipped a test ("N SKIPPED TEST(S)"), is counted as
# skipped, never as passed, and fails the run too unless ALLOW_SKIP=1.
# Prints a closing "unit: P passed, F failed, S skipped" line counting
# binaries.
set -u
pass=0 fail=0 skip=0 failed=() skipped=()
out=$(mktemp "${TMPDIR:-/tmp}/wasmbox-unit.XXXXXX") || exit 1
trap 'rm -f "$out"' EXIT
for t in "$@"; do
  rc=0
  "$t" >"$out" 2>&1 || rc=$?
  cat "$out"
  nskipped=$(sed -n 's/^ *\([0-9][0-9]*\) SKIPPED TEST(S)$/\1/p' "$out")
  if [ $rc -eq 77 ] || { [ $rc -eq 0 ] && [ -n "$nskipped" ]; }; then
    skip=$((skip + 1)); skipped+=("$t${nskipped:+ ($nskipped tests)}")
  elif [ $rc -eq 0 ]; then
    pass=$((pass + 1))
  else
    fail=$((fail + 1)); failed+=("$t")
  fi
done
for f in "${failed[@]}"; do echo "FAILED: $f"; done
for s in "${skipped[@]}"; do echo "SKIPPED: $s"; done
echo "unit: $pass passed, $fail failed, $skip skipped"
[ "$fail" -eq 0 ] || exit 1
if [ "$skip" -gt 0 ] && [ "${ALLOW_SKIP:-0}" != 1 ]; then
  echo "unit: a skipped test is not a pass; make it runnable here, or accept the skip with ALLOW_SKIP=1"
  exit 1
fi
