#!/usr/bin/env bash
# Runs each cmocka unit-test binary; fails if any fails. Prints a closing
# "N passed, N failed" line counting binaries.
set -u
pass=0 fail=0 failed=()
for t in "$@"; do
  if "$t"; then pass=$((pass + 1)); else fail=$((fail + 1)); failed+=("$t"); fi
done
for f in "${failed[@]}"; do echo "FAILED: $f"; done
echo "unit: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
